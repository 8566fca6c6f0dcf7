/* Synchronous exceptions: entry (Arm ARM D1.10 "Exception entry"),
 * exception generating instructions (C6.2 SVC, HVC, SMC, BRK), ERET and
 * illegal exception returns (D1.11), FP/SIMD access traps (D1.12). */
#include "pe/exception.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mem/memsys.h"
#include "pe/debug.h"
#include "pe/mmu.h"

const char *exc_class_name(unsigned ec)
{
	switch (ec) {
	case EC_UNKNOWN:    return "an undefined instruction";
	case EC_FP:         return "an FP/SIMD access trap";
	case EC_ILLEGAL:    return "an illegal execution state";
	case EC_SVC:        return "an SVC";
	case EC_HVC:        return "an HVC";
	case EC_SMC:        return "an SMC";
	case EC_SYSREG:     return "a system register trap";
	case EC_IABT_LOWER: return "an instruction abort from a lower EL";
	case EC_IABT_CUR:   return "an instruction abort";
	case EC_PC_ALIGN:   return "a PC alignment fault";
	case EC_DABT_LOWER: return "a data abort from a lower EL";
	case EC_DABT_CUR:   return "a data abort";
	case EC_SP_ALIGN:   return "an SP alignment fault";
	case EC_BRK:        return "a BRK";
	case EC_BP_LOWER:   return "a breakpoint from a lower EL";
	case EC_BP_CUR:     return "a breakpoint";
	case EC_SS_LOWER:   return "a software step from a lower EL";
	case EC_SS_CUR:     return "a software step";
	case EC_WP_LOWER:   return "a watchpoint from a lower EL";
	case EC_WP_CUR:     return "a watchpoint";
	default:            return "an exception";
	}
}

/* One --trace line per exception entry, between the instruction lines
 * (same "peN ELn" prefix, so a grep for a PE keeps them). */
static void trace_entry(struct cpu *c, unsigned ec, uint64_t esr,
			uint64_t far, bool far_valid, unsigned from_el,
			uint64_t from, uint64_t vector)
{
	char farbuf[24] = "-";

	if (far_valid)
		snprintf(farbuf, sizeof(farbuf), "0x%" PRIx64, far);
	fprintf(stderr, "pe%d EL%u exception EC 0x%02x (%s) ESR 0x%08" PRIx64
		" FAR %s EL%u->EL%u pc %016" PRIx64 " -> vector %016" PRIx64 "\n",
		c->id, from_el, ec, exc_class_name(ec), esr, farbuf, from_el,
		c->el, from, vector);
}

bool cpu_has_el2(const struct cpu *c)
{
	return c->plat && c->plat->el2;
}

uint64_t cpu_pstate_to_spsr(const struct cpu *c)
{
	return (uint64_t)(c->nzcv & 0xf0000000u) |
	       ((uint64_t)c->pstate_ss << 21) |
	       ((uint64_t)c->pstate_il << 20) |
	       (c->daif & 0x3c0u) | (c->el << 2) | (c->spsel & 1);
}

unsigned exc_target_el(const struct cpu *c)
{
	if (c->el == 2)
		return 2;
	/* HCR_EL2.TGE routes exceptions from EL0 to EL2. */
	if (c->el == 0 && cpu_has_el2(c) && (c->sys.hcr_el2 & HCR_TGE))
		return 2;
	return 1;
}

/* The part of exception entry common to every kind (D1.10 "Exception
 * entry"): SPSR, ELR, PSTATE, PC at entry kind of the vector group
 * (0 synchronous, 1 IRQ, 2 FIQ). Returns the vector. */
