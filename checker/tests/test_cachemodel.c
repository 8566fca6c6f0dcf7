/* The cache model (checker/model/, docs/model.md) at the level of the
 * memory system: each case drives memsys_access/cmo/barrier (and a few
 * system instructions) on a 16 MiB machine and checks the findings. For
 * every operation and finding class: the bug (finding of the right kind,
 * may/always and stale copy) and the same sequence fixed (silent). Every
 * silent case has such a broken twin in the same test: a model that
 * reports nothing would pass a silent case alone. The expected
 * verdicts are derived in the comments from the rules of
 * docs/model.md "Operations". */
#include <unistd.h>

#include "machine_fixture.h"

#include "model/cache.h"
#include "model/model.h"
#include "report/findings.h"

#define A     0x40200000ull     /* a data line */
#define CODE  0x40300000ull     /* a code line */
#define TBL   0x40f00000ull     /* level-1 table of the identity map */
#define T2    0x40e00000ull     /* a line holding descriptors */

static void start(unsigned smp, enum boot_contract k, bool nchit)
{
	fx_model_setup(smp, false,
		       (struct cache_opts){ .contract = k, .nc_may_hit = nchit });
	for (unsigned i = 1; i < smp; i++)
		if (fx.pe[i].powered)
			cache_pe_start(fx.model, &fx.pe[i]);
}

/* ---- stale-load ---- */

/* MMU on: the line may be in U (allocated by the load or speculation).
 * MMU off: the Device store updates M only; the U copy lacks the bytes.
 * MMU on again: a cacheable load is served by U if valid: stale in the
 * configurations where U kept the copy, fresh where it was evicted ->
 * "may", copy U (the innermost stale copy). */
static void mmu_off_write_cacheable_read(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_mmu_off();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
	fx_model_teardown(NULL);

	/* Fixed: DC IVAC after the write (MMU off, so nothing refills the
	 * line; both IVAC outcomes drop the clean copies). */
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_mmu_off();
	fx_st(FX_DEV, A);
	fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
}

/* A cacheable store leaves U Dirty and M stale until written back: a
 * Device load after MMU off reads M -> "may" (the write-back may have
 * happened), copy M. DC CVAC + DSB first: M fresh in every config. */
static void cacheable_write_mmu_off_read(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_mmu_off();
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_cmo(CMO_DC_CVAC, A, FX_WB);
	fx_dsb();
	fx_mmu_off();
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 0);
}

/* DC CVAU cleans only to the PoU: the dirty data may sit in P (Dirty),
 * M stale -> the Device load is "may" stale, copy M. */
static void cvau_where_poc_needed(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_cmo(CMO_DC_CVAU, A, FX_WB);
	fx_dsb();
	fx_mmu_off();
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
}

/* DC CIVAC while the MMU is on is undone by speculation: the line is
 * allocatable until M = 0, so a clean copy may be back before the Device
 * store; after MMU on it is served stale -> "may", copy U. Fixed: the
 * invalidation after M = 0 (nothing refills it then). */
static void civac_fixed(bool ivac)
{
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_mmu_off();
	if (ivac)
		fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
}

static void civac_before_mmu_off_undone(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_cmo(CMO_DC_CIVAC, A, FX_WB);
	fx_dsb();
	fx_mmu_off();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
	fx_model_teardown(NULL);

	/* The fix's broken twin, without the invalidation: the copy
	 * allocated while the MMU was on is served stale. */
	civac_fixed(false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
	fx_model_teardown(NULL);

	civac_fixed(true);
	assert_int_equal(fx_nfind(), 0);
}

/* Loaded contract: a RAM line outside the image may hold a Dirty copy
 * with memory stale. Written with the MMU off, then invalidated: DC
 * IVAC may be performed as DC CIVAC, writing the old dirty line over
 * the new bytes -> the Device read is "may" stale, copy M. Relying on
 * IVAC discarding is a bug; invalidating before writing is the fix
 * (the dirty line is gone before the store). */
static void ivac_discard_outcome(void **state)
{
	(void)state;
	start(1, BOOT_LOADED, false);
	fx_st(FX_DEV, A);
	fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
	fx_model_teardown(NULL);

	start(1, BOOT_LOADED, false);
	fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_st(FX_DEV, A);
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 0);
}

/* kvm contract: clean at entry, but the host's cacheable alias may
 * allocate any line at any time. An invalidation before an MMU-off write
 * is then not enough: a clean copy allocated after it holds the old
 * bytes, and a cacheable read after the MMU is on may hit it. The
 * invalidation after the write removes it. Under reset (no alias, no
 * mapping of the guest's) the same program is silent. */
static void kvm_host_alias(void **state)
{
	(void)state;
	start(1, BOOT_KVM, false);
	fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
	fx_model_teardown(NULL);

	start(1, BOOT_KVM, false);
	fx_st(FX_DEV, A);
	fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	start(1, BOOT_RESET, false);
	fx_cmo(CMO_DC_IVAC, A, FX_WB);
	fx_dsb();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
}

/* After a finding only the configurations that read fresh are kept:
 * the same read again is silent (one bug, one finding). */
static void one_finding_per_bug(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_mmu_off();
	fx_ld(FX_DEV, A);             /* may: M stale unless written back */
	fx_ld(FX_DEV, A);             /* pruned: the configurations left are fresh */
	assert_int_equal(fx_nfind(), 1);
}

