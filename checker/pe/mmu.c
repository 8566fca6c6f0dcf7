/* Translation for the EL1&0 regime (TTBR0/TTBR1, and stage 2 from
 * VTTBR_EL2/VTCR_EL2 when HCR_EL2.VM or DC is set) and the EL2 regime
 * (TTBR0_EL2, no EL0, no ASID): the PE's registers and memory system
 * around the one walker (arch/walk.h, arch/walk_s2.h), and the TLB. */
#include "pe/mmu.h"

#include <string.h>

#include "arch/walk_s2.h"
#include "pe/exception.h"

uint16_t mmu_cur_asid(struct cpu *c)
{
	return (uint16_t)tcr_el1_asid(c->sys.tcr_el1, c->sys.ttbr0_el1,
				      c->sys.ttbr1_el1);
}

void mmu_pe_state(const struct cpu *c, struct pe_state *o)
{
	const struct sysregs *s = &c->sys;

	o->sctlr_el1 = s->sctlr_el1;
	o->sctlr_el2 = s->sctlr_el2;
	o->ttbr0_el1 = s->ttbr0_el1;
	o->ttbr1_el1 = s->ttbr1_el1;
	o->tcr_el1 = s->tcr_el1;
	o->mair_el1 = s->mair_el1;
	o->ttbr0_el2 = s->ttbr0_el2;
	o->tcr_el2 = s->tcr_el2;
	o->mair_el2 = s->mair_el2;
	o->hcr_el2 = s->hcr_el2;
	o->vttbr_el2 = s->vttbr_el2;
	o->vtcr_el2 = s->vtcr_el2;
	o->el = c->el;
	o->has_el2 = cpu_has_el2(c);
	o->powered = c->powered;
}

/* The registers of regime r as the walker takes them. */
static void regime_regs(const struct cpu *c, enum regime r, struct s1_regs *o)
{
	const struct sysregs *s = &c->sys;

	o->regime = r;
	if (r == REGIME_EL2) {
		o->sctlr = s->sctlr_el2;
		o->tcr = s->tcr_el2;
		o->ttbr0 = s->ttbr0_el2;
		o->ttbr1 = 0;
		o->mair = s->mair_el2;
	} else {
		o->sctlr = s->sctlr_el1;
		o->tcr = s->tcr_el1;
		o->ttbr0 = s->ttbr0_el1;
		o->ttbr1 = s->ttbr1_el1;
		o->mair = s->mair_el1;
	}
	o->dc = r == REGIME_EL10 && cpu_has_el2(c) && (s->hcr_el2 & HCR_DC);
}

static struct memattr flat_attr(struct cpu *c, enum regime r, bool exec)
{
	/* Only these fields matter; this runs on every MMU-off access. */
	struct s1_regs regs = {
		.sctlr = r == REGIME_EL2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1,
		.regime = r,
		.dc = r == REGIME_EL10 && cpu_has_el2(c) &&
		      (c->sys.hcr_el2 & HCR_DC),
	};
	struct memattr a = { 0, 0, 0 };

	s1_flat_attr(&regs, exec, &a.mair, &a.sh);
	return a;
}

bool mmu_s2_on(const struct cpu *c)
{
	return cpu_has_el2(c) && hcr_s2_on(c->sys.hcr_el2);
}

/* Stage 1's output alone: the translation without stage 2, or the IPA
 * of AT S1E*. */
static void stage1_output(struct translation *t, const struct s1_result *s1)
{
	t->pa = s1->pa;
	t->attr = (struct memattr){ s1->mair, s1->sh, s1->s1 };
	t->perm = t->s1perm = s1->perm;
	t->level = s1->level;
	t->ng = s1->ng;
	t->bmask = s1->bmask;
}

