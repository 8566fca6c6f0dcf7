/* The generic timer library: the counter and delays, and the EL1
 * virtual and physical timers through their PPIs: no interrupt before
 * the deadline, one after it (not early), none while IMASK is set though
 * ISTATUS says the condition is met, and WFI woken by the timer.
 * tests.cfg runs it entered at EL1 and at EL2 (where head.S lets EL1 use
 * the physical timer) on GICv2 and GICv3.
 * Architecture: Arm ARM DDI 0487, D11 "The Generic Timer in AArch64
 * state" (the timer condition, ISTATUS, IMASK, the level-sensitive
 * output); Linux's arm,arch_timer binding for the PPIs. */
#include "gic.h"
#include "irq.h"
#include "libc.h"
#include "report.h"
#include "sysreg.h"
#include "timer.h"

#define DEADLINE_US 10000	/* 10 ms ahead */
#define PATIENCE_US 2000000	/* a loaded TCG host may be slow to deliver */

static volatile int fired[TIMER_KINDS];
static volatile u64 fired_at[TIMER_KINDS];
static volatile enum gic_irq_state state_in_handler[TIMER_KINDS];

static int kind_of(u32 irq)
{
	for (int k = 0; k < TIMER_KINDS; k++)
		if (timer_irq(k) == irq)
			return k;
	return -1;
}

/* Level-sensitive: the timer keeps its output asserted until the
 * condition goes away or IMASK hides it, so mask it before the EOI or it
 * is taken again at once. */
static void timer_handler(u32 iar)
{
	int k = kind_of(gic_iar_irqnr(iar));
	assert(k >= 0);
	fired_at[k] = timer_count(k);
	state_in_handler[k] = gic_irq_state(timer_irq(k));
	timer_set_ctl(k, ARCH_TIMER_CTL_ENABLE | ARCH_TIMER_CTL_IMASK);
	fired[k]++;
}

static void test_counter(void)
{
	report_prefix_push("counter");
	u64 f = timer_freq();
	report(f >= 1000000 && f <= 10000000000UL, "CNTFRQ_EL0 is plausible (%lu Hz)", f);
	u64 v0 = read_cntvct(), p0 = read_cntpct();
	u64 v1 = read_cntvct(), p1 = read_cntpct();
	report(v1 >= v0 && p1 >= p0, "virtual and physical counts do not go back");
	u64 t0 = read_cntvct();
	udelay(DEADLINE_US);
	u64 t1 = read_cntvct();
	report(ticks_to_us(t1 - t0) >= DEADLINE_US, "udelay(%d) lasts at least that (%lu us)",
	       DEADLINE_US, ticks_to_us(t1 - t0));
	t0 = read_cntvct();
	mdelay(5);
	t1 = read_cntvct();
	report(ticks_to_us(t1 - t0) >= 5000, "mdelay(5) lasts at least 5 ms (%lu us)",
	       ticks_to_us(t1 - t0));
	report(us_to_ticks(1000000) == f && ticks_to_us(f) == 1000000,
	       "one second is CNTFRQ ticks both ways");
	report_prefix_pop();
}

static bool wait_fired(int k, int n, u64 us)
{
	u64 end = read_cntvct() + us_to_ticks(us);
	while (READ_ONCE(fired[k]) < n && read_cntvct() < end)
		;
	return READ_ONCE(fired[k]) >= n;
}

static u32 wait_istatus(enum timer_kind k)
{
	u64 end = read_cntvct() + us_to_ticks(PATIENCE_US);
	u32 ctl;
	while (!((ctl = timer_get_ctl(k)) & ARCH_TIMER_CTL_ISTATUS) && read_cntvct() < end)
		;
	return ctl;
}