/* --nc-may-hit: a non-cacheable load may be served by a valid U or P.
 * Cacheable copy cleaned, then a Device store leaves the clean U copy
 * stale: silent by default, a stale-load (copy U) with the option. */
static void nc_may_hit(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_st(FX_DEV, A);
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, true);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_st(FX_DEV, A);
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
}

/* DC ZVA is a cacheable store of zeros over the block: the same bug as
 * a store (M stale, "may"), fixed by DC CVAC. */
static void zva_then_mmu_off_read(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_pe->x[1] = A;
	fx_next_pc();
	fx_sys(fx_pe, sysinsn(0, 1, 3, 7, 4, 1, 1));        /* DC ZVA, X1 */
	fx_mmu_off();
	fx_ld(FX_DEV, A + 8);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_pe->x[1] = A;
	fx_next_pc();
	fx_sys(fx_pe, sysinsn(0, 1, 3, 7, 4, 1, 1));
	fx_cmo(CMO_DC_CVAC, A, FX_WB);
	fx_dsb();
	fx_mmu_off();
	fx_ld(FX_DEV, A + 8);
	assert_int_equal(fx_nfind(), 0);
}

/* Strict contract: the DTB is not promised clean; reading it with the
 * MMU off may read stale memory (copy M). Loaded: silent. */
static void dtb_strict_vs_loaded(void **state)
{
	(void)state;
	fx_setup(1, false);
	fx.dtb_pa = A;
	fx.dtb_size = 4096;
	{
		struct cache_opts o = { .contract = BOOT_STRICT,
					.sink = findings_sink(&fx) };

		assert_int_equal(machine_attach_model(&fx, &o), 0);
	}
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
	fx_model_teardown(NULL);

	fx_setup(1, false);
	fx.dtb_pa = A;
	fx.dtb_size = 4096;
	{
		struct cache_opts o = { .contract = BOOT_LOADED,
					.sink = findings_sink(&fx) };

		assert_int_equal(machine_attach_model(&fx, &o), 0);
	}
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 0);
}

/* ---- stale-fetch ---- */

/* Code written cacheably sits in U; the instruction side sees the PoU
 * (P or M) and its own cache. */
static void code_write(bool dc, bool ic, bool ic_first)
{
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);        /* the I-cache holds the old line */
	fx_st(FX_WB, CODE);
	if (ic_first) {
		fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
		fx_dsb();
	}
	if (dc) {
		fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
		fx_dsb();
	}
	if (ic && !ic_first) {
		fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
		fx_dsb();
	}
	fx_isb();
	fx_fetch(FX_WB, CODE);
}

/* No DC CVAU: the PoU view and the refilled I line are stale. The
 * I-cache may hold the refill -> copy I, "may" (it may miss and read a
 * P or M that the write-back updated). */
static void code_without_cvau(void **state)
{
	(void)state;
	code_write(false, true, false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_FETCH, false, COPY_I);
}

/* No IC IVAU: the PoU is fresh, but the I line fetched before the store
 * lacks the new bytes -> copy I, "may" (it may have been evicted). */
static void code_without_ic(void **state)
{
	(void)state;
	code_write(true, false, false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_FETCH, false, COPY_I);
}

/* IC before DC: the I-cache refills from the stale PoU between them. */
static void code_ic_before_dc(void **state)
{
	(void)state;
	code_write(true, true, true);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_FETCH, false, COPY_I);
}

/* DC CVAU, DSB, IC IVAU, DSB, ISB (B2.4.4): silent. Its broken twin,
 * neither maintenance, must report, or the silence proves nothing. */
static void code_correct_order(void **state)
{
	(void)state;
	code_write(false, false, false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_FETCH, false, COPY_I);
	fx_model_teardown(NULL);

	code_write(true, true, false);
	assert_int_equal(fx_nfind(), 0);
}

static void code_write_iallu(bool iallu)
{
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);
	fx_st(FX_WB, CODE);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	if (iallu)
		fx_cmo(CMO_IC_IALLU, 0, FX_WB);
	fx_dsb();
	fx_isb();
	fx_fetch(FX_WB, CODE);
}

/* IC IALLU instead of IC IVAU: as good for this PE. The broken twin,
 * without it: the I line fetched before the store is stale. */
static void code_iallu(void **state)
{
	(void)state;
	code_write_iallu(false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_FETCH, false, COPY_I);
	fx_model_teardown(NULL);

	code_write_iallu(true);
	assert_int_equal(fx_nfind(), 0);
}

/* ---- stale-walk ---- */

/* Loaded contract: the table line may be Dirty in a cache from an
 * earlier stage. Written with the MMU off (memory only), walked
 * cacheably: the dirty U/P copy lacks the new descriptor -> "may",
 * copy U. Fixed: invalidated before writing (DC IVAC; no other PE can
 * refill it). */
static void table_written_mmu_off(void **state)
{
	(void)state;
	start(1, BOOT_LOADED, false);
	fx_st(FX_DEV, T2);
	fx_dsb();                  /* the walk may see the store (walk_before_dsb) */
	fx_walk(FX_WB, T2);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_WALK, false, COPY_U);
	fx_model_teardown(NULL);

	start(1, BOOT_LOADED, false);
	fx_cmo(CMO_DC_IVAC, T2, FX_WB);
	fx_dsb();
	fx_st(FX_DEV, T2);
	fx_dsb();
	fx_walk(FX_WB, T2);
	assert_int_equal(fx_nfind(), 0);
}

/* ---- missing-barrier ---- */

