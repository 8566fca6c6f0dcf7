/* GICv2 as on QEMU virt with gic-version=2: the distributor at
 * 0x08000000 and the memory-mapped CPU interface (GICC) at 0x08010000,
 * banked per PE. Register layouts from Arm IHI 0048B ("GIC architecture
 * specification, version 2.0"), the GICD_* and GICC_* register
 * descriptions. No Security
 * Extensions, as QEMU's virt: every interrupt is Group 0 (GICD_IGROUPR
 * RAZ/WI) and signalled as IRQ; at most 8 PEs. */
#include "board/gic.h"
#include "board/machine.h"

#define GIC_IIDR_V2   0x0200043bu   /* GICD_IIDR: Arm, as QEMU's */
#define GICC_IIDR_V2  0x0202043bu   /* GICC_IIDR: ArchVer 2 */
#define GIC_PIDR2_V2  0x2bu
#define GICC_CTLR_EN  (1u << 0)
#define GICC_CTLR_EOIMODE (1u << 9)

/* The PE making the access: GICC and the private interrupts' registers
 * are banked per PE (the MMIO interface does not say which one asks). */
static unsigned this_pe(struct machine *m)
{
	return m->running ? (unsigned)m->running->id : 0;
}

/* ---- Distributor ---- */

static uint64_t gicd_read(void *dev, uint64_t off, unsigned size)
{
	struct machine *m = dev;

	struct gic *g = m->gic;
	unsigned pe = this_pe(m);
	uint64_t v = 0;

	if (off >= 0x080 && off < 0x100)
		return 0;                       /* IGROUPR: no groups */
	if (gic_irqreg_read(g, pe, GIC_NR_IRQ, off, size, &v))
		return v;
	if (off >= 0x800 && off < 0x800 + GIC_NR_IRQ) {
		/* ITARGETSR: bytes; 0..31 read as this PE's own bit. */
		for (unsigned k = 0; k < size; k++) {
			unsigned n = off - 0x800 + k;
			uint64_t t = n < 32 ? 1u << pe : g->spi[n - 32].targets;

			v |= t << (8 * k);
		}
		return v;
	}
	if (off >= 0xf10 && off < 0xf30) {
		/* CPENDSGIR/SPENDSGIR: one byte per SGI, a bit per source. */
		for (unsigned k = 0; k < size; k++) {
			unsigned n = (off - 0xf10 + k) % 16;

			v |= (uint64_t)g->cpu[pe].priv[n].sgi_src << (8 * k);
		}
		return v;
	}
	switch (off & ~3ull) {
	case 0x000: v = g->ctlr & 1; break;
	case 0x004:
		/* GICD_TYPER: ITLinesNumber, CPUNumber. */
		v = (GIC_NR_IRQ / 32 - 1) | (uint64_t)(g->npe - 1) << 5;
		break;
	case 0x008: v = GIC_IIDR_V2; break;
	case 0xfe8: v = GIC_PIDR2_V2; break;
	default: v = 0; break;
	}
	return (uint32_t)v >> (8 * (off & 3));
}

/* GICD_SGIR: TargetListFilter, CPUTargetList, SGIINTID. */
static void gicd_sgir(struct gic *g, unsigned self, uint32_t v)
{
	unsigned filter = (v >> 24) & 3, list = (v >> 16) & 0xff;
	unsigned intid = v & 15;

	if (filter == 1)
		list = 0xff & ~(1u << self);
	else if (filter == 2)
		list = 1u << self;
	else if (filter == 3)
		return;                         /* reserved */
	for (unsigned p = 0; p < g->npe; p++) {
		struct gic_irq *i = &g->cpu[p].priv[intid];

		if ((list >> p) & 1) {
			i->sgi_src |= 1u << self;
			i->pending = true;
		}
	}
	gic_update(g);
}

static void gicd_write(void *dev, uint64_t off, unsigned size,
		       uint64_t v)
{
	struct machine *m = dev;

	struct gic *g = m->gic;
	unsigned pe = this_pe(m);

	if (off >= 0x080 && off < 0x100)
		return;
	if (off >= 0x200 && off < 0x204 && size >= 1) {
		/* ISPENDR0 for SGIs is WI (set them with SPENDSGIR). */
		v &= ~0xffffull;
	}
	if (gic_irqreg_write(g, pe, GIC_NR_IRQ, off, size, v))
		return;
	if (off >= 0x800 && off < 0x800 + GIC_NR_IRQ) {
		for (unsigned k = 0; k < size; k++) {
			unsigned n = off - 0x800 + k;

			if (n >= 32)
				g->spi[n - 32].targets = (v >> (8 * k)) &
							 ((1u << g->npe) - 1);
		}
		gic_update(g);
		return;
	}
	if (off >= 0xf10 && off < 0xf30) {
		bool set = off >= 0xf20;

		for (unsigned k = 0; k < size; k++) {
			struct gic_irq *i =
				&g->cpu[pe].priv[(off - 0xf10 + k) % 16];
			uint8_t b = v >> (8 * k);

			i->sgi_src = set ? i->sgi_src | b : i->sgi_src & ~b;
			i->pending = i->sgi_src != 0;
		}
		gic_update(g);
		return;
	}
	if (off == 0x000) {
		g->ctlr = v & 1;
		gic_update(g);
	} else if (off == 0xf00) {
		gicd_sgir(g, pe, v);
	}
}

