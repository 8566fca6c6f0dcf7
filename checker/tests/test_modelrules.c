/* The model's rules for memory types and for more than one PE
 * (docs/model.md "Operations", "Instruction caches", "Non-shareable
 * memory"):
 * Write-Through stores, another PE's IC invalidation, Non-shareable
 * copies. Each case drives memsys_access/cmo/barrier on a 16 MiB
 * machine; each silent case has a broken twin that must report, or the
 * silence proves nothing. */
#include "machine_fixture.h"

#include "model/cache.h"
#include "model/model.h"
#include "report/findings.h"

#define A     0x40200000ull     /* a data line */
#define CODE  0x40300000ull     /* a code line */
#define TBL   0x40f00000ull     /* level-1 table of the identity map */

static struct cpu *c;
static uint64_t pcs = 0x1000;   /* a fresh PC per access: findings are
				 * deduplicated by kind and PC */

static const struct memattr WB = { MAIR_NORMAL_WB, SH_ISH, 1 };
static const struct memattr WT = { MAIR_NORMAL_WT, SH_ISH, 1 };
static const struct memattr DEV = { MAIR_DEVICE_nGnRnE, SH_OSH, 0 };
static const struct memattr NSH = { MAIR_NORMAL_WB, SH_NSH, 1 };

static void start(unsigned smp)
{
	struct cache_opts o = { .contract = BOOT_CLEAN,
				.sink = findings_sink(&fx) };

	c = fx_setup(smp, false);
	assert_int_equal(machine_attach_model(&fx, &o), 0);
	cache_pe_start(fx.model, c);
	for (unsigned i = 1; i < smp; i++)
		machine_pe_start(&fx, &fx.pe[i], FX_PC, 0);
}

static int teardown(void **state)
{
	(void)state;
	findings_free(&fx);
	machine_detach_model(&fx);
	fx_teardown();
	return 0;
}

static void on(unsigned pe) { c = &fx.pe[pe]; }

static void access(struct memattr a, uint64_t pa, enum mem_kind k,
		   unsigned size)
{
	uint64_t v = 0x1234;

	c->pc = pcs += 4;
	cache_note_va(fx.model, c, pa, k == MK_STORE ? MMU_WRITE : MMU_READ);
	assert_int_equal(memsys_access(&fx.mem, c, pa, size, k, a, &v),
			 MEM_OK);
}

static void ld(struct memattr a, uint64_t pa) { access(a, pa, MK_LOAD, 8); }
static void st(struct memattr a, uint64_t pa) { access(a, pa, MK_STORE, 8); }

static void fetch(struct memattr a, uint64_t pa)
{
	uint32_t v;

	c->pc = pa;
	assert_int_equal(memsys_access(&fx.mem, c, pa, 4, MK_FETCH, a, &v),
			 MEM_OK);
}

static void cmo(enum cmo_op op, uint64_t pa, struct memattr a)
{
	c->pc = pcs += 4;
	memsys_cmo(&fx.mem, c, op, pa, pa, a);
}

static void dsb(void) { memsys_barrier(&fx.mem, c, BAR_DSB, 15); }
static void isb(void) { memsys_barrier(&fx.mem, c, BAR_ISB, 15); }
static void dsb_nsh(void) { memsys_barrier(&fx.mem, c, BAR_DSB, 7); }

/* The current PE: identity map of the 1 GiB at 0x40000000, Normal WB
 * (MAIR attr 0), executable; walks inner/outer WB. */
static void mmu_on(void)
{
	fx_w64(TBL + 8, 0x40000000ull | 1 | (1ull << 10) | (3ull << 8));
	c->sys.mair_el1 = 0xff;
	c->sys.tcr_el1 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 32;
	c->sys.ttbr0_el1 = TBL;
	c->sys.sctlr_el1 |= SCTLR_M | SCTLR_C | SCTLR_I;
	isb();
}

static void mmu_off(void)
{
	c->sys.sctlr_el1 &= ~(SCTLR_M | SCTLR_C);
	isb();
}

static size_t nfind(void)
{
	return findings_count(&fx);
}

static const struct finding *last(void)
{
	assert_true(nfind() > 0);
	return &findings_get(&fx, nfind() - 1)->f;
}

