/* mmu_disable/mmu_enable: patterns written with the MMU on are read with it
 * off, and patterns written with it off are read with it on, over several
 * cycles, on CPU 0 and on a secondary, while another CPU keeps its MMU on
 * and reads the same pages through a cacheable alias, so that on hardware
 * lines of them are allocated: the case the invalidations exist for.
 * The toucher reads only the odd 64-byte lines and the pattern lives in
 * the even ones: reading the very lines another CPU writes with the MMU
 * off would itself be a stale read (the checker reports it), while the
 * pages, and so every line of them, stay allocatable. */
#include <libcflat.h>
#include "mmu_onoff.h"

#define BUF_ORDER 4			/* 64 KiB */
#define BUF_SIZE (PAGE_SIZE << BUF_ORDER)
#define ALIAS_BASE (1UL << 36)		/* cacheable alias for the toucher */
#define CYCLES 4
#define WORDS_PER_LINE 8
/* Word i of the pattern area: the even lines of the buffer. */
#define PAT(i) (((i) / WORDS_PER_LINE) * 2 * WORDS_PER_LINE + (i) % WORDS_PER_LINE)
#define PAT_WORDS (BUF_SIZE / 8 / 2)

static u64 *buf;

static u64 pattern(int cycle, bool on, u64 i)
{
	return ((u64)cycle << 56) ^ (on ? 0x0123456789abcdefUL : 0xfedcba9876543210UL) ^
	       (i * 0x9e3779b97f4a7c15UL);
}

/* Runs with the MMU off: only registers, the stack and buf. Returns the
 * number of words that did not hold the MMU-on pattern. */
static u64 __attribute__((noinline)) check_and_write_off(int cycle)
{
	u64 bad = 0;
	for (u64 i = 0; i < PAT_WORDS; i++) {
		bad += buf[PAT(i)] != pattern(cycle, true, i);
		buf[PAT(i)] = pattern(cycle, false, i);
	}
	return bad;
}

struct cycle_result {
	int cpu;
	u64 off_bad[CYCLES], on_bad[CYCLES];
	bool mmu_was_off[CYCLES];
	bool whole_ram;
};

static void cycles(void *arg)
{
	struct cycle_result *r = arg;
	/* The MMU-off code reads the buffer and the pointer to it. */
	const struct mem_range reads[] = { { (u64)buf, (u64)buf + BUF_SIZE },
					   { (u64)&buf, (u64)(&buf + 1) } };
	struct mmu_off_plan plan = { reads, 2, reads, 1, false };
	struct mmu_off_plan whole = { 0 };
	struct mmu_off_plan *p = r->whole_ram ? &whole : &plan;

	r->cpu = smp_processor_id();
	for (int c = 0; c < CYCLES; c++) {
		for (u64 i = 0; i < PAT_WORDS; i++)
			buf[PAT(i)] = pattern(c, true, i);
		mmu_disable(p);
		bool off = !(read_sysreg(sctlr_el1) & SCTLR_M);
		u64 bad = check_and_write_off(c);
		mmu_enable(p);
		/* Results are stored only now, cacheably. */
		r->mmu_was_off[c] = off;
		r->off_bad[c] = bad;
		r->on_bad[c] = 0;
		for (u64 i = 0; i < PAT_WORDS; i++)
			r->on_bad[c] += buf[PAT(i)] != pattern(c, false, i);
	}
}

static volatile bool touching;
static volatile u64 touches;

static void toucher(void *arg)
{
	volatile u64 *alias = arg;
	while (READ_ONCE(touching)) {
		for (u64 i = WORDS_PER_LINE; i < BUF_SIZE / 8; i += 2 * WORDS_PER_LINE)
			(void)alias[i];
		touches = touches + 1;
	}
}

static void report_cycles(const struct cycle_result *r, const char *who)
{
	for (int c = 0; c < CYCLES; c++) {
		report(r->mmu_was_off[c], "%s cycle %d: MMU was off", who, c);
		report(r->off_bad[c] == 0, "%s cycle %d: MMU-on pattern read with the MMU off (%lu bad words)",
		       who, c, r->off_bad[c]);
		report(r->on_bad[c] == 0, "%s cycle %d: MMU-off pattern read with the MMU on (%lu bad words)",
		       who, c, r->on_bad[c]);
	}
}

static void run_on(int cpu, int touch_cpu, bool whole_ram, const char *who)
{
	struct cycle_result r = { .whole_ram = whole_ram };
	if (touch_cpu >= 0) {
		touching = true;
		touches = 0;
		on_cpu_async(touch_cpu, toucher, (void *)(ALIAS_BASE + (u64)buf));
		while (!READ_ONCE(touches))	/* it is running before we start */
			;
	}
	on_cpu(cpu, cycles, &r);
	if (touch_cpu >= 0) {
		touching = false;
		cpu_wait(touch_cpu);
		report(touches > 0, "%s: CPU %d read the buffer through its alias meanwhile", who, touch_cpu);
	}
	report(r.cpu == cpu, "%s: ran on CPU %d", who, cpu);
	report_cycles(&r, who);
}

int main(void)
{
	report_prefix_push("mmu-onoff");
	buf = alloc_pages(BUF_ORDER);
	assert(buf);
	mmu_map(&mmu_tables, ALIAS_BASE + (u64)buf, (u64)buf, BUF_SIZE, PROT_RAM);
	isb();

	int n = nr_cpus;
	run_on(0, n > 1 ? 1 : -1, false, "cpu0 ranges");
	run_on(0, n > 1 ? 1 : -1, true, "cpu0 whole RAM");
	if (n > 1)
		run_on(1, n > 2 ? 2 : -1, false, "cpu1 ranges");
	else
		report_skip("secondary: needs -smp 2 or more");
	return report_summary();
}
