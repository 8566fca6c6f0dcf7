/* Self tests of the framework: the boot result (CPUs, memory), the
 * exception vectors at EL1 and EL0, SMP and the report API. Run as
 *   selftest setup smp=N mem=MiB | vectors-kernel | vectors-user | smp |
 *            report-api
 * and, to fail on purpose for tests/guest-negative.sh, as
 *   selftest unhandled | report-xpass | report-abort | assert-msg |
 *            prefix-delim | on-cpu-bad | double-free */
#include <libcflat.h>

/* ---- setup ---- */

static void check_setup(int argc, char **argv)
{
	int checked = 0;
	report_prefix_push("setup");
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "smp=", 4)) {
			long want = atol(argv[i] + 4);
			report(nr_cpus == want, "number of CPUs %d matches smp=%ld",
			       nr_cpus, want);
			checked++;
		} else if (!strncmp(argv[i], "mem=", 4)) {
			u64 want = (u64)atol(argv[i] + 4) << 20;
			report(total_ram() == want, "memory size %lu MiB matches mem=%lu",
			       total_ram() >> 20, want >> 20);
			checked++;
		}
	}
	if (checked != 2)
		report(false, "setup needs smp= and mem= arguments");
	report(mmu_enabled() && (read_sysreg(sctlr_el1) & SCTLR_C),
	       "MMU and D-cache on after boot");
	report(current_el() == 1, "running at EL1");
	/* Tables for RAM beyond the image's GiB come from the page allocator,
	 * not from the fixed pool in the image (which ran out at ~26 GiB). */
	const struct mem_region *last = &platform.mem[platform.nr_mem - 1];
	u64 top = last->end - 1;
	if (top / SZ_1G != image_start / SZ_1G) {
		u64 l2 = mmu_tables.root[(top >> 30) & 511] & PTE_ADDR_MASK;
		report(l2 && (l2 < image_start || l2 >= image_end),
		       "the level-2 table of the last GiB of RAM (0x%lx) is outside the image", l2);
	} else {
		report_info("RAM within the image's GiB: no table outside the boot pool to check");
	}
	report_prefix_pop();
}

/* ---- vectors ---- */

/* What the last handler saw. */
static volatile struct {
	unsigned ec;
	u64 esr, far, elr;
	int count;
} seen;

static void record(struct pt_regs *regs, unsigned esr)
{
	seen.ec = esr_ec(esr);
	seen.esr = esr;
	seen.far = regs->far;
	seen.elr = regs->pc;
	seen.count++;
}

/* Undefined instruction, data abort: skip the faulting instruction. */
static void skip_insn(struct pt_regs *regs, unsigned esr)
{
	record(regs, esr);
	regs->pc += 4;
}

/* SVC: ELR already points after it. */
static void note_svc(struct pt_regs *regs, unsigned esr)
{
	record(regs, esr);
}

/* Instruction abort at a bad branch target: return to the caller. */
static void return_to_lr(struct pt_regs *regs, unsigned esr)
{
	record(regs, esr);
	regs->pc = regs->regs[30];
}

static void reset_seen(void)
{
	seen.ec = 0xff;
	seen.count = 0;
	seen.far = seen.elr = seen.esr = 0;
}

/* An address no table maps: above every RAM bank in the 39-bit space,
 * below the user alias. */
#define UNMAPPED_VA (1UL << 37)

static u64 do_undef(u64 arg)
{
	/* UDF #0: permanently undefined (Arm ARM C6.2 "UDF"). 1 is set in
	 * x0 after it, so returning 1 proves execution resumed. */
	register u64 x0 asm("x0") = arg;
	asm volatile("udf #0\n\tmov %0, #1" : "+r"(x0));
	return x0;
}

static u64 do_svc(u64 arg)
{
	register u64 x0 asm("x0") = arg;
	asm volatile("svc #0x123\n\tmov %0, #2" : "+r"(x0) : : "memory");
	return x0;
}

static u64 do_load(u64 addr)
{
	register u64 x0 asm("x0") = addr;
	/* The handler skips the load; x0 then still holds the address. */
	asm volatile("ldr %0, [%0]" : "+r"(x0) : : "memory");
	return x0;
}

static u64 do_branch(u64 addr)
{
	register u64 x0 asm("x0") = addr;
	asm volatile("blr %0\n\tmov %0, #3" : "+r"(x0) : : "x30", "memory");
	return x0;
}

struct vector_case {
	const char *name;
	u64 (*fn)(u64);
	exception_fn handler;
	unsigned ec_el1, ec_el0;
	bool far_valid;		/* FAR must be the argument */
	u64 expect;		/* fn's return value after the handler */
};

static void run_vector_case(const struct vector_case *c, bool user, u64 arg,
			    u64 user_sp)
{
	unsigned ec = user ? c->ec_el0 : c->ec_el1;
	enum vector v = user ? EL0_SYNC_64 : EL1H_SYNC;
	install_exception_handler(v, ec, c->handler);
	reset_seen();
	u64 ret = user ? run_el0(c->fn, arg, user_sp) : c->fn(arg);
	install_exception_handler(v, ec, NULL);
	report(seen.count == 1 && seen.ec == ec, "%s: taken once, EC 0x%02x (saw %d, EC 0x%02x)",
	       c->name, ec, seen.count, seen.ec);
	if (c->far_valid)
		report(seen.far == arg, "%s: FAR 0x%lx", c->name, (u64)seen.far);
	report(ret == (c->expect ? c->expect : arg), "%s: returned to the interrupted code",
	       c->name);
}