/* DC CVAC not completed by a DSB before a Device read of the line. */
static void missing_dsb_after_dc(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_cmo(CMO_DC_CVAC, A, FX_WB);
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_NONE);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	fx_cmo(CMO_DC_CVAC, A, FX_WB);
	fx_dsb();
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 0);
}

/* SCTLR.M set without ISB: a data access translates differently (flat
 * Device vs the WB identity map). The ISB itself is not reported. */
static void missing_isb_after_sctlr(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_idmap_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_NONE);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_idmap_on(TBL);
	fx_w32(FX_PC, 0xd5033fdf);                      /* ISB */
	fx_pe->pc = FX_PC;
	{
		uint32_t insn;

		assert_int_equal(memsys_access(&fx.mem, fx_pe, FX_PC, 4, MK_FETCH,
					       (struct memattr){ MAIR_NORMAL_NC,
							SH_OSH, 0 }, &insn),
				 MEM_OK);
	}
	fx_isb();
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
}

/* IC IVAU without DSB + ISB before fetching the line. The line holds new
 * code (cleaned to the PoU), so the I-cache may hold its old bytes until
 * the invalidation completes: a missing barrier. */
static void missing_barrier_after_ic(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);		/* the I-cache holds the line */
	fx_st(FX_WB, CODE);			/* new code */
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
	fx_fetch(FX_WB, CODE);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_I);
	fx_model_teardown(NULL);

	/* Fixed: DSB and ISB before the fetch. */
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);
	fx_st(FX_WB, CODE);
	fx_sync_code(CODE);
	fx_fetch(FX_WB, CODE);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	/* Lines no store changed need no completed invalidation: fetching
	 * them (e.g. the DSB and ISB that follow an IC IALLU) returns the
	 * same bytes either way. Its twin: the same on a line a store
	 * changed (cleaned to the PoU) is reported. */
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, CODE);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
	fx_fetch(FX_WB, CODE);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_I);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
	fx_fetch(FX_WB, CODE);
	fx_cmo(CMO_IC_IALLU, 0, FX_WB);
	fx_fetch(FX_WB, CODE);
	assert_int_equal(fx_nfind(), 0);
}

/* An IC IVAU loop leaves a record on each line it invalidates; the IC
 * IALLU after it leaves them saying nothing: they and their page are
 * freed, and the model's bytes come back to where they were but for the
 * record tables' smallest sizes. */
static void ic_iallu_frees_records(void **state)
{
	size_t b0, n0;

	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	b0 = cache_bytes_ram(fx.model);
	n0 = fx.model->in;
	for (unsigned li = 0; li < 64; li++)
		fx_cmo(CMO_IC_IVAU, CODE + li * LINE, FX_WB);
	fx_dsb();
	assert_int_equal(fx.model->in, n0 + 64);
	assert_true(cache_bytes_ram(fx.model) > b0 + 64 * sizeof(struct irec));
	fx_cmo(CMO_IC_IALLU, 0, FX_WB);
	fx_dsb();
	fx_isb();
	assert_int_equal(fx.model->in, n0);
	assert_int_equal(fx.model->ipn, 0);
	assert_true(cache_bytes_ram(fx.model) <=
		    b0 + 1024 * sizeof(struct irec *) +
		    256 * sizeof(struct irec_page *));
	fx_fetch(FX_WB, CODE);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);
}

/* ---- set-way-not-coherent ---- */

static void set_way_one_pe(bool clean)
{
	start(2, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	if (clean) {
		fx_cmo(CMO_DC_CISW, 0, FX_WB);    /* level 1 */
		fx_cmo(CMO_DC_CISW, 2, FX_WB);    /* level 2 */
	}
	fx_dsb();
	fx_mmu_off();
	fx_ld(FX_DEV, A);
}

static void set_way_two_pes(void **state)
{
	(void)state;
	start(2, BOOT_CLEAN, false);
	machine_pe_start(&fx, &fx.pe[1], FX_PC, 0);
	fx.pe[0].sys.sctlr_el1 |= SCTLR_C;
	fx.pe[1].sys.sctlr_el1 |= SCTLR_C;
	fx_cmo(CMO_DC_CISW, 0, FX_WB);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_SET_WAY, true, COPY_NONE);
	fx_model_teardown(NULL);

	/* One PE online: set/way is coherent enough; DC CISW at level 1
	 * (set 0, way 0) cleans the dirty line: the Device read is fresh.
	 * The broken twin, without the set/way clean: M may be stale. */
	set_way_one_pe(false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_M);
	fx_model_teardown(NULL);

	set_way_one_pe(true);
	assert_int_equal(fx_nfind(), 0);
}

/* ---- allocatability: live until a covering TLBI completes ---- */

static void tlb_liveness(void **state)
{
	struct cachemodel *cm;
	uint64_t pg = (A - 0x40000000ull) >> 12;

	(void)state;
	start(1, BOOT_CLEAN, false);
	cm = fx.model;
	fx_mmu_on(TBL);
	assert_int_equal(page_level(cm, pg), AL_UP);
	/* The block leaves the tables: still in the TLB, still live. */
	fx_w64(TBL + 8, 0);
	fx_st(FX_WB, TBL + 8);
	fx_dsb();
	assert_int_equal(page_level(cm, pg), AL_UP);
	/* TLBI VMALLE1 completed by a DSB: dead. */
	memsys_tlbi(&fx.mem, fx_pe, REGIME_EL10, TLBI_ALL, 0, 0, false);
	assert_int_equal(page_level(cm, pg), AL_UP);
	fx_dsb();
	assert_int_equal(page_level(cm, pg), AL_NONE);
}

