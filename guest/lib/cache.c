/* Cache maintenance by VA. Barriers: DSB SY after operations to the PoC
 * (they must be complete before an observer outside the inner shareable
 * domain, or an MMU-off access, looks), DSB ISH after PoU operations (Arm
 * ARM B2.4.4, "Ordering and completion of data and instruction cache
 * instructions"). */
#include "cache.h"
#include "sysreg.h"

#define CTR_IDC (1UL << 28)
#define CTR_DIC (1UL << 29)

/* CTR_EL0.DminLine / IminLine: log2 of the words in the smallest line. */
unsigned dcache_line_size(void)
{
	return 4u << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

unsigned icache_line_size(void)
{
	return 4u << (read_sysreg(ctr_el0) & 0xf);
}

#define DC_LOOP(op, start, end) do {                                   \
	u64 __line = dcache_line_size();                               \
	for (u64 __a = ALIGN_DOWN(start, __line); __a < (end); __a += __line) \
		asm volatile("dc " #op ", %0" : : "r"(__a) : "memory"); \
} while (0)

void dcache_clean_poc(u64 start, u64 end)
{
	DC_LOOP(cvac, start, end);
	dsb(sy);
}

void dcache_clean_inval_poc(u64 start, u64 end)
{
	DC_LOOP(civac, start, end);
	dsb(sy);
}

void dcache_clean_pou(u64 start, u64 end)
{
	DC_LOOP(cvau, start, end);
	dsb(ish);
}

void dcache_inval_poc(u64 start, u64 end)
{
	u64 line = dcache_line_size();
	if (start >= end)
		return;
	/* A partial line at an edge also holds bytes we must not discard:
	 * clean+invalidate it instead (as Linux dcache_inval_poc does). */
	if (start & (line - 1)) {
		asm volatile("dc civac, %0" : : "r"(ALIGN_DOWN(start, line)) : "memory");
		start = ALIGN_UP(start, line);
	}
	if ((end & (line - 1)) && ALIGN_DOWN(end, line) >= start) {
		asm volatile("dc civac, %0" : : "r"(ALIGN_DOWN(end, line)) : "memory");
		end = ALIGN_DOWN(end, line);
	}
	for (u64 a = start; a < end; a += line)
		asm volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void icache_inval_pou(u64 start, u64 end)
{
	u64 line = icache_line_size();
	for (u64 a = ALIGN_DOWN(start, line); a < end; a += line)
		asm volatile("ic ivau, %0" : : "r"(a) : "memory");
	dsb(ish);
}

/* Arm ARM B2.4.4 "Concurrent modification and execution of instructions";
 * CTR_EL0.IDC/DIC say when either step is not required. */
void sync_icache(u64 start, u64 end)
{
	u64 ctr = read_sysreg(ctr_el0);
	if (!(ctr & CTR_IDC))
		dcache_clean_pou(start, end);	/* includes DSB ISH */
	else
		dsb(ish);
	if (!(ctr & CTR_DIC))
		icache_inval_pou(start, end);	/* includes DSB ISH */
	isb();
}
