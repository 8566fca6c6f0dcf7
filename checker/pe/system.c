/* The system instruction space (Arm ARM C5.1 "The A64 system instruction
 * class"): hints, barriers, CLREX, MSR (immediate), SYS (DC, IC, AT,
 * TLBI) and MRS/MSR (register, in sysreg.c). Every cache maintenance
 * instruction goes through memsys_cmo() with its VA, PA and attributes,
 * every barrier through memsys_barrier(). */
#include "arch/bits.h"
#include "pe/exception.h"
#include "mem/memsys.h"
#include "pe/mmu.h"
#include "arch/walk_s2.h"

static uint64_t xt(struct cpu *c, unsigned rt)
{
	return rt == 31 ? 0 : c->x[rt];
}

/* ---- Hints (C6.2.102 HINT): unallocated hints, PAC/BTI (not
 * implemented), ESB, CSDB, PSB... execute as NOP. ---- */
static void exec_hint(struct cpu *c, unsigned hint)
{
	const struct pe_platform *p = c->plat;

	switch (hint) {
	case 2:     /* WFE: consume the event, or wait (yield) */
		if (c->event) {
			c->event = false;
		} else {
			c->wfi = true;
			c->wait_kind = WAIT_WFE;
			c->wait_pc = c->pc;
		}
		break;
	case 3:     /* WFI: no wait while an interrupt is signalled, masked
		     * or not (Arm ARM "Wait for Interrupt") */
		if (c->irq_line || c->fiq_line)
			break;
		c->wfi = true;
		c->wait_kind = WAIT_WFI;
		c->wait_pc = c->pc;
		break;
	case 4:     /* SEV */
		for (unsigned i = 0; p && i < p->npe; i++)
			p->pe[i].event = true;
		break;
	case 5:     /* SEVL */
		c->event = true;
		break;
	default:    /* NOP, YIELD, and every other hint */
		break;
	}
	c->pc += 4;
}

static void exec_barrier(struct cpu *c, uint32_t insn)
{
	unsigned crm = BITS(insn, 11, 8), op2 = BITS(insn, 7, 5);

	switch (op2) {
	case 2:
		mem_clrex(c);
		break;
	case 4:     /* DSB (CRm 0 and 4 are SSBB/PSSBB: no speculation) */
		memsys_barrier(c->plat->mem, c, BAR_DSB, crm);
		break;
	case 5:
		memsys_barrier(c->plat->mem, c, BAR_DMB, crm);
		break;
	case 6:
		memsys_barrier(c->plat->mem, c, BAR_ISB, crm);
		/* Context synchronisation: refetch through the TLB. */
		cpu_ctx_changed(c);
		break;
	case 7:     /* SB: speculation barrier, nothing to do in order */
		break;
	default:
		exc_undef(c);
		return;
	}
	c->pc += 4;
}

/* MSR (immediate) to PSTATE fields (C5.2 "Special-purpose registers"). */
static void exec_msr_imm(struct cpu *c, uint32_t insn)
{
	unsigned op1 = BITS(insn, 18, 16), crm = BITS(insn, 11, 8), op2 = BITS(insn, 7, 5);

	if (op1 == 0 && op2 == 5) {                 /* SPSel */
		if (c->el == 0)
			goto undef;
		c->spsel = crm & 1;
	} else if (op1 == 3 && (op2 == 6 || op2 == 7)) {  /* DAIFSet/Clr */
		if (c->el == 0 && !(c->sys.sctlr_el1 & SCTLR_UMA)) {
			exc_sysreg_trap(c, insn, exc_target_el(c));
			return;
		}
		if (op2 == 6)
			c->daif |= crm << 6;
		else
			c->daif &= ~(crm << 6);
		cpu_irq_recheck(c);
	} else {
		goto undef;   /* PAN, UAO, SSBS, DIT, TCO...: not implemented */
	}
	c->pc += 4;
	return;
undef:
	exc_undef(c);
}

/* ---- DC / IC (C5.3 "A64 system instructions for cache maintenance") ---- */

enum cmo_perm { NEED_NONE, NEED_READ, NEED_WRITE };

/* Translate the VA of a by-VA maintenance instruction. Faults are Data
 * Aborts with CM = 1 (and WnR = 1); only the permission the operation
 * needs is checked. */
