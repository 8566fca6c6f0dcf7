/* What a PE needs from the machine it sits in, declared here so that pe/
 * depends on nothing above it (checker/layers.conf): board/ fills one
 * struct pe_platform per machine and points every PE's c->plat at it.
 * The PE reaches the platform only through this table and these fields,
 * never through struct machine. */
#ifndef CHECKER_PLATFORM_H
#define CHECKER_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;
struct memsys;
struct cachemodel;

/* Result of a system register access handled outside pe/ (the GIC's CPU
 * interface): same meaning as sysreg.c's results. */
enum pe_sr_result { PE_SR_OK, PE_SR_UNDEF, PE_SR_TRAP1, PE_SR_TRAP2 };

struct pe_platform_ops {
	/* Guest time in counter ticks: the physical count (CNTPCT_EL0). */
	uint64_t (*ticks)(struct cpu *c);
	/* An HVC (smc false) or SMC the firmware may handle (PSCI): true
	 * when it did, with the results in the PE's registers. */
	bool (*firmware_call)(struct cpu *c, bool smc);
	/* Every exception entry, for the board's loop detection. */
	void (*exception_taken)(struct cpu *c, unsigned ec, uint64_t esr,
				uint64_t from, uint64_t vector);
	/* Host pointer of the 4 KiB RAM page at pa when the RAM fast path
	 * may serve it (memsys.h), else NULL. */
	uint8_t *(*ram_page)(struct cpu *c, uint64_t pa);
	/* Is the cache model attached (every access is reported to it)? */
	bool (*model_on)(struct cpu *c);
	/* MRS/MSR of a GIC CPU interface register (ICC_*_EL1/EL2; key as
	 * sysreg.c's SR()). NULL, or PE_SR_UNDEF, when the machine has no
	 * system-register CPU interface (no GICv3). */
	enum pe_sr_result (*icc_access)(struct cpu *c, unsigned key,
					bool write, uint64_t *v);
	/* The PE's timer state changed (CTL, CVAL, CNTVOFF written): the
	 * board re-evaluates the timer interrupt lines. May be NULL. */
	void (*timer_changed)(struct cpu *c);
};

struct pe_platform {
	const struct pe_platform_ops *ops;
	/* All PEs of the machine: SEV, broadcast TLBI, the global monitor. */
	struct cpu *pe;
	unsigned npe;
	/* Global exclusive monitor: how many PEs hold a reservation; a store
	 * checks the others' reservations only when non-zero. */
	unsigned excl_holders;
	bool el2;                /* EL2 is implemented */
	bool trace;              /* --trace: one line per instruction */
	bool gicv3_sysregs;      /* ID_AA64PFR0_EL1.GIC = 1 */
	uint64_t cnt_freq;       /* CNTFRQ_EL0 */
	unsigned gic_version;    /* 2 or 3: MPIDR's cluster size (sysreg.c) */
	/* The memory system every access goes through, and the cache model
	 * (NULL when off) that hears of translations and fetch pages. */
	struct memsys *mem;
	struct cachemodel *model;
};

#endif
