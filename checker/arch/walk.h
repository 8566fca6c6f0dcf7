/* The one stage 1 table walker, 4 KiB granule (Arm ARM D8.2 "Translation
 * process", D8.3 descriptor formats, D8.4 "Memory access control"):
 * translation and AT (pe/mmu.c), the model's view of a translation under
 * other register values (model/pending.c), the model's allocatability
 * (model/alloc.c, through walk_leaves) and the tests all go through it.
 *
 * It reads no memory itself: descriptors come from the caller's callback,
 * which sees the address of every descriptor the walk reads, in order.
 * The translation entry points are inline because a TLB miss runs them;
 * with a constant callback the compiler inlines that too. */
#ifndef CHECKER_ARCH_WALK_H
#define CHECKER_ARCH_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/desc.h"
#include "arch/regs.h"

/* Fault status codes (ESR_ELx.DFSC/IFSC, Arm ARM D17.2.37). */
#define FSC_ADDR_SIZE(l)   (0x00 + (l))
#define FSC_TRANSLATION(l) (0x04 + (l))
#define FSC_ACCESS(l)      (0x08 + (l))
#define FSC_PERMISSION(l)  (0x0c + (l))
#define FSC_EXT_ABORT      0x10
#define FSC_EXT_WALK(l)    (0x14 + (l))
#define FSC_ALIGNMENT      0x21

/* Permissions of a translation: bits for EL0 and for the privileged EL
 * of the regime (EL1 or EL2). */
#define PERM_R0 0x01
#define PERM_W0 0x02
#define PERM_X0 0x04
#define PERM_R1 0x08
#define PERM_W1 0x10
#define PERM_X1 0x20
#define PERM_ALL 0x3f

enum regime { REGIME_EL10 = 0, REGIME_EL2 = 1 };

/* What an access asks of a translation. */
enum mmu_acc { MMU_READ, MMU_WRITE, MMU_EXEC };

/* What a TLBI removes (Arm ARM D8.13 "TLB maintenance instructions"). */
enum tlbi_scope {
	TLBI_ALL,         /* every entry of the regime */
	TLBI_ASID,        /* non-global entries with the ASID */
	TLBI_VA,          /* entries for VA with the ASID, and global ones */
	TLBI_VAA,         /* entries for VA, any ASID */
	/* Stage 2 (EL1&0 regime; the ASID argument carries the VMID): */
	TLBI_IPAS2,       /* IPAS2E1: stage 2 entries for the IPA */
	TLBI_VMALLS12,    /* VMALLS12E1: both stages, one VMID */
	TLBI_ALLS12,      /* ALLE1: both stages, every VMID */
};

/* Reads the descriptor at pa for a walk whose own accesses have the
 * attributes (mair, sh); false is an external abort on the walk. */
typedef bool (*walk_read_fn)(void *ctx, uint64_t pa, uint8_t mair,
			     uint8_t sh, uint64_t *desc);

/* One table tree: a TTBR and the TxSZ, output size and VA half that go
 * with it (top: the TTBR1 half, VAs whose upper bits are all ones); s2:
 * a stage 2 tree (VTTBR_EL2, VTCR_EL2.T0SZ and SL0), whose start level
 * SL0 gives. */
struct walk_tree {
	uint64_t ttbr;
	unsigned tsz, pabits;
	bool top, s2;
	unsigned sl0;
};

static inline struct ttw_geom tree_geometry(const struct walk_tree *t)
{
	return t->s2 ? ttw_geometry_s2(t->tsz, t->sl0) : ttw_geometry(t->tsz);
}

/* Where the level-by-level walk of one VA ended. On success (fsc 0) desc
 * is the leaf at level, oa its output address (block or page aligned)
 * and bmask its size - 1; the table attributes are those accumulated on
 * the way. nread descriptors were read, at read_pa[]. */
