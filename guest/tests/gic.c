/* The GIC library on the machine's GIC (v2 or v3, whichever the device
 * tree has; tests.cfg runs both): the spurious ID, the active state with
 * and without split EOI, priority order, preemption and its absence,
 * SPIs, and SGIs from every CPU to every other one.
 * Architecture: Arm IHI 0069 chapter 4 (lifecycle, priority, preemption),
 * IHI 0048B chapter 3; gic.h has the details. */
#include "gic.h"
#include "irq.h"
#include "libc.h"
#include "percpu.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "sysreg.h"
#include "timer.h"

#define PRIO_HIGH 0x80
#define PRIO_LOW  0xc0

enum { SGI_PLAIN = 3, SGI_ACTIVE = 4, SGI_LOW = 5, SGI_HIGH = 6 };

/* Bounded waits: a lost interrupt fails the check instead of hanging. */
static bool wait_until(volatile bool *flag, u64 us)
{
	u64 end = read_cntvct() + us_to_ticks(us);
	while (!READ_ONCE(*flag) && read_cntvct() < end)
		;
	return READ_ONCE(*flag);
}

static bool wait_state(int irq, enum gic_irq_state want)
{
	u64 end = read_cntvct() + us_to_ticks(1000000);
	while (gic_irq_state(irq) != want && read_cntvct() < end)
		;
	return gic_irq_state(irq) == want;
}

static const char *state_name(enum gic_irq_state s)
{
	static const char *const n[] = { "inactive", "pending", "active", "active+pending" };
	return s <= GIC_IRQ_STATE_ACTIVE_PENDING ? n[s] : "?";
}

/* Nothing pending, or only what the priority mask hides: IAR says 1023
 * and acknowledges nothing (IHI 0069 chapter 4, "Special INTIDs"). */
static void test_spurious(void)
{
	int me = smp_processor_id();
	report_prefix_push("spurious");
	local_irq_disable();
	u32 iar = gic_read_iar();
	report(gic_iar_irqnr(iar) == GIC_SPURIOUS, "IAR with nothing pending is 1023 (0x%x)", iar);

	gic_set_pmr(GIC_PRIO_DEFAULT);		/* blocks priority 0xa0 and below */
	gic_ipi_send_single(SGI_PLAIN, me);
	bool pending = wait_state(SGI_PLAIN, GIC_IRQ_STATE_PENDING);
	iar = gic_read_iar();
	report(pending && gic_iar_irqnr(iar) == GIC_SPURIOUS,
	       "IAR is 1023 while the only pending SGI is masked by PMR 0x%x (0x%x)",
	       gic_read_pmr(), iar);
	report(gic_irq_state(SGI_PLAIN) == GIC_IRQ_STATE_PENDING,
	       "the masked SGI stays pending (%s)", state_name(gic_irq_state(SGI_PLAIN)));
	gic_set_pmr(GIC_PRIO_MASK_ALL);
	iar = gic_read_iar();
	report(gic_iar_irqnr(iar) == SGI_PLAIN, "with PMR 0x%x it is acknowledged (IAR 0x%x)",
	       GIC_PRIO_MASK_ALL, iar);
	if (gic_iar_irqnr(iar) != GIC_SPURIOUS)
		gic_write_eoir(iar);
	report_prefix_pop();
}

/* Acknowledge makes it active and raises the running priority to its
 * own; EOI drops the priority and, unless EOImode is split, deactivates;
 * split, DIR deactivates (IHI 0069 chapter 4, "Interrupt lifecycle",
 * "Priority drop and interrupt deactivation"). */
