/* Stage 2 of the EL1&0 regime, 4 KiB granule (Arm ARM DDI 0487 K.a D8
 * "The AArch64 Virtual Memory System Architecture": VTTBR_EL2, VTCR_EL2,
 * D8.3 "Translation table descriptor formats" for the stage 2 block and
 * page attributes, D8.4 "Memory access control" for S2AP and XN, D8.6
 * "Memory region attributes", "Combining the stage 1 and stage 2
 * attributes"), through the one walker (walk.h): the PE's translation
 * (pe/mmu.c), the model's (model/pending.c, alloc.c) and the tests.
 * FEAT_S2FWB is not implemented (ID_AA64MMFR2_EL1.FWB = 0: HCR_EL2.FWB
 * is RES0), nor FEAT_XNX (XN is bit 54 alone). */
#ifndef CHECKER_ARCH_WALK_S2_H
#define CHECKER_ARCH_WALK_S2_H

#include "arch/walk.h"

#define VTCR_T0SZ(v)   ((unsigned)(v) & 0x3f)
#define VTCR_SL0(v)    ((unsigned)((v) >> 6) & 3)
#define VTTBR_VMID(v)  ((unsigned)((v) >> 48) & 0xff)  /* 8-bit VMIDs */

/* Stage 2 descriptor fields. */
#define S2_MEMATTR(d)  ((unsigned)((d) >> 2) & 0xf)
#define S2_AP(d)       ((unsigned)((d) >> 6) & 3)      /* 1: read, 2: write */
#define S2_XN          (1ull << 54)

/* Is stage 2 on for the EL1&0 regime? HCR_EL2.VM, or HCR_EL2.DC, with
 * which the PE behaves as if VM were 1 for every purpose but reading
 * HCR_EL2 (HCR_EL2.DC). */
static inline bool hcr_s2_on(uint64_t hcr)
{
	return (hcr & (HCR_VM | HCR_DC)) != 0;
}

/* The stage 2 tree VTTBR_EL2 and VTCR_EL2 describe (VTCR_EL2.PS caps its
 * output size, as TCR.IPS does stage 1's). */
static inline struct walk_tree s2_tree(uint64_t vttbr, uint64_t vtcr,
				       unsigned pa_max)
{
	static const unsigned pa_bits_of[8] = { 32, 36, 40, 42, 44, 48,
						52, 52 };
	struct walk_tree t = { .ttbr = vttbr, .tsz = VTCR_T0SZ(vtcr),
			       .pabits = pa_bits_of[(vtcr >> 16) & 7],
			       .s2 = true, .sl0 = VTCR_SL0(vtcr) };

	if (t.pabits > pa_max)
		t.pabits = pa_max;
	return t;
}

/* A stage 2 MemAttr[3:0] as a MAIR attribute byte: [3:2] = 0 Device
 * (nGnRnE, nGnRE, nGRE, GRE in [1:0]), else [3:2] outer and [1:0]
 * inner Non-cacheable (1), Write-Through (2), Write-Back (3); inner 0
 * with a Normal outer is reserved and taken as Non-cacheable. */
static inline uint8_t s2_mair(unsigned memattr)
{
	static const uint8_t nib[4] = { 0x4, 0x4, 0xa, 0xf };

	if ((memattr >> 2) == 0)
		return (uint8_t)((memattr & 3) << 2);
	return (uint8_t)(nib[memattr >> 2] << 4 | nib[memattr & 3]);
}

/* A Normal MAIR nibble's cacheability: 0 Non-cacheable, 1 Write-Through,
 * 2 Write-Back (transient or not). */
static inline unsigned nib_kind(unsigned n)
{
	if (n == 0x4 || n == 0)
		return 0;
	return ((n >> 2) & 1) ? 2 : 1;
}

static inline unsigned nib_combine(unsigned n1, unsigned n2)
{
	unsigned k1 = nib_kind(n1), k2 = nib_kind(n2);

	if (k1 <= k2)
		return n1;
	/* The stronger stage 2 type, stage 1's allocation hints. */
	return k2 == 0 ? 0x4 : 0x8 | (n1 & 3);
}

/* Combining the stage 1 and stage 2 attributes (the section of that
 * name, FWB = 0): Device if either is, the more restrictive Device
 * type; else per inner and outer the weaker cacheability (NC below WT
 * below WB); shareability: Outer if either is, else Inner if either is;
 * Device and Non-cacheable results are Outer Shareable. */
static inline void s12_combine(uint8_t m1, uint8_t sh1, uint8_t m2,
			       uint8_t sh2, uint8_t *m, uint8_t *sh)
{
	if (mair_is_device(m1) || mair_is_device(m2)) {
		unsigned d1 = mair_is_device(m1) ? (m1 >> 2) & 3 : 3;
		unsigned d2 = mair_is_device(m2) ? (m2 >> 2) & 3 : 3;

		*m = (uint8_t)((d1 < d2 ? d1 : d2) << 2);
		*sh = SH_OSH;
		return;
	}
	*m = (uint8_t)(nib_combine(m1 >> 4, m2 >> 4) << 4 |
		       nib_combine(m1 & 0xf, m2 & 0xf));
	if (*m == MAIR_NORMAL_NC || sh1 == SH_OSH || sh2 == SH_OSH)
		*sh = SH_OSH;
	else if (sh1 == SH_ISH || sh2 == SH_ISH)
		*sh = SH_ISH;
	else
		*sh = SH_NSH;
}