static void test_timer(enum timer_kind k, enum timer_kind watchdog)
{
	u32 irq = timer_irq(k);
	report_prefix_push(timer_name(k));
	report(irq >= 16 && irq < 32, "its interrupt is a PPI (INTID %u)", irq);
	gic_set_handler(irq, timer_handler);
	gic_enable_irq(irq);
	fired[k] = 0;

	/* Masked: the condition is met and shown in ISTATUS, no interrupt. */
	local_irq_enable();
	timer_arm(k, us_to_ticks(DEADLINE_US), true);
	udelay(DEADLINE_US);
	/* QEMU updates ISTATUS from a host timer, which a loaded host runs
	 * late: poll for it, within the same patience as an interrupt. */
	u32 ctl = wait_istatus(k);
	enum gic_irq_state s = gic_irq_state(irq);
	report(ctl & ARCH_TIMER_CTL_ISTATUS, "IMASK: ISTATUS set after the deadline (CTL 0x%x)", ctl);
	report(fired[k] == 0 && s == GIC_IRQ_STATE_INACTIVE,
	       "IMASK: no interrupt, the PPI not pending (%d taken, state %d)", fired[k], s);
	timer_stop(k);

	/* Unmasked, the deadline ahead: nothing yet. */
	timer_arm(k, us_to_ticks(50 * DEADLINE_US), false);
	ctl = timer_get_ctl(k);
	report(!(ctl & ARCH_TIMER_CTL_ISTATUS) && fired[k] == 0,
	       "before the deadline: ISTATUS clear, no interrupt (CTL 0x%x)", ctl);
	timer_stop(k);

	/* Unmasked: one interrupt, not before CVAL. */
	timer_arm(k, us_to_ticks(DEADLINE_US), false);
	u64 cval = timer_get_cval(k);
	bool got = wait_fired(k, 1, PATIENCE_US);
	report(got, "an interrupt after the deadline");
	report(got && fired_at[k] >= cval, "not early: count 0x%lx at the handler, CVAL 0x%lx",
	       fired_at[k], cval);
	report(got && (state_in_handler[k] == GIC_IRQ_STATE_ACTIVE ||
		       state_in_handler[k] == GIC_IRQ_STATE_ACTIVE_PENDING),
	       "the PPI is active in its handler (state %d)", state_in_handler[k]);
	udelay(DEADLINE_US);
	s = gic_irq_state(irq);
	report(fired[k] == 1 && s == GIC_IRQ_STATE_INACTIVE,
	       "masked in the handler: taken once, then inactive (%d taken, state %d)", fired[k], s);
	timer_stop(k);
	local_irq_disable();

	/* WFI with IRQs masked wakes for the timer. The other timer, further
	 * out, is a watchdog: if this one never interrupts, the WFI still
	 * returns and the check fails instead of hanging. */
	fired[k] = fired[watchdog] = 0;
	gic_set_handler(timer_irq(watchdog), timer_handler);
	gic_enable_irq(timer_irq(watchdog));
	timer_arm(watchdog, us_to_ticks(PATIENCE_US), false);
	timer_arm(k, us_to_ticks(DEADLINE_US), false);
	while (!fired[k] && !fired[watchdog])
		wait_for_interrupt();
	timer_stop(watchdog);
	timer_stop(k);
	report(fired[k] == 1 && !fired[watchdog], "wait_for_interrupt is woken by it (%d, watchdog %d)",
	       fired[k], fired[watchdog]);
	gic_disable_irq(timer_irq(watchdog));
	gic_disable_irq(irq);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	report_prefix_push("timer");
	test_counter();
	if (timer_init()) {
		report(false, "the device tree describes the timer");
		return report_summary();
	}
	if (!gic_init()) {
		report_skip("no GIC in the device tree: the timer interrupts cannot be tested");
		return report_summary();
	}
	report_info("GICv%d; PPIs: virtual %u, physical %u, EL2 physical %u; CNTFRQ %lu Hz",
		    gic_version(), TIMER_VTIMER_IRQ, TIMER_PTIMER_IRQ, TIMER_HPTIMER_IRQ, timer_freq());
	gic_enable_defaults();
	test_timer(TIMER_VIRT, TIMER_PHYS);
	test_timer(TIMER_PHYS, TIMER_VIRT);
	if (timer_usable(TIMER_HYP_PHYS))
		report_skip("EL2 physical timer: not exercised by this test yet");
	else
		report_skip("EL2 physical timer: tests run at EL1 (the boot drops from EL2), "
			    "its registers are EL2's");
	return report_summary();
}
