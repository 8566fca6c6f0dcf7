/* What gic.c shares with gic-v2.c and gic-v3.c. Not for tests. */
#ifndef GUEST_GIC_PRIV_H
#define GUEST_GIC_PRIV_H

#include "gic.h"
#include "io.h"

/* Distributor registers whose offsets GICv2's GICD, GICv3's GICD and
 * GICv3's redistributor SGI_base frame share (IHI 0069 chapter 12, the
 * GICD_ and GICR_ register maps; IHI 0048B table 4-1). */
#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISPENDR     0x0200
#define GICD_ICPENDR     0x0280
#define GICD_ISACTIVER   0x0300
#define GICD_ICACTIVER   0x0380
#define GICD_IPRIORITYR  0x0400
#define GICD_ICFGR       0x0c00

#define GICD_TYPER_ITLINES(t) ((((t) & 0x1f) + 1) * 32)

struct gic_ops {
	void (*dist_init)(unsigned nr_irqs);
	void (*cpu_init)(void);
	/* Base of the ISENABLER.. block holding irq, for this CPU. */
	void __iomem *(*irq_base)(int irq);
	/* After a write to ICENABLER: wait until it has taken effect. */
	void (*wait_rwp)(int irq);
	u32 (*read_iar)(void);
	int (*iar_source)(u32 iar);
	void (*write_eoir)(u32 iar);
	void (*write_dir)(u32 iar);
	void (*set_eoi_split)(bool split);
	bool (*eoi_split)(void);
	void (*set_pmr)(u8 mask);
	u8 (*read_pmr)(void);
	u8 (*read_rpr)(void);
	/* cpus: bit n = our CPU n; others: every CPU but this one. */
	void (*send_sgi)(int irq, u64 cpus, bool others);
	void (*set_spi_target)(int irq, int cpu);
};

struct gic_regs {
	u64 base[3];	/* reg entries of the node: v2 GICD, GICC; v3 GICD, first GICR region */
	u64 size[3];
	int nr;
	u64 rd_regions[8][2];	/* v3: every redistributor region */
	int nr_rd;
};

extern const struct gic_ops gicv2_ops, gicv3_ops;
/* Map the registers found in the device tree; false (with a message) if
 * they cannot be. */
bool gicv2_probe(const struct gic_regs *r);
bool gicv3_probe(const struct gic_regs *r);

#endif
