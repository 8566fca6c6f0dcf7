/*
 * IPIs, the virtual timer and a spinlock on every CPU, written the way a
 * kvm-unit-tests arm test is written, from that project's public API
 * (its lib/libcflat.h, lib/cpumask.h, lib/arm/asm/{smp,gic,timer,
 * barrier,spinlock,delay}.h, read for the names and signatures), to show
 * that such a test builds here with only its includes changed.
 *
 * In kvm-unit-tests this file would start with
 *	#include <libcflat.h>
 *	#include <cpumask.h>
 *	#include <asm/barrier.h>
 *	#include <asm/delay.h>
 *	#include <asm/gic.h>
 *	#include <asm/processor.h>
 *	#include <asm/smp.h>
 *	#include <asm/spinlock.h>
 *	#include <asm/timer.h>
 * Here the umbrella header is all of them; nothing below that line
 * differs. With those includes the file also builds against
 * kvm-unit-tests' own library (commit 1da1819e49fc) and passes there on
 * QEMU at -smp 1, 2 and 4, GICv2 and GICv3; so it calls nothing that
 * library does not export. (README.md "Writing a test" lists where the
 * APIs differ.)
 */
#include <libcflat.h>

#define IPI_IRQ		1
#define LOOPS		1000
#define TIMEOUT_MS	1000

static struct spinlock lock;
static cpumask_t ready, ipi_acked, recv_done;
static int counter;
static volatile int bad_irq[NR_CPUS];
static volatile u64 timer_seen[NR_CPUS];

static void irq_handler(struct pt_regs *regs)
{
	u32 irqstat = gic_read_iar();
	u32 irqnr = gic_iar_irqnr(irqstat);
	int cpu = smp_processor_id();

	(void)regs;
	if (irqnr == GICC_INT_SPURIOUS)
		return;
	if (irqnr == IPI_IRQ) {
		spin_lock(&lock);
		cpumask_set_cpu(cpu, &ipi_acked);
		spin_unlock(&lock);
	} else if (irqnr == TIMER_VTIMER_IRQ) {
		/* Level-sensitive: masked before the EOI, or it fires again. */
		write_sysreg(ARCH_TIMER_CTL_IMASK | ARCH_TIMER_CTL_ENABLE, cntv_ctl_el0);
		isb();
		timer_seen[cpu] = get_cntvct();
	} else {
		bad_irq[cpu] = irqnr;
	}
	gic_write_eoir(irqstat);
}

static void irq_setup(void *data)
{
	(void)data;
	gic_enable_defaults();
	install_irq_handler(EL1H_IRQ, irq_handler);
	local_irq_enable();
}

/* ---- spinlock ---- */

static void count(void *data)
{
	(void)data;
	for (int i = 0; i < LOOPS; i++) {
		spin_lock(&lock);
		counter++;
		spin_unlock(&lock);
	}
}

static void test_lock(void)
{
	report_prefix_push("spinlock");
	counter = 0;
	on_cpus(count, NULL);
	report(counter == nr_cpus * LOOPS, "%d CPUs x %d increments under the lock = %d",
	       nr_cpus, LOOPS, counter);
	report_prefix_pop();
}

/* ---- IPIs: CPU 0 sends one to each other CPU in turn ---- */

static bool acked(int cpu)
{
	spin_lock(&lock);
	bool done = cpumask_test_cpu(cpu, &ipi_acked);
	spin_unlock(&lock);
	return done;
}

static int receivers_done(void)
{
	spin_lock(&lock);
	int n = cpumask_weight(&recv_done);
	spin_unlock(&lock);
	return n;
}

static void ipi_recv(void *data)
{
	int me = smp_processor_id();

	(void)data;
	spin_lock(&lock);
	cpumask_set_cpu(me, &ready);
	spin_unlock(&lock);
	while (!acked(me))
		wfi();
	spin_lock(&lock);
	cpumask_set_cpu(me, &recv_done);
	spin_unlock(&lock);
}