static bool cmo_va(struct cpu *c, enum cmo_op op, uint64_t va,
		   enum cmo_perm need)
{
	struct translation t;
	enum mmu_acc acc = need == NEED_WRITE ? MMU_WRITE : MMU_READ;
	struct memattr a;

	if (!mmu_translate(c, va, acc, c->el, &t)) {
		bool perm = t.fsc >= FSC_PERMISSION(0) &&
			    t.fsc <= FSC_PERMISSION(3);

		if (!perm || need != NEED_NONE) {
			exc_data_abort(c, va, t.fsc, true, true);
			return false;
		}
	}
	/* Byte by byte (volatile: the compiler would merge them again):
	 * t.attr passed whole is one wide load over the narrower stores
	 * mmu_translate just made, which the host cannot forward from its
	 * store buffer, a stall as long as the rest of the DC's cost with
	 * the model off. */
	a.mair = *(volatile uint8_t *)&t.attr.mair;
	a.sh = *(volatile uint8_t *)&t.attr.sh;
	a.s1 = *(volatile uint8_t *)&t.attr.s1;
	memsys_cmo(c->plat->mem, c, op, va, t.pa, a);
	return true;
}

/* DC ZVA (C6.2.79): zeros over the 64-byte DCZID block, as stores. */
static bool dc_zva(struct cpu *c, uint64_t va)
{
	struct translation t;

	va &= ~63ull;
	if (!mmu_translate(c, va, MMU_WRITE, c->el, &t)) {
		exc_data_abort(c, va, t.fsc, true, false);
		return false;
	}
	if (memattr_is_device(t.attr)) {
		exc_data_abort(c, va, FSC_ALIGNMENT, true, false);
		return false;
	}
	memsys_cmo(c->plat->mem, c, CMO_DC_ZVA, va, t.pa, t.attr);
	for (unsigned i = 0; i < 64; i += 16)
		if (!mem_write(c, va + i, 16, 0, 0))
			return false;
	return true;
}

/* EL0 access to DC CVAU/CVAC/CIVAC/CVAP and IC IVAU needs SCTLR_EL1.UCI,
 * DC ZVA needs SCTLR_EL1.DZE; otherwise they trap to EL1 (EC 0x18). */
static bool el0_gate(struct cpu *c, uint32_t insn, uint64_t bit)
{
	if (c->el == 0 && !(c->sys.sctlr_el1 & bit)) {
		exc_sysreg_trap(c, insn, exc_target_el(c));
		return false;
	}
	return true;
}

static bool exec_cache(struct cpu *c, uint32_t insn)
{
	unsigned op1 = BITS(insn, 18, 16), crm = BITS(insn, 11, 8), op2 = BITS(insn, 7, 5);
	uint64_t v = xt(c, BITS(insn, 4, 0));
	struct memattr none = { 0, 0, 0 };
	enum cmo_perm el0_read = c->el == 0 ? NEED_READ : NEED_NONE;

	switch (op1 << 7 | crm << 3 | op2) {
	case 0 << 7 | 1 << 3 | 0:                 /* IC IALLUIS */
	case 0 << 7 | 5 << 3 | 0:                 /* IC IALLU */
		if (c->el == 0)
			break;
		memsys_cmo(c->plat->mem, c, crm == 1 ? CMO_IC_IALLUIS : CMO_IC_IALLU,
			   0, 0, none);
		return true;
	case 0 << 7 | 6 << 3 | 1:                 /* DC IVAC */
		if (c->el == 0)
			break;
		return cmo_va(c, CMO_DC_IVAC, v, NEED_WRITE);
	case 0 << 7 | 6 << 3 | 2:                 /* DC ISW */
	case 0 << 7 | 10 << 3 | 2:                /* DC CSW */
	case 0 << 7 | 14 << 3 | 2:                /* DC CISW */
		if (c->el == 0)
			break;
		memsys_cmo(c->plat->mem, c, crm == 6 ? CMO_DC_ISW :
			   crm == 10 ? CMO_DC_CSW : CMO_DC_CISW, v, 0, none);
		return true;
	case 3 << 7 | 4 << 3 | 1:                 /* DC ZVA */
		return el0_gate(c, insn, SCTLR_DZE) && dc_zva(c, v);
	case 3 << 7 | 5 << 3 | 1:                 /* IC IVAU */
		return el0_gate(c, insn, SCTLR_UCI) &&
		       cmo_va(c, CMO_IC_IVAU, v, el0_read);
	case 3 << 7 | 10 << 3 | 1:                /* DC CVAC */
		return el0_gate(c, insn, SCTLR_UCI) &&
		       cmo_va(c, CMO_DC_CVAC, v, el0_read);
	case 3 << 7 | 11 << 3 | 1:                /* DC CVAU */
		return el0_gate(c, insn, SCTLR_UCI) &&
		       cmo_va(c, CMO_DC_CVAU, v, el0_read);
	case 3 << 7 | 12 << 3 | 1:                /* DC CVAP */
		return el0_gate(c, insn, SCTLR_UCI) &&
		       cmo_va(c, CMO_DC_CVAP, v, el0_read);
	case 3 << 7 | 14 << 3 | 1:                /* DC CIVAC */
		return el0_gate(c, insn, SCTLR_UCI) &&
		       cmo_va(c, CMO_DC_CIVAC, v, el0_read);
	}
	exc_undef(c);
	return false;
}

