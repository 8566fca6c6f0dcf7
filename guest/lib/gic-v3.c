/* GICv3 (Arm IHI 0069): memory-mapped distributor and redistributors, the
 * CPU interface through system registers (ICC_*_EL1). Affinity routing
 * on; everything non-secure group 1 (with GICD_CTLR.DS = 1, as QEMU's virt
 * without EL3 and KVM present it, group 1 is the one signalled as IRQ).
 * The barriers after the system-register accesses are Linux's
 * (arch/arm64/include/asm/arch_gicv3.h, drivers/irqchip/irq-gic-v3.c). */
#include "gic-priv.h"
#include "libc.h"
#include "percpu.h"
#include "smp.h"
#include "sysreg.h"

/* IHI 0069 chapter 12: the GICD_, GICR_ register maps. */
#define GICD_CTLR_RWP      (1U << 31)
#define GICD_CTLR_ARE      (1U << 4)
#define GICD_CTLR_GRP1     (1U << 1)	/* DS = 1: EnableGrp1; NS view: EnableGrp1A */
#define GICD_CTLR_GRP0     (1U << 0)	/* DS = 1: EnableGrp0; NS view: EnableGrp1 */
#define GICD_IROUTER       0x6000
#define GICR_CTLR          0x0000
#define GICR_CTLR_RWP      (1U << 3)
#define GICR_TYPER         0x0008
#define GICR_TYPER_VLPIS   (1UL << 1)
#define GICR_TYPER_LAST    (1UL << 4)
#define GICR_WAKER         0x0014
#define GICR_WAKER_PSLEEP  (1U << 1)
#define GICR_WAKER_CASLEEP (1U << 2)
#define GICR_FRAME         0x10000	/* RD_base, then SGI_base (then 2 VLPI frames on v4) */

#define ICC_SRE_SRE        (1UL << 0)
#define ICC_CTLR_EOIMODE   (1UL << 1)
#define ICC_SGI1R_IRM      (1UL << 40)

/* Arm ARM DDI 0487 D17, the ICC_* encodings (op0 3, op1 0, CRn 12 or 4). */
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_BPR1_EL1    S3_0_C12_C12_3
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_DIR_EL1     S3_0_C12_C11_1
#define ICC_RPR_EL1     S3_0_C12_C11_3
#define ICC_SGI1R_EL1   S3_0_C12_C11_5
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define rd_sysreg(r) read_sysreg(r)
#define wr_sysreg(v, r) write_sysreg(v, r)
/* read_sysreg stringifies its argument: expand the encoding first. */
#define read_icc(r) rd_sysreg(r)
#define write_icc(v, r) wr_sysreg(v, r)

static void __iomem *gicd;
static struct { void __iomem *base; u64 size; } rd_regions[8];
static int nr_rd;
static void __iomem *rd_base[NR_CPUS];	/* each CPU's RD_base frame */

bool gicv3_probe(const struct gic_regs *r)
{
	gicd = ioremap(r->base[0], 0x10000 < r->size[0] ? 0x10000 : r->size[0]);
	if (!gicd)
		return false;
	/* Only as much of each region as our CPUs can use: QEMU's first
	 * region has room for 123 redistributors (15 MiB). Two frames each,
	 * four with GICv4's VLPI frames. */
	u64 need = (u64)nr_cpus * 4 * GICR_FRAME;
	for (int i = 0; i < r->nr_rd; i++) {
		u64 size = r->rd_regions[i][1] < need ? r->rd_regions[i][1] : need;
		rd_regions[i].base = ioremap(r->rd_regions[i][0], size);
		rd_regions[i].size = size;
		if (!rd_regions[i].base)
			return false;
	}
	nr_rd = r->nr_rd;
	return true;
}

static void wait_rwp(void __iomem *ctlr, u32 bit)
{
	for (long n = 0; readl(ctlr) & bit; n++)
		if (n == 100000000) {
			printf("gic: RWP still set after 10^8 reads of 0x%lx\n", (u64)ctlr);
			abort();
		}
}

