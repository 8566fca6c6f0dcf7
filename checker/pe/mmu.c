/* Stage 1 translation, 4 KiB granule (Arm ARM D8.2 "Translation process",
 * D8.3 "Translation table descriptor formats", D8.4 "Memory access
 * control"), for the EL1&0 regime (TTBR0/TTBR1) and the EL2 regime
 * (TTBR0_EL2, no EL0, no ASID). Descriptors are read through
 * memsys_access(MK_WALK) so that the cache model sees every walk. */
#include "pe/mmu.h"

#include <string.h>

#include "arch/desc.h"
#include "pe/exception.h"
#include "board/machine.h"

static const unsigned pa_bits_of[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };

uint16_t mmu_cur_asid(struct cpu *c)
{
	uint64_t tcr = c->sys.tcr_el1;
	uint64_t ttbr = (tcr & (1ull << 22)) ? c->sys.ttbr1_el1
					      : c->sys.ttbr0_el1;  /* A1 */
	uint16_t asid = ttbr >> 48;

	return (tcr & (1ull << 36)) ? asid : (asid & 0xff);          /* AS */
}

/* IRGN/ORGN encodings to a MAIR nibble: NC, WB-WA, WT, WB-noWA. */
static const uint8_t rgn_nibble[4] = { 0x4, 0xf, 0xa, 0xe };

/* Attributes of an access with stage 1 disabled (D8.2.11 "The effects of
 * disabling an address translation stage"): data accesses are
 * Device-nGnRnE, instruction fetches Normal (write-through if SCTLR.I,
 * else non-cacheable), both Outer Shareable; with HCR_EL2.DC the EL1&0
 * data accesses are Normal write-back Non-shareable instead. */
static struct memattr flat_attr(struct cpu *c, enum regime r, bool exec)
{
	uint64_t sctlr = r == REGIME_EL2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;

	if (r == REGIME_EL10 && cpu_has_el2(c) && (c->sys.hcr_el2 & HCR_DC))
		return (struct memattr){ MAIR_NORMAL_WB, SH_NSH, 0 };
	if (exec)
		return (struct memattr){ (sctlr & SCTLR_I) ? MAIR_NORMAL_WT
							   : MAIR_NORMAL_NC,
					 SH_OSH, 0 };
	return (struct memattr){ MAIR_DEVICE_nGnRnE, SH_OSH, 0 };
}

static bool fault(struct translation *t, unsigned fsc)
{
	t->fsc = fsc;
	return false;
}

