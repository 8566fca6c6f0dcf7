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

static void start(unsigned smp)
{
	fx_model_setup(smp, false, (struct cache_opts){ .contract = BOOT_CLEAN });
	for (unsigned i = 1; i < smp; i++)
		machine_pe_start(&fx, &fx.pe[i], FX_PC, 0);
}

static void dsb_nsh(void) { memsys_barrier(&fx.mem, fx_pe, BAR_DSB, 7); }

/* ---- Write-Through ---- */

/* A store, DSB, then the MMU off and a Device load of the bytes: the
 * Write-Back store may still be only in U (M stale, "may"); the
 * Write-Through one reached memory. */
static void store_then_device_read(struct memattr a)
{
	start(1);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);              /* U holds the line */
	fx_st(a, A);
	fx_dsb();
	fx_mmu_off();
	fx_ld(FX_DEV, A);
}

static void write_through_reaches_memory(void **state)
{
	(void)state;
	store_then_device_read(FX_WB);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
	fx_model_teardown(NULL);

	store_then_device_read(FX_WT);
	assert_int_equal(fx_nfind(), 0);
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
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_st(FX_WT, A + 8);
	fx_dsb();
	fx_mmu_off();
	fx_ld(FX_DEV, A + 8);
	assert_int_equal(fx_nfind(), 0);
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
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
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_st(FX_DEV, A);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
	fx_model_teardown(NULL);

	start(1);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_st(FX_DEV, A);
	fx_st(FX_WT, A);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
}

/* ---- another PE's IC invalidation ---- */

/* PE 1 runs the old code; PE 0 stores new code, DC CVAU, DSB, IC IVAU
 * (or IALLUIS), DSB (NSH: only that domain); PE 1 fetches it again with
 * or without its own ISB first (isb_when: 0 none, 1 after PE 0's DSB, 2
 * before it). */
static void cross_patch_dsb(enum cmo_op ic, int isb_when, bool nsh)
{
	start(2);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);        /* PE 1's I-cache holds the old line */
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(FX_WB, CODE);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_cmo(ic, CODE, FX_WB);
	if (isb_when == 2) {
		fx_on(1);
		fx_isb();
		fx_on(0);
	}
	if (nsh)
		dsb_nsh();
	else
		fx_dsb();
	fx_on(1);
	if (isb_when == 1)
		fx_isb();
	fx_fetch(FX_WB, CODE);
}

static void cross_patch(enum cmo_op ic, int isb_when)
{
	cross_patch_dsb(ic, isb_when, false);
}

static void other_pe_ic_needs_own_isb(void **state)
{
	(void)state;
	cross_patch(CMO_IC_IVAU, 0);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_I);
	assert_int_equal(fx_last()->pe, 1);
	fx_model_teardown(NULL);

	cross_patch(CMO_IC_IALLUIS, 0);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_I);
	fx_model_teardown(NULL);

	/* an ISB before the invalidation is complete discards nothing */
	cross_patch(CMO_IC_IVAU, 2);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_I);
	fx_model_teardown(NULL);

	cross_patch(CMO_IC_IVAU, 1);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	cross_patch(CMO_IC_IALLUIS, 1);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	/* DSB NSH: complete for PE 0 only; PE 1's ISB does not help */
	cross_patch_dsb(CMO_IC_IVAU, 1, true);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_I);
}

/* An exception entry or return is a context synchronisation event as
 * good as an ISB; a line PE 1's I-cache never held needs none. */
static void other_pe_ic_exception_or_unused_line(void **state)
{
	(void)state;
	cross_patch(CMO_IC_IVAU, 0);
	assert_int_equal(fx_nfind(), 1);
	fx_model_teardown(NULL);

	start(2);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(FX_WB, CODE);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
	fx_dsb();
	fx_on(1);
	memsys_ctx_sync(&fx.mem, fx_pe);    /* as at exception entry */
	fx_fetch(FX_WB, CODE);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	start(2);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(FX_WB, CODE);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
	fx_dsb();
	fx_on(1);
	fx_fetch(FX_WB, CODE + 0x1000);       /* PE 1's I-cache: not this line */
	assert_int_equal(fx_nfind(), 0);
}

/* The issuing PE itself: IC IVAU, DSB, then a fetch needs a context
 * synchronisation event, and an exception return (a hypervisor's ERET
 * into its guest) is one as much as an ISB (B2.4.4). */
static void own_ic_completed_by_exception_return(void **state)
{
	(void)state;
	for (int eret = 0; eret < 2; eret++) {
		start(1);
		fx_on(0);
		fx_mmu_on(TBL);
		fx_fetch(FX_WB, CODE);
		fx_st(FX_WB, CODE);
		fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
		fx_dsb();
		fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
		fx_dsb();
		if (eret)
			memsys_ctx_sync(&fx.mem, fx_pe);
		fx_fetch(FX_WB, CODE);
		assert_int_equal(fx_nfind(), eret ? 0 : 1);
		fx_model_teardown(NULL);
	}
}

/* ---- Non-shareable memory ---- */

/* PE 0 stores, DSB; PE 1 loads, both through a mapping with attributes
 * a: Non-shareable, PE 0's copy may never reach PE 1 ("may": it may
 * have been evicted to memory); Inner Shareable, coherent. */