static uint64_t exc_enter(struct cpu *c, unsigned target_el, unsigned kind,
			  uint64_t ret)
{
	struct sysregs *s = &c->sys;
	uint64_t spsr = cpu_pstate_to_spsr(c);
	uint64_t vbar, off;

	/* D1.10.2 "Exception vectors": offset by where the exception comes
	 * from: current EL with SP_EL0, current EL with SP_ELx, lower EL
	 * using AArch64; then 0x80 per kind within the group. */
	if (target_el == c->el)
		off = c->spsel ? 0x200 : 0x000;
	else
		off = 0x400;
	off += kind * 0x80;

	if (target_el == 2) {
		s->elr_el2 = ret;
		s->spsr_el2 = spsr;
		vbar = s->vbar_el2;
	} else {
		s->elr_el1 = ret;
		s->spsr_el1 = spsr;
		vbar = s->vbar_el1;
	}
	c->el = target_el;
	c->spsel = 1;
	c->daif = 0x3c0;          /* D, A, I, F all masked on entry */
	c->pstate_il = false;
	/* PSTATE.SS is cleared on entry, its value kept in SPSR.SS (DDI
	 * 0487 K.a, D2 "Software Step exceptions": "Entering the
	 * active-not-pending state" and exception entry). */
	c->pstate_ss = false;
	c->ss_stepped = false;
	c->pstate_gen++;
	/* Whether exception entry clears the local monitor is IMPLEMENTATION
	 * DEFINED (B2.9.5); clearing it is the conservative choice. */
	if (c->excl_valid)
		mem_clrex(c);
	cpu_ctx_changed(c);
	c->pc = (vbar & ~0x7ffull) + off;
	/* Exception entry is a context synchronisation event. */
	memsys_ctx_sync(c->plat->mem, c);
	return c->pc;
}

void exc_take(struct cpu *c, unsigned target_el, unsigned ec, uint32_t iss,
	      uint64_t far, bool far_valid, uint64_t ret)
{
	uint64_t esr = ((uint64_t)ec << 26) | ESR_IL | (iss & 0x1ffffff);
	uint64_t from = c->pc;
	unsigned from_el = c->el;

	if (target_el == 2 && !cpu_has_el2(c))
		target_el = 1;   /* cannot happen: callers check */
	if (target_el < c->el)
		target_el = c->el;
	if (target_el == 2) {
		c->sys.esr_el2 = esr;
		if (far_valid)
			c->sys.far_el2 = far;
	} else {
		c->sys.esr_el1 = esr;
		if (far_valid)
			c->sys.far_el1 = far;
	}
	exc_enter(c, target_el, 0, ret);
	if (c->plat) {
		if (c->plat->trace)
			trace_entry(c, ec, esr, far, far_valid, from_el, from,
				    c->pc);
		c->plat->ops->exception_taken(c, ec, esr, from, c->pc);
	}
}

/* Physical IRQ and FIQ (D1 "Asynchronous exception types, routing,
 * masking and priorities", without EL3): routed to EL2 when EL2 is
 * implemented and HCR_EL2.IMO (FMO) or TGE is set, else to EL1. Not taken
 * when that EL is below the current one; taken whatever PSTATE.I (F)
 * says when it is above (EL2 from EL1 or EL0); else masked by PSTATE.I
 * (F). Virtual interrupts (HCR_EL2.VI, VF) are not implemented. */
static bool async_target(const struct cpu *c, bool fiq, unsigned *tel)
{
	uint64_t hcr = c->sys.hcr_el2;
	uint64_t route = fiq ? HCR_FMO : HCR_IMO;
	uint32_t mask = fiq ? 1u << 6 : 1u << 7;

	*tel = cpu_has_el2(c) && (hcr & (route | HCR_TGE)) ? 2 : 1;
	if (*tel < c->el)
		return false;
	if (*tel == 2 && c->el < 2)
		return true;
	return !(c->daif & mask);
}

void cpu_irq_poll(struct cpu *c)
{
	unsigned tel;
	bool fiq;

	c->irq_poll = false;
	/* FIQ first: the order among pending asynchronous exceptions is
	 * not architected (same section); a fixed one keeps runs deterministic. */
	if (c->fiq_line && async_target(c, true, &tel))
		fiq = true;
	else if (c->irq_line && async_target(c, false, &tel))
		fiq = false;
	else
		return;
	{
		uint64_t from = c->pc;
		unsigned from_el = c->el;

		/* The preferred return address is the next instruction. */
		exc_enter(c, tel, fiq ? 2 : 1, c->pc);
		if (c->plat && c->plat->trace)
			fprintf(stderr, "pe%d EL%u %s EL%u->EL%u pc %016" PRIx64
				" -> vector %016" PRIx64 "\n", c->id, from_el,
				fiq ? "FIQ" : "IRQ", from_el, c->el, from,
				c->pc);
	}
}