bool mmu_walk_stages(struct cpu *c, enum regime r, uint64_t va,
		     enum mmu_acc acc, bool s1_only, struct translation *t)
{
	struct s1_regs regs;
	struct s12_result res;
	struct memsys_walk w = { c->plat->mem, c };
	struct walk_tree t2;
	bool ok;

	regime_regs(c, r, &regs);
	memset(t, 0, sizeof(*t));
	if (r == REGIME_EL2 || !mmu_s2_on(c)) {
		ok = s1_translate(&regs, va, acc == MMU_EXEC, PA_BITS,
				  memsys_walk_read, &w, &res.s1);
		t->fsc = res.s1.fsc;
		t->walk_fault = res.s1.walk_fault;
		if (!ok)
			return false;
		stage1_output(t, &res.s1);
		t->ipa = res.s1.pa;
		return true;
	}
	t2 = s2_tree(c->sys.vttbr_el2, c->sys.vtcr_el2, PA_BITS);
	ok = s12_translate(&regs, &t2, c->sys.vtcr_el2, va, acc == MMU_EXEC,
			   PA_BITS, memsys_walk_read, &w, &res);
	t->s2 = true;
	t->fsc = res.fsc;
	t->walk_fault = res.walk_fault;
	t->s2fault = res.s2fault;
	t->s1ptw = res.s1ptw;
	t->ipa = res.ipa;
	if (!ok)
		return false;
	if (s1_only) {
		/* AT S1E*: stage 1's output, the IPA. */
		stage1_output(t, &res.s1);
		t->fsc = 0;
		t->s2fault = false;
		return true;
	}
	t->pa = res.pa;
	t->attr = (struct memattr){ res.mair, res.sh, res.s1on };
	t->s2attr = (struct memattr){ res.s2.mair, res.s2.sh, 0 };
	t->perm = res.perm;
	t->s1perm = res.s1.perm;
	t->level = res.s1on ? res.s1.level : res.s2.level;
	t->ng = res.s1.ng;
	t->bmask = res.bmask;
	return true;
}

bool mmu_walk(struct cpu *c, enum regime r, uint64_t va, enum mmu_acc acc,
	      unsigned el_perm, struct translation *t)
{
	(void)el_perm;
	return mmu_walk_stages(c, r, va, acc, true, t);
}

static unsigned perm_need(enum mmu_acc acc, unsigned el_perm)
{
	unsigned bit = acc == MMU_READ ? PERM_R0 :
		       acc == MMU_WRITE ? PERM_W0 : PERM_X0;

	return el_perm ? bit << 3 : bit;
}

static void note_fault(struct cpu *c, uint64_t va, const struct translation *t)
{
	c->tlb->fault = (struct s2_fault){ t->s2fault, t->s1ptw, va, t->ipa,
					   t->fsc };
}

bool mmu_take_s2_fault(struct cpu *c, uint64_t va, unsigned fsc,
		       struct s2_fault *out)
{
	struct s2_fault *f;

	if (!c->tlb)
		return false;
	f = &c->tlb->fault;
	if (!f->valid || f->va != va || f->fsc != fsc)
		return false;
	*out = *f;
	f->valid = false;
	return true;
}

