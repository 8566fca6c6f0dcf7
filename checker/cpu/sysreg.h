/* System register state of one PE. Only what the machine implements. */
#ifndef CHECKER_SYSREG_H
#define CHECKER_SYSREG_H

#include <stdint.h>

struct sysregs {
	/* EL1 */
	uint64_t sctlr_el1, tcr_el1, mair_el1, ttbr0_el1, ttbr1_el1;
	uint64_t vbar_el1, esr_el1, far_el1, elr_el1, spsr_el1, par_el1;
	uint64_t cpacr_el1, tpidr_el1, contextidr_el1, amair_el1, afsr0_el1,
		 afsr1_el1, csselr_el1, mdscr_el1, cntkctl_el1;
	uint64_t tpidr_el0, tpidrro_el0;
	/* EL2 */
	uint64_t hcr_el2, sctlr_el2, tcr_el2, mair_el2, ttbr0_el2, vbar_el2,
		 esr_el2, far_el2, elr_el2, spsr_el2, cptr_el2, tpidr_el2,
		 vttbr_el2, vtcr_el2, cnthctl_el2, cntvoff_el2, vpidr_el2,
		 vmpidr_el2, hpfar_el2, mdcr_el2, hstr_el2;
	/* timer */
	uint64_t cntv_ctl_el0, cntv_cval_el0, cntp_ctl_el0, cntp_cval_el0;
	uint64_t mpidr;
};

#endif
