/* Allocatability under stage 2 (docs/model.md "Stage 2"): a guest's
 * lines allocate as its stage 2 leaves combined with stage 1 allow; the
 * host's EL2 mapping keeps allocating while its guest runs; stage 2
 * leaves stay live until a stage 2 TLBI (IPAS2E1, VMALLS12E1) completes. */
#include "machine_fixture.h"

#include "arch/walk_s2.h"
#include "model/cache.h"
#include "model/model.h"
#include "report/findings.h"

#define RAM0    0x40000000ull
#define S2_L1   0x40100000ull
#define S2_L2   0x40101000ull
#define S2_L3   0x40102000ull
#define H_L1    0x40104000ull       /* the host's EL2 tables */
#define H_L2    0x40105000ull
#define PG_WB   0x40600000ull       /* IPA 0x40400000 -> here, WB */
#define PG_NC   0x40601000ull       /* IPA 0x40401000 -> here, NC */
#define PG_HOST 0x40800000ull       /* the host's 2 MiB block */
#define IPA_WB  0x40400000ull
#define VTCR32  (32ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | \
		 2ull << 16 | 1ull << 31)
#define S2_PAGE(pa, memattr) ((pa) | 3 | (1ull << 10) | (3ull << 8) | \
			      (3ull << 6) | ((uint64_t)(memattr) << 2))

static struct cpu *c;

static unsigned level_of(uint64_t pa)
{
	return page_level(fx.model, (pa - RAM0) >> 12);
}

static void sync_ctx(void)
{
	memsys_barrier(&fx.mem, c, BAR_ISB, 15);
}

static void st64(uint64_t pa, uint64_t v)
{
	static const struct memattr wb = { MAIR_NORMAL_WB, SH_ISH, 1 };

	c->pc += 4;
	assert_int_equal(memsys_access(&fx.mem, c, pa, 8, MK_STORE, wb, &v),
			 MEM_OK);
}

static int setup(void **state)
{
	(void)state;
	c = fx_model_setup(1, true, (struct cache_opts){ .contract = BOOT_CLEAN });
	c->pc = 0x1000;
	fx_w64(S2_L1 + 8, S2_L2 | 3);
	fx_w64(S2_L2 + 2 * 8, S2_L3 | 3);
	fx_w64(S2_L3 + 0, S2_PAGE(PG_WB, 0xf));
	fx_w64(S2_L3 + 8, S2_PAGE(PG_NC, 0x5));
	c->sys.vttbr_el2 = S2_L1 | (3ull << 48);
	c->sys.vtcr_el2 = VTCR32;
	c->sys.hcr_el2 = HCR_RW | HCR_VM;
	c->el = 1;
	sync_ctx();
	return 0;
}

/* Stage 1 off: data is Device (never allocates), fetches allocate only
 * with SCTLR_EL1.I and a cacheable stage 2 page. */
static void s1_off_guest(void **state)
{
	(void)state;
	assert_int_equal(level_of(PG_WB), AL_NONE);
	assert_int_equal(level_of(PG_NC), AL_NONE);
	c->sys.sctlr_el1 |= SCTLR_I;
	sync_ctx();
	assert_int_equal(level_of(PG_WB), AL_P);
	assert_int_equal(level_of(PG_NC), AL_NONE);
}

/* The guest turns its MMU on (identity stage 1 at TTBR0, WB): its
 * lines allocate as stage 2 allows, and the stage 2 leaves, unchanged,
 * are no break-before-make. */
static void guest_mmu_on(void **state)
{
	(void)state;
	fx_w64(H_L1 + 8, 0x40000000ull | 1 | (1ull << 10) | (3ull << 8));
	c->sys.mair_el1 = 0xff;
	c->sys.tcr_el1 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 32 |
			 1ull << 23;
	c->sys.ttbr0_el1 = H_L1;
	c->sys.sctlr_el1 |= SCTLR_M | SCTLR_C;
	sync_ctx();
	assert_int_equal(level_of(PG_WB), AL_UP);
	assert_int_equal(level_of(PG_NC), AL_NONE);
	assert_int_equal(findings_count(&fx), 0);
}

/* HCR_EL2.DC: Normal WB combined with stage 2: only what stage 2 maps
 * cacheably allocates (not every page, as without stage 2). */
static void dc_follows_stage2(void **state)
{
	(void)state;
	c->sys.hcr_el2 |= HCR_DC;
	sync_ctx();
	assert_int_equal(level_of(PG_WB), AL_UP);
	assert_int_equal(level_of(PG_NC), AL_NONE);
	assert_int_equal(level_of(PG_HOST), AL_NONE);
	/* Unmapped at stage 2: live until a stage 2 TLBI completes; a
	 * stage 1 TLBI does not remove it. */
	st64(S2_L3, 0);
	memsys_barrier(&fx.mem, c, BAR_DSB, 15);
	assert_int_equal(level_of(PG_WB), AL_UP);
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_ALL, 0, 0, false);
	memsys_barrier(&fx.mem, c, BAR_DSB, 15);
	assert_int_equal(level_of(PG_WB), AL_UP);
	/* Another VMID's IPAS2E1 neither. */
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_IPAS2, IPA_WB, 4, false);
	memsys_barrier(&fx.mem, c, BAR_DSB, 15);
	assert_int_equal(level_of(PG_WB), AL_UP);
	memsys_tlbi(&fx.mem, c, REGIME_EL10, TLBI_IPAS2, IPA_WB, 3, false);
	assert_int_equal(level_of(PG_WB), AL_UP);     /* until the DSB */
	memsys_barrier(&fx.mem, c, BAR_DSB, 15);
	assert_int_equal(level_of(PG_WB), AL_NONE);
}

/* The host's EL2 linear map keeps allocating while its guest runs,
 * until a TLBI ALLE2. */
static void host_map_stays_live(void **state)
{
	(void)state;
	fx_w64(H_L1 + 8, H_L2 | 3);
	fx_w64(H_L2 + 4 * 8, PG_HOST | 1 | (1ull << 10) | (3ull << 8));
	c->sys.mair_el2 = 0xff;
	c->sys.tcr_el2 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 16;
	c->sys.ttbr0_el2 = H_L1;
	c->sys.sctlr_el2 |= SCTLR_M | SCTLR_C;
	c->el = 2;
	sync_ctx();
	assert_int_equal(level_of(PG_HOST), AL_UP);
	c->el = 1;                        /* ERET to the guest, stage 1 off */
	sync_ctx();
	assert_int_equal(level_of(PG_HOST), AL_UP);
	assert_int_equal(level_of(PG_WB), AL_NONE);
	memsys_tlbi(&fx.mem, c, REGIME_EL2, TLBI_ALL, 0, 0, false);
	memsys_barrier(&fx.mem, c, BAR_DSB, 15);
	assert_int_equal(level_of(PG_HOST), AL_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(s1_off_guest, setup, fx_model_teardown),
		cmocka_unit_test_setup_teardown(guest_mmu_on, setup, fx_model_teardown),
		cmocka_unit_test_setup_teardown(dc_follows_stage2, setup, fx_model_teardown),
		cmocka_unit_test_setup_teardown(host_map_stays_live, setup, fx_model_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
