/* MMU off and on at run time. docs/boot-cache-maintenance.md "Turning the MMU off" and the
 * kvm-unit-tests thread on asm_mmu_disable: upstream clears M and then
 * cleans+invalidates all of RAM, reading its bounds with the MMU off after
 * they were written cacheably. Here everything the MMU-off code reads is
 * cleaned while the MMU is still on, and only what it writes is
 * invalidated, after M = 0 (a clean+invalidate done before could be undone
 * by a speculative refill before M = 0). Ranges cost O(their size); the
 * whole-RAM form is the fallback for callers that cannot name them. */
#include "mmu_onoff.h"
#include "cache.h"
#include "devtree.h"
#include "mmu.h"
#include "percpu.h"
#include "sysreg.h"

u64 mmu_onoff_lines;

static u64 lines(u64 start, u64 end)
{
	u64 l = dcache_line_size();
	return (ALIGN_UP(end, l) - ALIGN_DOWN(start, l)) / l;
}

static u64 ram_lines(void)
{
	u64 n = 0;
	for (int i = 0; i < platform.nr_mem; i++)
		n += lines(platform.mem[i].start, platform.mem[i].end);
	return n;
}

/* All of RAM, one call per memory region, then this CPU's stack again:
 * each call stores its frame record on the stack, after an earlier call
 * may have cleaned the region holding the stack, so with two or more
 * regions a dirty stack line would be left behind (found by the checker
 * with --mem-nodes 2, tests.cfg mmu-onoff-2nodes). The stack's own call
 * goes last: its frame record is stored before its loop cleans the
 * stack, and nothing is stored after it (as the ranges form of
 * mmu_disable step 1 and mmu_enable do). [BCM: mmu-off-clean] */
static void clean_inval_ram(const struct percpu *pc)
{
	for (int i = 0; i < platform.nr_mem; i++)
		dcache_clean_inval_poc(platform.mem[i].start, platform.mem[i].end);
	dcache_clean_inval_poc(pc->stack_base, pc->stack_top);
}

/* Maintenance of the ranges, returning the number of lines. */
static u64 for_ranges(const struct mem_range *r, int n, void (*op)(u64, u64))
{
	u64 count = 0;
	for (int i = 0; i < n; i++) {
		op(r[i].start, r[i].end);
		count += lines(r[i].start, r[i].end);
	}
	return count;
}

void mmu_disable(const struct mmu_off_plan *plan)
{
	struct percpu *pc = this_cpu();
	u64 sctlr = read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C);
	if (!plan->keep_icache)
		sctlr &= ~SCTLR_I;

	/* 1. MMU on: clean to the PoC what the MMU-off code reads: the
	 * caller's ranges; this routine's and mmu_enable's own reads after
	 * M = 0 (the plan, its write list, this CPU's stack bounds, the table
	 * root); and the whole stack, whose frames the caller returns through
	 * with the MMU off. The stack goes last, and nothing is stored between
	 * its clean and M = 0: a frame pushed after it would be a dirty line
	 * that could later be evicted over what the MMU-off code writes (found
	 * by the checker). [BCM: mmu-off-clean] */
	if (plan->reads) {
		const struct mem_range own[] = {
			{ (u64)plan, (u64)(plan + 1) },
			{ (u64)plan->writes, (u64)(plan->writes + plan->nr_writes) },
			{ (u64)pc, (u64)(pc + 1) },
			{ (u64)&mmu_tables, (u64)(&mmu_tables + 1) },
		};
		mmu_onoff_lines += lines(pc->stack_base, pc->stack_top);
		mmu_onoff_lines += for_ranges(plan->reads, plan->nr_reads, dcache_clean_poc);
		mmu_onoff_lines += for_ranges(own, ARRAY_SIZE(own), dcache_clean_poc);
		dcache_clean_inval_poc(pc->stack_base, pc->stack_top);
	} else {
		mmu_onoff_lines += ram_lines() + lines(pc->stack_base, pc->stack_top);
		clean_inval_ram(pc);	/* all of the above included */
	}

	/* 2. M = 0 (and C, I as asked); the ISB makes the next access
	 * untranslated (Arm ARM D8.2.11 "The effects of disabling a stage of
	 * address translation"). */
	write_sysreg(sctlr, sctlr_el1);
	isb();

	/* 3. With M = 0 this PE allocates no data lines; invalidate what will
	 * be written, so no stale line can be written back over it or be read
	 * when the MMU is on again. The whole-RAM form cleans as well, since
	 * another CPU may hold dirty lines of its own data there.
	 * [BCM: mmu-off-inval] */
	if (plan->writes)
		for_ranges(plan->writes, plan->nr_writes, dcache_inval_poc);
	else
		clean_inval_ram(pc);
	/* Counted by mmu_enable: no memory is written with the MMU off. */
}

void mmu_enable(const struct mmu_off_plan *plan)
{
	struct percpu *pc = this_cpu();

	/* Everything written while off, and the stack, which the calls made
	 * with the MMU off wrote: invalidate before reading it cacheably; a
	 * line may have been refilled by another CPU's speculation while we
	 * wrote memory underneath it. DMB SY orders our Device stores before
	 * the maintenance (docs/boot-cache-maintenance.md "mmu-on-inval"). The stack goes last and the
	 * MMU comes on with no store in between (mmu_enable_sequence is
	 * inline). [BCM: mmu-on-inval] */
	dmb(sy);
	if (plan->writes) {
		for_ranges(plan->writes, plan->nr_writes, dcache_inval_poc);
		dcache_inval_poc(pc->stack_base, pc->stack_top);
	} else {
		clean_inval_ram(pc);
	}
	/* The tables may have changed while off: TLBI before the first walk. */
	mmu_enable_sequence((u64)mmu_tables.root);

	/* Count, now cacheably: step 3 of mmu_disable and ours. */
	if (plan->writes) {
		u64 n = lines(pc->stack_base, pc->stack_top);
		for (int i = 0; i < plan->nr_writes; i++)
			n += 2 * lines(plan->writes[i].start, plan->writes[i].end);
		mmu_onoff_lines += n;
	} else {
		mmu_onoff_lines += 2 * (ram_lines() +
					lines(pc->stack_base, pc->stack_top));
	}
}