static void nsh_exchange(struct memattr a)
{
	start(2);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(a, A);
	fx_dsb();
	fx_on(1);
	fx_ld(a, A);
}

static void non_shareable_between_pes(void **state)
{
	(void)state;
	nsh_exchange(FX_NSH);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_NON_SHAREABLE, false, COPY_M);
	assert_int_equal(fx_last()->pe, 1);
	fx_model_teardown(NULL);

	nsh_exchange(FX_WB);
	assert_int_equal(fx_nfind(), 0);
	assert_int_equal(fx.model->nsn, 0);     /* no side records at all */
	fx_model_teardown(NULL);

	/* the writer reading its own data back is coherent */
	start(1);
	fx_mmu_on(TBL);
	fx_st(FX_NSH, A);
	fx_ld(FX_NSH, A);
	assert_int_equal(fx_nfind(), 0);
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
	fx_on(1);
	fx_mmu_on(TBL);
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(FX_NSH, A);
	if (writer_cleans)
		fx_cmo(CMO_DC_CVAC, A, FX_NSH);
	fx_dsb();
	fx_on(1);
	if (reader_cleans)
		fx_cmo(CMO_DC_CVAC, A, reader_attr);
	if (reader_invals)
		fx_cmo(CMO_DC_IVAC, A, FX_NSH);
	fx_dsb();
	fx_ld(FX_NSH, A);
}

static void non_shareable_maintenance(void **state)
{
	(void)state;
	nsh_maintained(true, false, FX_NSH, true);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	/* (without PE 1's invalidation: with it, the configuration sets
	 * already report the discarded dirty line as a stale-load) */
	nsh_maintained(false, false, FX_NSH, false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_NON_SHAREABLE, false, COPY_M);
	fx_model_teardown(NULL);

	/* PE 1's clean through its Non-shareable mapping: its caches only */
	nsh_maintained(false, true, FX_NSH, true);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_NON_SHAREABLE, false, COPY_M);
	fx_model_teardown(NULL);

	/* through an Inner Shareable alias: every PE's caches */
	nsh_maintained(false, true, FX_WB, true);
	assert_int_equal(fx_nfind(), 0);
}

/* The reader's own private copy: PE 1 read the line before PE 0's
 * (cleaned) store; without its invalidation it may read its old copy
 * (copy U); with it, memory, which is fresh. */
static void nsh_reader_copy(bool inval)
{
	start(2);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_ld(FX_NSH, A);
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(FX_NSH, A);
	fx_cmo(CMO_DC_CVAC, A, FX_NSH);
	fx_dsb();
	fx_on(1);
	if (inval)
		fx_cmo(CMO_DC_IVAC, A, FX_NSH);
	fx_dsb();
	fx_ld(FX_NSH, A);
}

static void non_shareable_reader_copy(void **state)
{
	(void)state;
	nsh_reader_copy(false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_NON_SHAREABLE, false, COPY_U);
	fx_model_teardown(NULL);

	nsh_reader_copy(true);
	assert_int_equal(fx_nfind(), 0);
}

/* PE 0's Non-shareable store stays dirty in its copy; PE 1 then stores
 * the same bytes through a shareable mapping: a later write-back of PE
 * 0's old bytes (an eviction, or its own clean) may overwrite PE 1's.
 * PE 0 cleaning before PE 1's store removes the hazard. */
static void nsh_overwrite(bool clean_first)
{
	start(2);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_on(0);
	fx_mmu_on(TBL);
	fx_st(FX_NSH, A);
	if (clean_first)
		fx_cmo(CMO_DC_CVAC, A, FX_NSH);
	fx_dsb();
	fx_on(1);
	fx_st(FX_WB, A);
	fx_dsb();
	fx_on(0);
	fx_cmo(CMO_DC_CVAC, A, FX_NSH);
	fx_dsb();
	fx_on(1);
	fx_ld(FX_WB, A);
}

static void non_shareable_old_write_back(void **state)
{
	(void)state;
	nsh_overwrite(false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_NON_SHAREABLE, false, COPY_M);
	fx_model_teardown(NULL);

	nsh_overwrite(true);
	assert_int_equal(fx_nfind(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(write_through_reaches_memory, fx_model_teardown),
		cmocka_unit_test_teardown(write_through_keeps_other_dirty_bytes, fx_model_teardown),
		cmocka_unit_test_teardown(write_through_updates_cached_copy, fx_model_teardown),
		cmocka_unit_test_teardown(other_pe_ic_needs_own_isb, fx_model_teardown),
		cmocka_unit_test_teardown(other_pe_ic_exception_or_unused_line, fx_model_teardown),
		cmocka_unit_test_teardown(own_ic_completed_by_exception_return, fx_model_teardown),
		cmocka_unit_test_teardown(non_shareable_between_pes, fx_model_teardown),
		cmocka_unit_test_teardown(non_shareable_maintenance, fx_model_teardown),
		cmocka_unit_test_teardown(non_shareable_reader_copy, fx_model_teardown),
		cmocka_unit_test_teardown(non_shareable_old_write_back, fx_model_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
