/* Allocatability (docs/model.md "Allocatability") on a large table: the
 * model must follow a few changed descriptors by reading about as many,
 * not by walking every table again at each barrier (issue 11: Linux's
 * page-granular linear map has ~130 k leaves and ftrace rewrites a
 * fixmap entry twice per patched call site). The work is counted in
 * descriptors the walker read (walk_leaves_reads) and in leaf counters
 * changed (leafcnt_updates), never in time. */
#include "machine_fixture.h"

#include <inttypes.h>
#include <string.h>

#include "arch/walk.h"
#include "model/cache.h"
#include "model/leafcnt.h"
#include "model/model.h"
#include "report/findings.h"

#define RAM0  0x40000000ull
#define L1    0x40400000ull     /* level 1, then level 2, then the L3s */
#define L2    (L1 + 0x1000)
#define L3(j) (L2 + 0x1000 + (uint64_t)(j) * 0x1000)
#define NL3   196               /* 196 * 512 = 100352 page leaves */
#define NMAP  1024              /* leaves map the first 4 MiB, cyclically */
#define FREE  0x40800000ull     /* a page no leaf maps at first */
#define PAGE_D(pa) ((pa) | 3 | (1ull << 10))    /* page, AF, AttrIndx 0 */
#define TABLE_D(pa) ((pa) | 3)
#define BLOCK_D(pa) ((pa) | 1 | (1ull << 10))   /* block, AF, AttrIndx 0 */
#define RAM_PAGES 4096          /* the fixture's 16 MiB */

static struct cpu *c;

static uint64_t leaf_pa(unsigned j, unsigned k)
{
	return RAM0 + (uint64_t)((j * 512 + k) % NMAP) * 0x1000;
}

static uint64_t pg_of(uint64_t pa)
{
	return (pa - RAM0) >> 12;
}

/* A store the model sees, as the guest's page-table update would be. */
static void st64(uint64_t pa, uint64_t v)
{
	fx_store(FX_WB, pa, 8, v);
}

/* Descriptors the walker read during one DSB; after it, the model's
 * state is what a walk from the TTBRs gives (alloc_check). */
static uint64_t dsb_reads(void)
{
	uint64_t before = walk_leaves_reads, n;

	memsys_barrier(&fx.mem, c, BAR_DSB, 15);
	n = walk_leaves_reads - before;
	assert_true(alloc_check(fx.model));
	return n;
}

static void big_map_on(void)
{
	uint64_t before;

	c = fx_model_setup(1, false, (struct cache_opts){ .contract = BOOT_CLEAN });
	fx_w64(L1, TABLE_D(L2));
	for (unsigned j = 0; j < NL3; j++) {
		fx_w64(L2 + 8 * j, TABLE_D(L3(j)));
		for (unsigned k = 0; k < 512; k++)
			fx_w64(L3(j) + 8 * k, PAGE_D(leaf_pa(j, k)));
	}
	c->sys.mair_el1 = 0xff;
	c->sys.tcr_el1 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 32;
	c->sys.ttbr0_el1 = L1;
	c->sys.sctlr_el1 |= SCTLR_M | SCTLR_C | SCTLR_I;
	before = walk_leaves_reads;
	memsys_barrier(&fx.mem, c, BAR_ISB, 15);
	/* The translation regime changed: one walk of everything. */
	assert_true(walk_leaves_reads - before >= NL3 * 512);
}

/* Leaves remapped, unmapped and a whole level-3 table detached: each
 * barrier reads a number of descriptors bounded by what changed, and
 * allocatability follows (stale TLB entries included until the TLBI). */
