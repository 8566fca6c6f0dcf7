/* The GIC's interrupt state and prioritization, common to GICv3 and GICv2
 * (gic.h). References are to Arm IHI 0069 ("GIC architecture
 * specification, GICv3 and GICv4"). */
#include "board/gic.h"

#include <stdlib.h>

#include "board/machine.h"
#include "pe/timer.h"

struct gic *gic_new(struct machine *m, unsigned version)
{
	struct gic *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->version = version;
	g->m = m;
	g->npe = m->npe < GIC_MAX_PES ? m->npe : GIC_MAX_PES;
	for (unsigned p = 0; p < g->npe; p++) {
		struct gic_cpu *cpu = &g->cpu[p];

		/* SGIs are always edge-triggered (IHI 0069 "Interrupt types"),
		 * PPIs reset level-sensitive as the timers' are. */
		for (unsigned i = 0; i < 16; i++)
			cpu->priv[i].edge = true;
		cpu->bpr[0] = 2;      /* the minimum with 5 priority bits */
		cpu->bpr[1] = 3;
		cpu->asleep = true;   /* GICR_WAKER.ProcessorSleep resets 1 */
	}
	return g;
}

void gic_free(struct gic *g)
{
	free(g);
}

struct gic_irq *gic_irq(struct gic *g, unsigned pe, unsigned intid)
{
	return intid < 32 ? &g->cpu[pe].priv[intid] : &g->spi[intid - 32];
}

bool gic_is_pending(const struct gic_irq *i)
{
	return i->pending || (!i->edge && i->level);
}

/* Is SPI i delivered to PE pe? GICv3 ("Affinity
 * routing"): IROUTER names one PE by affinity, or with IRM = 1 any PE
 * (here the first whose Group 1 interface is enabled, else PE 0). GICv2:
 * ITARGETSR bit pe. */
static bool spi_targets(struct gic *g, const struct gic_irq *i, unsigned pe)
{
	const uint64_t aff = 0xff00ffffffull;
	uint64_t want;

	if (g->version == 2)
		return (i->targets >> pe) & 1;
	if (i->route & (1ull << 31)) {
		for (unsigned p = 0; p < g->npe; p++)
			if (g->cpu[p].grpen[i->group1])
				return p == pe;
		return pe == 0;
	}
	want = (i->route & 0xffffff) | ((i->route >> 32 & 0xff) << 32);
	return (g->m->pe[pe].sys.mpidr & aff) == want;
}

/* Is group grp forwarded to PE pe (GICD_CTLR.EnableGrpN and the CPU
 * interface's enable)? */
static bool group_on(struct gic *g, unsigned pe, unsigned grp)
{
	return ((g->ctlr >> grp) & 1) && g->cpu[pe].grpen[grp];
}

unsigned gic_best(struct gic *g, unsigned pe, unsigned groups)
{
	unsigned best = GIC_SPURIOUS, bprio = 0x100;

	for (unsigned n = 0; n < GIC_NR_IRQ; n++) {
		const struct gic_irq *i = gic_irq(g, pe, n);

		if (!i->enabled || i->active || !gic_is_pending(i) ||
		    !((groups >> i->group1) & 1) || !group_on(g, pe, i->group1))
			continue;
		if (n >= 32 && !spi_targets(g, i, pe))
			continue;
		if (i->prio < bprio) {
			bprio = i->prio;
			best = n;
		}
	}
	return best;
}

unsigned gic_running_prio(const struct gic_cpu *cpu)
{
	uint32_t a = cpu->apr[0] | cpu->apr[1];

	return a ? (unsigned)__builtin_ctz(a) << 3 : 0xff;
}

/* The group priority of prio under the PE's binary point (IHI 0069
 * "Priority grouping"): BPR0 = n keeps bits [7:n+1], BPR1 = n bits
 * [7:n] (with CBPR, Group 1 uses BPR0). */