/* ---- translation table walks, TLB maintenance, break-before-make ---- */

/* A store of value v to a descriptor, as the PE makes it. */
static void stv(uint64_t pa, uint64_t v)
{
	fx_store(FX_WB, pa, 8, v);
}

static void tlbi_all(void)
{
	memsys_tlbi(&fx.mem, fx_pe, REGIME_EL10, TLBI_ALL, 0, 0, false);
}

#define BLOCK1G(oa, idx) ((oa) | 1 | (1ull << 10) | (3ull << 8) | \
			  ((uint64_t)(idx) << 2))

/* The identity block turned Device (AttrIndx 1: MAIR byte 0x00): a
 * change of attributes. Straight over the live entry: reported at the
 * DSB that makes it visible. With the invalid entry, DSB, TLBI, DSB
 * first: silent. With the TLBI completed only by the DSB that also makes
 * the new entry visible: reported (the TLB may hold both). */
static void bbm_sequence(bool brk, bool dsb_after_tlbi)
{
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	if (brk) {
		stv(TBL + 8, 0);
		fx_dsb();
		tlbi_all();
		if (dsb_after_tlbi)
			fx_dsb();
	}
	stv(TBL + 8, BLOCK1G(0x40000000ull, 1));
	fx_dsb();
	fx_isb();
}

static void break_before_make(void **state)
{
	(void)state;
	bbm_sequence(false, false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_BBM, false, COPY_NONE);
	assert_int_equal(fx_last()->pa, TBL + 8);
	fx_model_teardown(NULL);

	/* The store of the new entry goes through the block the TLBI is
	 * removing (the fixture's tables are inside it): missing-barrier
	 * first, then break-before-make at the DSB. */
	bbm_sequence(true, false);
	assert_int_equal(fx_nfind(), 2);
	assert_int_equal(findings_get(&fx, 0)->f.kind, F_MISSING_BARRIER);
	fx_expect(F_BBM, false, COPY_NONE);
	fx_model_teardown(NULL);

	bbm_sequence(true, true);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	/* Permissions alone (AP[2] read-only) need no break. */
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(TBL + 8, BLOCK1G(0x40000000ull, 0) | 1ull << 7);
	fx_dsb();
	assert_int_equal(fx_nfind(), 0);
}

/* Unmapped, TLBI issued: until its DSB the old block may still serve an
 * access (missing-barrier); after it, nothing. */
static void tlbi_until_dsb(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(TBL + 8, 0);
	fx_dsb();
	tlbi_all();
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_NONE);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(TBL + 8, 0);
	fx_dsb();
	tlbi_all();
	fx_dsb();
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
}

/* A new entry in a live table, walked before the storing PE's DSB: the
 * walk may read the old (invalid) entry. A walk of another descriptor
 * of the same line does not depend on the store. */
static void walk_before_dsb(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(TBL + 16, BLOCK1G(0x40000000ull, 0));
	fx_walk(FX_WB, TBL + 8);
	assert_int_equal(fx_nfind(), 0);
	fx_walk(FX_WB, TBL + 16);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_NONE);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(TBL + 16, BLOCK1G(0x40000000ull, 0));
	fx_dsb();
	fx_walk(FX_WB, TBL + 16);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	/* An EL0-accessible entry (AP[1]) over an invalid one: a walk of
	 * the old entry only faults, a fault operating systems take and
	 * return from: not reported. */
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(TBL + 16, BLOCK1G(0x40000000ull, 0) | 1ull << 6);
	fx_walk(FX_WB, TBL + 16);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	/* A page not (yet) known as a table is followed by line: a store
	 * to one line does not make a walk of another line unordered. */
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(T2 + 64, 0);
	fx_walk(FX_WB, T2);
	assert_int_equal(fx_nfind(), 0);
	fx_walk(FX_WB, T2 + 72);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_NONE);
}

/* A table zeroed and linked into the live level-1 table with no DSB
 * between: table-link-before-init at the link. DSB ISHST between:
 * silent; DMB ISHST too (it orders the zeroes before the link for every
 * observer), DMB ISHLD not. Also one level down: the new table links a
 * second new one whose zeroes were not completed. */
static void link_table_dmb(unsigned option)
{
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	stv(T2, 0);
	memsys_barrier(&fx.mem, fx_pe, BAR_DMB, option);
	stv(TBL + 16, T2 | 3);
	fx_dsb();
}

static void link_table(bool dsb_first, bool nested)
{
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	if (nested) {
		stv(T2 + 4096, 0);
		fx_dsb();
		stv(T2 + 4096, 0);              /* not completed */
		stv(T2, (T2 + 4096) | 3);
	} else {
		for (unsigned i = 0; i < 512; i++)
			stv(T2 + 8 * i, 0);
	}
	if (dsb_first && !nested)
		fx_dsb();
	stv(TBL + 16, T2 | 3);
	fx_dsb();
}

static void table_link_before_init(void **state)
{
	(void)state;
	link_table(false, false);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_TABLE_LINK, false, COPY_NONE);
	assert_int_equal(fx_last()->pa, TBL + 16);
	fx_model_teardown(NULL);

	link_table(true, false);
	assert_int_equal(fx_nfind(), 0);
	fx_model_teardown(NULL);

	link_table(false, true);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_TABLE_LINK, false, COPY_NONE);
	fx_model_teardown(NULL);

	link_table_dmb(9);              /* DMB ISHLD */
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_TABLE_LINK, false, COPY_NONE);
	fx_model_teardown(NULL);

	link_table_dmb(10);             /* DMB ISHST */
	assert_int_equal(fx_nfind(), 0);
}