static void expect(enum finding_kind k, bool always, enum copy_id cp)
{
	const struct finding *f = last();

	assert_int_equal(f->kind, k);
	assert_int_equal(f->always, always);
	assert_int_equal(f->stale_copy, cp);
}

/* ---- Write-Through ---- */

/* A store, DSB, then the MMU off and a Device load of the bytes: the
 * Write-Back store may still be only in U (M stale, "may"); the
 * Write-Through one reached memory. */
static void store_then_device_read(struct memattr a)
{
	start(1);
	mmu_on();
	ld(WB, A);              /* U holds the line */
	st(a, A);
	dsb();
	mmu_off();
	ld(DEV, A);
}

static void write_through_reaches_memory(void **state)
{
	(void)state;
	store_then_device_read(WB);
	assert_int_equal(nfind(), 1);
	expect(F_STALE_LOAD, false, COPY_M);
	teardown(NULL);

	store_then_device_read(WT);
	assert_int_equal(nfind(), 0);
}

/* A Write-Through store leaves the line's other dirty bytes dirty: bytes
 * 0..7 stored Write-Back, 8..15 Write-Through, then a Device load of
 * each. 8..15 are in memory; 0..7 may not be (copy M, "may"). Cleaning
 * the whole line at the Write-Through store (as if it were a Write-Back
 * store and DC CVAC) would hide the second finding. */
static void write_through_keeps_other_dirty_bytes(void **state)
{
	(void)state;
	start(1);
	mmu_on();
	st(WB, A);
	st(WT, A + 8);
	dsb();
	mmu_off();
	ld(DEV, A + 8);
	assert_int_equal(nfind(), 0);
	ld(DEV, A);
	assert_int_equal(nfind(), 1);
	expect(F_STALE_LOAD, false, COPY_M);
}

/* A Write-Through store updates a valid cached copy too: a Device store
 * leaves U stale ("may", copy U, the broken twin); a Write-Through store
 * of the same bytes after it makes U fresh again, so the cacheable load
 * is silent. Treating the Write-Through store as a Non-cacheable one
 * (memory only) would leave U stale and fail this case. */
static void write_through_updates_cached_copy(void **state)
{
	(void)state;
	start(1);
	mmu_on();
	ld(WB, A);
	st(DEV, A);
	ld(WB, A);
	assert_int_equal(nfind(), 1);
	expect(F_STALE_LOAD, false, COPY_U);
	teardown(NULL);

	start(1);
	mmu_on();
	ld(WB, A);
	st(DEV, A);
	st(WT, A);
	ld(WB, A);
	assert_int_equal(nfind(), 0);
}

/* ---- another PE's IC invalidation ---- */

/* PE 1 runs the old code; PE 0 stores new code, DC CVAU, DSB, IC IVAU
 * (or IALLUIS), DSB (NSH: only that domain); PE 1 fetches it again with
 * or without its own ISB first (isb_when: 0 none, 1 after PE 0's DSB, 2
 * before it). */
static void cross_patch_dsb(enum cmo_op ic, int isb_when, bool nsh)
{
	start(2);
	on(1);
	mmu_on();
	fetch(WB, CODE);        /* PE 1's I-cache holds the old line */
	on(0);
	mmu_on();
	st(WB, CODE);
	cmo(CMO_DC_CVAU, CODE, WB);
	dsb();
	cmo(ic, CODE, WB);
	if (isb_when == 2) {
		on(1);
		isb();
		on(0);
	}
	if (nsh)
		dsb_nsh();
	else
		dsb();
	on(1);
	if (isb_when == 1)
		isb();
	fetch(WB, CODE);
}

static void cross_patch(enum cmo_op ic, int isb_when)
{
	cross_patch_dsb(ic, isb_when, false);
}