static void few_changes_few_reads(void **state)
{
	struct cachemodel *cm;
	uint64_t va = (5ull << 21) | (7ull << 12);     /* L3(5)[7] */

	(void)state;
	big_map_on();
	cm = fx.model;
	assert_int_equal(page_level(cm, pg_of(leaf_pa(5, 7))), AL_UP);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_NONE);

	/* Remap one leaf to a page nothing mapped. */
	st64(L3(5) + 8 * 7, PAGE_D(FREE));
	assert_true(dsb_reads() < 64);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_UP);

	/* Unmap it: live until a TLBI by VA completes. */
	st64(L3(5) + 8 * 7, 0);
	assert_true(dsb_reads() < 64);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_UP);
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_VA, va, 0, false);
	assert_true(dsb_reads() < 64);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_NONE);

	/* Three leaves of different tables at once. */
	st64(L3(1) + 8 * 1, PAGE_D(FREE));
	st64(L3(90) + 8 * 300, PAGE_D(FREE + 0x1000));
	st64(L3(195) + 8 * 511, PAGE_D(FREE + 0x2000));
	assert_true(dsb_reads() < 3 * 64);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_UP);
	assert_int_equal(page_level(cm, pg_of(FREE + 0x1000)), AL_UP);
	assert_int_equal(page_level(cm, pg_of(FREE + 0x2000)), AL_UP);

	/* Detach the level-3 table holding the first remapped leaf: its
	 * 512 leaves are read once more, not the other 99 840. */
	st64(L2 + 8 * 1, 0);
	assert_true(dsb_reads() < 2 * 512 + 64);
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	assert_true(dsb_reads() < 64);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_NONE);
	assert_int_equal(page_level(cm, pg_of(FREE + 0x1000)), AL_UP);

	/* Attach it again. */
	st64(L2 + 8 * 1, TABLE_D(L3(1)));
	assert_true(dsb_reads() < 2 * 512 + 64);
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_UP);
}

/* 512 leaves of one table on one page: more than a byte counts
 * (leafcnt.c widens the word's page counters), and the page stays allocatable
 * until the last of them is gone. */
static void many_leaves_one_page(void **state)
{
	struct cachemodel *cm;

	(void)state;
	c = fx_model_setup(1, false, (struct cache_opts){ .contract = BOOT_CLEAN });
	fx_w64(L1, TABLE_D(L2));
	fx_w64(L2, TABLE_D(L3(0)));
	for (unsigned k = 0; k < 512; k++)
		fx_w64(L3(0) + 8 * k, PAGE_D(FREE));
	c->sys.mair_el1 = 0xff;
	c->sys.tcr_el1 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 32;
	c->sys.ttbr0_el1 = L1;
	c->sys.sctlr_el1 |= SCTLR_M | SCTLR_C | SCTLR_I;
	memsys_barrier(&fx.mem, c, BAR_ISB, 15);
	cm = fx.model;
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_UP);
	dsb_reads();
	/* the unmapped leaves stay live until a TLBI after the DSB */
	for (unsigned k = 1; k < 512; k++)
		st64(L3(0) + 8 * k, 0);
	dsb_reads();
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	dsb_reads();
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_UP);
	st64(L3(0), 0);
	dsb_reads();
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	dsb_reads();
	assert_int_equal(page_level(cm, pg_of(FREE)), AL_NONE);
}

/* The MMU on with L1 as TTBR0's table (VA 39 bits, level 1 first). */
static void mmu_on(void)
{
	c->sys.mair_el1 = 0xff;
	c->sys.tcr_el1 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 32;
	c->sys.ttbr0_el1 = L1;
	c->sys.sctlr_el1 |= SCTLR_M | SCTLR_C | SCTLR_I;
	memsys_barrier(&fx.mem, c, BAR_ISB, 15);
	assert_true(alloc_check(fx.model));
}

/* Counter updates of one leaf of RAM_PAGES pages, both kinds (cacheable,
 * executable): at most the 64 blocks of one level and 63 at each end of
 * the level below (leafcnt.c), against 2 * 4096 with a counter per page. */
#define BLOCK_UPDATES (2 * (64 + 2 * 63))

/* A 1 GiB block over all of RAM and past its end: mapping and unmapping
 * it costs counters in the number of blocks its pages cut into, not in
 * its pages; every page of RAM is allocatable while it is live. */