bool mmu_walk(struct cpu *c, enum regime r, uint64_t va, enum mmu_acc acc,
	      unsigned el_perm, struct translation *t)
{
	struct sysregs *s = &c->sys;
	uint64_t sctlr = r == REGIME_EL2 ? s->sctlr_el2 : s->sctlr_el1;
	uint64_t tcr, ttbr, mair, base, desc = 0;
	unsigned tsz, vabits, pabits, level, start, irgn, orgn, sh;
	struct ttw_geom g;
	unsigned ap_table = 0, xn_table = 0, pxn_table = 0;
	bool top = false, epd, tbi;
	struct memattr walk_attr;
	struct machine *m = c->m;

	memset(t, 0, sizeof(*t));
	if (!(sctlr & SCTLR_M)) {
		/* Flat: VA = PA; addresses above the PA size fault. */
		if (va >> PA_BITS)
			return fault(t, FSC_ADDR_SIZE(0));
		t->pa = va;
		t->attr = flat_attr(c, r, acc == MMU_EXEC);
		t->perm = PERM_R0 | PERM_W0 | PERM_X0 | PERM_R1 | PERM_W1 |
			  PERM_X1;
		t->level = 3;
		t->bmask = 0xfff;
		return true;
	}

	if (r == REGIME_EL2) {
		tcr = s->tcr_el2;
		ttbr = s->ttbr0_el2;
		mair = s->mair_el2;
		tsz = tcr & 0x3f;
		epd = false;
		tbi = (tcr >> 20) & 1;
		irgn = (tcr >> 8) & 3;
		orgn = (tcr >> 10) & 3;
		sh = (tcr >> 12) & 3;
		pabits = pa_bits_of[(tcr >> 16) & 7];
		if (tbi && acc != MMU_EXEC)
			va &= 0x00ffffffffffffffull;
	} else {
		tcr = s->tcr_el1;
		mair = s->mair_el1;
		top = (va >> 55) & 1;
		tbi = (tcr >> (top ? 38 : 37)) & 1;
		if (tbi && acc != MMU_EXEC)   /* D8.8 "Address tagging" */
			va = top ? (va | 0xff00000000000000ull)
				 : (va & 0x00ffffffffffffffull);
		ttbr = top ? s->ttbr1_el1 : s->ttbr0_el1;
		tsz = (tcr >> (top ? 16 : 0)) & 0x3f;
		epd = (tcr >> (top ? 23 : 7)) & 1;
		irgn = (tcr >> (top ? 24 : 8)) & 3;
		orgn = (tcr >> (top ? 26 : 10)) & 3;
		sh = (tcr >> (top ? 28 : 12)) & 3;
		pabits = pa_bits_of[(tcr >> 32) & 7];
	}
	if (pabits > PA_BITS)
		pabits = PA_BITS;
	g = ttw_geometry(tsz);
	vabits = g.vabits;

	/* The VA must be inside the range of the selected TTBR. */
	if (top ? (~va >> vabits) != 0 : (va >> vabits) != 0)
		return fault(t, FSC_TRANSLATION(0));
	if (epd)
		return fault(t, FSC_TRANSLATION(0));

	/* Walks are cacheable iff TCR says so and SCTLR.C is set. */
	walk_attr.mair = (sctlr & SCTLR_C)
		? (uint8_t)(rgn_nibble[orgn] << 4 | rgn_nibble[irgn])
		: MAIR_NORMAL_NC;
	walk_attr.sh = sh;
	walk_attr.s1 = 1;

	start = g.start;
	base = ttbr & g.base_mask;
	if (base >> pabits)
		return fault(t, FSC_ADDR_SIZE(0));

	for (level = start;; level++) {
		unsigned shift = desc_shift(level);
		uint64_t idx = (va >> shift) & 0x1ff, dpa;

		if (level == start)
			idx = (va >> shift) & (g.nent - 1);
		dpa = base + idx * 8;
		if (memsys_access(m, c, dpa, 8, MK_WALK, walk_attr, &desc)
		    != MEM_OK) {
			t->walk_fault = true;
			return fault(t, FSC_EXT_WALK(level));
		}
		switch (desc_kind(desc, level)) {
		case DK_INVALID:
		case DK_RESERVED:
			return fault(t, FSC_TRANSLATION(level));
		case DK_TABLE:
			/* Hierarchical attributes. */
			base = desc & DESC_OA_MASK;
			if (base >> pabits)
				return fault(t, FSC_ADDR_SIZE(level));
			ap_table |= DESC_GET_APTABLE(desc);
			xn_table |= !!(desc & DESC_XNTABLE);
			pxn_table |= !!(desc & DESC_PXNTABLE);
			continue;
		case DK_LEAF:
			break;
		}
		break;
	}

	{
		uint64_t bmask = (1ull << desc_shift(level)) - 1;
		uint64_t oa = desc & DESC_OA_MASK & ~bmask;
		unsigned ap = DESC_GET_AP(desc), attridx = DESC_GET_ATTRIDX(desc);
		bool ro, el0, w0, w1, xn0, xn1;

		if (oa >> pabits)
			return fault(t, FSC_ADDR_SIZE(level));
		if (!(desc & DESC_AF))
			return fault(t, FSC_ACCESS(level));

		t->pa = oa | (va & bmask);
		t->attr.mair = mair >> (8 * attridx);
		t->attr.sh = DESC_GET_SH(desc);
		t->attr.s1 = 1;
		/* Device and Normal non-cacheable are Outer Shareable. */
		if (memattr_is_device(t->attr) || t->attr.mair == 0x44)
			t->attr.sh = SH_OSH;

		/* D8.4.1 "Data access permissions", D8.4.2 "Instruction
		 * access permissions": AP[2] read-only, AP[1] EL0 access;
		 * APTable[1] removes write, APTable[0] EL0 access. */
		ro = (ap & 2) || (ap_table & 2);
		if (r == REGIME_EL2) {
			el0 = false;
			xn1 = (desc & DESC_UXN) || xn_table;
			xn0 = true;
		} else {
			el0 = (ap & 1) && !(ap_table & 1);
			xn0 = (desc & DESC_UXN) || xn_table;
			xn1 = (desc & DESC_PXN) || pxn_table;
		}
		w1 = !ro;
		w0 = el0 && !ro;
		/* Memory writable at EL0 is never executable at EL1. */
		if (w0)
			xn1 = true;
		if (sctlr & SCTLR_WXN) {
			xn1 = xn1 || w1;
			xn0 = xn0 || w0;
		}
		/* Instruction fetches from Device memory fault (D8.4.2). */
		if (memattr_is_device(t->attr))
			xn0 = xn1 = true;
		t->perm = PERM_R1 | (w1 ? PERM_W1 : 0) | (xn1 ? 0 : PERM_X1) |
			  (el0 ? PERM_R0 : 0) | (w0 ? PERM_W0 : 0) |
			  (xn0 ? 0 : PERM_X0);
		(void)el_perm;
		/* Non-global (nG) entries are tagged with the ASID. */
		t->fsc = 0;
		t->walk_fault = false;
		t->level = level;
		t->ng = r == REGIME_EL10 && (desc & DESC_NG);
		t->bmask = bmask;
	}
	return true;
}

