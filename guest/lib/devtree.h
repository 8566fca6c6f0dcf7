/* What the framework learns from the device tree. */
#ifndef GUEST_DEVTREE_H
#define GUEST_DEVTREE_H

#include "types.h"

#define MAX_MEM_REGIONS 8

struct mem_region {
	u64 start, end;
};

enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };

struct platform {
	struct mem_region mem[MAX_MEM_REGIONS];
	int nr_mem;
	u64 cpu_mpidr[NR_CPUS];
	int nr_cpus;
	enum psci_conduit conduit;
	u64 uart_base;
	const char *bootargs;
	u64 dtb_start, dtb_end;
	u64 rsv_start[8], rsv_end[8];	/* /memreserve/ entries */
	int nr_rsv;
	u64 initrd_start, initrd_end;	/* /chosen linux,initrd-*; 0, 0: none */
};

extern struct platform platform;

/* Reads the DTB (with the MMU on) into platform; returns 0 or a negative
 * libfdt error. */
int devtree_parse(const void *fdt);
/* What was wrong, for devtree_parse's error err. */
const char *devtree_error(int err);
/* Total size from the header, without validating the rest. */
u64 devtree_size(const void *fdt);

#endif