struct walk_leaf {
	uint64_t desc, oa, bmask;
	unsigned level, fsc;
	bool walk_fault;                /* the read itself aborted */
	unsigned ap_table, xn_table, pxn_table;
	unsigned nread;
	uint64_t read_pa[4];
};

static inline bool walk_fail(struct walk_leaf *o, unsigned fsc)
{
	o->fsc = fsc;
	return false;
}

/* Walk va (already tag-adjusted) through tree t; the walk's own reads
 * have attributes (wmair, wsh). */
static inline bool walk_va(const struct walk_tree *t, uint64_t va,
			   uint8_t wmair, uint8_t wsh, walk_read_fn rd,
			   void *ctx, struct walk_leaf *o)
{
	struct ttw_geom g = tree_geometry(t);
	uint64_t base = t->ttbr & g.base_mask, desc = 0;
	unsigned level;

	o->nread = 0;
	o->ap_table = o->xn_table = o->pxn_table = 0;
	o->walk_fault = false;
	o->level = 0;
	/* The VA must be inside the range of the selected TTBR. */
	if (g.bad || (t->top ? (~va >> g.vabits) != 0 : (va >> g.vabits) != 0))
		return walk_fail(o, FSC_TRANSLATION(0));
	if (base >> t->pabits)
		return walk_fail(o, FSC_ADDR_SIZE(0));
	for (level = g.start;; level++) {
		unsigned shift = desc_shift(level);
		uint64_t idx = (va >> shift) &
			       (level == g.start ? g.nent - 1 : 0x1ff);
		uint64_t dpa = base + idx * 8;

		o->level = level;
		o->read_pa[o->nread++] = dpa;
		if (!rd(ctx, dpa, wmair, wsh, &desc)) {
			o->walk_fault = true;
			return walk_fail(o, FSC_EXT_WALK(level));
		}
		switch (desc_kind(desc, level)) {
		case DK_INVALID:
		case DK_RESERVED:
			return walk_fail(o, FSC_TRANSLATION(level));
		case DK_TABLE:
			base = desc & DESC_OA_MASK;
			if (base >> t->pabits)
				return walk_fail(o, FSC_ADDR_SIZE(level));
			o->ap_table |= DESC_GET_APTABLE(desc);
			o->xn_table |= !!(desc & DESC_XNTABLE);
			o->pxn_table |= !!(desc & DESC_PXNTABLE);
			continue;
		case DK_LEAF:
			break;
		}
		break;
	}
	o->desc = desc;
	o->bmask = (1ull << desc_shift(level)) - 1;
	o->oa = desc & DESC_OA_MASK & ~o->bmask;
	if (o->oa >> t->pabits)
		return walk_fail(o, FSC_ADDR_SIZE(level));
	if (!(desc & DESC_AF))
		return walk_fail(o, FSC_ACCESS(level));
	o->fsc = 0;
	return true;
}

/* ---- a whole regime, from its registers ---- */

/* The registers of one regime's stage 1. dc: HCR_EL2.DC applies (EL1&0
 * regime of a PE with EL2). */
struct s1_regs {
	uint64_t sctlr, tcr, ttbr0, ttbr1, mair;
	enum regime regime;
	bool dc;
};

/* A translation's outcome: the output address, the attributes (MAIR
 * byte, shareability; s1 set when stage 1 was on), permissions, fsc 0
 * or the fault, and the walk it took. */
struct s1_result {
	uint64_t pa, bmask;
	uint8_t mair, sh, s1;
	unsigned perm, fsc, level;
	bool walk_fault, ng;
	struct walk_leaf w;
};

static inline bool mair_is_device(uint8_t mair)
{
	return (mair & 0xf0) == 0;
}

/* Attributes of an access with stage 1 disabled (D8.2.11 "The effects of
 * disabling an address translation stage"): data accesses are
 * Device-nGnRnE, instruction fetches Normal (write-through if SCTLR.I,
 * else non-cacheable), both Outer Shareable; with HCR_EL2.DC the EL1&0
 * data accesses are Normal write-back Non-shareable instead. */
