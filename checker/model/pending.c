/* Effects that are not complete until a barrier (docs/model.md
 * "Barriers and context synchronisation"). The emulator applies every
 * effect at once; each PE records what is still pending so that an
 * access relying on it is reported as missing-barrier:
 *  - DC/IC by VA until a DSB (DDI 0487 K.a, "Ordering and completion of
 *    data and instruction cache instructions"); IC also until an ISB;
 *  - TLBI until a DSB (D8.13 "TLB maintenance instructions": completion);
 *  - writes to SCTLR, TTBR, TCR, MAIR, HCR until a context synchronisation
 *    event: ISB, exception entry or return (DDI 0487 K.a, "Synchronization
 *    requirements for AArch64 System registers"). */
#include "model/model.h"

#include <stdlib.h>

#include "arch/walk.h"
#include "arch/walk_s2.h"

static void read_regs(const struct pe_state *s, uint64_t *v)
{

	v[SN_SCTLR1] = s->sctlr_el1;
	v[SN_SCTLR2] = s->sctlr_el2;
	v[SN_TTBR0_1] = s->ttbr0_el1;
	v[SN_TTBR1_1] = s->ttbr1_el1;
	v[SN_TCR1] = s->tcr_el1;
	v[SN_MAIR1] = s->mair_el1;
	v[SN_TTBR0_2] = s->ttbr0_el2;
	v[SN_TCR2] = s->tcr_el2;
	v[SN_MAIR2] = s->mair_el2;
	v[SN_HCR] = s->hcr_el2;
	v[SN_VTTBR] = s->vttbr_el2;
	v[SN_VTCR] = s->vtcr_el2;
}

void pend_snapshot(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct pe_state s;

	memsys_pe_state(c, &s);
	read_regs(&s, pe->snap);
	pe->snap_el = s.el;
	pe->ctx_reported = false;
}

bool pend_sysreg_differs(struct cachemodel *cm, struct cpu *c)
{
	const struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct pe_state st, *s = &st;

	if (pe->ctx_reported)
		return false;
	memsys_pe_state(c, s);
	return pe->snap[SN_SCTLR1] != s->sctlr_el1 ||
	       pe->snap[SN_SCTLR2] != s->sctlr_el2 ||
	       pe->snap[SN_TTBR0_1] != s->ttbr0_el1 ||
	       pe->snap[SN_TTBR1_1] != s->ttbr1_el1 ||
	       pe->snap[SN_TCR1] != s->tcr_el1 ||
	       pe->snap[SN_MAIR1] != s->mair_el1 ||
	       pe->snap[SN_TTBR0_2] != s->ttbr0_el2 ||
	       pe->snap[SN_TCR2] != s->tcr_el2 ||
	       pe->snap[SN_MAIR2] != s->mair_el2 ||
	       pe->snap[SN_HCR] != s->hcr_el2 ||
	       pe->snap[SN_VTTBR] != s->vttbr_el2 ||
	       pe->snap[SN_VTCR] != s->vtcr_el2;
}

/* The translation of one access as the PE would make it with the
 * registers in v: the data side applies SCTLR.C, the instruction side
 * SCTLR.I (D8.2.11, "SCTLR_ELx.C/I"). */
static bool translate_with(struct cachemodel *cm, struct cpu *c,
			   const struct pe_state *s, const uint64_t *v,
			   uint64_t va, enum mmu_acc acc, struct s1_result *t)
{
	struct memsys_walk w = { cm->ms, c };
	struct s1_regs r;
	bool ok;

	if (s->el == 2) {
		r = (struct s1_regs){ .sctlr = v[SN_SCTLR2], .tcr = v[SN_TCR2],
				      .ttbr0 = v[SN_TTBR0_2],
				      .mair = v[SN_MAIR2],
				      .regime = REGIME_EL2 };
	} else {
		r = (struct s1_regs){ .sctlr = v[SN_SCTLR1], .tcr = v[SN_TCR1],
				      .ttbr0 = v[SN_TTBR0_1],
				      .ttbr1 = v[SN_TTBR1_1],
				      .mair = v[SN_MAIR1],
				      .regime = REGIME_EL10,
				      .dc = s->has_el2 &&
					    (v[SN_HCR] & HCR_DC) };
	}
	/* The model's own walk reads memory as the PE would, without being
	 * modelled (cm->quiet). */
	cm->quiet = true;
	if (s->el < 2 && s->has_el2 && hcr_s2_on(v[SN_HCR])) {
		/* Stage 2 on: both stages, as the PE translates. */
		struct walk_tree t2 = s2_tree(v[SN_VTTBR], v[SN_VTCR], PA_BITS);
		struct s12_result b;

		ok = s12_translate(&r, &t2, v[SN_VTCR], va, acc == MMU_EXEC,
				   PA_BITS, memsys_walk_read, &w, &b);
		*t = b.s1;
		t->fsc = b.fsc;
		if (ok) {
			t->pa = b.pa;
			t->mair = b.mair;
			t->sh = b.sh;
		}
	} else {
		ok = s1_translate(&r, va, acc == MMU_EXEC, PA_BITS,
				  memsys_walk_read, &w, t);
	}
	cm->quiet = false;
	if (ok && t->s1 && !mair_is_device(t->mair) &&
	    !(r.sctlr & (acc == MMU_EXEC ? SCTLR_I : SCTLR_C)))
		t->mair = MAIR_NORMAL_NC;
	return ok;
}

