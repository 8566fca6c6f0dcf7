/* Break-before-make: a live page mapping is changed to another physical
 * page and to other memory attributes (mmu_remap_page), and accesses
 * through it see the new translation at once. Without the TLBI a stale TLB
 * entry (QEMU's too) would keep the old one. */
#include <libcflat.h>

#define VA (1UL << 34)
#define WORDS (PAGE_SIZE / 8)

static void fill(u64 *p, u64 seed)
{
	for (u64 i = 0; i < WORDS; i++)
		p[i] = seed ^ (i << 8);
}

static u64 mismatches(volatile u64 *p, u64 seed)
{
	u64 bad = 0;
	for (u64 i = 0; i < WORDS; i++)
		bad += p[i] != (seed ^ (i << 8));
	return bad;
}

/* The memory attributes the MMU uses for va now: AT S1E1R, then
 * PAR_EL1.ATTR (bits 63:56) is the MAIR encoding (Arm ARM D17.2 "PAR_EL1").
 * The AT sees the same TLB state as loads do. */
static unsigned attr_of(u64 va)
{
	asm volatile("at s1e1r, %0" : : "r"(va));
	isb();
	u64 par = read_sysreg(par_el1);
	return par & 1 ? 0x100 : (unsigned)(par >> 56);
}

int main(void)
{
	report_prefix_push("bbm");
	u64 *a = alloc_page(), *b = alloc_page();
	assert(a && b);
	fill(a, 0xaaaa000000000000UL);
	fill(b, 0xbbbb000000000000UL);

	/* A page-level mapping to remap: a fresh L3 entry. */
	mmu_map(&mmu_tables, VA, (u64)a, PAGE_SIZE, PROT_RAM);
	isb();
	volatile u64 *v = (volatile u64 *)VA;
	report(mismatches(v, 0xaaaa000000000000UL) == 0, "VA maps page A");
	report(attr_of(VA) == 0xff, "Normal Write-Back (PAR attr 0x%x)", attr_of(VA));

	mmu_remap_page(VA, (u64)b, PROT_RAM);
	report(mismatches(v, 0xbbbb000000000000UL) == 0, "after remap the VA maps page B");
	v[0] = 0x1234;
	report(b[0] == 0x1234 && a[0] == 0xaaaa000000000000UL, "stores go to page B only");

	/* Normal WB -> Normal non-cacheable for page A. The identity map keeps
	 * a cacheable alias: clean+invalidate A first so the non-cacheable
	 * view sees memory (Arm ARM B2.8 "mismatched memory attributes").
	 * [BCM: bbm-attr] */
	dcache_clean_inval_poc((u64)a, (u64)a + PAGE_SIZE);
	mmu_remap_page(VA, (u64)a, PROT_NORMAL_NC | PROT_XN);
	report(attr_of(VA) == 0x44, "now Normal non-cacheable (PAR attr 0x%x)", attr_of(VA));
	report(mismatches(v, 0xaaaa000000000000UL) == 0, "Normal-NC mapping of A reads its data");
	for (u64 i = 0; i < WORDS; i++)
		v[i] = 0xcccc000000000000UL ^ (i << 8);
	/* The cacheable alias may have refilled from before the NC stores. */
	dcache_inval_poc((u64)a, (u64)a + PAGE_SIZE);
	report(mismatches(a, 0xcccc000000000000UL) == 0,
	       "NC stores seen through the cacheable alias after invalidation");

	/* And to Device-nGnRnE. */
	mmu_remap_page(VA, (u64)a, PROT_DEVICE);
	report(attr_of(VA) == 0x00, "now Device-nGnRnE (PAR attr 0x%x)", attr_of(VA));
	report(mismatches(v, 0xcccc000000000000UL) == 0, "Device mapping reads the data");
	return report_summary();
}
