/* Stage 1 translation for the EL1&0 regime (TTBR0/TTBR1) and the EL2
 * regime (TTBR0_EL2, no EL0, no ASID): the PE's registers and memory
 * system around the one walker (arch/walk.h), and the TLB. */
#include "pe/mmu.h"

#include <string.h>

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

bool mmu_walk(struct cpu *c, enum regime r, uint64_t va, enum mmu_acc acc,
	      unsigned el_perm, struct translation *t)
{
	struct s1_regs regs;
	struct s1_result res;
	struct memsys_walk w = { c->plat->mem, c };
	bool ok;

	(void)el_perm;
	regime_regs(c, r, &regs);
	ok = s1_translate(&regs, va, acc == MMU_EXEC, PA_BITS, memsys_walk_read, &w,
			  &res);
	memset(t, 0, sizeof(*t));
	t->fsc = res.fsc;
	t->walk_fault = res.walk_fault;
	if (!ok)
		return false;
	t->pa = res.pa;
	t->attr = (struct memattr){ res.mair, res.sh, res.s1 };
	t->perm = res.perm;
	t->level = res.level;
	t->ng = res.ng;
	t->bmask = res.bmask;
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
	struct tlb_entry *e = &c->tlb->e[tlb_index(va)];
	uint64_t vpage = va & ~0xfffull;

	uint64_t sctlr = r == REGIME_EL2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;
	bool flat = !(sctlr & SCTLR_M);

	if (r == REGIME_EL2)
		el_perm = 2;
	/* With stage 1 off the TLB is not consulted at all (Arm ARM D8.2.11):
	 * an entry of the other kind is a miss, whatever it holds. */
	if (!(e->vpage == vpage && e->regime == r && e->flat == flat &&
	      (e->global || e->asid == c->asid))) {
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
		e->asid = w.ng ? c->asid : 0;
		e->blockmask = w.bmask;
		e->level = w.level;
		e->host = c->plat->ops->ram_page(c, e->ppage);
		e->qmask = 0;
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
	e->qmask = 0;
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

void tlb_drop_flat(struct cpu *c, enum regime r)
{
	for (unsigned i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &c->tlb->e[i];

		if (e->vpage != ~0ull && e->flat && e->regime == r)
			tlb_entry_kill(e);
	}
	cpu_ctx_changed(c);
}