static inline void s1_flat_attr(const struct s1_regs *r, bool exec,
				uint8_t *mair, uint8_t *sh)
{
	if (r->regime == REGIME_EL10 && r->dc) {
		*mair = MAIR_NORMAL_WB;
		*sh = SH_NSH;
	} else if (exec) {
		*mair = (r->sctlr & SCTLR_I) ? MAIR_NORMAL_WT : MAIR_NORMAL_NC;
		*sh = SH_OSH;
	} else {
		*mair = MAIR_DEVICE_nGnRnE;
		*sh = SH_OSH;
	}
}

/* Translate va for an access (exec: an instruction fetch, which ignores
 * TBI) in the regime r describes. pa_max: bits of the machine's PAs. */
static inline bool s1_translate(const struct s1_regs *r, uint64_t va,
				bool exec, unsigned pa_max, walk_read_fn rd,
				void *ctx, struct s1_result *t)
{
	static const unsigned pa_bits_of[8] = { 32, 36, 40, 42, 44, 48,
						52, 52 };
	/* IRGN/ORGN encodings to a MAIR nibble: NC, WB-WA, WT, WB-noWA. */
	static const uint8_t rgn_nibble[4] = { 0x4, 0xf, 0xa, 0xe };
	uint64_t tcr = r->tcr, desc;
	unsigned irgn, orgn, sh, ap, ap_table;
	struct walk_tree tree = { 0 };
	bool epd, tbi, ro, el0, w0, w1, xn0, xn1;
	uint8_t wmair;

	*t = (struct s1_result){ 0 };
	/* HCR_EL2.DC: the EL1&0 stage 1 behaves as disabled for every
	 * purpose but reading SCTLR_EL1 (Arm ARM DDI 0487 K.a, HCR_EL2.DC;
	 * D8.2.11 "The effects of disabling an address translation
	 * stage"). */
	if (!(r->sctlr & SCTLR_M) || (r->regime == REGIME_EL10 && r->dc)) {
		/* Flat: VA = PA; addresses above the PA size fault. */
		if (va >> pa_max) {
			t->fsc = FSC_ADDR_SIZE(0);
			return false;
		}
		t->pa = va;
		s1_flat_attr(r, exec, &t->mair, &t->sh);
		t->perm = PERM_ALL;
		t->level = 3;
		t->bmask = 0xfff;
		return true;
	}
	if (r->regime == REGIME_EL2) {
		tree.top = false;
		tree.ttbr = r->ttbr0;
		tree.tsz = tcr & 0x3f;
		epd = false;
		tbi = (tcr >> 20) & 1;
		irgn = (tcr >> 8) & 3;
		orgn = (tcr >> 10) & 3;
		sh = (tcr >> 12) & 3;
		tree.pabits = pa_bits_of[(tcr >> 16) & 7];
		if (tbi && !exec)
			va &= 0x00ffffffffffffffull;
	} else {
		bool top = (va >> 55) & 1;

		tree.top = top;
		tbi = (tcr >> (top ? 38 : 37)) & 1;
		if (tbi && !exec)   /* D8.8 "Address tagging" */
			va = top ? (va | 0xff00000000000000ull)
				 : (va & 0x00ffffffffffffffull);
		tree.ttbr = top ? r->ttbr1 : r->ttbr0;
		tree.tsz = (tcr >> (top ? 16 : 0)) & 0x3f;
		epd = (tcr >> (top ? 23 : 7)) & 1;
		irgn = (tcr >> (top ? 24 : 8)) & 3;
		orgn = (tcr >> (top ? 26 : 10)) & 3;
		sh = (tcr >> (top ? 28 : 12)) & 3;
		tree.pabits = pa_bits_of[(tcr >> 32) & 7];
	}
	if (tree.pabits > pa_max)
		tree.pabits = pa_max;
	/* EPD: no walks through this TTBR (the same fault as a VA outside
	 * its range, which walk_va checks). */
	if (epd) {
		t->fsc = FSC_TRANSLATION(0);
		return false;
	}
	/* Walks are cacheable iff TCR says so and SCTLR.C is set. */
	wmair = (r->sctlr & SCTLR_C)
		? (uint8_t)(rgn_nibble[orgn] << 4 | rgn_nibble[irgn])
		: MAIR_NORMAL_NC;
	if (!walk_va(&tree, va, wmair, sh, rd, ctx, &t->w)) {
		t->fsc = t->w.fsc;
		t->walk_fault = t->w.walk_fault;
		return false;
	}
	desc = t->w.desc;
	ap = DESC_GET_AP(desc);
	ap_table = t->w.ap_table;
	t->pa = t->w.oa | (va & t->w.bmask);
	t->mair = r->mair >> (8 * DESC_GET_ATTRIDX(desc));
	t->sh = DESC_GET_SH(desc);
	t->s1 = 1;
	/* Device and Normal non-cacheable are Outer Shareable. */
	if (mair_is_device(t->mair) || t->mair == MAIR_NORMAL_NC)
		t->sh = SH_OSH;

	/* D8.4.1 "Data access permissions", D8.4.2 "Instruction access
	 * permissions": AP[2] read-only, AP[1] EL0 access; APTable[1]
	 * removes write, APTable[0] EL0 access. */
	ro = (ap & 2) || (ap_table & 2);
	if (r->regime == REGIME_EL2) {
		el0 = false;
		xn1 = (desc & DESC_UXN) || t->w.xn_table;
		xn0 = true;
	} else {
		el0 = (ap & 1) && !(ap_table & 1);
		xn0 = (desc & DESC_UXN) || t->w.xn_table;
		xn1 = (desc & DESC_PXN) || t->w.pxn_table;
	}
	w1 = !ro;
	w0 = el0 && !ro;
	/* Memory writable at EL0 is never executable at EL1. */
	if (w0)
		xn1 = true;
	if (r->sctlr & SCTLR_WXN) {
		xn1 = xn1 || w1;
		xn0 = xn0 || w0;
	}
	/* Instruction fetches from Device memory fault (D8.4.2). */
	if (mair_is_device(t->mair))
		xn0 = xn1 = true;
	t->perm = PERM_R1 | (w1 ? PERM_W1 : 0) | (xn1 ? 0 : PERM_X1) |
		  (el0 ? PERM_R0 : 0) | (w0 ? PERM_W0 : 0) |
		  (xn0 ? 0 : PERM_X0);
	t->level = t->w.level;
	/* Non-global (nG) entries are tagged with the ASID. */
	t->ng = r->regime == REGIME_EL10 && (desc & DESC_NG);
	t->bmask = t->w.bmask;
	return true;
}

/* ---- every leaf of a tree (allocatability) ---- */

/* The table at pa with nent entries, at level, whose first entry maps
 * va: its bytes, or NULL to leave that subtree out (not RAM, or the
 * caller's loop guard). */
typedef const uint8_t *(*walk_table_fn)(void *ctx, uint64_t pa,
					uint64_t nent, unsigned level,
					uint64_t va);
/* A valid leaf (block or page; AF not looked at) mapping [va, va+size),
 * with the XNTable/PXNTable of the tables above it. */
typedef void (*walk_leaf_fn)(void *ctx, uint64_t va, uint64_t size,
			     unsigned level, uint64_t desc, unsigned xn_t,
			     unsigned pxn_t);

/* Every leaf of tree t whose VA range meets [va_lo, va_hi], depth first
 * in VA order. Tables are taken as they are: no output size checks. */
void walk_leaves(const struct walk_tree *t, uint64_t va_lo, uint64_t va_hi,
		 walk_table_fn table, walk_leaf_fn leaf, void *ctx);
/* Descriptors walk_leaves has read since the program started: the tests
 * measure with it how much of the tables the model re-reads. */
extern uint64_t walk_leaves_reads;

#endif