void pend_check_ctx(struct cachemodel *cm, struct cpu *c, uint64_t va,
		    enum mmu_acc acc, enum mem_kind kind)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct s1_result tn, to;
	uint64_t now[SN_N];
	struct pe_state s;
	bool okn, oko;

	memsys_pe_state(c, &s);
	read_regs(&s, now);
	okn = translate_with(cm, c, &s, now, va, acc, &tn);
	oko = translate_with(cm, c, &s, pe->snap, va, acc, &to);
	if (okn == oko && (okn ? tn.pa == to.pa && tn.mair == to.mair &&
				 tn.sh == to.sh
			       : tn.fsc == to.fsc))
		return;
	pe->ctx_reported = true;
	cm_finding(cm, c, F_MISSING_BARRIER, false, va, okn ? tn.pa : 0, 0,
		   kind, okn ? (struct memattr){ tn.mair, tn.sh, tn.s1 }
			     : (struct memattr){ to.mair, to.sh, to.s1 },
		   COPY_NONE, 0,
		   "no ISB (context synchronisation) after a write to SCTLR, "
		   "TTBR, TCR, MAIR or HCR: this access translates "
		   "differently under the old and the new value");
}

/* Ranges of line addresses, merged when adjacent. When full, the last
 * range grows to cover the line (an over-approximation). */
void pend_add(struct prange *r, unsigned *n, uint64_t lpa)
{
	for (unsigned i = *n; i-- > 0;) {
		if (lpa >= r[i].lo && lpa < r[i].hi)
			return;
		if (lpa == r[i].hi) {
			r[i].hi += LINE;
			return;
		}
		if (lpa + LINE == r[i].lo) {
			r[i].lo = lpa;
			return;
		}
	}
	if (*n < MAX_PRANGE) {
		r[*n].lo = lpa;
		r[*n].hi = lpa + LINE;
		(*n)++;
		return;
	}
	if (lpa < r[*n - 1].lo)
		r[*n - 1].lo = lpa;
	else
		r[*n - 1].hi = lpa + LINE;
}

bool pend_has(const struct prange *r, unsigned n, uint64_t lpa)
{
	for (unsigned i = 0; i < n; i++)
		if (lpa >= r[i].lo && lpa < r[i].hi)
			return true;
	return false;
}

void pend_tlbi(struct cachemodel *cm, struct cpu *c, enum regime r,
	       enum tlbi_scope s, uint64_t va, uint16_t asid, bool bcast)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	if (!pe->nptlbi)
		cm->ntlbi++;
	if (pe->nptlbi == pe->capptlbi) {
		pe->capptlbi = pe->capptlbi ? pe->capptlbi * 2 : 16;
		pe->ptlbi = realloc(pe->ptlbi, pe->capptlbi * sizeof(*pe->ptlbi));
		if (!pe->ptlbi)
			abort();
	}
	pe->ptlbi[pe->nptlbi++] = (struct ptlbi){
		.regime = r, .scope = s, .bcast = bcast, .asid = asid,
		.va = va & ~0xfffull, .tick = ++cm->tick,
	};
}

/* An access of c while a TLBI that targets it awaits its DSB: if c's
 * TLB may still hold a translation of va that the TLBI removes (a stale
 * leaf it covers) and that differs from the tables now, the access may
 * use either (D8.13 "TLB maintenance requirements": a TLBI is complete
 * only after a DSB of the issuing PE). Stage 1 off: no TLB is used. */
void pend_check_tlbi(struct cachemodel *cm, struct cpu *c, uint64_t va,
		     enum mmu_acc acc, enum mem_kind kind)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	uint64_t now[SN_N], sctlr;
	struct s1_result t;
	struct pe_state s;
	struct leaf l;
	bool ok;

	if (pe->tlbi_reported)
		return;
	memsys_pe_state(c, &s);
	sctlr = s.el == 2 ? s.sctlr_el2 : s.sctlr_el1;
	if (!(sctlr & SCTLR_M) ||
	    (s.el < 2 && s.has_el2 && (s.hcr_el2 & HCR_DC)))
		return;
	if (!alloc_tlbi_dying(cm, c, va, &l))
		return;
	read_regs(&s, now);
	ok = translate_with(cm, c, &s, now, va, acc, &t);
	if (ok && t.pa == l.pa + (va - l.va) && t.mair == l.attr)
		return;
	pe->tlbi_reported = true;
	cm_finding(cm, c, F_MISSING_BARRIER, false, va, l.pa + (va - l.va), 0,
		   kind, (struct memattr){ l.attr, l.sh, 1 }, COPY_NONE, 0,
		   "no DSB between a TLBI and an access through the "
		   "translation it removes: the old translation may still "
		   "be used");
}
