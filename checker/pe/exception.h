/* Synchronous exception entry and return (Arm ARM D1.10 "Exception
 * entry", D1.11 "Exception return"), shared by the machine-side helpers. */
#ifndef CHECKER_EXCEPTION_H
#define CHECKER_EXCEPTION_H

#include "pe/cpu.h"

/* ESR_ELx.EC values (Arm ARM D17.2.37). */
#define EC_UNKNOWN    0x00
#define EC_FP         0x07
#define EC_ILLEGAL    0x0e
#define EC_SVC        0x15
#define EC_HVC        0x16
#define EC_SMC        0x17
#define EC_SYSREG     0x18
#define EC_IABT_LOWER 0x20
#define EC_IABT_CUR   0x21
#define EC_PC_ALIGN   0x22
#define EC_DABT_LOWER 0x24
#define EC_DABT_CUR   0x25
#define EC_SP_ALIGN   0x26
#define EC_BRK        0x3c

#define ESR_IL        (1u << 25)

/* Does this machine implement EL2 (started with --el2)? */
bool cpu_has_el2(const struct cpu *c);

/* Take a synchronous exception to target_el with ESR = ec:IL:iss,
 * preferred return address ret (ELR). FAR is written when far_valid. */
void exc_take(struct cpu *c, unsigned target_el, unsigned ec, uint32_t iss,
	      uint64_t far, bool far_valid, uint64_t ret);
/* The EL a synchronous exception from the current EL goes to. */
unsigned exc_target_el(const struct cpu *c);
/* Common cases; the faulting instruction is at c->pc. */
void exc_undef(struct cpu *c);
void exc_sysreg_trap(struct cpu *c, uint32_t insn, unsigned target_el);
void exc_data_abort(struct cpu *c, uint64_t va, unsigned fsc, bool wnr,
		    bool cm);
void exc_insn_abort(struct cpu *c, uint64_t va, unsigned fsc);
void exc_pc_align(struct cpu *c);
void exc_illegal_state(struct cpu *c);

/* "an instruction abort", "an SVC", ... for messages. */
const char *exc_class_name(unsigned ec);

/* PSTATE as an SPSR value (Arm ARM C5.2.18 "SPSR_EL1"). */
uint64_t cpu_pstate_to_spsr(const struct cpu *c);

#endif