/* ---- CPU interface ---- */

static uint32_t gicc_ack(struct gic *g, unsigned pe)
{
	unsigned n = gic_best(g, pe, 1);
	struct gic_irq *i;
	unsigned src = 0;

	if (n == GIC_SPURIOUS || !gic_can_signal(g, pe, n))
		return GIC_SPURIOUS;
	i = gic_irq(g, pe, n);
	if (n < 16) {
		/* One source at a time, lowest first; the SGI stays pending
		 * for the others (GICC_IAR.CPUID). */
		src = __builtin_ctz(i->sgi_src);
		i->sgi_src &= ~(1u << src);
	}
	gic_activate(g, pe, n);
	if (n < 16 && i->sgi_src)
		i->pending = true;
	gic_update(g);
	return src << 10 | n;
}

static uint64_t gicc_read(void *dev, uint64_t off, unsigned size)
{
	struct machine *m = dev;

	struct gic *g = m->gic;
	unsigned pe = this_pe(m);
	struct gic_cpu *cpu = &g->cpu[pe];
	uint32_t v;

	(void)size;
	switch (off) {
	case 0x00:
		v = (cpu->grpen[0] ? GICC_CTLR_EN : 0) |
		    (cpu->eoimode ? GICC_CTLR_EOIMODE : 0);
		break;
	case 0x04: v = cpu->pmr; break;
	case 0x08: v = cpu->bpr[0]; break;
	case 0x0c: v = gicc_ack(g, pe); break;
	case 0x14: v = gic_running_prio(cpu); break;
	case 0x18: {
		unsigned n = gic_best(g, pe, 1);
		const struct gic_irq *i = n < 16 ? gic_irq(g, pe, n) : NULL;

		v = n;
		if (i && i->sgi_src)
			v |= (uint32_t)__builtin_ctz(i->sgi_src) << 10;
		break;
	}
	case 0xd0: v = cpu->apr[0]; break;
	case 0xfc: v = GICC_IIDR_V2; break;
	default: v = 0; break;   /* the aliased (Group 1) registers: none */
	}
	return v;
}

static void gicc_write(void *dev, uint64_t off, unsigned size,
		       uint64_t v)
{
	struct machine *m = dev;

	struct gic *g = m->gic;
	unsigned pe = this_pe(m);
	struct gic_cpu *cpu = &g->cpu[pe];
	unsigned n = v & 0x3ff;

	(void)size;
	switch (off) {
	case 0x00:
		cpu->grpen[0] = v & GICC_CTLR_EN;
		cpu->eoimode = v & GICC_CTLR_EOIMODE;
		break;
	case 0x04: cpu->pmr = v & GIC_PRIO_MASK; break;
	case 0x08: cpu->bpr[0] = (v & 7) < 2 ? 2 : v & 7; break;
	case 0x10:                                  /* EOIR */
		if (n >= 1020)
			return;
		gic_drop(g, pe, 0);
		if (!cpu->eoimode)
			gic_deactivate(g, pe, n);
		break;
	case 0xd0: cpu->apr[0] = v; break;
	case 0x1000:                                /* DIR */
		if (cpu->eoimode && n < GIC_NR_IRQ)
			gic_deactivate(g, pe, n);
		break;
	default:
		return;
	}
	gic_update(g);
}

int gicv2_init(struct machine *m)
{
	struct mmio_range d = {
		VIRT_GICD_BASE, VIRT_GICD_SIZE, NULL, gicd_read, gicd_write, false
	};
	struct mmio_range c = {
		VIRT_GICC_BASE, VIRT_GICC_SIZE, NULL, gicc_read, gicc_write, false
	};

	if (m->npe > 8)
		return -1;
	m->gic = gic_new(m, 2);
	if (!m->gic)
		return -1;
	d.dev = c.dev = m;
	if (memsys_add_mmio(&m->mem, &d) || memsys_add_mmio(&m->mem, &c))
		return -1;
	return 0;
}