static void test_active(void)
{
	int me = smp_processor_id();
	report_prefix_push("active");
	local_irq_disable();
	gic_ipi_send_single(SGI_ACTIVE, me);
	wait_state(SGI_ACTIVE, GIC_IRQ_STATE_PENDING);
	u32 iar = gic_read_iar();
	report(gic_iar_irqnr(iar) == SGI_ACTIVE, "acknowledged SGI %d (IAR 0x%x)", SGI_ACTIVE, iar);
	enum gic_irq_state s = gic_irq_state(SGI_ACTIVE);
	report(s == GIC_IRQ_STATE_ACTIVE, "active after acknowledge (%s)", state_name(s));
	u8 rpr = gic_read_rpr();
	report(rpr == GIC_PRIO_DEFAULT, "running priority is its priority (0x%x)", rpr);
	gic_write_eoir(iar);
	s = gic_irq_state(SGI_ACTIVE);
	report(s == GIC_IRQ_STATE_INACTIVE, "inactive after EOI (%s)", state_name(s));
	rpr = gic_read_rpr();
	report(rpr == 0xff, "running priority idle after EOI (0x%x)", rpr);

	gic_set_eoi_split(true);
	report(gic_eoi_split(), "EOImode split set");
	gic_ipi_send_single(SGI_ACTIVE, me);
	wait_state(SGI_ACTIVE, GIC_IRQ_STATE_PENDING);
	iar = gic_read_iar();
	gic_write_eoir(iar);
	s = gic_irq_state(SGI_ACTIVE);
	rpr = gic_read_rpr();
	report(gic_iar_irqnr(iar) == SGI_ACTIVE && s == GIC_IRQ_STATE_ACTIVE && rpr == 0xff,
	       "split: after EOI priority dropped (RPR 0x%x) but still active (%s)", rpr,
	       state_name(s));
	gic_ipi_send_single(SGI_ACTIVE, me);
	bool ap = wait_state(SGI_ACTIVE, GIC_IRQ_STATE_ACTIVE_PENDING);
	report(ap, "split: sent again while active: active+pending (%s)",
	       state_name(gic_irq_state(SGI_ACTIVE)));
	u32 again = gic_read_iar();
	report(gic_iar_irqnr(again) == GIC_SPURIOUS,
	       "split: not acknowledged again while still active (IAR 0x%x)", again);
	gic_write_dir(iar);
	s = gic_irq_state(SGI_ACTIVE);
	report(s == GIC_IRQ_STATE_PENDING, "split: DIR deactivates, leaving it pending (%s)",
	       state_name(s));
	iar = gic_read_iar();
	gic_write_eoir(iar);
	gic_write_dir(iar);
	s = gic_irq_state(SGI_ACTIVE);
	report(gic_iar_irqnr(iar) == SGI_ACTIVE && s == GIC_IRQ_STATE_INACTIVE,
	       "split: taken again, then EOI + DIR: inactive (IAR 0x%x, %s)", iar, state_name(s));
	gic_set_eoi_split(false);
	report_prefix_pop();
}

/* Priority: handlers record the order they ran in. */
static volatile int order[8], norder, depth, max_depth;
static volatile int prio_mode;
enum { MODE_RECORD, MODE_PREEMPT, MODE_NO_PREEMPT };
static volatile bool low_pending_inside, low_taken_inside;

static void record(u32 iar)
{
	if (norder < (int)ARRAY_SIZE(order))
		order[norder++] = gic_iar_irqnr(iar);
}

static void low_handler(u32 iar)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	record(iar);
	if (prio_mode == MODE_PREEMPT) {
		/* A higher priority SGI preempts this handler as soon as
		 * IRQs are unmasked. */
		gic_ipi_send_single(SGI_HIGH, smp_processor_id());
		wait_state(SGI_HIGH, GIC_IRQ_STATE_PENDING);
		local_irq_enable();
		udelay(1000);
		local_irq_disable();
	}
	depth--;
}

static void high_handler(u32 iar)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	record(iar);
	if (prio_mode == MODE_NO_PREEMPT) {
		/* A lower priority SGI must wait for this one's EOI. */
		int before = norder;
		gic_ipi_send_single(SGI_LOW, smp_processor_id());
		low_pending_inside = wait_state(SGI_LOW, GIC_IRQ_STATE_PENDING);
		local_irq_enable();
		udelay(1000);
		local_irq_disable();
		low_taken_inside = norder != before;
	}
	depth--;
}

static void reset_order(int mode)
{
	norder = depth = max_depth = 0;
	prio_mode = mode;
}

