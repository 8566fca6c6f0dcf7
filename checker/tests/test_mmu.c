/* Stage 1 translation and TLB behaviour (mmu.c, access.c). */
#include "arch/desc.h"
#include "arch/walk.h"

#include <string.h>

#include "machine_fixture.h"

/* Descriptors in the layout of arch/desc.h. */
#define AF       DESC_AF
#define AP(x)    DESC_AP(x)
#define IDX(i)   DESC_ATTRIDX(i)
#define UXN      DESC_UXN
#define PXN      DESC_PXN
#define NG       DESC_NG
#define SHI      DESC_SH(SH_ISH)
#define TABLE(pa) ((pa) | DESC_VALID | DESC_TABLE)
#define BLOCK(pa) ((pa) | DESC_VALID | AF | SHI)
#define PAGE(pa)  ((pa) | DESC_VALID | DESC_TABLE | AF | SHI)

#define L1_0  0x40100000ull
#define L2_0  0x40101000ull
#define L3_0  0x40102000ull
#define L1_1  0x40103000ull

/* TCR: T0SZ = T1SZ = 25 (39-bit VAs, walks start at level 1), TG1 = 4K,
 * IPS = 40 bits, walks inner/outer write-back. */
#define TCR39 (25ull | 25ull << 16 | 2ull << 30 | 2ull << 32 | \
	       1ull << 8 | 1ull << 10 | 1ull << 24 | 1ull << 26)

static struct cpu *c;

static int setup(void **state)
{
	(void)state;
	c = fx_setup(1, false);
	fx_w64(L1_0 + 0 * 8, TABLE(L2_0));
	fx_w64(L1_0 + 1 * 8, BLOCK(0x40000000ull) | AP(1) | IDX(0));
	fx_w64(L2_0 + 0 * 8, TABLE(L3_0));
	fx_w64(L3_0 + 1 * 8, PAGE(0x40200000ull) | AP(2) | UXN | IDX(0));
	fx_w64(L3_0 + 2 * 8, (PAGE(0x40201000ull) & ~AF) | IDX(0));
	fx_w64(L3_0 + 3 * 8, PAGE(0x40202000ull) | AP(1) | NG | IDX(1));
	fx_w64(L3_0 + 5 * 8, PAGE(0x40203000ull) | AP(1) | IDX(0));
	fx_w64(L1_1 + 511 * 8, BLOCK(0x40000000ull) | IDX(0));
	fx_msr(c, 3, 0, 10, 2, 0, 0x00ff);       /* MAIR: 0 WB, 1 Device */
	fx_msr(c, 3, 0, 2, 0, 2, TCR39);
	fx_msr(c, 3, 0, 2, 0, 0, L1_0);
	fx_msr(c, 3, 0, 2, 0, 1, L1_1);
	fx_msr(c, 3, 0, 1, 0, 0, c->sys.sctlr_el1 | SCTLR_M | SCTLR_C);
	c->pc = FX_PC;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_teardown();
	return 0;
}

static void test_block_and_page(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0x40000123, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40000123);
	assert_int_equal(t.attr.mair, 0xff);
	assert_int_equal(t.attr.s1, 1);
	assert_int_equal(t.attr.sh, SH_ISH);
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200008);
	assert_true(mmu_translate(c, 0x3010, MMU_READ, 0, &t));
	assert_int_equal(t.pa, 0x40202010);
	assert_true(memattr_is_device(t.attr));
	assert_int_equal(t.attr.sh, SH_OSH);
}

static void test_ttbr1(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0xffffffffc0000010ull, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40000010);
	/* EPD1 disables walks through TTBR1 (new VA: no TLB entry yet). */
	fx_msr(c, 3, 0, 2, 0, 2, TCR39 | 1ull << 23);
	assert_false(mmu_translate(c, 0xffffffffc0001000ull, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(0));
}

