/* The GIC: probing, the version-independent calls, and the IRQ vector's
 * dispatch to handlers per INTID. gic-v2.c and gic-v3.c hold what the
 * versions do differently. */
#include <libfdt.h>
#include "gic-priv.h"
#include "devtree.h"
#include "exceptions.h"
#include "irq.h"
#include "libc.h"
#include "percpu.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"

static int version;
static const struct gic_ops *ops;
static unsigned nr_irqs;
static bool dist_ready;
static struct spinlock init_lock;

/* Handlers: SGIs and PPIs are banked per CPU (IHI 0069 chapter 2), so are
 * theirs; one table for the SPIs. */
#define MAX_SPI_HANDLERS 988		/* INTIDs 32..1019 */
static gic_handler_fn private_handlers[NR_CPUS][GIC_NR_PRIVATE];
static gic_handler_fn spi_handlers[MAX_SPI_HANDLERS];

static const char *const v2_compatibles[] = {
	"arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic", "arm,cortex-a7-gic",
};

static u64 cells(const fdt32_t *p, int n)
{
	u64 v = 0;
	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* The node's reg entries, in the parent's #address-cells/#size-cells. */
static bool read_regs(const void *fdt, int node, struct gic_regs *r)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		printf("gic: %s has no usable reg property\n", fdt_get_name(fdt, node, NULL));
		return false;
	}
	int n = len / 4 / (ac + sc);
	u64 all[8][2];
	for (int i = 0; i < n && i < 8; i++) {
		all[i][0] = cells(reg + i * (ac + sc), ac);
		all[i][1] = cells(reg + i * (ac + sc) + ac, sc);
	}
	if (n > 8)
		n = 8;
	if (version == 3) {
		/* GICD, then #redistributor-regions GICR regions (Linux
		 * Documentation/devicetree/bindings/interrupt-controller/
		 * arm,gic-v3.yaml). */
		const fdt32_t *p = fdt_getprop(fdt, node, "#redistributor-regions", NULL);
		int nr_rd = p ? (int)fdt32_to_cpu(*p) : 1;
		if (nr_rd < 1 || nr_rd + 1 > n || nr_rd > 7) {
			printf("gic: %d redistributor regions but %d reg entries\n", nr_rd, n);
			return false;
		}
		r->base[0] = all[0][0], r->size[0] = all[0][1];
		for (int i = 0; i < nr_rd; i++)
			r->rd_regions[i][0] = all[i + 1][0], r->rd_regions[i][1] = all[i + 1][1];
		r->nr_rd = nr_rd;
		r->nr = 1;
		return true;
	}
	/* v2: GICD, GICC (then GICH, GICV with virtualization: unused). */
	if (n < 2) {
		printf("gic: a GICv2 node needs the distributor and CPU interface in reg (%d entries)\n", n);
		return false;
	}
	for (int i = 0; i < 2; i++)
		r->base[i] = all[i][0], r->size[i] = all[i][1];
	r->nr = 2;
	return true;
}

static struct spinlock probe_lock;

/* Sets version (read_regs needs it), ops and nr_irqs, or leaves version 0. */
static void probe(void)
{
	const void *fdt = (const void *)platform.dtb_start;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	int v = 3;
	for (unsigned i = 0; node < 0 && i < ARRAY_SIZE(v2_compatibles); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, v2_compatibles[i]);
		v = 2;
	}
	if (node < 0) {
		printf("gic: no GICv2 or GICv3 node in the device tree\n");
		return;
	}
	struct gic_regs r = { 0 };
	version = v;
	if (!read_regs(fdt, node, &r) || !(v == 3 ? gicv3_probe(&r) : gicv2_probe(&r))) {
		version = 0;
		return;
	}
	ops = v == 3 ? &gicv3_ops : &gicv2_ops;
	nr_irqs = GICD_TYPER_ITLINES(readl(ops->irq_base(SPI(0)) + GICD_TYPER));
	if (nr_irqs > 1020)
		nr_irqs = 1020;
}

/* Every CPU may be the first to call it (gic_enable_defaults run by
 * on_cpus): under the lock, so that none returns the version while
 * another is still filling in ops (a NULL call on a secondary). */
int gic_init(void)
{
	spin_lock(&probe_lock);
	if (!version)
		probe();
	int v = version;
	spin_unlock(&probe_lock);
	return v;
}

int gic_version(void)
{
	return version;
}

unsigned gic_nr_irqs(void)
{
	return nr_irqs;
}

static void gic_irq_vector(struct pt_regs *regs);

void gic_enable_defaults(void)
{
	if (!gic_init()) {
		printf("gic_enable_defaults: no GIC\n");
		abort();
	}
	spin_lock(&init_lock);
	if (!dist_ready) {
		ops->dist_init(nr_irqs);
		dist_ready = true;
	}
	spin_unlock(&init_lock);
	ops->cpu_init();
	install_irq_handler(EL1H_IRQ, gic_irq_vector);
}

static void check_irq(int irq)
{
	if (irq < 0 || (unsigned)irq >= nr_irqs) {
		printf("gic: INTID %d out of range (the distributor has %u)\n", irq, nr_irqs);
		abort();
	}
}