static void other_pe_ic_needs_own_isb(void **state)
{
	(void)state;
	cross_patch(CMO_IC_IVAU, 0);
	assert_int_equal(nfind(), 1);
	expect(F_MISSING_BARRIER, false, COPY_I);
	assert_int_equal(last()->pe, 1);
	teardown(NULL);

	cross_patch(CMO_IC_IALLUIS, 0);
	assert_int_equal(nfind(), 1);
	expect(F_MISSING_BARRIER, false, COPY_I);
	teardown(NULL);

	/* an ISB before the invalidation is complete discards nothing */
	cross_patch(CMO_IC_IVAU, 2);
	assert_int_equal(nfind(), 1);
	expect(F_MISSING_BARRIER, false, COPY_I);
	teardown(NULL);

	cross_patch(CMO_IC_IVAU, 1);
	assert_int_equal(nfind(), 0);
	teardown(NULL);

	cross_patch(CMO_IC_IALLUIS, 1);
	assert_int_equal(nfind(), 0);
	teardown(NULL);

	/* DSB NSH: complete for PE 0 only; PE 1's ISB does not help */
	cross_patch_dsb(CMO_IC_IVAU, 1, true);
	assert_int_equal(nfind(), 1);
	expect(F_MISSING_BARRIER, false, COPY_I);
}

/* An exception entry or return is a context synchronisation event as
 * good as an ISB; a line PE 1's I-cache never held needs none. */
static void other_pe_ic_exception_or_unused_line(void **state)
{
	(void)state;
	cross_patch(CMO_IC_IVAU, 0);
	assert_int_equal(nfind(), 1);
	teardown(NULL);

	start(2);
	on(1);
	mmu_on();
	fetch(WB, CODE);
	on(0);
	mmu_on();
	st(WB, CODE);
	cmo(CMO_DC_CVAU, CODE, WB);
	dsb();
	cmo(CMO_IC_IVAU, CODE, WB);
	dsb();
	on(1);
	memsys_ctx_sync(&fx.mem, c);    /* as at exception entry */
	fetch(WB, CODE);
	assert_int_equal(nfind(), 0);
	teardown(NULL);

	start(2);
	on(1);
	mmu_on();
	on(0);
	mmu_on();
	st(WB, CODE);
	cmo(CMO_DC_CVAU, CODE, WB);
	dsb();
	cmo(CMO_IC_IVAU, CODE, WB);
	dsb();
	on(1);
	fetch(WB, CODE + 0x1000);       /* PE 1's I-cache: not this line */
	assert_int_equal(nfind(), 0);
}

/* The issuing PE itself: IC IVAU, DSB, then a fetch needs a context
 * synchronisation event, and an exception return (a hypervisor's ERET
 * into its guest) is one as much as an ISB (B2.4.4). */
static void own_ic_completed_by_exception_return(void **state)
{
	(void)state;
	for (int eret = 0; eret < 2; eret++) {
		start(1);
		on(0);
		mmu_on();
		fetch(WB, CODE);
		st(WB, CODE);
		cmo(CMO_DC_CVAU, CODE, WB);
		dsb();
		cmo(CMO_IC_IVAU, CODE, WB);
		dsb();
		if (eret)
			memsys_ctx_sync(&fx.mem, c);
		fetch(WB, CODE);
		assert_int_equal(nfind(), eret ? 0 : 1);
		teardown(NULL);
	}
}

/* ---- Non-shareable memory ---- */

/* PE 0 stores, DSB; PE 1 loads, both through a mapping with attributes
 * a: Non-shareable, PE 0's copy may never reach PE 1 ("may": it may
 * have been evicted to memory); Inner Shareable, coherent. */
static void nsh_exchange(struct memattr a)
{
	start(2);
	on(1);
	mmu_on();
	on(0);
	mmu_on();
	st(a, A);
	dsb();
	on(1);
	ld(a, A);
}

static void non_shareable_between_pes(void **state)
{
	(void)state;
	nsh_exchange(NSH);
	assert_int_equal(nfind(), 1);
	expect(F_NON_SHAREABLE, false, COPY_M);
	assert_int_equal(last()->pe, 1);
	teardown(NULL);

	nsh_exchange(WB);
	assert_int_equal(nfind(), 0);
	assert_int_equal(fx.model->nsn, 0);     /* no side records at all */
	teardown(NULL);

	/* the writer reading its own data back is coherent */
	start(1);
	mmu_on();
	st(NSH, A);
	ld(NSH, A);
	assert_int_equal(nfind(), 0);
}

/* Maintenance by each PE: PE 0 cleans (by attributes wa), PE 1
 * invalidates (own: its NSH mapping) before reading. For a Non-shareable
 * address a DC reaches only the issuer's caches, so PE 1 cleaning in
 * PE 0's place does nothing for PE 0's copy unless its mapping is
 * shareable. */