static void test_faults(void **state)
{
	struct translation t;

	(void)state;
	assert_false(mmu_translate(c, 0x4000, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(3));
	assert_false(mmu_translate(c, 0x2000, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_ACCESS(3));
	assert_false(mmu_translate(c, 0x80000000ull, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(1));
	/* Above the 39-bit TTBR0 range. */
	assert_false(mmu_translate(c, 0x8000000000ull, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(0));
	/* Read-only page: write faults; no EL0 access; UXN. */
	assert_false(mmu_translate(c, 0x1000, MMU_WRITE, 1, &t));
	assert_int_equal(t.fsc, FSC_PERMISSION(3));
	assert_false(mmu_translate(c, 0x1000, MMU_READ, 0, &t));
	assert_int_equal(t.fsc, FSC_PERMISSION(3));
	assert_true(mmu_translate(c, 0x1000, MMU_EXEC, 1, &t));
	/* EL0-writable memory is never executable at EL1. */
	assert_false(mmu_translate(c, 0x5000, MMU_EXEC, 1, &t));
	assert_int_equal(t.fsc, FSC_PERMISSION(3));
	/* Device memory is never executable. */
	assert_false(mmu_translate(c, 0x3000, MMU_EXEC, 0, &t));
	/* Block permission faults report level 1. */
	fx_w64(L1_0 + 1 * 8, BLOCK(0x40000000ull) | AP(3));
	assert_false(mmu_translate(c, 0x7ff00000ull, MMU_WRITE, 1, &t));
	assert_int_equal(t.fsc, FSC_PERMISSION(1));
}

static void test_48bit(void **state)
{
	struct translation t;

	(void)state;
	/* T0SZ = 16: the walk starts at level 0. */
	fx_w64(0x40104000 + 1 * 8, TABLE(L1_0));      /* L0[1]: VA 2^39 */
	fx_msr(c, 3, 0, 2, 0, 2, (TCR39 & ~0x3full) | 16);
	fx_msr(c, 3, 0, 2, 0, 0, 0x40104000);
	assert_true(mmu_translate(c, (1ull << 39) + 0x40000040, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40000040);
	assert_false(mmu_translate(c, 0x1000, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(0));
}

static void test_tlb_stale_until_tlbi(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200008);
	/* Remap without TLBI: the old translation stays in use. */
	fx_w64(L3_0 + 1 * 8, PAGE(0x40300000ull) | AP(0) | IDX(0));
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200008);
	/* TLBI VAE1 for another page: still stale. */
	c->x[1] = 0x5000 >> 12;
	fx_sys(c, sysinsn(0, 1, 0, 8, 7, 1, 1));
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200008);
	/* TLBI VAE1 for the page: new translation. */
	c->x[1] = 0x1000 >> 12;
	fx_sys(c, sysinsn(0, 1, 0, 8, 7, 1, 1));
	assert_true(mmu_translate(c, 0x1008, MMU_WRITE, 1, &t));
	assert_int_equal(t.pa, 0x40300008);
	/* A block entry is invalidated by a TLBI on any page inside it. */
	assert_true(mmu_translate(c, 0x40000000, MMU_READ, 1, &t));
	fx_w64(L1_0 + 1 * 8, 0);
	assert_true(mmu_translate(c, 0x40000000, MMU_READ, 1, &t));
	c->x[1] = 0x7ffff000ull >> 12;
	fx_sys(c, sysinsn(0, 1, 0, 8, 3, 1, 1));       /* VAE1IS */
	assert_false(mmu_translate(c, 0x40000000, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(1));
}

static void test_asid(void **state)
{
	struct translation t;

	(void)state;
	/* nG page cached under ASID 5, global page cached. */
	fx_msr(c, 3, 0, 2, 0, 0, L1_0 | 5ull << 48);
	assert_true(mmu_translate(c, 0x3000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40202000);
	assert_true(mmu_translate(c, 0x1000, MMU_READ, 1, &t));
	fx_w64(L3_0 + 3 * 8, PAGE(0x40204000ull) | AP(1) | NG | IDX(1));
	fx_w64(L3_0 + 1 * 8, PAGE(0x40205000ull) | AP(1) | IDX(0));
	/* Another ASID's TLBI leaves them. */
	c->x[2] = 7ull << 48;
	fx_sys(c, sysinsn(0, 1, 0, 8, 7, 2, 2));            /* ASIDE1 7 */
	assert_true(mmu_translate(c, 0x3000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40202000);
	/* ASID 6 does not hit ASID 5's entry but does hit global ones. */
	fx_msr(c, 3, 0, 2, 0, 0, L1_0 | 6ull << 48);
	assert_true(mmu_translate(c, 0x1000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200000);
	assert_true(mmu_translate(c, 0x3000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40204000);
	/* TLBI ASIDE1 6 drops ASID 6's entries, not the global one. */
	fx_w64(L3_0 + 3 * 8, PAGE(0x40206000ull) | AP(1) | NG | IDX(1));
	c->x[2] = 6ull << 48;
	fx_sys(c, sysinsn(0, 1, 0, 8, 7, 2, 2));
	assert_true(mmu_translate(c, 0x3000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40206000);
	assert_true(mmu_translate(c, 0x1000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200000);
	/* VMALLE1 drops everything. */
	fx_sys(c, sysinsn(0, 1, 0, 8, 7, 0, 31));
	assert_true(mmu_translate(c, 0x1000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40205000);
}

static void test_data_abort_entry(void **state)
{
	__uint128_t v;

	(void)state;
	assert_false(mem_read(c, 0x4008, 8, &v, 0));
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_DABT_CUR);
	assert_int_equal(c->sys.esr_el1 & 0x3f, FSC_TRANSLATION(3));
	assert_int_equal((c->sys.esr_el1 >> 6) & 1, 0);     /* WnR */
	assert_int_equal(c->sys.far_el1, 0x4008);
	assert_int_equal(c->sys.elr_el1, FX_PC);
	c->pc = FX_PC;
	assert_false(mem_write(c, 0x1000, 4, 7, 0));
	assert_int_equal(c->sys.esr_el1 & 0x7f, (1 << 6) | FSC_PERMISSION(3));
	/* Loads and stores through the page and the block agree. */
	c->pc = FX_PC;
	assert_true(mem_write(c, 0x5010, 8, 0x1122334455667788ull, 0));
	assert_int_equal(fx_r64(0x40203010), 0x1122334455667788ull);
	assert_true(mem_read(c, 0x40203010, 8, &v, 0));
	assert_true((uint64_t)v == 0x1122334455667788ull);
	/* Unaligned to Device memory: alignment fault. */
	assert_false(mem_read(c, 0x3001, 4, &v, 0));
	assert_int_equal(c->sys.esr_el1 & 0x3f, FSC_ALIGNMENT);
}

static void test_mmu_off(void **state)
{
	struct translation t;
	__uint128_t v;

	(void)state;
	fx_msr(c, 3, 0, 1, 0, 0, c->sys.sctlr_el1 & ~SCTLR_M);
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x1008);
	assert_int_equal(t.attr.mair, MAIR_DEVICE_nGnRnE);
	assert_int_equal(t.attr.s1, 0);
	assert_true(mmu_translate(c, 0x40000000, MMU_EXEC, 1, &t));
	assert_false(memattr_is_device(t.attr));
	/* Data accesses are Device: unaligned ones fault, aligned work. */
	assert_false(mem_read(c, 0x40000001, 4, &v, 0));
	assert_int_equal(c->sys.esr_el1 & 0x3f, FSC_ALIGNMENT);
	assert_int_equal(c->sys.far_el1, 0x40000001);
	assert_true(mem_read(c, 0x40000004, 4, &v, 0));
	/* Nothing at the PA: synchronous external abort. */
	assert_false(mem_read(c, 0x20000000, 4, &v, 0));
	assert_int_equal(c->sys.esr_el1 & 0x3f, FSC_EXT_ABORT);
	/* Beyond the 40-bit PA space: address size fault. */
	assert_false(mmu_translate(c, 1ull << 40, MMU_READ, 1, &t));
	assert_int_equal(t.fsc, FSC_ADDR_SIZE(0));
}

/* Translations cached while the MMU was on must not serve accesses once
 * SCTLR.M = 0: with stage 1 off every access is flat (a handoff branches
 * to a page its own tables map XN, right after clearing M). */
static void test_mmu_off_ignores_tlb(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200008);	/* L3_0[1] */
	fx_msr(c, 3, 0, 1, 0, 0, c->sys.sctlr_el1 & ~SCTLR_M);
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x1008);
	assert_true(mmu_translate(c, 0x1008, MMU_EXEC, 1, &t));	/* UXN/PXN do not apply */
	fx_msr(c, 3, 0, 1, 0, 0, c->sys.sctlr_el1 | SCTLR_M);
	assert_true(mmu_translate(c, 0x1008, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40200008);
}

static void test_at(void **state)
{
	(void)state;
	c->x[3] = 0x1008;
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 0, 3));    /* AT S1E1R */
	assert_int_equal(c->sys.par_el1,
			 0x40200000ull | 0xffull << 56 | 3 << 7 | 1 << 9 | 1 << 11);
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 1, 3));    /* AT S1E1W */
	assert_int_equal(c->sys.par_el1, 1 | FSC_PERMISSION(3) << 1 | 1 << 11);
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 2, 3));    /* AT S1E0R */
	assert_int_equal(c->sys.par_el1 & 1, 1);
	c->x[3] = 0x4000;
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 0, 3));
	assert_int_equal(c->sys.par_el1, 1 | FSC_TRANSLATION(3) << 1 | 1 << 11);
	/* AT never takes an exception. */
	assert_int_equal(c->pc, FX_PC + 16);
}