/* Model-level unit checks of the configuration sets. */
static void lineset_basics(void **state)
{
	struct ls_result r;
	uint32_t d;

	(void)state;
	ls_init();
	/* id 0 is closed under every background transition */
	assert_int_equal(ls_step(LS_FRESH, LS_CLOSE, 0, AL_UP), LS_FRESH);
	assert_true(ls_flags(LS_FRESH) & LSF_QUIET_LOAD);
	/* a cacheable store then a clean+invalidate returns to id 0 */
	d = ls_step(LS_FRESH, LS_STORE_C, 0xff, AL_UP);
	assert_int_not_equal(d, LS_FRESH);
	assert_int_equal(ls_step(d, LS_CIVAC, ~0ull, AL_UP), LS_FRESH);
	/* memoised: the same answer twice */
	r = ls_apply(d, LS_LOAD_NC, 0xff, AL_UP);
	assert_int_equal(r.verdict, V_MAY);
	assert_int_equal(r.copy, CP_M);
	assert_int_equal(ls_apply(d, LS_LOAD_NC, 0xff, AL_UP).id, r.id);
	/* pruning: the state after the finding reads fresh */
	assert_int_equal(ls_apply(r.id, LS_LOAD_NC, 0xff, AL_UP).verdict,
			 V_FRESH);
	/* "always": memory stale, no cached copy, nothing allocates: every
	 * configuration reads stale; the served bytes are then marked
	 * fresh, the others stay stale. */
	{
		struct lcfg m_stale = { .m = 0xffff };

		d = ls_make(&m_stale, 1, AL_NONE);
		assert_int_equal(ls_size(d), 1);
		r = ls_apply(d, LS_LOAD_NC, 0xff, AL_NONE);
		assert_int_equal(r.verdict, V_ALWAYS);
		assert_int_equal(r.copy, CP_M);
		assert_int_equal(r.stale, 0xff);
		assert_int_equal(ls_cfgs(r.id)[0].m, 0xff00);
	}
}

/* The fetch fast path (cache_fetch_page) with the model on: a DC by VA
 * waiting for its DSB changes no fetch's verdict (only non-cacheable
 * data accesses to its line need the DSB: missing_dsb_after_dc), so
 * the fast path stays; an IC waiting for DSB+ISB does change the next
 * fetch's verdict (missing_barrier_after_ic), so it is refused. */
static void fetch_fast_path_pending_cmo(void **state)
{
	uint64_t lines = 0;
	const uint64_t code_line = 1ull << ((CODE >> 6) & 63);

	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);
	fx_st(FX_WB, A);
	fx_cmo(CMO_DC_CVAC, A, FX_WB);
	assert_non_null(cache_fetch_page(fx.model, fx_pe, CODE, FX_WB, &lines));
	assert_true(lines & code_line);
	/* the DSB was still owed: the Device load after it says so */
	fx_ld(FX_DEV, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_MISSING_BARRIER, false, COPY_NONE);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_fetch(FX_WB, CODE);		/* the I-cache holds the line */
	fx_st(FX_WB, CODE);			/* new code */
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_cmo(CMO_IC_IVAU, CODE, FX_WB);
	assert_null(cache_fetch_page(fx.model, fx_pe, CODE, FX_WB, &lines));
	fx_dsb();
	fx_isb();
	assert_non_null(cache_fetch_page(fx.model, fx_pe, CODE, FX_WB, &lines));
	assert_int_equal(fx_nfind(), 0);
}

/* The fetch cache keeps the pages it left (pe/access.c fetch_revisit):
 * a PE runs on page A, branches to page B, which stores new code over a
 * line of A it has not run yet, and branches back to it. The store must
 * end A's fetches without the model although A is no longer the fetch
 * cache's page (line_changed on A's slot): the fetch of the rewritten
 * line, with no IC maintenance, is a stale-fetch from the I-cache. */
static void fetch_victim_page_changed(void **state)
{
	const uint64_t a = CODE, b = CODE + 0x1000, l = CODE + 0x40;

	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_w32(a, 0x14000000u | (uint32_t)((b - a) / 4));       /* b b */
	fx_w32(l, 0xd503201fu);                                 /* nop */
	fx_w32(b, 0xb9000041u);                                 /* str w1, [x2] */
	fx_w32(b + 4, 0x14000000u |
	       ((uint32_t)((int64_t)(l - (b + 4)) / 4) & 0x3ffffffu)); /* b l */
	fx_pe->x[1] = 0xd2800023u;                              /* mov x3, #1 */
	fx_pe->x[2] = l;
	fx_pe->pc = a;
	assert_int_equal(cpu_run(fx_pe, 4), 4);
	assert_int_equal(fx_pe->x[3], 1);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_FETCH, false, COPY_I);
	assert_int_equal(fx_last()->pa, l);
}

/* ---- the sink (model/sink.h) ---- */

static struct finding sunk;
static unsigned sunk_findings, sunk_events;

static void sink_finding(void *ctx, const struct finding *f)
{
	assert_ptr_equal(ctx, &sunk);
	sunk = *f;
	sunk_findings++;
}

static struct event sunk_event;         /* the last one */

static void sink_event(void *ctx, const struct event *e)
{
	assert_ptr_equal(ctx, &sunk);
	sunk_event = *e;
	sunk_events++;
}