static unsigned group_prio(const struct gic_cpu *cpu, unsigned grp,
			   unsigned prio)
{
	unsigned n = (grp && !cpu->cbpr) ? cpu->bpr[1] : cpu->bpr[0] + 1u;

	return n >= 8 ? 0 : prio & (0xffu << n) & 0xff;
}

bool gic_can_signal(struct gic *g, unsigned pe, unsigned intid)
{
	const struct gic_cpu *cpu = &g->cpu[pe];
	const struct gic_irq *i = gic_irq(g, pe, intid);

	/* IHI 0069 "Interrupt prioritization": below the priority mask, and
	 * able to preempt the active interrupt of the running priority. */
	return i->prio < cpu->pmr &&
	       group_prio(cpu, i->group1, i->prio) < gic_running_prio(cpu);
}

void gic_activate(struct gic *g, unsigned pe, unsigned intid)
{
	struct gic_cpu *cpu = &g->cpu[pe];
	struct gic_irq *i = gic_irq(g, pe, intid);

	i->pending = false;
	i->active = true;
	cpu->apr[i->group1] |= 1u << (group_prio(cpu, i->group1, i->prio) >> 3);
}

void gic_drop(struct gic *g, unsigned pe, unsigned grp)
{
	uint32_t *a = &g->cpu[pe].apr[grp];

	*a &= *a - 1;   /* the highest active priority is the lowest bit */
}

void gic_deactivate(struct gic *g, unsigned pe, unsigned intid)
{
	if (intid < GIC_NR_IRQ)
		gic_irq(g, pe, intid)->active = false;
}

void gic_update(struct gic *g)
{
	for (unsigned p = 0; p < g->npe; p++) {
		struct cpu *c = &g->m->pe[p];
		unsigned n = gic_best(g, p, 3);
		bool irq = false, fiq = false;

		if (n != GIC_SPURIOUS && gic_can_signal(g, p, n)) {
			/* With one security state, Group 0 is FIQ and Group 1
			 * IRQ (IHI 0069 "Interrupt grouping"); GICv2 here signals
			 * both as IRQ (GICC_CTLR.FIQEn is not implemented). */
			if (gic_irq(g, p, n)->group1 || g->version == 2)
				irq = true;
			else
				fiq = true;
		}
		c->irq_line = irq;
		c->fiq_line = fiq;
		if (irq || fiq) {
			/* WFI (and WFE, a PSCI standby) wake on a pending
			 * interrupt even when PSTATE masks it (Arm ARM
			 * "Wait for Interrupt"). */
			c->wfi = false;
			c->irq_poll = true;
		}
	}
}

void gic_sync_timers(struct gic *g, uint64_t now)
{
	static const unsigned ppi[TIMER_COUNT] = {
		[TIMER_EL1_PHYS] = PPI_TIMER_EL1_PHYS,
		[TIMER_EL1_VIRT] = PPI_TIMER_VIRT,
		[TIMER_EL2_PHYS] = PPI_TIMER_EL2_PHYS,
	};

	bool changed = false;

	for (unsigned p = 0; p < g->npe; p++) {
		unsigned out = timer_outputs(&g->m->pe[p], now);

		for (unsigned t = 0; t < TIMER_COUNT; t++) {
			struct gic_irq *i = &g->cpu[p].priv[ppi[t]];
			bool level = (out >> t) & 1;

			changed |= i->level != level;
			i->level = level;
		}
	}
	/* Called every round: the full recomputation only on a change. */
	if (changed)
		gic_update(g);
}

/* ---- Per-interrupt registers (IHI 0069, the GICD_* register
 * descriptions; the GICR_* ones for the SGI_base frame) ---- */

enum irqreg { R_GROUP, R_SENABLE, R_CENABLE, R_SPEND, R_CPEND, R_SACTIVE,
	      R_CACTIVE, R_PRIO, R_CFG, R_NONE };