static void test_fetch_abort(void **state)
{
	uint32_t insn;

	(void)state;
	/* UXN page fetched at EL0: instruction abort to EL1 (lower EL). */
	c->el = 0;
	c->pc = 0x1000;
	assert_false(mem_fetch(c, &insn));
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_IABT_LOWER);
	assert_int_equal(c->sys.esr_el1 & 0x3f, FSC_PERMISSION(3));
	assert_int_equal(c->sys.far_el1, 0x1000);
	/* Misaligned PC. */
	c->pc = 0x40000002;
	assert_false(mem_fetch(c, &insn));
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_PC_ALIGN);
}

/* ---- the walker itself (arch/walk.h), on a fake memory ---- */

#define FM_BASE 0x80000000ull
#define FM_T(n) (FM_BASE + (n) * 0x1000ull)   /* table n of the fake */
static uint64_t fm[8 * 512];
static unsigned fm_reads;

static bool fm_read(void *ctx, uint64_t pa, uint8_t mair, uint8_t sh,
		    uint64_t *d)
{
	(void)ctx;
	assert_int_equal(mair, 0xff);
	assert_int_equal(sh, SH_ISH);
	fm_reads++;
	if (pa < FM_BASE || pa - FM_BASE >= sizeof(fm))
		return false;                   /* external abort */
	*d = fm[(pa - FM_BASE) / 8];
	return true;
}