/* ---- AT (C5.5 "A64 system instructions for address translation") ---- */

static bool exec_at(struct cpu *c, uint32_t insn)
{
	unsigned op1 = BITS(insn, 18, 16), op2 = BITS(insn, 7, 5);
	uint64_t va = xt(c, BITS(insn, 4, 0)), par;
	enum regime r = REGIME_EL10;
	unsigned el_perm;
	struct translation t;
	bool ok;

	if (c->el == 0 || (op1 == 4 && c->el < 2) || (op1 != 0 && op1 != 4) ||
	    (op1 == 0 && op2 > 3) || (op1 == 4 && (op2 == 2 || op2 == 3)))
		goto undef;
	if (op1 == 4 && op2 < 2) {
		r = REGIME_EL2;                         /* S1E2R, S1E2W */
		el_perm = 2;
	} else {
		/* S1E1x, S1E0x: stage 1 (the IPA); S12E1x/S12E0x: both
		 * stages when stage 2 is on. */
		el_perm = (op2 & 2) ? 0 : 1;
	}
	ok = mmu_walk_stages(c, r, va, (op2 & 1) ? MMU_WRITE : MMU_READ,
			     !(op1 == 4 && op2 >= 4), &t);
	if (ok) {
		unsigned need = (op2 & 1) ? PERM_W0 : PERM_R0;

		if (el_perm)
			need <<= 3;
		if (!(t.perm & need)) {
			ok = false;
			t.fsc = FSC_PERMISSION(t.level);
		}
	}
	/* PAR_EL1 (D17.2.113): bit 11 RES1; NS = 1 (Non-secure, as QEMU). */
	if (ok)
		par = (t.pa & 0x000000fffffff000ull) | ((uint64_t)t.attr.mair << 56) |
		      ((uint64_t)t.attr.sh << 7) | (1u << 9) | (1u << 11);
	else
		/* PTW: the fault was on a walk (a stage 2 fault on stage 1's
		 * walk is one); S: stage 2 faulted. */
		par = 1 | (t.fsc << 1) |
		      (t.walk_fault || t.s1ptw ? 1u << 8 : 0) |
		      (t.s2fault ? 1u << 9 : 0) | (1u << 11);
	c->sys.par_el1 = par;
	return true;
undef:
	exc_undef(c);
	return false;
}

/* ---- TLBI (C5.5 "A64 system instructions for TLB maintenance") ---- */

