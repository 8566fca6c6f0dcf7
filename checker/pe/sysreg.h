/* System register state of one PE. Only what the machine implements. */
#ifndef CHECKER_SYSREG_H
#define CHECKER_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/regs.h"

/* Breakpoints and watchpoints (pe/debug.c); ID_AA64DFR0_EL1.BRPs and
 * WRPs advertise these minus one: Cortex-A57's counts, which QEMU's
 * -cpu max keeps. */
#define DBG_NBP 6
#define DBG_NWP 4

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
	uint64_t cnthp_ctl_el2, cnthp_cval_el2, actlr_el1, actlr_el2,
		 afsr0_el2, afsr1_el2, amair_el2, oslsr_el1;
	/* Self-hosted debug */
	uint64_t dbgbvr[DBG_NBP], dbgbcr[DBG_NBP], dbgwvr[DBG_NWP],
		 dbgwcr[DBG_NWP];
	uint64_t osdlr_el1, dbgprcr_el1, mdccint_el1, dbgclaim, osdtrrx_el1,
		 osdtrtx_el1, oseccr_el1;
};

/* ---- sysreg.c ---- */
struct cpu;
/* Reset values for PE idx of a machine (el2: EL2 implemented). */
void sysreg_reset(struct cpu *c, unsigned idx, bool el2);
/* MRS/MSR (Arm ARM C5.2 "Op0 == 0b11 / 0b10 system register encoding").
 * Returns false after taking an exception (UNDEF or trap). */
bool sysreg_access(struct cpu *c, uint32_t insn);
#endif
