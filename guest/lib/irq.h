/* Masking IRQs at this PE (PSTATE.I) and waiting for one.
 * Arm ARM DDI 0487, D1 "Asynchronous exception masking" (DAIF) and
 * "Wait For Interrupt": WFI wakes on a pending interrupt even while
 * PSTATE.I masks it, so waiting with IRQs masked and unmasking afterwards
 * cannot miss one that arrives between the caller's check and the WFI. */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include "types.h"
#include "sysreg.h"

#define DAIF_I (1UL << 7)

static inline void local_irq_enable(void)
{
	asm volatile("msr daifclr, #2" ::: "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("msr daifset, #2" ::: "memory");
}

static inline u64 local_irq_save(void)
{
	u64 daif = read_sysreg(daif);
	local_irq_disable();
	return daif;
}

static inline void local_irq_restore(u64 daif)
{
	write_sysreg(daif, daif);
}

static inline bool irqs_disabled(void)
{
	return read_sysreg(daif) & DAIF_I;
}

/* Sleep until an interrupt is pending, take it (IRQs are unmasked for
 * one instruction boundary), and return with the caller's mask restored.
 * Call it with IRQs masked after checking the condition being waited for,
 * in a loop. The DSB completes this PE's outstanding accesses first, as
 * Linux's cpu_do_idle does. */
static inline void wait_for_interrupt(void)
{
	u64 daif = local_irq_save();
	dsb(sy);
	wfi();
	local_irq_enable();
	isb();		/* a pending IRQ is taken here, at the latest */
	local_irq_restore(daif);
}

#endif