static bool exec_tlbi(struct cpu *c, uint32_t insn)
{
	unsigned op1 = BITS(insn, 18, 16), crm = BITS(insn, 11, 8), op2 = BITS(insn, 7, 5);
	uint64_t v = xt(c, BITS(insn, 4, 0));
	/* Xt: VA[55:12] in bits 43:0, sign-extended from VA bit 55. */
	uint64_t va = (uint64_t)((int64_t)(v << 20) >> 8);
	uint16_t asid = v >> 48;
	enum tlbi_scope scope;
	enum regime r;
	bool last = false, bcast = crm == 3;

	if (c->el == 0 || (crm != 3 && crm != 7 && !(op1 == 4 && (crm == 0 || crm == 4))))
		goto undef;
	if (!(c->sys.tcr_el1 & (1ull << 36)))
		asid &= 0xff;
	if (op1 == 0) {
		r = REGIME_EL10;
		switch (op2) {
		case 0: scope = TLBI_ALL; break;              /* VMALLE1 */
		case 1: scope = TLBI_VA; break;               /* VAE1 */
		case 2: scope = TLBI_ASID; break;             /* ASIDE1 */
		case 3: scope = TLBI_VAA; break;              /* VAAE1 */
		case 5: scope = TLBI_VA; last = true; break;  /* VALE1 */
		case 7: scope = TLBI_VAA; last = true; break; /* VAALE1 */
		default: goto undef;
		}
	} else if (op1 == 4) {
		if (c->el < 2)
			goto undef;
		if (crm == 0 || crm == 4) {
			/* IPAS2E1(IS), IPAS2LE1(IS): Xt holds IPA[47:12] in
			 * bits 35:0; stage 2 entries of the current VMID
			 * (D8.13 "TLB maintenance instructions"). */
			if (op2 != 1 && op2 != 5)
				goto undef;
			va = (v & 0xfffffffffull) << 12;
			bcast = crm == 0;
			r = REGIME_EL10;
			scope = TLBI_IPAS2;
			asid = (uint16_t)VTTBR_VMID(c->sys.vttbr_el2);
			for (unsigned i = 0; i < c->plat->npe; i++) {
				struct cpu *o = &c->plat->pe[i];

				if (o == c || bcast)
					tlb_invalidate_ipa(o, va);
			}
			memsys_tlbi(c->plat->mem, c, r, scope, va, asid, bcast);
			c->pc += 4;
			return true;
		}
		switch (op2) {
		case 0: r = REGIME_EL2; scope = TLBI_ALL; break;   /* ALLE2 */
		case 1: r = REGIME_EL2; scope = TLBI_VAA; break;   /* VAE2 */
		case 5: r = REGIME_EL2; scope = TLBI_VAA; last = true; break;
		case 4: r = REGIME_EL10; scope = TLBI_ALLS12; break; /* ALLE1 */
		case 6:                                            /* VMALLS12E1 */
			r = REGIME_EL10;
			scope = TLBI_VMALLS12;
			asid = (uint16_t)VTTBR_VMID(c->sys.vttbr_el2);
			break;
		default: goto undef;
		}
	} else {
		goto undef;
	}
	for (unsigned i = 0; i < c->plat->npe; i++) {
		struct cpu *o = &c->plat->pe[i];

		if (o == c || bcast)
			tlb_invalidate(o, r, scope, va, asid, last);
	}
	memsys_tlbi(c->plat->mem, c, r, scope, va, asid, bcast);
	c->pc += 4;
	return true;
undef:
	exc_undef(c);
	return false;
}

void exec_system(struct cpu *c, uint32_t insn)
{
	unsigned l = BITS(insn, 21, 21), op0 = BITS(insn, 20, 19);
	unsigned op1 = BITS(insn, 18, 16), crn = BITS(insn, 15, 12), rt = BITS(insn, 4, 0);

	if ((insn & 0xffc00000u) != 0xd5000000u)
		goto undef;
	if (op0 >= 2) {
		if (sysreg_access(c, insn))
			c->pc += 4;
		return;
	}
	if (op0 == 0) {
		if (l || rt != 31)
			goto undef;
		if (crn == 2 && op1 == 3) {
			exec_hint(c, BITS(insn, 11, 5));
			return;
		}
		if (crn == 3 && op1 == 3) {
			exec_barrier(c, insn);
			return;
		}
		if (crn == 4) {
			exec_msr_imm(c, insn);
			return;
		}
		goto undef;
	}
	/* op0 == 1: SYS; SYSL has no allocated encodings here. */
	if (l)
		goto undef;
	if (crn == 7) {
		unsigned crm = BITS(insn, 11, 8);

		if (crm == 8) {
			if (exec_at(c, insn))
				c->pc += 4;
			return;
		}
		if (exec_cache(c, insn))
			c->pc += 4;
		return;
	}
	if (crn == 8) {
		exec_tlbi(c, insn);
		return;
	}
undef:
	exc_undef(c);
}
