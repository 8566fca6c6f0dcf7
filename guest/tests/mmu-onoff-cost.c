/* make bench: the cost of mmu_disable + mmu_enable in cache lines
 * maintained, with named ranges (a 64 KiB buffer read and written with the
 * MMU off) against the whole-RAM form. Prints a machine-readable line per
 * form; scripts/bench-guest.sh makes the table. */
#include <libcflat.h>
#include "mmu_onoff.h"
#include "percpu.h"

#define BUF_ORDER 4

static u64 cycle(const struct mmu_off_plan *plan)
{
	u64 before = mmu_onoff_lines;
	mmu_disable(plan);
	mmu_enable(plan);
	return mmu_onoff_lines - before;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	report_prefix_push("mmu-onoff-cost");
	u64 *buf = alloc_pages(BUF_ORDER);
	assert(buf);
	const struct mem_range r = { (u64)buf, (u64)buf + (PAGE_SIZE << BUF_ORDER) };
	const struct mmu_off_plan ranges = { &r, 1, &r, 1, false };
	const struct mmu_off_plan whole = { 0 };
	u64 lr = cycle(&ranges), lw = cycle(&whole);
	u64 ram = total_ram();
	printf("BENCH: mmu-onoff ram_mib=%lu ranges_lines=%lu whole_lines=%lu\n", ram >> 20, lr, lw);
	/* Ranges: the buffer 3 times (clean, inval, inval), the stack twice
	 * and a few small objects; whole RAM: 3 passes over all of it, each
	 * followed by this CPU's stack (mmu_onoff.c, clean_inval_ram). */
	u64 buf_lines = (PAGE_SIZE << BUF_ORDER) / 64;
	u64 stack_lines = (this_cpu()->stack_top - this_cpu()->stack_base) / 64;
	report(lr >= 3 * buf_lines && lr < 3 * buf_lines + 2048, "ranges: %lu lines", lr);
	report(lw == 3 * (ram / 64 + stack_lines), "whole RAM: %lu lines = 3 x (RAM + stack)/64", lw);
	return report_summary();
}