/* The model hands what it finds to the sink it was given, with that
 * sink's ctx, and to nothing else: the stale load of
 * mmu_off_write_cacheable_read reaches this sink, not report/. */
static void sink_gets_findings(void **state)
{
	struct cache_opts o = { .contract = BOOT_CLEAN,
				.sink = { &sunk, sink_finding, sink_event,
					  NULL } };

	(void)state;
	sunk_findings = sunk_events = 0;
	fx_setup(1, false);
	assert_int_equal(machine_attach_model(&fx, &o), 0);
	cache_pe_start(fx.model, fx_pe);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	fx_mmu_off();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(sunk_findings, 1);
	assert_int_equal(sunk.kind, F_STALE_LOAD);
	assert_int_equal(sunk.pa, A);
	assert_true(sunk_events > 0);          /* the store, MMU on/off */
	assert_int_equal(fx_nfind(), 0);
}

/* A DC's event names the copies of its line that may be stale before
 * it (the history's stale_before), not after: memory behind a Write-Back
 * store, then no data copy once DC CIVAC cleaned it. */
static void dc_event_stale_before(void **state)
{
	struct cache_opts o = { .contract = BOOT_CLEAN,
				.sink = { &sunk, sink_finding, sink_event,
					  NULL } };

	(void)state;
	fx_setup(1, false);
	assert_int_equal(machine_attach_model(&fx, &o), 0);
	cache_pe_start(fx.model, fx_pe);
	fx_mmu_on(TBL);
	fx_st(FX_WB, A);
	sunk_events = 0;
	fx_cmo(CMO_DC_CIVAC, A, FX_WB);
	assert_int_equal(sunk_events, 1);
	assert_int_equal(sunk_event.kind, EV_CMO);
	assert_int_equal(sunk_event.detail, CMO_DC_CIVAC);
	assert_int_equal(sunk_event.pa, A & ~(LINE - 1));
	assert_true(sunk_event.stale_before & STALE_COPY(COPY_M));
	fx_cmo(CMO_DC_CIVAC, A, FX_WB);
	assert_int_equal(sunk_events, 2);
	/* the data copies are fresh (the I-cache's are not a DC's) */
	assert_int_equal(sunk_event.stale_before &
			 (STALE_COPY(COPY_U) | STALE_COPY(COPY_P) |
			  STALE_COPY(COPY_M)), 0);
}

/* A sink without both functions is refused, and leaves the memory
 * system unobserved: a model that dropped its findings would make every
 * run pass. */
static void sink_required(void **state)
{
	struct cache_opts o = { .contract = BOOT_CLEAN };

	(void)state;
	fx_setup(1, false);
	assert_int_equal(machine_attach_model(&fx, &o), -1);
	o.sink = (struct model_sink){ &sunk, sink_finding, NULL, NULL };
	assert_int_equal(machine_attach_model(&fx, &o), -1);
	o.sink = (struct model_sink){ &sunk, NULL, sink_event, NULL };
	assert_int_equal(machine_attach_model(&fx, &o), -1);
	assert_null(fx.model);
	assert_null(fx.mem.obs);
	assert_true(fx.mem.ram_fast);
}

/* A collection that keeps more sets alive than the set index's first
 * size (1024 slots, half of them usable) rebuilds the index large
 * enough at once. It used to fill a too-small table and probe it for a
 * free slot for ever: U-Boot hung the model in its device probe. The
 * alarm turns such a hang into a failure. */
static void lineset_gc_many_live(void **state)
{
	enum { N = 3000 };
	static uint32_t id[N];

	(void)state;
	ls_init();
	for (unsigned i = 0; i < N; i++) {
		struct lcfg cfg = { .m = i + 1 };

		id[i] = ls_make(&cfg, 1, AL_NONE);
	}
	alarm(20);
	ls_gc_begin(false);
	for (unsigned i = 0; i < N; i++)
		ls_gc_mark(id[i]);
	ls_gc_end();
	alarm(0);
	assert_true(ls_count() >= N);
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(ls_cfgs(id[i])[0].m, i + 1);
	/* The index still finds them: interning one again gives its id. */
	{
		struct lcfg cfg = { .m = 1234 };

		assert_int_equal(ls_make(&cfg, 1, AL_NONE), id[1233]);
	}
}

/* The load fast path (model/quiet.c): a quiet line's loads skip the
 * model once granted, and the grant ends when the line stops being
 * quiet or the PE has a DC pending (MMU off: Device loads). */
static uint64_t pe_load(uint64_t va)
{
	__uint128_t v;

	fx_pe->pc = fx_next_pc();
	assert_true(mem_read(fx_pe, va, 8, &v, 0));
	return memsys_stats.access[MK_LOAD];
}

static void load_fast_path(void **state)
{
	uint64_t n;
	size_t f;

	(void)state;
	start(1, BOOT_RESET, false);
	pe_load(A);
	n = pe_load(A);
	assert_int_equal(pe_load(A), n);            /* served unchecked */
	assert_int_equal(pe_load(A + 0x1000), n + 1); /* another page */
	f = fx_nfind();
	/* a cacheable store leaves memory stale: checked again */
	fx_st(FX_WB, A);
	n = pe_load(A);
	assert_int_equal(fx_nfind(), f + 1);
	assert_int_equal(fx_last()->kind, F_STALE_LOAD);
	fx_cmo(CMO_DC_CIVAC, A + 0x40, FX_WB);
	fx_dsb();
	pe_load(A + 0x80);
	assert_int_equal(pe_load(A + 0x80), pe_load(A + 0x80));
	/* a DC awaiting its DSB: the non-cacheable loads are checked */
	fx_cmo(CMO_DC_CIVAC, A + 0x80, FX_WB);
	f = fx_nfind();
	pe_load(A + 0x80);
	assert_int_equal(fx_nfind(), f + 1);
	assert_int_equal(fx_last()->kind, F_MISSING_BARRIER);
}