static void nsh_maintained(bool writer_cleans, bool reader_cleans,
			   struct memattr reader_attr, bool reader_invals)
{
	start(2);
	on(1);
	mmu_on();
	on(0);
	mmu_on();
	st(NSH, A);
	if (writer_cleans)
		cmo(CMO_DC_CVAC, A, NSH);
	dsb();
	on(1);
	if (reader_cleans)
		cmo(CMO_DC_CVAC, A, reader_attr);
	if (reader_invals)
		cmo(CMO_DC_IVAC, A, NSH);
	dsb();
	ld(NSH, A);
}

static void non_shareable_maintenance(void **state)
{
	(void)state;
	nsh_maintained(true, false, NSH, true);
	assert_int_equal(nfind(), 0);
	teardown(NULL);

	/* (without PE 1's invalidation: with it, the configuration sets
	 * already report the discarded dirty line as a stale-load) */
	nsh_maintained(false, false, NSH, false);
	assert_int_equal(nfind(), 1);
	expect(F_NON_SHAREABLE, false, COPY_M);
	teardown(NULL);

	/* PE 1's clean through its Non-shareable mapping: its caches only */
	nsh_maintained(false, true, NSH, true);
	assert_int_equal(nfind(), 1);
	expect(F_NON_SHAREABLE, false, COPY_M);
	teardown(NULL);

	/* through an Inner Shareable alias: every PE's caches */
	nsh_maintained(false, true, WB, true);
	assert_int_equal(nfind(), 0);
}

/* The reader's own private copy: PE 1 read the line before PE 0's
 * (cleaned) store; without its invalidation it may read its old copy
 * (copy U); with it, memory, which is fresh. */
static void nsh_reader_copy(bool inval)
{
	start(2);
	on(1);
	mmu_on();
	ld(NSH, A);
	on(0);
	mmu_on();
	st(NSH, A);
	cmo(CMO_DC_CVAC, A, NSH);
	dsb();
	on(1);
	if (inval)
		cmo(CMO_DC_IVAC, A, NSH);
	dsb();
	ld(NSH, A);
}

static void non_shareable_reader_copy(void **state)
{
	(void)state;
	nsh_reader_copy(false);
	assert_int_equal(nfind(), 1);
	expect(F_NON_SHAREABLE, false, COPY_U);
	teardown(NULL);

	nsh_reader_copy(true);
	assert_int_equal(nfind(), 0);
}

/* PE 0's Non-shareable store stays dirty in its copy; PE 1 then stores
 * the same bytes through a shareable mapping: a later write-back of PE
 * 0's old bytes (an eviction, or its own clean) may overwrite PE 1's.
 * PE 0 cleaning before PE 1's store removes the hazard. */
static void nsh_overwrite(bool clean_first)
{
	start(2);
	on(1);
	mmu_on();
	on(0);
	mmu_on();
	st(NSH, A);
	if (clean_first)
		cmo(CMO_DC_CVAC, A, NSH);
	dsb();
	on(1);
	st(WB, A);
	dsb();
	on(0);
	cmo(CMO_DC_CVAC, A, NSH);
	dsb();
	on(1);
	ld(WB, A);
}

static void non_shareable_old_write_back(void **state)
{
	(void)state;
	nsh_overwrite(false);
	assert_int_equal(nfind(), 1);
	expect(F_NON_SHAREABLE, false, COPY_M);
	teardown(NULL);

	nsh_overwrite(true);
	assert_int_equal(nfind(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(write_through_reaches_memory, teardown),
		cmocka_unit_test_teardown(write_through_keeps_other_dirty_bytes, teardown),
		cmocka_unit_test_teardown(write_through_updates_cached_copy, teardown),
		cmocka_unit_test_teardown(other_pe_ic_needs_own_isb, teardown),
		cmocka_unit_test_teardown(other_pe_ic_exception_or_unused_line, teardown),
		cmocka_unit_test_teardown(own_ic_completed_by_exception_return, teardown),
		cmocka_unit_test_teardown(non_shareable_between_pes, teardown),
		cmocka_unit_test_teardown(non_shareable_maintenance, teardown),
		cmocka_unit_test_teardown(non_shareable_reader_copy, teardown),
		cmocka_unit_test_teardown(non_shareable_old_write_back, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