static enum irqreg irqreg_of(uint64_t off, unsigned *first, unsigned *bits)
{
	static const struct { uint64_t base; enum irqreg r; } bitmaps[] = {
		{ 0x080, R_GROUP }, { 0x100, R_SENABLE }, { 0x180, R_CENABLE },
		{ 0x200, R_SPEND }, { 0x280, R_CPEND }, { 0x300, R_SACTIVE },
		{ 0x380, R_CACTIVE },
	};

	for (unsigned k = 0; k < sizeof(bitmaps) / sizeof(bitmaps[0]); k++)
		if (off >= bitmaps[k].base && off < bitmaps[k].base + 0x80) {
			*first = (off - bitmaps[k].base) * 8;
			*bits = 1;
			return bitmaps[k].r;
		}
	if (off >= 0x400 && off < 0x800) {
		*first = off - 0x400;
		*bits = 8;
		return R_PRIO;
	}
	if (off >= 0xc00 && off < 0xd00) {
		*first = (off - 0xc00) * 4;
		*bits = 2;
		return R_CFG;
	}
	return R_NONE;
}

static unsigned field_get(const struct gic_irq *i, enum irqreg r)
{
	switch (r) {
	case R_GROUP:   return i->group1;
	case R_SENABLE: case R_CENABLE: return i->enabled;
	case R_SPEND:   case R_CPEND:   return gic_is_pending(i);
	case R_SACTIVE: case R_CACTIVE: return i->active;
	case R_PRIO:    return i->prio;
	case R_CFG:     return i->edge ? 2 : 0;
	default:        return 0;
	}
}

static void field_set(struct gic_irq *i, unsigned intid, enum irqreg r,
		      unsigned v)
{
	switch (r) {
	case R_GROUP:   i->group1 = v & 1; break;
	case R_SENABLE: if (v) i->enabled = true; break;
	case R_CENABLE: if (v) i->enabled = false; break;
	/* A level input that stays asserted keeps the interrupt pending
	 * after ICPENDR (IHI 0069 "Interrupt handling state machine"). */
	case R_SPEND:   if (v) i->pending = true; break;
	case R_CPEND:   if (v) { i->pending = false; i->sgi_src = 0; } break;
	case R_SACTIVE: if (v) i->active = true; break;
	case R_CACTIVE: if (v) i->active = false; break;
	case R_PRIO:    i->prio = v & GIC_PRIO_MASK; break;
	case R_CFG:     if (intid >= 16) i->edge = (v >> 1) & 1; break;
	default:        break;
	}
}

static struct gic_irq *frame_irq(struct gic *g, int pe, unsigned nirq,
				 unsigned intid)
{
	if (intid >= nirq || (intid < 32 && pe < 0))
		return NULL;
	return gic_irq(g, intid < 32 ? (unsigned)pe : 0, intid);
}

bool gic_irqreg_read(struct gic *g, int pe, unsigned nirq, uint64_t off,
		     unsigned size, uint64_t *v)
{
	unsigned first, bits;
	enum irqreg r = irqreg_of(off, &first, &bits);

	if (r == R_NONE)
		return false;
	*v = 0;
	for (unsigned k = 0; k < size * 8 / bits; k++) {
		const struct gic_irq *i = frame_irq(g, pe, nirq, first + k);

		if (i)
			*v |= (uint64_t)field_get(i, r) << (k * bits);
	}
	return true;
}

bool gic_irqreg_write(struct gic *g, int pe, unsigned nirq, uint64_t off,
		      unsigned size, uint64_t v)
{
	unsigned first, bits;
	enum irqreg r = irqreg_of(off, &first, &bits);

	if (r == R_NONE)
		return false;
	for (unsigned k = 0; k < size * 8 / bits; k++) {
		struct gic_irq *i = frame_irq(g, pe, nirq, first + k);

		if (i)
			field_set(i, first + k, r,
				  (v >> (k * bits)) & ((1u << bits) - 1));
	}
	gic_update(g);
	return true;
}