static void fm_set(unsigned table, unsigned idx, uint64_t d)
{
	fm[table * 512 + idx] = d;
}

/* T0SZ 25: a level 1 start table T0, T1 at level 2, T2 at level 3. */
static void fm_setup(void)
{
	memset(fm, 0, sizeof(fm));
	fm_reads = 0;
	fm_set(0, 0, TABLE(FM_T(1)));
	fm_set(0, 1, BLOCK(0x40000000ull));                 /* L1 block */
	fm_set(0, 3, TABLE(0x1000));                        /* outside */
	fm_set(1, 0, TABLE(FM_T(2)) | DESC_XNTABLE);
	fm_set(1, 2, BLOCK(0x40400000ull));                 /* L2 block */
	fm_set(2, 1, PAGE(0x40201000ull));
	fm_set(2, 4, PAGE(0x40202000ull) & ~DESC_TABLE);    /* reserved */
	fm_set(2, 5, PAGE(0x40203000ull) & ~AF);
}

static bool fm_walk(unsigned tsz, uint64_t va, struct walk_leaf *o)
{
	struct walk_tree t = { .ttbr = FM_T(0), .tsz = tsz, .pabits = 40 };

	memset(o, 0xa5, sizeof(*o));
	return walk_va(&t, va, 0xff, SH_ISH, fm_read, NULL, o);
}