void exc_undef(struct cpu *c)
{
	exc_take(c, exc_target_el(c), EC_UNKNOWN, 0, 0, false, c->pc);
}

void cpu_undef(struct cpu *c, uint32_t insn)
{
	(void)insn;
	exc_undef(c);
}

/* ISS for a trapped MSR/MRS/SYS (D17.2.37, EC 0x18): Op0, Op2, Op1, CRn,
 * Rt, CRm, Direction (1 = read). */
void exc_sysreg_trap(struct cpu *c, uint32_t insn, unsigned target_el)
{
	unsigned op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7;
	unsigned crn = (insn >> 12) & 15, crm = (insn >> 8) & 15;
	unsigned op2 = (insn >> 5) & 7, rt = insn & 31, rd = (insn >> 21) & 1;
	uint32_t iss = (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) |
		       (rt << 5) | (crm << 1) | rd;

	exc_take(c, target_el, EC_SYSREG, iss, 0, false, c->pc);
}

/* The instruction syndrome of a data abort (D17.2.37, ISV = 1: SAS,
 * SSE, SRT, SF, AR) for the single general-purpose register loads and
 * stores without writeback: LDR/STR (immediate, unsigned offset;
 * unscaled; register offset), LDTR/STTR, LDAR/STLR; 0 (ISV = 0) for any
 * other instruction or when the word at PC is not at hand (the TLB
 * entry that fetched it was replaced). A hypervisor emulating MMIO reads
 * it, as on hardware and QEMU. */
static uint32_t data_abort_isv(struct cpu *c)
{
	const struct tlb_entry *e = &c->tlb->e[tlb_index(c->pc)];
	unsigned size, opc, rt;
	bool ar = false, sse, sf;
	uint32_t w;

	if (e->vpage != (c->pc & ~0xfffull) || !e->host)
		return 0;
	memcpy(&w, e->host + (c->pc & 0xffc), 4);
	size = w >> 30;
	rt = w & 31;
	if ((w & 0x3f400000u) == 0x08400000u ||
	    (w & 0x3f400000u) == 0x08000000u) {
		/* LDAR/STLR (o2 = 1, o1 = 0, o0 = 1, Rs = Rt2 = 31) */
		if ((w & 0x00bffc00u) != 0x009ffc00u)
			return 0;
		ar = true;
		opc = (w >> 22) & 1;
	} else if ((w & 0x3b000000u) == 0x39000000u) {
		opc = (w >> 22) & 3;            /* unsigned offset */
	} else if ((w & 0x3b200000u) == 0x38000000u &&
		   ((w >> 10) & 3) != 1 && ((w >> 10) & 3) != 3) {
		opc = (w >> 22) & 3;            /* unscaled, unprivileged */
	} else if ((w & 0x3b200c00u) == 0x38200800u) {
		opc = (w >> 22) & 3;            /* register offset */
	} else {
		return 0;
	}
	if ((w >> 26) & 1)                      /* SIMD&FP registers */
		return 0;
	if (opc >= 2 && (size == 3 || (size == 2 && opc == 3)))
		return 0;                       /* PRFM, unallocated */
	sse = opc >= 2;
	sf = opc == 2 || size == 3;
	return 1u << 24 | size << 22 | (uint32_t)sse << 21 | rt << 16 |
	       (uint32_t)sf << 15 | (uint32_t)ar << 14;
}

/* A stage 2 fault (Arm ARM DDI 0487 K.a D8 "Stage 2 translation",
 * D17.2.37 ESR_EL2 for EC 0x20/0x24: S1PTW is ISS bit 7): taken to EL2
 * from the lower EL, FAR_EL2 the VA, HPFAR_EL2.FIPA (bits 43:4) the
 * faulting IPA's bits 51:12; a data abort not on the stage 1 walk with
 * its instruction syndrome where data_abort_isv gives one. */
