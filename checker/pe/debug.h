/* Self-hosted debug of one PE: breakpoints, watchpoints, software step
 * and their registers (Arm ARM DDI 0487 K.a, D2 "AArch64 Self-hosted
 * Debug"). The fast-path flags in struct cpu are kept here. */
#ifndef CHECKER_DEBUG_H
#define CHECKER_DEBUG_H

#include "pe/cpu.h"

#define MDSCR_SS  (1ull << 0)
#define MDSCR_KDE (1ull << 13)
#define MDSCR_MDE (1ull << 15)
#define MDCR_TDE   (1ull << 8)
#define MDCR_TDA   (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA  (1ull << 11)
#define SPSR_SS   (1ull << 21)

/* ESR_ELx.EC of the debug exceptions: lower EL, current EL. */
#define EC_BP_LOWER   0x30u
#define EC_BP_CUR     0x31u
#define EC_SS_LOWER   0x32u
#define EC_SS_CUR     0x33u
#define EC_WP_LOWER   0x34u
#define EC_WP_CUR     0x35u

enum dbg_sr { DBG_SR_OK, DBG_SR_UNDEF, DBG_SR_TRAP2, DBG_SR_NONE };

/* MRS/MSR of an op0 = 2, op1 = 0 register (key as sysreg.c's SR()):
 * DBG_SR_NONE when the encoding is not a debug register. */
enum dbg_sr dbg_sysreg(struct cpu *c, unsigned op0, unsigned crn,
		       unsigned crm, unsigned op2, bool read, uint64_t *v);
/* Recompute c->dbg_bp, dbg_wp, dbg_ss from the registers. */
void dbg_update(struct cpu *c);
/* A breakpoint matches the instruction at c->pc and debug exceptions are
 * enabled: take the Breakpoint exception and return false. */
bool dbg_check_bp(struct cpu *c);
/* The same for a data access of size bytes at va; el_perm is the EL whose
 * permissions the access uses (0 for LDTR/STTR). */
bool dbg_check_wp(struct cpu *c, uint64_t va, unsigned size, bool store,
		  unsigned el_perm);
/* SSAdvance(): an exception-generating instruction completes the step
 * before its exception is taken. */
void dbg_ss_advance(struct cpu *c);
/* PSTATE.SS after an exception return to dest_el with spsr (the
 * pseudocode's DebugExceptionReturnSS()); called before PSTATE changes. */
bool dbg_eret_ss(const struct cpu *c, uint64_t spsr, unsigned dest_el);

#endif