/* The store fast path (model/quiet.c): with the MMU off, a PE's Device
 * store to a line no cache may hold keeps its set and is not computed
 * once the PE's TLB entry has the grant; once another PE's cacheable
 * load may have put a copy in U, the same store makes that copy stale:
 * computed, and the load after it finds the stale copy. */
static void pe_store(uint64_t va)
{
	fx_pe->pc = fx_next_pc();
	assert_true(mem_write(fx_pe, va, 8, 0x1234, 0));
}

static void store_fast_path(void **state)
{
	struct cachemodel *cm;
	uint64_t pg, k;
	uint32_t id;
	size_t f;

	(void)state;
	start(2, BOOT_CLEAN, false);
	cm = fx.model;
	pg = (A - cm->base) >> 12;
	pe_store(A);                    /* through the model: the grant */
	k = cm->stores_kept;
	id = line_id(cm, pg, 0);
	pe_store(A);
	assert_int_equal(cm->stores_kept, k + 1);
	assert_int_equal(line_id(cm, pg, 0), id);
	/* the grant covers the page's lines (line 1 too), until PE 1's
	 * load gives line 1 a copy in U */
	fx_on(1);
	fx_ld(FX_WB, A + 0x40);
	fx_on(0);
	id = line_id(cm, pg, 1);
	pe_store(A + 0x40);
	pe_store(A + 0x40);
	assert_int_equal(cm->stores_kept, k + 1);
	assert_int_not_equal(line_id(cm, pg, 1), id);
	f = fx_nfind();
	fx_on(1);
	fx_ld(FX_WB, A + 0x40);
	assert_int_equal(fx_nfind(), f + 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
}

/* Lazy reclose (page_reclose, page_settle): a page made allocatable
 * keeps its sets until something reads them, and then gets the set an
 * eager closure gives. Under the firmware contract the lines may be
 * dirty at entry, so the closure at UP adds the allocated copies. */
static void lazy_reclose_same_set(void **state)
{
	struct cachemodel *cm;
	uint64_t pg;
	uint32_t id0, want;

	(void)state;
	start(1, BOOT_LOADED, false);
	cm = fx.model;
	pg = (A - cm->base) >> 12;
	id0 = line_id(cm, pg, 5);
	want = ls_step(id0, LS_CLOSE, 0, AL_UP);
	assert_int_not_equal(want, id0);
	fx_mmu_on(TBL);                 /* every page allocatable at UP */
	assert_int_equal(page_level(cm, pg), AL_UP);
	assert_int_equal(cm->rclev[pg], AL_UP);
	assert_int_equal(cm->pdef[pg], id0);    /* nothing computed yet */
	assert_int_equal(line_id(cm, pg, 5), want);
	assert_int_equal(cm->rclev[pg], AL_NONE);
	fx_model_teardown(NULL);

	/* Allocatable, then not, and only then read: the lines may have
	 * been allocated meanwhile, so the closure is the one at UP, not
	 * at the level in force when they are read. */
	start(1, BOOT_LOADED, false);
	cm = fx.model;
	fx_mmu_on(TBL);
	fx_mmu_off();
	assert_int_equal(page_level(cm, pg), AL_NONE);
	assert_int_equal(line_id(cm, pg, 5), want);
}

/* The same through findings, with caches empty at entry: a page that
 * was allocatable while nothing touched it may hold a clean copy, which
 * a Device store makes stale -> the cacheable load after MMU on is
 * "may", copy U. Its twin: never allocatable before the store, silent. */
static void lazy_reclose_findings(void **state)
{
	(void)state;
	start(1, BOOT_CLEAN, false);
	fx_mmu_on(TBL);
	fx_mmu_off();
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 1);
	fx_expect(F_STALE_LOAD, false, COPY_U);
	fx_model_teardown(NULL);

	start(1, BOOT_CLEAN, false);
	fx_st(FX_DEV, A);
	fx_mmu_on(TBL);
	fx_ld(FX_WB, A);
	assert_int_equal(fx_nfind(), 0);
}

/* icache_page_allocatable reads a page's sets before their pending
 * closure: a closure under allocation keeps the PoU union (an
 * allocation copies the level below). Checked on sets with dirty,
 * stale and clean copies at every level, closed at AL_NONE. */
static void reclose_keeps_pou_union(void **state)
{
	static const enum ls_op ops[] = { LS_STORE_NC, LS_STORE_C, LS_CVAU,
					  LS_CVAC, LS_IVAC, LS_STORE_WT };
	struct lcfg dirty[3] = {
		{ 0 },
		{ .us = CS_DIRTY, .m = ~0ull },
		{ .ps = CS_DIRTY, .m = ~0ull },
	};
	uint32_t sets[1 + 6 * 3];
	size_t n = 0;

	(void)state;
	ls_init();
	sets[n++] = ls_make(dirty, 3, AL_NONE);
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		uint32_t a = ls_step(sets[0], ops[k], 0xf0, AL_NONE);

		sets[n++] = a;
		sets[n++] = ls_step(a, LS_STORE_NC, 0x0f00, AL_NONE);
		sets[n++] = ls_step(a, LS_CVAU, ~0ull, AL_NONE);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t pou = ls_pou_union(sets[i]);

		assert_int_equal(ls_pou_union(ls_step(sets[i], LS_CLOSE, 0,
						      AL_P)), pou);
		assert_int_equal(ls_pou_union(ls_step(sets[i], LS_CLOSE, 0,
						      AL_UP)), pou);
	}
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Stores to a page an instruction side allocates are store chains; the
 * I-cache refill after one acts on whether the exact set changed
 * (cachemodel.c store_refills). A random mix of stores, fetches and
 * code maintenance by two PEs on two lines of code, with the exactness
 * check on: it aborts where the refill decided differs from the exact
 * store's and the refill would add bytes to an I-cache record. */
