/* The generic timer (Arm ARM DDI 0487, D11 "The Generic Timer in
 * AArch64 state"): the system counter through CNTVCT_EL0/CNTPCT_EL0 at
 * CNTFRQ_EL0, the EL1 virtual and physical timers, their PPIs from the
 * device tree's /timer node, and busy-wait delays. */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include "types.h"

/* CNTx_CTL_EL0 bits. */
#define ARCH_TIMER_CTL_ENABLE  (1U << 0)
#define ARCH_TIMER_CTL_IMASK   (1U << 1)
#define ARCH_TIMER_CTL_ISTATUS (1U << 2)

enum timer_kind {
	TIMER_VIRT,	/* CNTV_*_EL0: EL1 virtual timer */
	TIMER_PHYS,	/* CNTP_*_EL0: EL1 physical timer */
	TIMER_HYP_PHYS,	/* CNTHP_*_EL2: only usable at EL2 */
	TIMER_KINDS,
};

/* kvm-unit-tests' names for the PPIs (INTIDs), filled by timer_init. */
struct timer_state {
	struct { u32 irq; u32 irq_flags; } ptimer, vtimer, hptimer;
};
extern struct timer_state __timer_state;
#define TIMER_PTIMER_IRQ (__timer_state.ptimer.irq)
#define TIMER_VTIMER_IRQ (__timer_state.vtimer.irq)
#define TIMER_HPTIMER_IRQ (__timer_state.hptimer.irq)

/* Read the /timer node ("arm,armv8-timer"): 0, or -1 with a line saying
 * what is missing. Once; the delays below need it not. */
int timer_init(void);
/* The INTID of a timer's PPI (0 if the device tree names none). */
u32 timer_irq(enum timer_kind t);
const char *timer_name(enum timer_kind t);
/* The timer's registers can be used at the current EL. */
bool timer_usable(enum timer_kind t);

u64 timer_freq(void);			/* CNTFRQ_EL0, Hz */
u64 read_cntvct(void);			/* ordered after earlier instructions */
u64 read_cntpct(void);
#define get_cntvct() read_cntvct()	/* kvm-unit-tests' name */
/* The counter a timer compares against. */
u64 timer_count(enum timer_kind t);

u32 timer_get_ctl(enum timer_kind t);
void timer_set_ctl(enum timer_kind t, u32 ctl);
u64 timer_get_cval(enum timer_kind t);
void timer_set_cval(enum timer_kind t, u64 cval);
/* Fire ticks from now: CVAL = count + ticks, then CTL = ENABLE (| IMASK). */
void timer_arm(enum timer_kind t, u64 ticks, bool masked);
void timer_stop(enum timer_kind t);

u64 us_to_ticks(u64 us);
u64 ticks_to_us(u64 ticks);
/* Busy-wait on the virtual counter. */
void delay(u64 ticks);
void udelay(unsigned long us);
void mdelay(unsigned long ms);

#endif