static void test_priority(void)
{
	int me = smp_processor_id();
	report_prefix_push("priority");
	gic_set_priority(SGI_LOW, PRIO_LOW);
	gic_set_priority(SGI_HIGH, PRIO_HIGH);
	u8 got = gic_get_priority(SGI_HIGH);
	report(got == PRIO_HIGH, "priority 0x%x reads back (0x%x)", PRIO_HIGH, got);
	gic_set_handler(SGI_LOW, low_handler);
	gic_set_handler(SGI_HIGH, high_handler);

	/* Both pending at once: the more urgent is taken first, whatever
	 * the order they were sent in. */
	local_irq_disable();
	reset_order(MODE_RECORD);
	gic_ipi_send_single(SGI_LOW, me);
	gic_ipi_send_single(SGI_HIGH, me);
	bool both = wait_state(SGI_LOW, GIC_IRQ_STATE_PENDING) &&
		    wait_state(SGI_HIGH, GIC_IRQ_STATE_PENDING);
	local_irq_enable();
	udelay(1000);
	local_irq_disable();
	report(both && norder == 2 && order[0] == SGI_HIGH && order[1] == SGI_LOW,
	       "pending together: high (0x%x) taken before low (0x%x) (%d taken: %d, %d)",
	       PRIO_HIGH, PRIO_LOW, norder, order[0], order[1]);

	reset_order(MODE_PREEMPT);
	gic_ipi_send_single(SGI_LOW, me);
	local_irq_enable();
	udelay(5000);
	local_irq_disable();
	report(norder == 2 && order[0] == SGI_LOW && order[1] == SGI_HIGH && max_depth == 2,
	       "a higher priority SGI preempts a running handler (%d taken, nesting %d)",
	       norder, max_depth);

	reset_order(MODE_NO_PREEMPT);
	low_pending_inside = low_taken_inside = false;
	gic_ipi_send_single(SGI_HIGH, me);
	local_irq_enable();
	udelay(5000);
	local_irq_disable();
	report(low_pending_inside && !low_taken_inside,
	       "a lower priority SGI does not preempt: pending meanwhile, not taken");
	report(norder == 2 && order[0] == SGI_HIGH && order[1] == SGI_LOW && max_depth == 1,
	       "... and is taken after the EOI (%d taken, nesting %d)", norder, max_depth);
	gic_set_priority(SGI_LOW, GIC_PRIO_DEFAULT);
	gic_set_priority(SGI_HIGH, GIC_PRIO_DEFAULT);
	report_prefix_pop();
}

/* An SPI: made pending in the distributor, routed to a CPU. */
static int spi_irq;
static volatile bool spi_hit;
static volatile int spi_cpu;

static void spi_handler(u32 iar)
{
	spi_cpu = smp_processor_id();
	if ((int)gic_iar_irqnr(iar) == spi_irq)
		spi_hit = true;
}

static void spi_setup_cpu(void *arg)
{
	(void)arg;
	gic_enable_defaults();
}

static void spi_on_cpu(void *arg)
{
	(void)arg;
	local_irq_enable();
	wait_until(&spi_hit, 2000000);
	local_irq_disable();
}

static void test_spi(void)
{
	report_prefix_push("spi");
	/* The last SPI: no device of QEMU's virt uses it. */
	spi_irq = gic_nr_irqs() - 1;
	gic_set_handler(spi_irq, spi_handler);
	gic_enable_irq(spi_irq);
	report(gic_irq_enabled(spi_irq), "SPI %d enabled", spi_irq);
	int target = nr_cpus - 1;
	on_cpu(target, spi_setup_cpu, NULL);	/* v2 targets name its CPU interface */
	gic_set_spi_target(spi_irq, target);
	spi_hit = false;
	spi_cpu = -1;
	if (target != smp_processor_id()) {
		on_cpu_async(target, spi_on_cpu, NULL);
		udelay(1000);	/* let it set up; the SPI stays pending until it is ready */
		gic_set_pending(spi_irq);
		cpu_wait(target);
	} else {
		gic_set_pending(spi_irq);
		local_irq_enable();
		wait_until(&spi_hit, 2000000);
		local_irq_disable();
	}
	report(spi_hit && spi_cpu == target, "SPI %d taken on its target CPU %d (on %d)", spi_irq,
	       target, spi_cpu);
	report(gic_irq_state(spi_irq) == GIC_IRQ_STATE_INACTIVE, "inactive after its EOI");
	gic_disable_irq(spi_irq);
	report(!gic_irq_enabled(spi_irq), "SPI %d disabled", spi_irq);
	report_prefix_pop();
}

/* IPIs: CPU c sends SGI c to every other CPU one at a time, then SGI 8 + c
 * to all others at once; each CPU counts what arrives from whom. */