static void gib_block_costs_blocks(void **state)
{
	struct cachemodel *cm;
	uint64_t before;

	(void)state;
	c = fx_model_setup(1, false, (struct cache_opts){ .contract = BOOT_CLEAN });
	fx_w64(L1, BLOCK_D(RAM0));
	before = leafcnt_updates;
	mmu_on();
	assert_true(leafcnt_updates - before <= BLOCK_UPDATES);
	cm = fx.model;
	assert_int_equal(page_level(cm, 0), AL_UP);
	assert_int_equal(page_level(cm, 63), AL_UP);
	assert_int_equal(page_level(cm, RAM_PAGES - 1), AL_UP);

	before = leafcnt_updates;
	st64(L1, 0);
	dsb_reads();
	/* live until the TLBI: the block went from cur to stale */
	assert_int_equal(page_level(cm, RAM_PAGES - 1), AL_UP);
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	dsb_reads();
	assert_true(leafcnt_updates - before <= 3 * BLOCK_UPDATES);
	assert_int_equal(page_level(cm, 0), AL_NONE);
	assert_int_equal(page_level(cm, 64), AL_NONE);
	assert_int_equal(page_level(cm, RAM_PAGES - 1), AL_NONE);
}

/* A 2 MiB block and page leaves on some of its pages (across a word of
 * 64 pages) and past it: a page stays allocatable while any of the
 * leaves on it is live, whichever level of the counters holds them. */
#define NPG 100                 /* page leaves on pages 0..99 */
#define PAST 600                /* and one on page 600 */
static void overlapping_leaves(void **state)
{
	struct cachemodel *cm;

	(void)state;
	c = fx_model_setup(1, false, (struct cache_opts){ .contract = BOOT_CLEAN });
	fx_w64(L1, TABLE_D(L2));
	fx_w64(L2, BLOCK_D(RAM0));
	fx_w64(L2 + 8, TABLE_D(L3(0)));
	for (unsigned k = 0; k < NPG; k++)
		fx_w64(L3(0) + 8 * k, PAGE_D(RAM0 + k * 0x1000ull));
	fx_w64(L3(0) + 8 * NPG, PAGE_D(RAM0 + PAST * 0x1000ull));
	mmu_on();
	cm = fx.model;
	assert_int_equal(page_level(cm, 0), AL_UP);
	assert_int_equal(page_level(cm, 511), AL_UP);
	assert_int_equal(page_level(cm, PAST), AL_UP);
	assert_int_equal(page_level(cm, PAST - 1), AL_NONE);
	assert_int_equal(page_level(cm, 512), AL_NONE);

	/* The block gone: its pages under a page leaf stay. */
	st64(L2, 0);
	dsb_reads();
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	dsb_reads();
	assert_int_equal(page_level(cm, 0), AL_UP);
	assert_int_equal(page_level(cm, 63), AL_UP);
	assert_int_equal(page_level(cm, 64), AL_UP);
	assert_int_equal(page_level(cm, NPG - 1), AL_UP);
	assert_int_equal(page_level(cm, NPG), AL_NONE);
	assert_int_equal(page_level(cm, 511), AL_NONE);
	assert_int_equal(page_level(cm, PAST), AL_UP);

	/* Back, then the page leaves gone: the block keeps them all. */
	st64(L2, BLOCK_D(RAM0));
	dsb_reads();
	assert_int_equal(page_level(cm, NPG), AL_UP);
	assert_int_equal(page_level(cm, 511), AL_UP);
	st64(L2 + 8, 0);
	dsb_reads();
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	dsb_reads();
	assert_int_equal(page_level(cm, 0), AL_UP);
	assert_int_equal(page_level(cm, NPG - 1), AL_UP);
	assert_int_equal(page_level(cm, 511), AL_UP);
	assert_int_equal(page_level(cm, PAST), AL_NONE);

	/* And the block: nothing left. */
	st64(L2, 0);
	dsb_reads();
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	dsb_reads();
	assert_int_equal(page_level(cm, 0), AL_NONE);
	assert_int_equal(page_level(cm, 511), AL_NONE);
}