static void code_store_chains_refill(void **state)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	uint64_t seed = 0x853c49e6748fea9bull;
	unsigned long made = ls_chains_made();

	(void)state;
	start(2, BOOT_CLEAN, false);
	machine_pe_start(&fx, &fx.pe[1], FX_PC, 0);
	cache_pe_start(fx.model, &fx.pe[1]);
	fx_on(1);
	fx_mmu_on(TBL);
	fx_on(0);
	fx_mmu_on(TBL);
	ls_set_exact_check(true);
	for (int k = 0; k < 4000; k++) {
		uint64_t pa = CODE + (xorshift(&seed) % 2) * LINE +
			      (xorshift(&seed) % 8) * 8;

		fx_on(xorshift(&seed) % 2);
		switch (xorshift(&seed) % 8) {
		case 4:
			fx_fetch(FX_WB, pa);
			break;
		case 5:
			fx_cmo(CMO_DC_CVAU, pa, FX_WB);
			break;
		case 6:
			fx_cmo(CMO_IC_IVAU, pa, FX_WB);
			break;
		case 7:
			fx_dsb();
			fx_isb();
			break;
		default:
			fx_store(FX_WB, pa, sizes[xorshift(&seed) % 4],
				 (uint64_t)k);
			break;
		}
	}
	ls_set_exact_check(false);
	assert_true(ls_chains_made() > made);
	assert_true(fx_nfind() > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lineset_gc_many_live),
		cmocka_unit_test(lineset_basics),
		cmocka_unit_test_teardown(mmu_off_write_cacheable_read, fx_model_teardown),
		cmocka_unit_test_teardown(cacheable_write_mmu_off_read, fx_model_teardown),
		cmocka_unit_test_teardown(cvau_where_poc_needed, fx_model_teardown),
		cmocka_unit_test_teardown(civac_before_mmu_off_undone, fx_model_teardown),
		cmocka_unit_test_teardown(ivac_discard_outcome, fx_model_teardown),
		cmocka_unit_test_teardown(kvm_host_alias, fx_model_teardown),
		cmocka_unit_test_teardown(one_finding_per_bug, fx_model_teardown),
		cmocka_unit_test_teardown(nc_may_hit, fx_model_teardown),
		cmocka_unit_test_teardown(zva_then_mmu_off_read, fx_model_teardown),
		cmocka_unit_test_teardown(dtb_strict_vs_loaded, fx_model_teardown),
		cmocka_unit_test_teardown(code_without_cvau, fx_model_teardown),
		cmocka_unit_test_teardown(code_without_ic, fx_model_teardown),
		cmocka_unit_test_teardown(code_ic_before_dc, fx_model_teardown),
		cmocka_unit_test_teardown(code_correct_order, fx_model_teardown),
		cmocka_unit_test_teardown(code_iallu, fx_model_teardown),
		cmocka_unit_test_teardown(table_written_mmu_off, fx_model_teardown),
		cmocka_unit_test_teardown(missing_dsb_after_dc, fx_model_teardown),
		cmocka_unit_test_teardown(missing_isb_after_sctlr, fx_model_teardown),
		cmocka_unit_test_teardown(missing_barrier_after_ic, fx_model_teardown),
		cmocka_unit_test(ic_iallu_frees_records),
		cmocka_unit_test_teardown(set_way_two_pes, fx_model_teardown),
		cmocka_unit_test_teardown(tlb_liveness, fx_model_teardown),
		cmocka_unit_test_teardown(break_before_make, fx_model_teardown),
		cmocka_unit_test_teardown(tlbi_until_dsb, fx_model_teardown),
		cmocka_unit_test_teardown(walk_before_dsb, fx_model_teardown),
		cmocka_unit_test_teardown(table_link_before_init, fx_model_teardown),
		cmocka_unit_test_teardown(fetch_fast_path_pending_cmo, fx_model_teardown),
		cmocka_unit_test_teardown(fetch_victim_page_changed, fx_model_teardown),
		cmocka_unit_test_teardown(load_fast_path, fx_model_teardown),
		cmocka_unit_test_teardown(store_fast_path, fx_model_teardown),
		cmocka_unit_test_teardown(sink_gets_findings, fx_model_teardown),
		cmocka_unit_test_teardown(sink_required, fx_model_teardown),
		cmocka_unit_test_teardown(dc_event_stale_before,
					  fx_model_teardown),
		cmocka_unit_test_teardown(lazy_reclose_same_set, fx_model_teardown),
		cmocka_unit_test_teardown(lazy_reclose_findings, fx_model_teardown),
		cmocka_unit_test(reclose_keeps_pou_union),
		cmocka_unit_test_teardown(code_store_chains_refill, fx_model_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