static void test_walk_page_and_blocks(void **state)
{
	struct walk_leaf o;

	(void)state;
	fm_setup();
	assert_true(fm_walk(25, 0x1008, &o));
	assert_int_equal(o.level, 3);
	assert_int_equal(o.oa, 0x40201000ull);
	assert_int_equal(o.bmask, 0xfff);
	assert_int_equal(o.xn_table, 1);
	assert_int_equal(o.nread, 3);
	assert_int_equal(o.read_pa[0], FM_T(0));
	assert_int_equal(o.read_pa[1], FM_T(1));
	assert_int_equal(o.read_pa[2], FM_T(2) + 8);
	assert_int_equal(fm_reads, 3);
	assert_true(fm_walk(25, 0x40000000ull + 0x12345678, &o));
	assert_int_equal(o.level, 1);
	assert_int_equal(o.oa, 0x40000000ull);
	assert_int_equal(o.bmask, (1ull << 30) - 1);
	assert_int_equal(o.nread, 1);
	assert_int_equal(o.read_pa[0], FM_T(0) + 8);
	assert_true(fm_walk(25, 0x400000 + 0x1234, &o));
	assert_int_equal(o.level, 2);
	assert_int_equal(o.oa, 0x40400000ull);
	assert_int_equal(o.bmask, (1ull << 21) - 1);
	assert_int_equal(o.xn_table, 0);
	assert_int_equal(o.nread, 2);
	assert_int_equal(o.read_pa[1], FM_T(1) + 2 * 8);
}

static void test_walk_faults_each_level(void **state)
{
	struct walk_leaf o;

	(void)state;
	fm_setup();
	assert_false(fm_walk(25, 2ull << 30, &o));           /* L1[2] */
	assert_int_equal(o.fsc, FSC_TRANSLATION(1));
	assert_int_equal(o.nread, 1);
	assert_false(fm_walk(25, 1ull << 21, &o));           /* L2[1] */
	assert_int_equal(o.fsc, FSC_TRANSLATION(2));
	assert_int_equal(o.nread, 2);
	assert_false(fm_walk(25, 0x2000, &o));               /* L3[2] */
	assert_int_equal(o.fsc, FSC_TRANSLATION(3));
	assert_int_equal(o.nread, 3);
	assert_false(fm_walk(25, 0x4000, &o));    /* level 3 encoding 0b01 */
	assert_int_equal(o.fsc, FSC_TRANSLATION(3));
	assert_false(fm_walk(25, 0x5000, &o));
	assert_int_equal(o.fsc, FSC_ACCESS(3));
	assert_false(o.walk_fault);
	/* A table outside memory: the read of level 2 aborts. */
	assert_false(fm_walk(25, 3ull << 30, &o));
	assert_int_equal(o.fsc, FSC_EXT_WALK(2));
	assert_true(o.walk_fault);
	/* Above the 39-bit range: no read at all. */
	fm_reads = 0;
	assert_false(fm_walk(25, 1ull << 39, &o));
	assert_int_equal(o.fsc, FSC_TRANSLATION(0));
	assert_int_equal(fm_reads, 0);
	/* T0SZ 16 starts at level 0: invalid, then a (reserved) block. */
	fm_set(3, 1, TABLE(FM_T(0)));
	fm_set(3, 2, BLOCK(0));
	{
		struct walk_tree t = { .ttbr = FM_T(3), .tsz = 16, .pabits = 40 };

		assert_false(walk_va(&t, 0, 0xff, SH_ISH, fm_read, NULL, &o));
		assert_int_equal(o.fsc, FSC_TRANSLATION(0));
		assert_false(walk_va(&t, 2ull << 39, 0xff, SH_ISH, fm_read,
				     NULL, &o));
		assert_int_equal(o.fsc, FSC_TRANSLATION(0));
		assert_true(walk_va(&t, (1ull << 39) | 0x1008, 0xff, SH_ISH,
				    fm_read, NULL, &o));
		assert_int_equal(o.nread, 4);
		assert_int_equal(o.oa, 0x40201000ull);
	}
	/* An output address above pabits: address size fault. */
	{
		struct walk_tree t = { .ttbr = FM_T(0), .tsz = 25, .pabits = 30 };

		assert_false(walk_va(&t, 1ull << 30, 0xff, SH_ISH, fm_read,
				     NULL, &o));
		assert_int_equal(o.fsc, FSC_ADDR_SIZE(0));   /* the TTBR */
	}
}