bool mmu_translate(struct cpu *c, uint64_t va, enum mmu_acc acc,
		   unsigned el_perm, struct translation *t)
{
	enum regime r = c->el == 2 ? REGIME_EL2 : REGIME_EL10;
	struct tlb_entry *e = &c->tlb->e[tlb_index(va)];
	uint64_t vpage = va & ~0xfffull;

	uint64_t sctlr = r == REGIME_EL2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;
	/* HCR_EL2.DC: stage 1 of EL1&0 behaves as off (s1_translate). */
	bool flat = !(sctlr & SCTLR_M) ||
		    (r == REGIME_EL10 && cpu_has_el2(c) &&
		     (c->sys.hcr_el2 & HCR_DC));

	if (r == REGIME_EL2)
		el_perm = 2;
	/* With stage 1 off the TLB is not consulted at all (Arm ARM D8.2.11):
	 * an entry of the other kind is a miss, whatever it holds. */
	if (!(e->vpage == vpage && e->regime == r && e->flat == flat &&
	      (e->global || e->asid == c->asid))) {
		struct translation w;

		if (!mmu_walk_stages(c, r, va, acc, false, &w)) {
			*t = w;
			note_fault(c, va, &w);
			return false;
		}
		e->vpage = vpage;
		e->ppage = w.pa & ~0xfffull;
		e->ipage = w.ipa & ~0xfffull;
		e->regime = r;
		e->perm = w.perm;
		e->s1perm = w.s1perm;
		e->attr = w.attr;
		e->s2attr = w.s2attr;
		e->s2 = w.s2;
		e->flat = flat;
		e->global = !w.ng;
		e->asid = w.ng ? c->asid : 0;
		e->blockmask = w.bmask;
		e->level = w.level;
		e->host = c->plat->ops->ram_page(c, e->ppage);
		e->qmask = 0;
		e->smask = 0;
		e->spage = false;
	}
	memset(t, 0, sizeof(*t));
	t->pa = e->ppage | (va & 0xfff);
	t->ipa = e->ipage | (va & 0xfff);
	t->s2 = e->s2;
	/* Flat entries serve fetches (Normal) and data (Device) alike; under
	 * stage 2 with its attributes combined per access. */
	if (e->flat) {
		t->attr = flat_attr(c, r, acc == MMU_EXEC);
		if (e->s2)
			s12_combine(t->attr.mair, t->attr.sh, e->s2attr.mair,
				    e->s2attr.sh, &t->attr.mair, &t->attr.sh);
	} else {
		t->attr = e->attr;
	}
	t->host = e->host;
	t->perm = e->perm;
	t->s1perm = e->s1perm;
	t->level = e->level;
	if (!(e->perm & perm_need(acc, el_perm))) {
		t->fsc = FSC_PERMISSION(e->level);
		/* Stage 1 allowed it: stage 2 did not. */
		t->s2fault = e->s2 && (e->s1perm & perm_need(acc, el_perm));
		note_fault(c, va, t);
		return false;
	}
	return true;
}

/* ---- TLB maintenance ---- */

static void tlb_entry_kill(struct tlb_entry *e)
{
	e->vpage = ~0ull;
	e->host = NULL;
	e->qmask = 0;
	e->smask = 0;
	e->spage = false;
}

void tlb_flush_all(struct cpu *c)
{
	for (unsigned i = 0; i < TLB_SIZE; i++)
		tlb_entry_kill(&c->tlb->e[i]);
	cpu_ctx_changed(c);
}

void tlb_invalidate(struct cpu *c, enum regime r, enum tlbi_scope s,
		    uint64_t va, uint16_t asid, bool last_level_only)
{
	/* Only leaf translations are cached, so the last-level forms
	 * (VALE, VAALE) invalidate the same entries as VAE, VAAE. */
	(void)last_level_only;
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->tlb->e[i];
		bool hit;

		if (e->vpage == ~0ull || e->regime != r)
			continue;
		switch (s) {
		case TLBI_ALL:
		case TLBI_VMALLS12:
		case TLBI_ALLS12:
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
	cpu_ctx_changed(c);
}

void tlb_invalidate_ipa(struct cpu *c, uint64_t ipa)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->tlb->e[i];

		if (e->vpage != ~0ull && e->regime == REGIME_EL10 && e->s2 &&
		    ((ipa ^ e->ipage) & ~(e->blockmask | 0xfffull)) == 0)
			tlb_entry_kill(e);
	}
	cpu_ctx_changed(c);
}

void tlb_drop_flat(struct cpu *c, enum regime r)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->tlb->e[i];

		if (e->vpage != ~0ull && e->flat && e->regime == r)
			tlb_entry_kill(e);
	}
	cpu_ctx_changed(c);
}