static void test_ipi(void)
{
	int cpu, me = smp_processor_id();

	report_prefix_push("ipi");
	if (nr_cpus < 2) {
		report_skip("needs at least 2 CPUs, have %d", nr_cpus);
		report_prefix_pop();
		return;
	}
	cpumask_clear(&ready);
	cpumask_clear(&ipi_acked);
	cpumask_clear(&recv_done);
	for_each_present_cpu(cpu)
		if (cpu != me)
			on_cpu_async(cpu, ipi_recv, NULL);
	for_each_present_cpu(cpu) {
		if (cpu == me)
			continue;
		report_prefix_pushf("cpu%d", cpu);
		for (int ms = 0; ms < TIMEOUT_MS; ms++) {
			spin_lock(&lock);
			bool up = cpumask_test_cpu(cpu, &ready);
			spin_unlock(&lock);
			if (up)
				break;
			mdelay(1);
		}
		smp_wmb();
		gic_ipi_send_single(IPI_IRQ, cpu);
		int ms = 0;
		while (!acked(cpu) && ms++ < TIMEOUT_MS)
			mdelay(1);
		report(acked(cpu), "IPI %d received", IPI_IRQ);
		report(!bad_irq[cpu], "no unexpected interrupt (%d)", bad_irq[cpu]);
		report_prefix_pop();
	}
	/* Waited for through the test's own mask: kvm-unit-tests has no
	 * public call that waits for on_cpu_async's work (its cpu_wait is
	 * static in lib/on-cpus.c). */
	for (int ms = 0; receivers_done() < nr_cpus - 1 && ms < TIMEOUT_MS; ms++)
		mdelay(1);
	if (receivers_done() < nr_cpus - 1)
		report_abort("%d of %d receivers still wait for their IPI",
			     nr_cpus - 1 - receivers_done(), nr_cpus - 1);
	report(cpumask_weight(&ipi_acked) == nr_cpus - 1, "%d of %d CPUs acknowledged",
	       cpumask_weight(&ipi_acked), nr_cpus - 1);
	report_prefix_pop();
}

/* ---- the virtual timer on every CPU ---- */

static volatile bool timer_ok[NR_CPUS];

static void timer_one(void *data)
{
	int cpu = smp_processor_id();
	u64 ticks = (u64)(long)data;

	timer_seen[cpu] = 0;
	gic_enable_irq(TIMER_VTIMER_IRQ);
	local_irq_disable();
	u64 deadline = get_cntvct() + ticks;
	write_sysreg(deadline, cntv_cval_el0);
	write_sysreg(ARCH_TIMER_CTL_ENABLE, cntv_ctl_el0);
	isb();
	u64 give_up = deadline + ticks * 1000;
	while (!timer_seen[cpu] && get_cntvct() < give_up) {
		/* wfi wakes on the pending IRQ though it is masked; it is
		 * taken once unmasked. */
		wfi();
		local_irq_enable();
		isb();
		local_irq_disable();
	}
	local_irq_enable();
	write_sysreg(0, cntv_ctl_el0);
	gic_disable_irq(TIMER_VTIMER_IRQ);
	timer_ok[cpu] = timer_seen[cpu] >= deadline;
}

static void test_timer(void)
{
	int cpu;

	report_prefix_push("vtimer");
	assert_msg(TIMER_VTIMER_IRQ, "no virtual timer PPI in the device tree");
	on_cpus(timer_one, (void *)(long)(read_sysreg(cntfrq_el0) / 1000));	/* 1 ms */
	for_each_present_cpu(cpu) {
		report(timer_ok[cpu], "cpu%d: interrupt after the deadline (at %lu)",
		       cpu, (unsigned long)timer_seen[cpu]);
	}
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	report_prefix_push("kut-ipi");
	on_cpus(irq_setup, NULL);
	test_lock();
	test_ipi();
	test_timer();
	return report_summary();
}