static void test_walk_txsz_clamp(void **state)
{
	struct walk_leaf o;
	struct ttw_geom lo = ttw_geometry(8), hi = ttw_geometry(45);

	(void)state;
	/* Below 16 acts as 16, above 39 as 39 (D8.2.6). */
	assert_int_equal(lo.vabits, 48);
	assert_int_equal(lo.start, 0);
	assert_int_equal(hi.vabits, 25);
	assert_int_equal(hi.start, 2);
	assert_int_equal(hi.nent, 16);
	fm_setup();
	fm_set(0, 3, TABLE(FM_T(2)));
	assert_true(fm_walk(45, (3ull << 21) | 0x1008, &o));
	assert_int_equal(o.nread, 2);
	assert_int_equal(o.read_pa[0], FM_T(0) + 3 * 8);
	assert_int_equal(o.oa, 0x40201000ull);
	assert_false(fm_walk(45, 1ull << 25, &o));
	assert_int_equal(o.fsc, FSC_TRANSLATION(0));
	/* In the TTBR1 half the start index takes only the table's bits
	 * of the VA, not the ones above it. */
	{
		struct walk_tree t = { .ttbr = FM_T(0), .tsz = 45, .pabits = 40,
				       .top = true };

		assert_true(walk_va(&t, (~0ull << 25) | (3ull << 21) | 0x1008,
				    0xff, SH_ISH, fm_read, NULL, &o));
		assert_int_equal(o.read_pa[0], FM_T(0) + 3 * 8);
		assert_int_equal(o.oa, 0x40201000ull);
	}
	fm_set(3, 0, TABLE(FM_T(0)));
	{
		struct walk_tree t = { .ttbr = FM_T(3), .tsz = 0, .pabits = 40 };

		assert_true(walk_va(&t, 0x40000000ull, 0xff, SH_ISH, fm_read,
				    NULL, &o));
		assert_int_equal(o.nread, 2);
		assert_int_equal(o.level, 1);
		assert_false(walk_va(&t, 1ull << 48, 0xff, SH_ISH, fm_read,
				     NULL, &o));
		assert_int_equal(o.fsc, FSC_TRANSLATION(0));
	}
}

struct fm_leaves {
	unsigned n, tables;
	uint64_t va[16], size[16];
	unsigned level[16], xn[16];
	uint64_t skip;                  /* a table left out, or 0 */
};

