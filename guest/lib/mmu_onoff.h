/* Turning the MMU off and on again at run time, with the maintenance of
 * docs/boot-cache-maintenance.md "Turning the MMU off". While it is off, the
 * calling CPU may touch only its stack, registers and the ranges it named. */
#ifndef GUEST_MMU_ONOFF_H
#define GUEST_MMU_ONOFF_H

#include "types.h"

struct mem_range {
	u64 start, end;
};

/* What the MMU-off code will do. NULL ranges mean "all of RAM". */
struct mmu_off_plan {
	const struct mem_range *reads;	/* read with the MMU off */
	int nr_reads;
	const struct mem_range *writes;	/* written with the MMU off, read after */
	int nr_writes;
	bool keep_icache;		/* leave SCTLR.I set */
};

void mmu_disable(const struct mmu_off_plan *plan);
void mmu_enable(const struct mmu_off_plan *plan);

/* Cache lines maintained by the calls above since boot (for make bench). */
extern u64 mmu_onoff_lines;

#endif
