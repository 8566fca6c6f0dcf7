/* The interrupt controller's state, shared by the GICv3 (gicv3.c) and
 * GICv2 front ends: the per-interrupt state of the distributor and the
 * redistributors (Arm IHI 0069, "Physical interrupt handling and
 * prioritization"), each PE's CPU interface, and the choice of the
 * interrupt each PE is signalled.
 *
 * As QEMU virt's GIC (hw/intc/arm_gicv3*.c, with no EL3): one security
 * state (GICD_CTLR.DS = 1), Group 0 signalled as FIQ and Group 1 as IRQ;
 * 5 bits of priority; 256 SPIs (INTIDs 32..287); no LPIs, no ITS. */
#ifndef CHECKER_GIC_H
#define CHECKER_GIC_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct cpu;

#define GIC_NR_SPI    256
#define GIC_NR_IRQ    (32 + GIC_NR_SPI)
#define GIC_SPURIOUS  1023
#define GIC_PRIO_MASK 0xf8          /* 5 priority bits implemented */
#define GIC_MAX_PES   64

/* QEMU virt's timer PPIs (hw/arm/virt.h ARCH_TIMER_*_IRQ, + 16). */
#define PPI_TIMER_EL2_PHYS 26
#define PPI_TIMER_VIRT     27
#define PPI_TIMER_SEC_PHYS 29
#define PPI_TIMER_EL1_PHYS 30

/* QEMU virt's GIC addresses (hw/arm/virt.c base_memmap). */
#define VIRT_GICD_BASE   0x08000000ull
#define VIRT_GICD_SIZE   0x10000ull
#define VIRT_GICC_BASE   0x08010000ull   /* GICv2 CPU interface */
#define VIRT_GICC_SIZE   0x2000ull
#define VIRT_GICR_BASE   0x080a0000ull
#define VIRT_GICR_STRIDE 0x20000ull      /* RD_base + SGI_base frames */

struct gic_irq {
	uint8_t prio;
	bool group1;
	bool enabled;
	bool pending;      /* latched: edge, ISPENDR, SGI */
	bool level;        /* a level-sensitive input asserted (timer) */
	bool active;
	bool edge;         /* ICFGR: edge-triggered */
	uint8_t targets;   /* GICv2 ITARGETSR */
	uint64_t route;    /* GICv3 IROUTER */
	uint8_t sgi_src;   /* GICv2 SGIs: the requesting PEs, one bit each */
};

struct gic_cpu {
	struct gic_irq priv[32];   /* SGIs and PPIs, banked per PE */
	uint8_t pmr;
	uint8_t bpr[2];            /* ICC_BPR0/1 (GICC_BPR, GICC_ABPR) */
	bool grpen[2];             /* ICC_IGRPEN0/1 (GICC_CTLR.EnableGrp) */
	bool eoimode;              /* ICC_CTLR.EOImode (GICC_CTLR.EOImodeNS) */
	bool cbpr;
	/* Active priorities of each group, bit n for group priority n << 3
	 * (ICC_AP0R0/AP1R0 with 5 priority bits). */
	uint32_t apr[2];
	bool asleep;               /* GICR_WAKER.ProcessorSleep */
	/* The EL2 virtual CPU interface's registers (ICH_*_EL2), kept but
	 * never acted on: no virtual interrupt is delivered (docs/interrupts.md). */
	uint64_t ich_hcr, ich_vmcr, ich_lr0;
	uint32_t ich_apr[2];
};

struct gic {
	unsigned version;          /* 2 or 3 */
	uint32_t ctlr;             /* GICD_CTLR EnableGrp0 (bit 0), Grp1 (1) */
	struct gic_irq spi[GIC_NR_SPI];
	struct gic_cpu cpu[GIC_MAX_PES];
	unsigned npe;
	struct machine *m;
};

/* gic.c */
struct gic *gic_new(struct machine *m, unsigned version);
void gic_free(struct gic *g);
struct gic_irq *gic_irq(struct gic *g, unsigned pe, unsigned intid);
/* Is interrupt intid pending (latched, or a level input asserted)? */
bool gic_is_pending(const struct gic_irq *i);
/* The highest-priority pending, enabled, inactive interrupt for PE pe
 * in an enabled group (groups: bit 0 Group 0, bit 1 Group 1), lowest
 * INTID first among equals; GIC_SPURIOUS when there is none. */
unsigned gic_best(struct gic *g, unsigned pe, unsigned groups);
/* Would intid (pending for pe) be signalled now: priority below the
 * PMR and above the running priority (with the binary point)? */
bool gic_can_signal(struct gic *g, unsigned pe, unsigned intid);
/* The PE's running priority (ICC_RPR): 0xff when idle. */
unsigned gic_running_prio(const struct gic_cpu *cpu);
/* Acknowledge: intid becomes active, its priority the running one. */
void gic_activate(struct gic *g, unsigned pe, unsigned intid);
/* Priority drop of group grp's highest active priority. */
void gic_drop(struct gic *g, unsigned pe, unsigned grp);
void gic_deactivate(struct gic *g, unsigned pe, unsigned intid);
/* Recompute every PE's IRQ and FIQ lines (and wake a waiting PE whose
 * line rises), after any change of the GIC's state. */
void gic_update(struct gic *g);
/* Sample the PEs' timer outputs at physical count now into their PPIs,
 * then gic_update(). */
void gic_sync_timers(struct gic *g, uint64_t now);
/* GICD/GICR per-interrupt registers (IGROUPR .. ICACTIVER, IPRIORITYR,
 * ICFGR) at off of a frame whose INTIDs 0..31 are PE pe's (pe < 0: RAZ/WI
 * there) and which holds INTIDs below nirq. False: off is not one. */
bool gic_irqreg_read(struct gic *g, int pe, unsigned nirq, uint64_t off,
		     unsigned size, uint64_t *v);
bool gic_irqreg_write(struct gic *g, int pe, unsigned nirq, uint64_t off,
		      unsigned size, uint64_t v);

/* gicv3.c: register the distributor and redistributors and the ICC
 * system-register hook; 0 or -1. */
int gicv3_init(struct machine *m);
/* gicv2.c: the distributor and the memory-mapped CPU interface; -1 with
 * more than 8 PEs (GICv2's limit) or when out of memory. */
int gicv2_init(struct machine *m);

#endif