static bool s2_abort(struct cpu *c, uint64_t va, unsigned fsc, uint32_t iss,
		     bool insn)
{
	struct s2_fault f;

	if (c->el == 2 || !mmu_take_s2_fault(c, va, fsc, &f))
		return false;
	if (f.s1ptw)
		iss |= 1u << 7;
	else if (!insn && !(iss & (1u << 8)))   /* not a CMO (CM) */
		iss |= data_abort_isv(c);
	c->sys.hpfar_el2 = (f.ipa >> 12) << 4;
	exc_take(c, 2, insn ? EC_IABT_LOWER : EC_DABT_LOWER, iss, va, true,
		 c->pc);
	return true;
}

/* Data abort (D17.2.37 "ISS encoding for an exception from a Data
 * Abort"). ISV is 0, as QEMU reports for stage 1 aborts. CM marks cache
 * maintenance (which also reports WnR = 1). */
void exc_data_abort(struct cpu *c, uint64_t va, unsigned fsc, bool wnr,
		    bool cm)
{
	unsigned t = exc_target_el(c);
	unsigned ec = t == c->el ? EC_DABT_CUR : EC_DABT_LOWER;
	uint32_t iss = (fsc & 0x3f) | ((wnr || cm) ? 1u << 6 : 0) |
		       (cm ? 1u << 8 : 0);

	if (s2_abort(c, va, fsc, iss, false))
		return;
	exc_take(c, t, ec, iss, va, true, c->pc);
}

void exc_insn_abort(struct cpu *c, uint64_t va, unsigned fsc)
{
	unsigned t = exc_target_el(c);
	unsigned ec = t == c->el ? EC_IABT_CUR : EC_IABT_LOWER;

	if (s2_abort(c, va, fsc, fsc & 0x3f, true))
		return;
	exc_take(c, t, ec, fsc & 0x3f, va, true, c->pc);
}

void exc_pc_align(struct cpu *c)
{
	exc_take(c, exc_target_el(c), EC_PC_ALIGN, 0, c->pc, true, c->pc);
}

/* D1.11.4 "Illegal return events": the instruction after an illegal
 * exception return takes an Illegal Execution state exception. */
void exc_illegal_state(struct cpu *c)
{
	exc_take(c, exc_target_el(c), EC_ILLEGAL, 0, 0, false, c->pc);
}

/* PSCI through HVC/SMC: the machine plays the firmware (QEMU virt does
 * the same). Returns true when the call was handled. */
static bool try_psci(struct cpu *c, bool smc)
{
	return c->plat && c->plat->ops->firmware_call(c, smc);
}

void exec_exception_gen(struct cpu *c, uint32_t insn)
{
	unsigned opc = (insn >> 21) & 7, op2 = (insn >> 2) & 7, ll = insn & 3;
	uint32_t imm16 = (insn >> 5) & 0xffff;

	if (op2 != 0)
		goto undef;
	switch (opc << 2 | ll) {
	case 0x01:   /* SVC */
		/* An SVC, HVC or SMC that generates its exception has been
		 * stepped (the pseudocode's SSAdvance() before it). */
		dbg_ss_advance(c);
		exc_take(c, exc_target_el(c), EC_SVC, imm16, 0, false,
			 c->pc + 4);
		return;
	case 0x02:   /* HVC: UNDEFINED at EL0 and when EL2 is absent */
		if (c->el == 0)
			goto undef;
		if (!cpu_has_el2(c)) {
			/* QEMU virt without virtualization: PSCI over HVC. */
			if (try_psci(c, false)) {
				c->pc += 4;
				return;
			}
			goto undef;
		}
		dbg_ss_advance(c);
		exc_take(c, 2, EC_HVC, imm16, 0, false, c->pc + 4);
		return;
	case 0x03:   /* SMC: EL3 is not implemented */
		if (c->el == 0)
			goto undef;
		if (c->el == 1 && cpu_has_el2(c) &&
		    (c->sys.hcr_el2 & HCR_TSC)) {
			/* Trapped SMC: ELR is the SMC itself (D1.10.1). */
			exc_take(c, 2, EC_SMC, imm16, 0, false, c->pc);
			return;
		}
		if (try_psci(c, true)) {
			c->pc += 4;
			return;
		}
		goto undef;
	case 0x04:   /* BRK */
		exc_take(c, exc_target_el(c), EC_BRK, imm16, 0, false, c->pc);
		return;
	default:     /* HLT (no halting debug, no semihosting), DCPSn */
		goto undef;
	}
undef:
	exc_undef(c);
}