/* leafcnt.c alone against a counter per page, on a RAM size no power
 * of 64 divides (three levels, the last block of each level partial):
 * leaves of every size come and go, some reaching the first or the last
 * page. Each word's bits must be those of the pages' counts, and every
 * word where a count crossed zero must have been reported. */
#define RC_PAGES (24 * 4096 + 37)
#define RC_WORDS ((RC_PAGES + 63) / 64)
#define RC_LIVE 64

static uint8_t rc_touched[RC_WORDS];

static void rc_touch(void *ctx, uint64_t w0, uint64_t w1)
{
	(void)ctx;
	assert_true(w0 < w1 && w1 <= RC_WORDS);
	for (uint64_t w = w0; w < w1; w++)
		rc_touched[w] = 1;
}

static uint64_t rc_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void ranges_match_pages(void **state)
{
	static uint32_t ref[RC_PAGES];
	struct cachemodel cm = { .npages = RC_PAGES, .nwords = RC_WORDS };
	struct leafcnt lc = { 0 };
	uint64_t lo[RC_LIVE], hi[RC_LIVE], x = 0x9e3779b97f4a7c15ull;
	unsigned n = 0;

	(void)state;
	memset(ref, 0, sizeof(ref));
	for (unsigned step = 0; step < 1500; step++) {
		uint64_t r = rc_rand(&x), a, b, before = leafcnt_updates;
		int delta = 1;
		unsigned k = 0;

		if (n == RC_LIVE || (n && r % 3 == 0)) {
			k = (unsigned)(rc_rand(&x) % n);
			a = lo[k], b = hi[k], delta = -1;
			lo[k] = lo[--n], hi[k] = hi[n];
		} else {
			uint64_t len = (r >> 8) % 4 == 0 ? RC_PAGES :
				       (r >> 8) % 4 == 1 ? 4096 :
				       (r >> 8) % 4 == 2 ? 200 : 3;

			a = rc_rand(&x) % RC_PAGES;
			if ((r >> 16) % 8 == 0)
				a = 0;
			b = a + 1 + rc_rand(&x) % len;
			if (b > RC_PAGES || (r >> 20) % 8 == 0)
				b = RC_PAGES;
			lo[n] = a, hi[n++] = b;
		}
		memset(rc_touched, 0, sizeof(rc_touched));
		leafcnt_add(&cm, &lc, a, b, delta, rc_touch, NULL);
		/* 63 blocks per end of the two lower levels, 64 at the top */
		assert_true(leafcnt_updates - before <= 4 * 63 + 64);
		for (uint64_t pg = a; pg < b; pg++) {
			bool edge = delta > 0 ? ref[pg]++ == 0 : --ref[pg] == 0;

			if (edge && !rc_touched[pg >> 6])
				fail_msg("step %u: page %" PRIu64 " crossed zero, "
					 "its word was not reported", step, pg);
		}
		if (step % 16 && step < 1499)
			continue;
		for (uint64_t w = 0; w < RC_WORDS; w++) {
			uint64_t want = 0, valid = ~0ull;

			if (w * 64 + 64 > RC_PAGES)
				valid = (1ull << (RC_PAGES - w * 64)) - 1;
			for (unsigned i = 0; i < 64 && w * 64 + i < RC_PAGES; i++)
				want |= (uint64_t)(ref[w * 64 + i] != 0) << i;
			if (leafcnt_word(&lc, w, valid) != want)
				fail_msg("step %u: word %" PRIu64 " is %#" PRIx64
					 ", its pages give %#" PRIx64, step, w,
					 leafcnt_word(&lc, w, valid), want);
		}
	}
	leafcnt_free(&lc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(few_changes_few_reads, fx_model_teardown),
		cmocka_unit_test_teardown(many_leaves_one_page, fx_model_teardown),
		cmocka_unit_test_teardown(gib_block_costs_blocks, fx_model_teardown),
		cmocka_unit_test_teardown(overlapping_leaves, fx_model_teardown),
		cmocka_unit_test(ranges_match_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
