/* GICv2 (Arm IHI 0048B): a memory-mapped distributor and CPU interface.
 * QEMU's virt and KVM present it without the security extensions (or
 * their non-secure view), so every interrupt is group 0, signalled as IRQ
 * (GICC_CTLR.FIQEn = 0). */
#include "gic-priv.h"
#include "libc.h"
#include "percpu.h"
#include "smp.h"
#include "sysreg.h"

/* IHI 0048B table 4-1 (distributor) and table 4-2 (CPU interface). */
#define GICD_ITARGETSR  0x0800
#define GICD_SGIR       0x0f00
#define GICC_CTLR       0x0000
#define GICC_PMR        0x0004
#define GICC_BPR        0x0008
#define GICC_IAR        0x000c
#define GICC_EOIR       0x0010
#define GICC_RPR        0x0014
#define GICC_DIR        0x1000

#define GICC_CTLR_ENABLE  (1U << 0)
#define GICC_CTLR_EOIMODE (1U << 9)	/* EOImodeS, or EOImodeNS in the NS view */
#define GICD_SGIR_OTHERS  (1U << 24)	/* TargetListFilter = 0b01 */

static void __iomem *gicd, *gicc;
/* Each CPU's CPU interface number, for SGI target lists (IHI 0048B
 * 4.3.12: GICD_ITARGETSR0..7 read as the reading CPU's own bit). */
static u8 cpu_if_mask[NR_CPUS];

bool gicv2_probe(const struct gic_regs *r)
{
	/* The CPU interface is 8 KiB: GICC_DIR is in its second page. */
	if (r->size[0] < 0x1000 || r->size[1] < 0x2000) {
		printf("gic: GICv2 regions too small (GICD 0x%lx, GICC 0x%lx bytes)\n",
		       r->size[0], r->size[1]);
		return false;
	}
	gicd = ioremap(r->base[0], 0x10000 < r->size[0] ? 0x10000 : r->size[0]);
	gicc = ioremap(r->base[1], 0x2000);
	return gicd && gicc;
}

static u8 own_if_mask(void)
{
	u8 mask = readb(gicd + GICD_ITARGETSR);
	/* A uniprocessor GIC (GICD_TYPER.CPUNumber = 0) has RAZ/WI
	 * ITARGETSRs (IHI 0048B 4.3.12): its one interface is bit 0. */
	if (!mask && !(readl(gicd + GICD_TYPER) >> 5 & 7))
		mask = 1;
	return mask;
}

static void v2_dist_init(unsigned nr_irqs)
{
	u32 target = own_if_mask() * 0x01010101U;
	writel(0, gicd + GICD_CTLR);
	for (unsigned i = GIC_NR_PRIVATE; i < nr_irqs; i += 32)
		writel(~0U, gicd + GICD_ICENABLER + i / 8);
	for (unsigned i = GIC_NR_PRIVATE; i < nr_irqs; i += 4) {
		writel(GIC_PRIO_DEFAULT * 0x01010101U, gicd + GICD_IPRIORITYR + i);
		writel(target, gicd + GICD_ITARGETSR + i);
	}
	writel(GICC_CTLR_ENABLE, gicd + GICD_CTLR);	/* GICD_CTLR.Enable(Grp0) */
}

static void v2_cpu_init(void)
{
	int cpu = smp_processor_id();
	cpu_if_mask[cpu] = own_if_mask();
	/* SGIs enabled, PPIs disabled (banked: this CPU's). */
	writel(0xffff0000U, gicd + GICD_ICENABLER);
	writel(0x0000ffffU, gicd + GICD_ISENABLER);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i += 4)
		writel(GIC_PRIO_DEFAULT * 0x01010101U, gicd + GICD_IPRIORITYR + i);
	writel(GIC_PRIO_MASK_ALL, gicc + GICC_PMR);
	/* Below the minimum reads back as the minimum: the most group
	 * priority bits, so distinct priorities can preempt each other. */
	writel(0, gicc + GICC_BPR);
	writel(GICC_CTLR_ENABLE, gicc + GICC_CTLR);
}

static void __iomem *v2_irq_base(int irq)
{
	(void)irq;
	return gicd;
}

/* GICv2 has no RWP: an ICENABLER write has taken effect once a read of
 * the distributor after it has returned (Device-nGnRnE, in order). */
static void v2_wait_rwp(int irq)
{
	(void)readl(gicd + GICD_ICENABLER + irq / 32 * 4);
}

static u32 v2_read_iar(void)
{
	return readl(gicc + GICC_IAR);
}

static int v2_iar_source(u32 iar)
{
	if ((iar & 0x3ff) >= GIC_NR_SGIS)
		return -1;
	u8 bit = 1U << ((iar >> 10) & 7);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu_if_mask[cpu] == bit)
			return cpu;
	return -1;
}

static void v2_write_eoir(u32 iar)
{
	writel(iar, gicc + GICC_EOIR);
}

static void v2_write_dir(u32 iar)
{
	writel(iar, gicc + GICC_DIR);
}

static void v2_set_eoi_split(bool split)
{
	u32 ctlr = readl(gicc + GICC_CTLR);
	writel(split ? ctlr | GICC_CTLR_EOIMODE : ctlr & ~GICC_CTLR_EOIMODE, gicc + GICC_CTLR);
}

static bool v2_eoi_split(void)
{
	return readl(gicc + GICC_CTLR) & GICC_CTLR_EOIMODE;
}

static void v2_set_pmr(u8 mask)
{
	writel(mask, gicc + GICC_PMR);
}

static u8 v2_read_pmr(void)
{
	return readl(gicc + GICC_PMR);
}

static u8 v2_read_rpr(void)
{
	return readl(gicc + GICC_RPR);
}

/* IHI 0048B 4.3.15 GICD_SGIR. writel's DSB ST orders the caller's Normal
 * stores before the SGI that tells the target to read them. */
static u8 if_mask(int cpu)
{
	if (!cpu_if_mask[cpu]) {
		printf("gic: CPU %d has no CPU interface set up yet (gic_enable_defaults on it first)\n", cpu);
		abort();
	}
	return cpu_if_mask[cpu];
}

static void v2_send_sgi(int irq, u64 cpus, bool others)
{
	u32 targets = 0;
	for (int cpu = 0; cpu < nr_cpus && !others; cpu++)
		if (cpus & (1UL << cpu))
			targets |= if_mask(cpu);
	writel(others ? GICD_SGIR_OTHERS | irq : targets << 16 | irq, gicd + GICD_SGIR);
}

static void v2_set_spi_target(int irq, int cpu)
{
	writeb(if_mask(cpu), gicd + GICD_ITARGETSR + irq);
}

const struct gic_ops gicv2_ops = {
	.dist_init = v2_dist_init,
	.cpu_init = v2_cpu_init,
	.irq_base = v2_irq_base,
	.wait_rwp = v2_wait_rwp,
	.read_iar = v2_read_iar,
	.iar_source = v2_iar_source,
	.write_eoir = v2_write_eoir,
	.write_dir = v2_write_dir,
	.set_eoi_split = v2_set_eoi_split,
	.eoi_split = v2_eoi_split,
	.set_pmr = v2_set_pmr,
	.read_pmr = v2_read_pmr,
	.read_rpr = v2_read_rpr,
	.send_sgi = v2_send_sgi,
	.set_spi_target = v2_set_spi_target,
};
