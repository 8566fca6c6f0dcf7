/* GICv3 as on QEMU virt (gic-version=3): the distributor at 0x08000000,
 * one redistributor per PE from 0x080a0000 (RD_base and SGI_base frames,
 * 128 KiB each), and the ICC_* system-register CPU interface. Register
 * layouts from Arm IHI 0069, the GICD_*, GICR_* and ICC_* register
 * descriptions. With affinity routing always on (GICD_CTLR.ARE RAO/WI, no
 * legacy mode) and one security state (DS RAO/WI), as QEMU's. */
#include <string.h>

#include "board/gic.h"
#include "board/machine.h"

#define GICD_CTLR_ARE  (1u << 4)
#define GICD_CTLR_DS   (1u << 6)
/* IIDR: implementer Arm (0x43b), as QEMU's GICv3 reports; PIDR2.ArchRev
 * = 3 is what drivers check for the version (Linux, kvm-unit-tests). */
#define GIC_IIDR       0x0000043bu
#define GIC_PIDR2_V3   0x3bu

#define SR(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

static struct gic *gic_of(struct machine *m)
{
	return m->gic;
}

/* Accesses wider than 4 bytes to 32-bit registers are two accesses. */
static uint64_t split_read(struct machine *m, uint64_t off, unsigned size,
			   uint32_t (*rd)(struct machine *, uint64_t))
{
	uint64_t v = rd(m, off & ~3ull) >> (8 * (off & 3));

	if (size == 8)
		v = (v & 0xffffffffu) | (uint64_t)rd(m, off + 4) << 32;
	else if (size < 4)
		v &= (1ull << (8 * size)) - 1;
	return v;
}

/* ---- Distributor ---- */

static uint32_t gicd_read32(struct machine *m, uint64_t off)
{
	struct gic *g = gic_of(m);

	switch (off) {
	case 0x0000: return g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	case 0x0004:
		/* ITLinesNumber: 32 * (N + 1) INTIDs; IDbits = 9 (10-bit
		 * INTIDs); no LPIs, MBIs, security extension. */
		return (GIC_NR_IRQ / 32 - 1) | (9u << 19);
	case 0x0008: return GIC_IIDR;
	case 0xffe8: return GIC_PIDR2_V3;
	default: return 0;
	}
}

static uint64_t gicd_read(void *dev, uint64_t off, unsigned size)
{
	struct machine *m = dev;

	struct gic *g = gic_of(m);
	uint64_t v;

	if (off >= 0x6100 && off < 0x6000 + 8 * GIC_NR_IRQ) {
		/* GICD_IROUTER<n>, n >= 32. */
		unsigned n = (off - 0x6000) / 8;

		v = g->spi[n - 32].route >> (8 * (off & 7));
		return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
	}
	/* INTIDs 0..31 are the redistributors' with affinity routing. */
	if (gic_irqreg_read(g, -1, GIC_NR_IRQ, off, size, &v))
		return v;
	return split_read(m, off, size, gicd_read32);
}

static void gicd_write(void *dev, uint64_t off, unsigned size,
		       uint64_t v)
{
	struct machine *m = dev;

	struct gic *g = gic_of(m);

	if (off >= 0x6100 && off < 0x6000 + 8 * GIC_NR_IRQ) {
		unsigned n = (off - 0x6000) / 8, sh = 8 * (off & 7);
		uint64_t mask = (size == 8 ? ~0ull : (1ull << (8 * size)) - 1) << sh;
		uint64_t *r = &g->spi[n - 32].route;

		/* Aff3, IRM, Aff2..Aff0 are the only fields. */
		*r = ((*r & ~mask) | ((v << sh) & mask)) & 0xff80ffffffull;
		gic_update(g);
		return;
	}
	if (gic_irqreg_write(g, -1, GIC_NR_IRQ, off, size, v))
		return;
	if (off == 0x0000) {
		g->ctlr = v & 3;
		gic_update(g);
	}
	/* Everything else (IGRPMODR, NSACR, SPI status...): WI. */
}

/* ---- Redistributors ---- */