/* One bit per INTID in the set/clear register banks. */
static void write_bit(int irq, unsigned reg)
{
	check_irq(irq);
	writel(1U << (irq % 32), ops->irq_base(irq) + reg + irq / 32 * 4);
}

static bool read_bit(int irq, unsigned reg)
{
	check_irq(irq);
	return readl(ops->irq_base(irq) + reg + irq / 32 * 4) & (1U << (irq % 32));
}

void gic_enable_irq(int irq)
{
	write_bit(irq, GICD_ISENABLER);
}

void gic_disable_irq(int irq)
{
	write_bit(irq, GICD_ICENABLER);
	ops->wait_rwp(irq);
}

bool gic_irq_enabled(int irq)
{
	return read_bit(irq, GICD_ISENABLER);
}

void gic_set_pending(int irq)
{
	write_bit(irq, GICD_ISPENDR);
}

void gic_clear_pending(int irq)
{
	write_bit(irq, GICD_ICPENDR);
}

/* IPRIORITYR is byte-accessible in both versions (IHI 0069 chapter 12,
 * GICD_IPRIORITYR<n>; IHI 0048B 4.3.11). */
void gic_set_priority(int irq, u8 prio)
{
	check_irq(irq);
	writeb(prio, ops->irq_base(irq) + GICD_IPRIORITYR + irq);
}

u8 gic_get_priority(int irq)
{
	check_irq(irq);
	return readb(ops->irq_base(irq) + GICD_IPRIORITYR + irq);
}

enum gic_irq_state gic_irq_state(int irq)
{
	bool pending = read_bit(irq, GICD_ISPENDR), active = read_bit(irq, GICD_ISACTIVER);
	return pending && active ? GIC_IRQ_STATE_ACTIVE_PENDING :
	       active ? GIC_IRQ_STATE_ACTIVE :
	       pending ? GIC_IRQ_STATE_PENDING : GIC_IRQ_STATE_INACTIVE;
}

void gic_set_spi_target(int irq, int cpu)
{
	check_irq(irq);
	assert(irq >= GIC_NR_PRIVATE && cpu >= 0 && cpu < nr_cpus);
	ops->set_spi_target(irq, cpu);
}

u32 gic_read_iar(void) { return ops->read_iar(); }
u32 gic_iar_irqnr(u32 iar) { return iar & 0x3ff; }
int gic_iar_source(u32 iar) { return ops->iar_source(iar); }
void gic_write_eoir(u32 iar) { ops->write_eoir(iar); }
void gic_write_dir(u32 iar) { ops->write_dir(iar); }
void gic_set_eoi_split(bool split) { ops->set_eoi_split(split); }
bool gic_eoi_split(void) { return ops->eoi_split(); }
void gic_set_pmr(u8 mask) { ops->set_pmr(mask); }
u8 gic_read_pmr(void) { return ops->read_pmr(); }
u8 gic_read_rpr(void) { return ops->read_rpr(); }

static void check_sgi(int irq)
{
	if (irq < 0 || irq >= GIC_NR_SGIS) {
		printf("gic: %d is not an SGI (0..15)\n", irq);
		abort();
	}
}

void gic_ipi_send_single(int irq, int cpu)
{
	check_sgi(irq);
	assert(cpu >= 0 && cpu < nr_cpus);
	ops->send_sgi(irq, 1UL << cpu, false);
}

void gic_ipi_send_mask(int irq, u64 cpus)
{
	check_sgi(irq);
	assert(!(cpus >> nr_cpus));
	ops->send_sgi(irq, cpus, false);
}

void gic_ipi_send_others(int irq)
{
	check_sgi(irq);
	ops->send_sgi(irq, 0, true);
}

void gic_set_handler(int irq, gic_handler_fn fn)
{
	check_irq(irq);
	if (irq < GIC_NR_PRIVATE)
		private_handlers[smp_processor_id()][irq] = fn;
	else
		spi_handlers[irq - GIC_NR_PRIVATE] = fn;
}

/* IHI 0069 chapter 4, "Interrupt lifecycle": acknowledge (IAR read,
 * pending -> active), handle, end (EOIR: priority drop, and deactivation
 * unless EOImode splits it off to DIR). 1023 means nothing was pending
 * above the mask by the time of the read: not an error. */
static void gic_irq_vector(struct pt_regs *regs)
{
	(void)regs;
	u32 iar = ops->read_iar();
	u32 irq = gic_iar_irqnr(iar);
	int cpu = smp_processor_id();
	if (irq == GIC_SPURIOUS)
		return;
	gic_handler_fn fn = irq < GIC_NR_PRIVATE ? private_handlers[cpu][irq] :
			    irq - GIC_NR_PRIVATE < MAX_SPI_HANDLERS ? spi_handlers[irq - GIC_NR_PRIVATE] :
			    NULL;
	if (!fn) {
		printf("\nUnhandled interrupt: INTID %u (IAR 0x%x) on CPU %d\n", irq, iar, cpu);
		report(false, "no unexpected interrupt (INTID %u)", irq);
		exit(report_summary());
	}
	fn(iar);
	ops->write_eoir(iar);
	if (ops->eoi_split())
		ops->write_dir(iar);
}