static const uint8_t *fm_table(void *ctx, uint64_t pa, uint64_t nent,
			       unsigned level, uint64_t va)
{
	struct fm_leaves *l = ctx;

	(void)level;
	(void)va;
	if (pa == l->skip || pa < FM_BASE ||
	    pa - FM_BASE + nent * 8 > sizeof(fm))
		return NULL;
	l->tables++;
	return (const uint8_t *)&fm[(pa - FM_BASE) / 8];
}

static void fm_leaf(void *ctx, uint64_t va, uint64_t size, unsigned level,
		    uint64_t d, unsigned xn_t, unsigned pxn_t)
{
	struct fm_leaves *l = ctx;

	(void)d;
	(void)pxn_t;
	assert_true(l->n < 16);
	l->va[l->n] = va;
	l->size[l->n] = size;
	l->level[l->n] = level;
	l->xn[l->n++] = xn_t;
}

static void test_walk_leaves(void **state)
{
	struct walk_tree t = { .ttbr = FM_T(0), .tsz = 25, .pabits = 40 };
	struct fm_leaves l = { 0 };

	(void)state;
	fm_setup();
	/* Every valid leaf, AF or not, depth first in VA order; the table
	 * outside memory is left out by the callback. */
	walk_leaves(&t, 0, ~0ull, fm_table, fm_leaf, &l);
	assert_int_equal(l.tables, 3);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.va[0], 0x1000);
	assert_int_equal(l.size[0], 0x1000);
	assert_int_equal(l.level[0], 3);
	assert_int_equal(l.xn[0], 1);
	assert_int_equal(l.va[1], 0x5000);
	assert_int_equal(l.va[2], 0x400000);
	assert_int_equal(l.level[2], 2);
	assert_int_equal(l.xn[2], 0);
	assert_int_equal(l.va[3], 0x40000000);
	assert_int_equal(l.size[3], 1ull << 30);
	/* A VA range: only the leaves that meet it, only the tables on
	 * the way. */
	memset(&l, 0, sizeof(l));
	walk_leaves(&t, 0x401000, 0x40000000, fm_table, fm_leaf, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.va[0], 0x400000);
	assert_int_equal(l.va[1], 0x40000000);
	assert_int_equal(l.tables, 2);
	/* A table the callback refuses drops its subtree. */
	memset(&l, 0, sizeof(l));
	l.skip = FM_T(2);
	walk_leaves(&t, 0, ~0ull, fm_table, fm_leaf, &l);
	assert_int_equal(l.n, 2);
	/* The TTBR1 half counts VAs down from the top. */
	memset(&l, 0, sizeof(l));
	t.top = true;
	walk_leaves(&t, 0, ~0ull, fm_table, fm_leaf, &l);
	assert_int_equal(l.va[0], 0xffffff8000001000ull);
	/* A range in that half: the entries are found from the half's
	 * base, not from VA 0. */
	memset(&l, 0, sizeof(l));
	walk_leaves(&t, 0xffffff8000005000ull, 0xffffff8000005fffull,
		    fm_table, fm_leaf, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.va[0], 0xffffff8000005000ull);
	memset(&l, 0, sizeof(l));
	walk_leaves(&t, 0xffffff8000001fffull, 0xffffff8000004fffull,
		    fm_table, fm_leaf, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.va[0], 0xffffff8000001000ull);
	/* Below the half: nothing. */
	memset(&l, 0, sizeof(l));
	walk_leaves(&t, 0x1000, 0x5fff, fm_table, fm_leaf, &l);
	assert_int_equal(l.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_block_and_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ttbr1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_48bit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlb_stale_until_tlbi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_asid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_abort_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmu_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmu_off_ignores_tlb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_abort, setup, teardown),
		cmocka_unit_test(test_walk_page_and_blocks),
		cmocka_unit_test(test_walk_faults_each_level),
		cmocka_unit_test(test_walk_txsz_clamp),
		cmocka_unit_test(test_walk_leaves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