static uint64_t gicr_typer(struct gic *g, unsigned pe)
{
	uint64_t mpidr = g->m->pe[pe].sys.mpidr;
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);

	/* GICR_TYPER: affinity value, processor number, Last. */
	return aff << 32 | (uint64_t)pe << 8 |
	       (pe == g->npe - 1 ? 1u << 4 : 0);
}

static uint64_t gicr_read(void *dev, uint64_t off, unsigned size)
{
	struct machine *m = dev;

	struct gic *g = gic_of(m);
	unsigned pe = off / VIRT_GICR_STRIDE;
	uint64_t f = off % VIRT_GICR_STRIDE, v = 0;

	if (pe >= g->npe)
		return 0;
	if (f >= 0x10000) {
		if (gic_irqreg_read(g, pe, 32, f - 0x10000, size, &v))
			return v;
		return 0;
	}
	switch (f & ~3ull) {
	case 0x0004: v = GIC_IIDR; break;
	case 0x0008: v = gicr_typer(g, pe); break;
	case 0x000c: v = gicr_typer(g, pe) >> 32; break;
	case 0x0014:  /* WAKER: ChildrenAsleep follows ProcessorSleep */
		v = g->cpu[pe].asleep ? 6 : 0;
		break;
	case 0xffe8: v = GIC_PIDR2_V3; break;
	default: v = 0; break;  /* CTLR (no LPIs), STATUSR, PROPBASER... */
	}
	if (size < 8 || (f & ~3ull) != 0x0008)
		v = (uint32_t)v;
	return v;
}

static void gicr_write(void *dev, uint64_t off, unsigned size,
		       uint64_t v)
{
	struct machine *m = dev;

	struct gic *g = gic_of(m);
	unsigned pe = off / VIRT_GICR_STRIDE;
	uint64_t f = off % VIRT_GICR_STRIDE;

	if (pe >= g->npe)
		return;
	if (f >= 0x10000) {
		gic_irqreg_write(g, pe, 32, f - 0x10000, size, v);
		return;
	}
	if (f == 0x0014)
		g->cpu[pe].asleep = (v >> 1) & 1;
}

/* ---- CPU interface: the ICC_* registers ---- */

/* ICC_SGI0R/SGI1R_EL1: TargetList, Aff1..Aff3, RS, IRM. An
 * SGI is set pending on a target only if it is configured in the group
 * the register generates (one security state). */
static void icc_sgi(struct gic *g, unsigned self, uint64_t v, unsigned grp)
{
	unsigned intid = (v >> 24) & 15, rs = (v >> 44) & 15;
	bool irm = (v >> 40) & 1;
	uint64_t aff321 = ((v >> 16) & 0xff) << 8 | ((v >> 32) & 0xff) << 16 |
			  ((v >> 48) & 0xff) << 32;

	for (unsigned p = 0; p < g->npe; p++) {
		uint64_t mpidr = g->m->pe[p].sys.mpidr;
		unsigned aff0 = mpidr & 0xff;
		struct gic_irq *i = &g->cpu[p].priv[intid];

		if (irm ? p == self :
		    ((mpidr & 0xff00ffff00ull) != aff321 || aff0 / 16 != rs ||
		     !((v >> (aff0 % 16)) & 1)))
			continue;
		if (i->group1 == grp)
			i->pending = true;
	}
	gic_update(g);
}

static unsigned icc_ack(struct gic *g, unsigned pe, unsigned grp)
{
	unsigned n = gic_best(g, pe, 1u << grp);

	if (n == GIC_SPURIOUS || !gic_can_signal(g, pe, n))
		return GIC_SPURIOUS;
	gic_activate(g, pe, n);
	gic_update(g);
	return n;
}

static void icc_eoi(struct gic *g, unsigned pe, unsigned grp, unsigned n)
{
	if (n >= 1020)
		return;
	gic_drop(g, pe, grp);
	if (!g->cpu[pe].eoimode)
		gic_deactivate(g, pe, n);
	gic_update(g);
}

static unsigned bpr_min(unsigned grp)
{
	return grp ? 3 : 2;
}