static u64 affinity(u64 mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
}

static void v3_dist_init(unsigned nr_irqs)
{
	writel(0, gicd + GICD_CTLR);
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
	u64 mpidr0 = read_sysreg(mpidr_el1);
	for (unsigned i = GIC_NR_PRIVATE; i < nr_irqs; i += 32) {
		writel(~0U, gicd + GICD_IGROUPR + i / 8);
		writel(~0U, gicd + GICD_ICENABLER + i / 8);
	}
	for (unsigned i = GIC_NR_PRIVATE; i < nr_irqs; i += 4)
		writel(GIC_PRIO_DEFAULT * 0x01010101U, gicd + GICD_IPRIORITYR + i);
	/* IROUTER: Aff3 in bits 39:32, Aff2.Aff1.Aff0 in 23:0, IRM = 0. */
	for (unsigned i = GIC_NR_PRIVATE; i < nr_irqs; i++)
		writeq(mpidr0 & 0xff00ffffffUL, gicd + GICD_IROUTER + 8 * i);
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
	writel(GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0, gicd + GICD_CTLR);
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

/* This CPU's redistributor: the frame whose GICR_TYPER.Affinity_Value is
 * our MPIDR's affinity (IHI 0069 chapter 12, GICR_TYPER). */
static void __iomem *find_rd(u64 mpidr)
{
	u64 aff = affinity(mpidr);
	for (int i = 0; i < nr_rd; i++) {
		for (u64 off = 0; off + 2 * GICR_FRAME <= rd_regions[i].size;) {
			void __iomem *rd = rd_regions[i].base + off;
			u64 typer = readq(rd + GICR_TYPER);
			if (typer >> 32 == aff)
				return rd;
			if (typer & GICR_TYPER_LAST)
				break;
			off += (typer & GICR_TYPER_VLPIS ? 4 : 2) * GICR_FRAME;
		}
	}
	return NULL;
}

static void __iomem *sgi_base(void)
{
	return rd_base[smp_processor_id()] + GICR_FRAME;
}

static void v3_cpu_init(void)
{
	int cpu = smp_processor_id();
	u64 mpidr = read_sysreg(mpidr_el1);
	void __iomem *rd = find_rd(mpidr);
	if (!rd) {
		printf("gic: no redistributor for CPU %d (MPIDR 0x%lx) in the mapped regions\n",
		       cpu, mpidr);
		abort();
	}
	rd_base[cpu] = rd;
	/* Wake the redistributor: clear ProcessorSleep, wait for
	 * ChildrenAsleep to clear (IHI 0069 chapter 12, GICR_WAKER). */
	writel(readl(rd + GICR_WAKER) & ~GICR_WAKER_PSLEEP, rd + GICR_WAKER);
	for (long n = 0; readl(rd + GICR_WAKER) & GICR_WAKER_CASLEEP; n++)
		if (n == 100000000) {
			printf("gic: CPU %d's redistributor stays asleep\n", cpu);
			abort();
		}
	void __iomem *sgi = rd + GICR_FRAME;
	writel(~0U, sgi + GICD_IGROUPR);
	writel(0xffff0000U, sgi + GICD_ICENABLER);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
	writel(0x0000ffffU, sgi + GICD_ISENABLER);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i += 4)
		writel(GIC_PRIO_DEFAULT * 0x01010101U, sgi + GICD_IPRIORITYR + i);

	/* The system-register interface (ICC_SRE_EL1.SRE): RAO/WI or
	 * writable here; it stays 0 only if EL2 did not enable it
	 * (ICC_SRE_EL2.SRE/Enable, head.S). */
	write_icc(read_icc(ICC_SRE_EL1) | ICC_SRE_SRE, ICC_SRE_EL1);
	isb();
	if (!(read_icc(ICC_SRE_EL1) & ICC_SRE_SRE)) {
		printf("gic: CPU %d: ICC_SRE_EL1.SRE stays 0 (disabled by a higher EL)\n", cpu);
		abort();
	}
	write_icc(GIC_PRIO_MASK_ALL, ICC_PMR_EL1);
	write_icc(0, ICC_BPR1_EL1);	/* the minimum: most preemption levels */
	write_icc(read_icc(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_icc(1, ICC_IGRPEN1_EL1);
	isb();
}

static void __iomem *v3_irq_base(int irq)
{
	return irq < GIC_NR_PRIVATE ? sgi_base() : gicd;
}

static void v3_wait_rwp(int irq)
{
	if (irq < GIC_NR_PRIVATE)
		wait_rwp(rd_base[smp_processor_id()] + GICR_CTLR, GICR_CTLR_RWP);
	else
		wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP);
}

/* The DSB after the acknowledge: Linux's gic_read_iar (the interrupt is
 * active before anything the handler does is observed). */
static u32 v3_read_iar(void)
{
	u32 iar = read_icc(ICC_IAR1_EL1);
	dsb(sy);
	return iar;
}

static int v3_iar_source(u32 iar)
{
	(void)iar;
	return -1;	/* GICv3 does not tell the source of an SGI */
}

static void v3_write_eoir(u32 iar)
{
	write_icc(iar, ICC_EOIR1_EL1);
	isb();
}

static void v3_write_dir(u32 iar)
{
	write_icc(iar, ICC_DIR_EL1);
	isb();
}

static void v3_set_eoi_split(bool split)
{
	u64 ctlr = read_icc(ICC_CTLR_EL1);
	write_icc(split ? ctlr | ICC_CTLR_EOIMODE : ctlr & ~ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	isb();
}

static bool v3_eoi_split(void)
{
	return read_icc(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE;
}

static void v3_set_pmr(u8 mask)
{
	write_icc(mask, ICC_PMR_EL1);
	isb();
}

static u8 v3_read_pmr(void)
{
	return read_icc(ICC_PMR_EL1);
}

static u8 v3_read_rpr(void)
{
	return read_icc(ICC_RPR_EL1);
}

/* ICC_SGI1R_EL1: TargetList 15:0 (Aff0 = RS * 16 + bit), Aff1 23:16,
 * INTID 27:24, Aff2 39:32, IRM 40, RS 47:44, Aff3 55:48. One write per
 * target keeps it simple. The DSB ISHST first makes the caller's Normal
 * stores visible to the target before the SGI can reach it (a system
 * register write is not ordered by DMB). */
static void v3_send_sgi(int irq, u64 cpus, bool others)
{
	dsb(ishst);
	if (others) {
		write_icc(ICC_SGI1R_IRM | (u64)irq << 24, ICC_SGI1R_EL1);
	} else {
		for (int cpu = 0; cpu < nr_cpus; cpu++) {
			if (!(cpus & (1UL << cpu)))
				continue;
			u64 m = percpu[cpu].mpidr;
			u64 aff0 = m & 0xff;
			write_icc((1UL << (aff0 % 16)) | (m >> 8 & 0xff) << 16 | (u64)irq << 24 |
				  (m >> 16 & 0xff) << 32 | (aff0 / 16) << 44 | (m >> 32 & 0xff) << 48,
				  ICC_SGI1R_EL1);
		}
	}
	isb();
}

static void v3_set_spi_target(int irq, int cpu)
{
	writeq(percpu[cpu].mpidr & 0xff00ffffffUL, gicd + GICD_IROUTER + 8 * irq);
}

const struct gic_ops gicv3_ops = {
	.dist_init = v3_dist_init,
	.cpu_init = v3_cpu_init,
	.irq_base = v3_irq_base,
	.wait_rwp = v3_wait_rwp,
	.read_iar = v3_read_iar,
	.iar_source = v3_iar_source,
	.write_eoir = v3_write_eoir,
	.write_dir = v3_write_dir,
	.set_eoi_split = v3_set_eoi_split,
	.eoi_split = v3_eoi_split,
	.set_pmr = v3_set_pmr,
	.read_pmr = v3_read_pmr,
	.read_rpr = v3_read_rpr,
	.send_sgi = v3_send_sgi,
	.set_spi_target = v3_set_spi_target,
};