/* D1.11 "Exception return": restore PSTATE from SPSR_ELx, PC from
 * ELR_ELx. An SPSR that names AArch32, a higher or unimplemented EL, or
 * EL0 with SP_ELx is an illegal return: PSTATE.IL is set, EL and SP stay,
 * and the next instruction takes an Illegal Execution state exception. */
void exec_eret(struct cpu *c)
{
	struct sysregs *s = &c->sys;
	uint64_t spsr, elr;
	unsigned m4, tel, from_el = c->el;
	bool illegal = false, ss;

	if (c->el == 0) {
		exc_undef(c);
		return;
	}
	spsr = c->el == 2 ? s->spsr_el2 : s->spsr_el1;
	elr = c->el == 2 ? s->elr_el2 : s->elr_el1;
	m4 = spsr & 0x1f;
	tel = (m4 >> 2) & 3;

	if (m4 & 0x10)
		illegal = true;                 /* AArch32 not implemented */
	else if (tel > c->el || tel == 3)
		illegal = true;
	else if (tel == 2 && !cpu_has_el2(c))
		illegal = true;
	else if ((m4 & 2) || (tel == 0 && (m4 & 1)))
		illegal = true;                 /* reserved M[3:0] values */
	else if (tel == 1 && c->el == 2 && (s->hcr_el2 & HCR_TGE))
		illegal = true;

	/* PSTATE.SS from SPSR.SS only when step was disabled here and is
	 * enabled at the destination (DebugExceptionReturnSS()). */
	ss = dbg_eret_ss(c, spsr, illegal ? c->el : tel);
	c->nzcv = spsr & 0xf0000000u;
	c->daif = spsr & 0x3c0u;
	c->pstate_ss = ss;
	c->ss_stepped = false;
	c->pstate_gen++;
	if (illegal) {
		c->pstate_il = true;
	} else {
		c->el = tel;
		c->spsel = m4 & 1;
		c->pstate_il = (spsr >> 20) & 1;
	}
	if (c->excl_valid)
		mem_clrex(c);
	/* An exception return sets the event register (D1.6.1 "The Event
	 * Register"): a WFE right after it does not wait. */
	c->event = true;
	/* The handler returned: whatever exception comes next is not a
	 * repeat of the last one on its own vector. */
	c->exc_repeats = 0;
	c->exc_vector = ~0ull;
	cpu_ctx_changed(c);
	cpu_irq_recheck(c);
	c->pc = elr;
	/* So is exception return. */
	memsys_ctx_sync(c->plat->mem, c);
	if (c->plat && c->plat->trace)
		fprintf(stderr, "pe%d EL%u eret%s -> EL%u pc %016" PRIx64 "\n",
			c->id, from_el, illegal ? " (illegal return)" : "", c->el, elr);
}

/* D1.12 / CPACR_EL1.FPEN, CPTR_EL2.TFP: FP/SIMD access traps. The ISS is
 * CV = 1, COND = 0b1110, as QEMU reports for A64 instructions. */
bool cpu_fp_check(struct cpu *c, uint32_t insn)
{
	unsigned fpen = (c->sys.cpacr_el1 >> 20) & 3;
	const uint32_t iss = (1u << 24) | (0xeu << 20);

	(void)insn;
	if (c->el == 0 && fpen != 3) {
		exc_take(c, exc_target_el(c), EC_FP, iss, 0, false, c->pc);
		return false;
	}
	if (c->el == 1 && (fpen == 0 || fpen == 2)) {
		exc_take(c, 1, EC_FP, iss, 0, false, c->pc);
		return false;
	}
	if (cpu_has_el2(c) && (c->sys.cptr_el2 & (1u << 10))) {
		exc_take(c, 2, EC_FP, iss, 0, false, c->pc);
		return false;
	}
	return true;
}