static enum pe_sr_result icc_access(struct cpu *c, unsigned key, bool write,
				    uint64_t *v)
{
	struct gic *g = gic_of(c->m);
	unsigned pe = c->id;
	struct gic_cpu *cpu;
	unsigned grp;

	if (!g || g->version != 3 || pe >= g->npe)
		return PE_SR_UNDEF;
	cpu = &g->cpu[pe];
	switch (key) {
	/* The virtual CPU interface (IHI 0069 "ICH_HCR_EL2" ... "ICH_LR<n>_EL2";
	 * below EL2 sysreg.c makes op1 = 4 UNDEFINED before it asks here):
	 * GICv3 with EL2 implements it, and boot code initialises it
	 * (booting.rst: ICH_HCR_EL2.En = 0 before entering the kernel at EL1),
	 * so the registers exist; one list register, 5 priority and
	 * preemption bits, 16-bit INTIDs. Storage only: a virtual interrupt
	 * is never signalled. */
	case SR(3, 4, 12, 11, 0):                               /* ICH_HCR */
		if (write)
			cpu->ich_hcr = *v & 0xf80078ffull;
		else
			*v = cpu->ich_hcr;
		return PE_SR_OK;
	case SR(3, 4, 12, 11, 1):                               /* ICH_VTR */
		if (write)
			return PE_SR_UNDEF;
		*v = 4u << 29 | 4u << 26;   /* PRIbits, PREbits = 5; ListRegs 1 */
		return PE_SR_OK;
	case SR(3, 4, 12, 11, 2): case SR(3, 4, 12, 11, 3):    /* MISR, EISR */
		if (write)
			return PE_SR_UNDEF;
		*v = 0;
		return PE_SR_OK;
	case SR(3, 4, 12, 11, 5):                               /* ELRSR */
		if (write)
			return PE_SR_UNDEF;
		*v = (cpu->ich_lr0 >> 62) & 3 ? 0 : 1;   /* LR0 empty? */
		return PE_SR_OK;
	case SR(3, 4, 12, 11, 7):                               /* ICH_VMCR */
		if (write)
			cpu->ich_vmcr = *v & 0xffff021full;
		else
			*v = cpu->ich_vmcr;
		return PE_SR_OK;
	case SR(3, 4, 12, 12, 0):                               /* ICH_LR0 */
		if (write)
			cpu->ich_lr0 = *v;
		else
			*v = cpu->ich_lr0;
		return PE_SR_OK;
	case SR(3, 4, 12, 8, 0): case SR(3, 4, 12, 9, 0):      /* AP0R0/AP1R0 */
		grp = key == SR(3, 4, 12, 9, 0);
		if (write)
			cpu->ich_apr[grp] = (uint32_t)*v;
		else
			*v = cpu->ich_apr[grp];
		return PE_SR_OK;
	case SR(3, 0, 4, 6, 0):                                 /* PMR */
		if (write) {
			cpu->pmr = *v & GIC_PRIO_MASK;
			gic_update(g);
		} else {
			*v = cpu->pmr;
		}
		return PE_SR_OK;
	case SR(3, 0, 12, 12, 5):                               /* SRE_EL1 */
	case SR(3, 4, 12, 9, 5):                                /* SRE_EL2 */
		/* SRE, DFB, DIB RAO/WI: no memory-mapped interface; EL2's
		 * Enable too (EL1 may use the system registers). */
		if (!write)
			*v = key == SR(3, 4, 12, 9, 5) ? 0xf : 0x7;
		return PE_SR_OK;
	case SR(3, 0, 12, 8, 0): case SR(3, 0, 12, 12, 0):     /* IAR0/1 */
		grp = key == SR(3, 0, 12, 12, 0);
		if (write)
			return PE_SR_UNDEF;
		*v = icc_ack(g, pe, grp);
		return PE_SR_OK;
	case SR(3, 0, 12, 8, 1): case SR(3, 0, 12, 12, 1):     /* EOIR0/1 */
		grp = key == SR(3, 0, 12, 12, 1);
		if (!write)
			return PE_SR_UNDEF;
		icc_eoi(g, pe, grp, *v & 0xffffff);
		return PE_SR_OK;
	case SR(3, 0, 12, 8, 2): case SR(3, 0, 12, 12, 2): {   /* HPPIR0/1 */
		grp = key == SR(3, 0, 12, 12, 2);
		if (write)
			return PE_SR_UNDEF;
		*v = gic_best(g, pe, 1u << grp);
		return PE_SR_OK;
	}
	case SR(3, 0, 12, 8, 3): case SR(3, 0, 12, 12, 3):     /* BPR0/1 */
		grp = key == SR(3, 0, 12, 12, 3);
		if (write) {
			unsigned b = *v & 7;

			cpu->bpr[grp] = b < bpr_min(grp) ? bpr_min(grp) : b;
			gic_update(g);
		} else {
			*v = cpu->bpr[grp];
		}
		return PE_SR_OK;
	case SR(3, 0, 12, 8, 4): case SR(3, 0, 12, 9, 0):      /* AP0R0/AP1R0 */
		grp = key == SR(3, 0, 12, 9, 0);
		if (write) {
			cpu->apr[grp] = (uint32_t)*v;
			gic_update(g);
		} else {
			*v = cpu->apr[grp];
		}
		return PE_SR_OK;
	case SR(3, 0, 12, 11, 1):                               /* DIR */
		if (!write)
			return PE_SR_UNDEF;
		if (cpu->eoimode && (*v & 0xffffff) < GIC_NR_IRQ) {
			gic_deactivate(g, pe, *v & 0xffffff);
			gic_update(g);
		}
		return PE_SR_OK;
	case SR(3, 0, 12, 11, 3):                               /* RPR */
		if (write)
			return PE_SR_UNDEF;
		*v = gic_running_prio(cpu);
		return PE_SR_OK;
	case SR(3, 0, 12, 11, 5): case SR(3, 0, 12, 11, 7):    /* SGI1R/0R */
		if (!write)
			return PE_SR_UNDEF;
		icc_sgi(g, pe, *v, key == SR(3, 0, 12, 11, 5));
		return PE_SR_OK;
	case SR(3, 0, 12, 12, 4):                               /* CTLR */
		if (write) {
			cpu->cbpr = *v & 1;
			cpu->eoimode = (*v >> 1) & 1;
			gic_update(g);
		} else {
			/* PRIbits = 4 (5 bits), IDbits = 0 (16). */
			*v = (uint64_t)cpu->cbpr | (uint64_t)cpu->eoimode << 1 |
			     4u << 8;
		}
		return PE_SR_OK;
	case SR(3, 0, 12, 12, 6): case SR(3, 0, 12, 12, 7):    /* IGRPEN0/1 */
		grp = key == SR(3, 0, 12, 12, 7);
		if (write) {
			cpu->grpen[grp] = *v & 1;
			gic_update(g);
		} else {
			*v = cpu->grpen[grp];
		}
		return PE_SR_OK;
	default:
		/* AP0R1..3, AP1R1..3 (5 priority bits need one), ASGI1R. */
		if (key == SR(3, 0, 12, 11, 6)) {
			if (!write)
				return PE_SR_UNDEF;
			return PE_SR_OK;   /* Secure Group 1: none here */
		}
		if ((key >> 3) == (SR(3, 0, 12, 8, 4) >> 3) ||
		    (key >> 3) == (SR(3, 0, 12, 9, 0) >> 3)) {
			if (!write)
				*v = 0;
			return PE_SR_OK;
		}
		return PE_SR_UNDEF;
	}
}

int gicv3_init(struct machine *m)
{
	struct mmio_range d = {
		VIRT_GICD_BASE, VIRT_GICD_SIZE, NULL, gicd_read, gicd_write, false
	};
	struct mmio_range r = {
		VIRT_GICR_BASE, VIRT_GICR_STRIDE * m->npe, NULL,
		gicr_read, gicr_write, false
	};

	m->gic = gic_new(m, 3);
	if (!m->gic)
		return -1;
	m->plat.gicv3_sysregs = true;
	m->plat_ops.icc_access = icc_access;
	d.dev = r.dev = m;
	if (memsys_add_mmio(&m->mem, &d) || memsys_add_mmio(&m->mem, &r))
		return -1;
	return 0;
}