/* A stage 2 leaf's permissions, for EL0 and EL1 alike (S2AP, XN). */
static inline unsigned s2_perm(uint64_t desc)
{
	unsigned ap = S2_AP(desc), p = 0;

	if (ap & 1)
		p |= PERM_R0 | PERM_R1;
	if (ap & 2)
		p |= PERM_W0 | PERM_W1;
	if (!(desc & S2_XN))
		p |= PERM_X0 | PERM_X1;
	return p;
}

struct s2_result {
	uint64_t pa, bmask;
	uint8_t mair, sh;
	unsigned perm, fsc, level;
	bool walk_fault;
	struct walk_leaf w;
};

/* Translate the IPA through the stage 2 tree t; the walk's own reads
 * have the attributes VTCR_EL2.IRGN0/ORGN0/SH0 give. */
static inline bool s2_translate(const struct walk_tree *t, uint64_t vtcr,
				uint64_t ipa, walk_read_fn rd, void *ctx,
				struct s2_result *o)
{
	static const uint8_t rgn_nibble[4] = { 0x4, 0xf, 0xa, 0xe };
	uint8_t wmair = (uint8_t)(rgn_nibble[(vtcr >> 10) & 3] << 4 |
				  rgn_nibble[(vtcr >> 8) & 3]);
	uint64_t d;

	*o = (struct s2_result){ 0 };
	if (!walk_va(t, ipa, wmair, (uint8_t)((vtcr >> 12) & 3), rd, ctx,
		     &o->w)) {
		o->fsc = o->w.fsc;
		o->level = o->w.level;
		o->walk_fault = o->w.walk_fault;
		return false;
	}
	d = o->w.desc;
	o->pa = o->w.oa | (ipa & o->w.bmask);
	o->bmask = o->w.bmask;
	o->level = o->w.level;
	o->mair = s2_mair(S2_MEMATTR(d));
	o->sh = mair_is_device(o->mair) || o->mair == MAIR_NORMAL_NC
		? SH_OSH : (uint8_t)DESC_GET_SH(d);
	o->perm = s2_perm(d);
	return true;
}

/* ---- both stages ---- */

/* A translation of the EL1&0 regime with stage 2 on. On a fault, s2
 * tells whether stage 2 faulted (then ipa is the IPA that faulted and
 * s1ptw whether that was on stage 1's own walk) and fsc its code. */
struct s12_result {
	struct s1_result s1;    /* pa: the IPA */
	struct s2_result s2;    /* of the output IPA */
	uint64_t pa, bmask, ipa;
	uint8_t mair, sh, s1on;
	unsigned perm, fsc;
	bool s2fault, s1ptw, walk_fault;
};

struct s12_walk {
	const struct walk_tree *t2;
	uint64_t vtcr;
	walk_read_fn rd;
	void *ctx;
	bool fault;
	uint64_t ipa;
	struct s2_result r;
};

/* Stage 1 descriptors are at IPAs: each is translated by stage 2 first
 * (a fault there is a stage 2 fault on the stage 1 walk, S1PTW), and
 * read with the combined attributes. */
static inline bool s12_walk_read(void *ctx, uint64_t ipa, uint8_t mair,
				 uint8_t sh, uint64_t *desc)
{
	struct s12_walk *w = ctx;
	uint8_t m, s;

	if (!s2_translate(w->t2, w->vtcr, ipa, w->rd, w->ctx, &w->r) ||
	    !(w->r.perm & PERM_R1)) {
		if (!w->r.fsc)
			w->r.fsc = FSC_PERMISSION(w->r.level);
		w->fault = true;
		w->ipa = ipa;
		return false;
	}
	s12_combine(mair, sh, w->r.mair, w->r.sh, &m, &s);
	return w->rd(w->ctx, w->r.pa, m, s, desc);
}

/* Stage 1 (r1: stage 1 off, or HCR_EL2.DC, gives the flat attributes)
 * then stage 2 of its output. Permissions are both stages' together; a
 * stage 2 permission fault is the caller's to tell (s2.perm). */
static inline bool s12_translate(const struct s1_regs *r1,
				 const struct walk_tree *t2, uint64_t vtcr,
				 uint64_t va, bool exec, unsigned pa_max,
				 walk_read_fn rd, void *ctx,
				 struct s12_result *o)
{
	struct s12_walk w = { t2, vtcr, rd, ctx, false, 0, { 0 } };
	bool ok = s1_translate(r1, va, exec, pa_max, s12_walk_read, &w,
			       &o->s1);

	o->s2 = (struct s2_result){ 0 };
	o->s2fault = o->s1ptw = false;
	o->walk_fault = false;
	o->s1on = o->s1.s1;
	if (!ok) {
		if (w.fault) {
			o->s2 = w.r;
			o->s2fault = o->s1ptw = true;
			o->ipa = w.ipa;
			o->fsc = w.r.fsc;
			o->walk_fault = w.r.walk_fault;
		} else {
			o->fsc = o->s1.fsc;
			o->walk_fault = o->s1.walk_fault;
		}
		return false;
	}
	o->ipa = o->s1.pa;
	if (!s2_translate(t2, vtcr, o->ipa, rd, ctx, &o->s2)) {
		o->s2fault = true;
		o->fsc = o->s2.fsc;
		o->walk_fault = o->s2.walk_fault;
		return false;
	}
	o->pa = o->s2.pa;
	/* The smaller of the two mappings is what a TLB entry covers. */
	o->bmask = o->s1.bmask < o->s2.bmask ? o->s1.bmask : o->s2.bmask;
	s12_combine(o->s1.mair, o->s1.sh, o->s2.mair, o->s2.sh, &o->mair,
		    &o->sh);
	o->perm = o->s1.perm & o->s2.perm;
	o->fsc = 0;
	return true;
}

#endif