static unsigned perm_need(enum mmu_acc acc, unsigned el_perm)
{
	unsigned bit = acc == MMU_READ ? PERM_R0 :
		       acc == MMU_WRITE ? PERM_W0 : PERM_X0;

	return el_perm ? bit << 3 : bit;
}

bool mmu_translate(struct cpu *c, uint64_t va, enum mmu_acc acc,
		   unsigned el_perm, struct translation *t)
{
	enum regime r = c->el == 2 ? REGIME_EL2 : REGIME_EL10;
	struct tlb_entry *e = &c->sys.tlb->e[tlb_index(va)];
	uint64_t vpage = va & ~0xfffull;

	uint64_t sctlr = r == REGIME_EL2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;
	bool flat = !(sctlr & SCTLR_M);

	if (r == REGIME_EL2)
		el_perm = 2;
	/* With stage 1 off the TLB is not consulted at all (Arm ARM D8.2.11):
	 * an entry of the other kind is a miss, whatever it holds. */
	if (!(e->vpage == vpage && e->regime == r && e->flat == flat &&
	      (e->global || e->asid == c->sys.asid))) {
		struct translation w;

		if (!mmu_walk(c, r, va, acc, el_perm, &w)) {
			*t = w;
			return false;
		}
		e->vpage = vpage;
		e->ppage = w.pa & ~0xfffull;
		e->regime = r;
		e->perm = w.perm;
		e->attr = w.attr;
		e->flat = flat;
		e->global = !w.ng;
		e->asid = w.ng ? c->sys.asid : 0;
		e->blockmask = w.bmask;
		e->level = w.level;
		e->host = c->m->ram_fast ? machine_ram_ptr(c->m, e->ppage, 4096)
					 : NULL;
	}
	t->pa = e->ppage | (va & 0xfff);
	/* Flat entries serve fetches (Normal) and data (Device) alike. */
	t->attr = e->flat ? flat_attr(c, r, acc == MMU_EXEC) : e->attr;
	t->host = e->host;
	t->perm = e->perm;
	t->walk_fault = false;
	if (!(e->perm & perm_need(acc, el_perm))) {
		t->fsc = FSC_PERMISSION(e->level);
		return false;
	}
	t->fsc = 0;
	return true;
}

/* ---- TLB maintenance ---- */

static void tlb_entry_kill(struct tlb_entry *e)
{
	e->vpage = ~0ull;
	e->host = NULL;
}

void tlb_flush_all(struct cpu *c)
{
	for (unsigned i = 0; i < TLB_SIZE; i++)
		tlb_entry_kill(&c->sys.tlb->e[i]);
	sysreg_ctx_changed(&c->sys);
}

void tlb_invalidate(struct cpu *c, enum regime r, enum tlbi_scope s,
		    uint64_t va, uint16_t asid, bool last_level_only)
{
	/* Only leaf translations are cached, so the last-level forms
	 * (VALE, VAALE) invalidate the same entries as VAE, VAAE. */
	(void)last_level_only;
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->sys.tlb->e[i];
		bool hit;

		if (e->vpage == ~0ull || e->regime != r)
			continue;
		switch (s) {
		case TLBI_ALL:
			hit = true;
			break;
		case TLBI_ASID:
			hit = !e->global && e->asid == asid;
			break;
		case TLBI_VA:
			hit = ((va ^ e->vpage) & ~e->blockmask) == 0 &&
			      (e->global || e->asid == asid);
			break;
		default: /* TLBI_VAA */
			hit = ((va ^ e->vpage) & ~e->blockmask) == 0;
			break;
		}
		if (hit || e->flat)
			tlb_entry_kill(e);
	}
	sysreg_ctx_changed(&c->sys);
}

void tlb_drop_flat(struct cpu *c, enum regime r)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->sys.tlb->e[i];

		if (e->vpage != ~0ull && e->flat && e->regime == r)
			tlb_entry_kill(e);
	}
	sysreg_ctx_changed(&c->sys);
}
