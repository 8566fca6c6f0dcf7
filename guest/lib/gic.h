/* The Generic Interrupt Controller, GICv2 and GICv3, as the device tree
 * describes it: distributor, (v3) redistributors and the CPU interface,
 * with the calls and names of kvm-unit-tests' asm/gic.h where it has them.
 *
 * Architecture: GICv3/v4, Arm IHI 0069 (GIC architecture specification),
 * chapter 2 "Distribution and Routing of Interrupts" (INTID ranges, SGIs,
 * PPIs, SPIs),
 * chapter 4 "Physical Interrupt Handling and Prioritization" (the
 * lifecycle inactive -> pending -> active, acknowledge, priority drop
 * and deactivation, preemption, the running priority), chapter 12
 * "Programmers' Model" (every register named here). GICv2: Arm IHI 0048B,
 * chapter 3 "Interrupt Handling and Prioritization" and chapter 4
 * "Programmers' Model".
 *
 * Everything is non-secure group 1 (v3) or group 0 with the security
 * extensions absent (v2, QEMU virt and KVM both), signalled as IRQ. */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "types.h"

/* INTID ranges (IHI 0069 chapter 2, "INTIDs"). */
#define GIC_NR_SGIS     16
#define GIC_NR_PRIVATE  32
#define PPI(n)          ((n) + 16)	/* device-tree PPI number -> INTID */
#define SPI(n)          ((n) + 32)	/* device-tree SPI number -> INTID */
#define GIC_SPURIOUS    1023		/* IAR when nothing can be acknowledged */

/* The default priority of every interrupt, and the mask that lets all of
 * them through: kvm-unit-tests' and Linux's values. Priorities compare
 * numerically, lower is more urgent; only the top bits may be implemented
 * (at least 4 of 8 for v2, 5 for v3 with two security states). */
#define GIC_PRIO_DEFAULT 0xa0
#define GIC_PRIO_MASK_ALL 0xf0

enum gic_irq_state {
	GIC_IRQ_STATE_INACTIVE,
	GIC_IRQ_STATE_PENDING,
	GIC_IRQ_STATE_ACTIVE,
	GIC_IRQ_STATE_ACTIVE_PENDING,
};

/* Probe the device tree ("arm,gic-v3", "arm,cortex-a15-gic" and the other
 * v2 compatibles), map the GIC's registers (ioremap) and return its
 * version, 2 or 3; 0 if there is none (with a line saying why). Once. */
int gic_init(void);
int gic_version(void);
/* Number of INTIDs the distributor implements (GICD_TYPER.ITLinesNumber). */
unsigned gic_nr_irqs(void);

/* Distributor (first call, on any CPU) and this CPU's interface (every
 * call: run it on each CPU that takes interrupts, secondaries included):
 * every SPI disabled, group 1 (v3), default priority, targeted at the
 * CPU of that first call;
 * SGIs enabled, PPIs disabled; PMR lets everything through, EOImode not
 * split; IRQs delivered to gic_irq_handler through the EL1 IRQ vector.
 * Calls gic_init if needed; asserts that there is a GIC. */
void gic_enable_defaults(void);

/* The CPU interface of this CPU (IHI 0069 chapter 12 ICC_*_EL1, IHI
 * 0048B chapter 4 GICC_*). */
u32 gic_read_iar(void);			/* acknowledge: pending -> active */
u32 gic_iar_irqnr(u32 iar);		/* the INTID in an IAR value */
int gic_iar_source(u32 iar);		/* v2 SGI: sending CPU; else -1 */
void gic_write_eoir(u32 iar);		/* priority drop (+ deactivate unless split) */
void gic_write_dir(u32 iar);		/* deactivate (EOImode split only) */
void gic_set_eoi_split(bool split);	/* ICC_CTLR_EL1/GICC_CTLR.EOImode */
bool gic_eoi_split(void);
void gic_set_pmr(u8 mask);		/* priority mask: only prio < mask signal */
u8 gic_read_pmr(void);
u8 gic_read_rpr(void);			/* running priority, 0xff when idle */

/* SGIs (IPIs): INTID 0..15 to one CPU (our numbering, smp.h), to a set of
 * CPUs (bit n = CPU n), or to every CPU but this one. Stores to Normal
 * memory before the call are visible to the target's handler. */
void gic_ipi_send_single(int irq, int cpu);
void gic_ipi_send_mask(int irq, u64 cpus);
void gic_ipi_send_others(int irq);

/* Per interrupt; for SGIs and PPIs they act on this CPU's copy. */
void gic_enable_irq(int irq);
void gic_disable_irq(int irq);
bool gic_irq_enabled(int irq);
void gic_set_priority(int irq, u8 prio);
u8 gic_get_priority(int irq);
void gic_set_pending(int irq);		/* not SGIs on v2: use an IPI */
void gic_clear_pending(int irq);
enum gic_irq_state gic_irq_state(int irq);
/* Route SPI irq to one CPU (v2 GICD_ITARGETSR, v3 GICD_IROUTER). */
void gic_set_spi_target(int irq, int cpu);

/* Handlers per INTID, called from the IRQ vector with the IAR value
 * between acknowledge and EOI (and, when EOImode is split, before the
 * deactivation), IRQs still masked. SGIs and PPIs: per CPU; SPIs: global.
 * An interrupt without a handler fails the test with its INTID; an IRQ
 * that finds nothing to acknowledge (1023: it was withdrawn, or taken by
 * another CPU) returns at once. */
typedef void (*gic_handler_fn)(u32 iar);
void gic_set_handler(int irq, gic_handler_fn fn);

#endif