static void check_vectors(bool user)
{
	/* At EL0: a kernel data page is not accessible (AP[1] = 0) and not
	 * executable (UXN): both fault at EL0 alone. */
	static u64 kernel_word;
	const struct vector_case cases[] = {
		{ "undefined instruction", do_undef, skip_insn, ESR_EC_UNKNOWN, ESR_EC_UNKNOWN, false, 1 },
		{ "svc", do_svc, note_svc, ESR_EC_SVC64, ESR_EC_SVC64, false, 2 },
		{ "data abort", do_load, skip_insn, ESR_EC_DABT_CUR, ESR_EC_DABT_LOW, true, 0 },
		{ "instruction abort", do_branch, return_to_lr, ESR_EC_IABT_CUR, ESR_EC_IABT_LOW, true, 3 },
	};
	u64 user_sp = 0;
	report_prefix_push(user ? "vectors-user" : "vectors-kernel");
	if (user) {
		void *page = alloc_page();
		assert(page);
		user_sp = (u64)mmu_user_alias(page) + PAGE_SIZE;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 arg = 0;
		if (cases[i].far_valid)
			arg = user ? (u64)&kernel_word : UNMAPPED_VA;
		run_vector_case(&cases[i], user, arg, user_sp);
		if (cases[i].fn == do_svc)	/* the immediate is in ESR.ISS */
			report((seen.esr & 0xffff) == 0x123, "svc: ISS holds the immediate 0x123");
	}
	report_prefix_pop();
}

/* ---- smp ---- */

static struct spinlock smp_lock;
static volatile u64 cpus_seen;
static volatile int mpidr_ok[NR_CPUS];
static volatile u64 counter;

static void smp_probe(void *arg)
{
	(void)arg;
	int cpu = smp_processor_id();
	mpidr_ok[cpu] = (read_sysreg(mpidr_el1) & 0xff00ffffffUL) == platform.cpu_mpidr[cpu];
	spin_lock(&smp_lock);
	cpus_seen |= 1UL << cpu;
	spin_unlock(&smp_lock);
	/* Contend for the lock: a lost update shows as a short count. */
	for (int i = 0; i < 1000; i++) {
		spin_lock(&smp_lock);
		counter = counter + 1;
		spin_unlock(&smp_lock);
	}
}

static void check_smp(void)
{
	int n = nr_cpus;
	report_prefix_push("smp");
	smp_boot_secondaries();
	int online = 0;
	for (int cpu = 0; cpu < n; cpu++)
		online += cpu_online(cpu);
	report(online == n, "all %d CPUs online (%d)", n, online);
	on_cpus(smp_probe, NULL);
	report(cpus_seen == (1UL << n) - 1, "on_cpus ran on every CPU (mask 0x%lx)",
	       (u64)cpus_seen);
	int good = 0;
	for (int cpu = 0; cpu < n; cpu++)
		good += mpidr_ok[cpu];
	report(good == n, "MPIDR of each CPU matches the device tree");
	report(counter == 1000UL * n, "spinlock: %lu of %lu increments", (u64)counter, 1000UL * n);
	report_prefix_pop();
}

/* ---- report ---- */

/* Every kind of line, and what each call returns. The lines and the
 * SUMMARY are checked from outside too (tests/guest-negative.sh), since a
 * broken counter would also break report() here. */
static void check_report_api(void)
{
	report_prefix_pushf("report-%s", "api");
	report_pass("report_pass");
	report_info("an INFO line is not a test");
	report(report_xfail(true, false, "report_xfail(xfail, fail): XFAIL"),
	       "report_xfail of an expected failure returns true");
	report(report_xfail(false, true, "report_xfail(no xfail, pass): PASS"),
	       "report_xfail without xfail is report");
	report(report_kfail(true, false, "report_kfail(kfail, fail): KFAIL"),
	       "report_kfail of a known failure returns true");
	report(report_kfail(true, true, "report_kfail(kfail, pass): PASS"),
	       "report_kfail of a pass returns true");
	report_skip("report_skip");
	report_prefix_pushf("cpu%d", smp_processor_id());
	report_prefix_push("inner");
	report_pass("two prefixes pushed");
	report_prefix_popn(2);
	report_pass("both popped");
	/* Longer than any buffer of printf or report: printed whole. */
	char longmsg[700];
	memset(longmsg, 'x', sizeof(longmsg) - 2);
	longmsg[sizeof(longmsg) - 2] = 'y';
	longmsg[sizeof(longmsg) - 1] = 0;
	report_pass("long message %s", longmsg);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	report_prefix_push("selftest");
	if (argc < 2)
		report(false, "no subtest given");
	else if (!strcmp(argv[1], "setup"))
		check_setup(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "vectors-kernel"))
		check_vectors(false);
	else if (!strcmp(argv[1], "vectors-user"))
		check_vectors(true);
	else if (!strcmp(argv[1], "smp"))
		check_smp();
	else if (!strcmp(argv[1], "report-api"))
		check_report_api();
	/* Must fail: tests/guest-negative.sh. */
	else if (!strcmp(argv[1], "unhandled"))
		do_load(UNMAPPED_VA);
	else if (!strcmp(argv[1], "report-xpass"))
		report_xfail(true, true, "an expected failure that passes");
	else if (!strcmp(argv[1], "report-abort"))
		report_abort("giving up at step %d", 3);
	else if (!strcmp(argv[1], "assert-msg"))
		assert_msg(argc == 99, "argc is %d", argc);
	else if (!strcmp(argv[1], "prefix-delim"))
		report_prefix_push("a: b");
	else if (!strcmp(argv[1], "on-cpu-bad"))
		on_cpu(nr_cpus, smp_probe, NULL);
	else if (!strcmp(argv[1], "double-free")) {
		void *p = malloc(40);
		free(p);
		free(p);
	}
	else
		report(false, "unknown subtest %s", argv[1]);
	return report_summary();
}