static volatile int unicast[NR_CPUS][NR_CPUS], broadcast[NR_CPUS][NR_CPUS];
static volatile int bad_source[NR_CPUS];
static volatile int ready, phase_done;
static struct spinlock ipi_lock;

static void ipi_handler(u32 iar)
{
	int me = smp_processor_id(), irq = gic_iar_irqnr(iar);
	int src = irq % 8, from = gic_iar_source(iar);
	if (from >= 0 && from != src)	/* GICv2 says who sent it */
		bad_source[me]++;
	if (irq < 8)
		unicast[me][src]++;
	else
		broadcast[me][src]++;
}

static void count_in(volatile int *counter)
{
	spin_lock(&ipi_lock);
	(*counter)++;
	spin_unlock(&ipi_lock);
}

static void wait_count(volatile int *counter, int n)
{
	u64 end = read_cntvct() + us_to_ticks(5000000);
	while (READ_ONCE(*counter) < n && read_cntvct() < end)
		;
}

static bool row_complete(volatile int *row, int me)
{
	for (int src = 0; src < nr_cpus; src++)
		if (src != me && !READ_ONCE(row[src]))
			return false;
	return true;
}

static void wait_row(volatile int *row, int me)
{
	u64 end = read_cntvct() + us_to_ticks(5000000);
	while (!row_complete(row, me) && read_cntvct() < end)
		;
}

static void ipi_cpu(void *arg)
{
	(void)arg;
	int me = smp_processor_id(), n = nr_cpus;
	gic_enable_defaults();
	for (int i = 0; i < 8 && i < NR_CPUS; i++) {
		gic_set_handler(i, ipi_handler);
		gic_set_handler(8 + i, ipi_handler);
	}
	local_irq_enable();
	count_in(&ready);
	wait_count(&ready, n);		/* every interface is up */
	for (int dst = 0; dst < n; dst++)
		if (dst != me)
			gic_ipi_send_single(me, dst);
	wait_row(unicast[me], me);
	count_in(&phase_done);
	wait_count(&phase_done, n);	/* unicasts done everywhere */
	gic_ipi_send_others(8 + me);
	wait_row(broadcast[me], me);
	udelay(1000);			/* a stray duplicate would arrive now */
	local_irq_disable();
}

static void test_ipi(void)
{
	int n = nr_cpus;
	report_prefix_push("ipi");
	if (n < 2) {
		report_skip("IPIs between CPUs need 2 or more (smp = %d)", n);
		report_prefix_pop();
		return;
	}
	on_cpus(ipi_cpu, NULL);
	int uni_ok = 0, bc_ok = 0, self = 0, bad = 0;
	for (int dst = 0; dst < n; dst++) {
		for (int src = 0; src < n; src++) {
			if (src == dst) {
				self += unicast[dst][src] + broadcast[dst][src];
				continue;
			}
			uni_ok += unicast[dst][src] == 1;
			bc_ok += broadcast[dst][src] == 1;
		}
		bad += bad_source[dst];
	}
	int pairs = n * (n - 1);
	report(uni_ok == pairs, "SGI to one CPU: each of %d pairs got exactly one (%d)", pairs, uni_ok);
	report(bc_ok == pairs, "SGI to all others: each of %d pairs got exactly one (%d)", pairs, bc_ok);
	report(self == 0, "no CPU received its own SGI (%d)", self);
	if (gic_version() == 2)
		report(bad == 0, "GICv2 IAR source CPU matches the sender (%d mismatches)", bad);
	for (int dst = 0; dst < n; dst++)
		for (int src = 0; src < n; src++)
			if (src != dst && (unicast[dst][src] != 1 || broadcast[dst][src] != 1))
				report_info("CPU %d from CPU %d: %d unicast, %d broadcast", dst, src,
					    unicast[dst][src], broadcast[dst][src]);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	report_prefix_push("gic");
	int v = gic_init();
	if (!v) {
		report_skip("no GIC in the device tree: nothing to test");
		return report_summary();
	}
	report_info("GICv%d, %u INTIDs, %d CPUs", v, gic_nr_irqs(), nr_cpus);
	gic_enable_defaults();
	test_spurious();
	test_active();
	test_priority();
	test_spi();
	test_ipi();
	return report_summary();
}
