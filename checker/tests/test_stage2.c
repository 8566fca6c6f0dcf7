/* Stage 2 of the EL1&0 regime and HCR_EL2.DC (arch/walk_s2.h, pe/mmu.c,
 * exception.c, sysreg.c): geometry, attributes, faults taken to EL2,
 * the TLB and its stage 2 maintenance, the TVM/TRVM traps. */
#include "arch/desc.h"
#include "arch/walk_s2.h"

#include <string.h>

#include "machine_fixture.h"

/* Stage 2 descriptors (Arm ARM DDI 0487 K.a D8.3): MemAttr [5:2], S2AP
 * [7:6], SH [9:8], AF, XN bit 54. */
#define S2_RW      (3ull << 6)
#define S2_RO      (1ull << 6)
#define S2_WB      (0xfull << 2)
#define S2_DEV     (0x1ull << 2)          /* Device-nGnRE */
#define S2_PAGE(pa, a) ((pa) | 3 | DESC_AF | DESC_SH(SH_ISH) | (a))
#define S2_TABLE(pa)   ((pa) | 3)

/* IPA space 4 GiB from level 1 (T0SZ 32, SL0 1), walks WB, 40-bit PA. */
#define VTCR32 (32ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | \
		2ull << 16 | 1ull << 31)
#define S2_L1  0x40100000ull
#define S2_L2  0x40101000ull
#define S2_L3  0x40102000ull
#define S1_L1  0x40104000ull      /* a stage 1 table, at an IPA */
#define TCR39  (25ull | 1ull << 23 | 2ull << 32 | 1ull << 8 | 1ull << 10)

static struct cpu *c;

static int setup(void **state)
{
	(void)state;
	c = fx_setup(1, true);
	assert_int_equal(c->el, 2);
	/* IPA 0x40000000..: l2[0] -> l3; l3[5]: IPA 0x40005000 -> PA
	 * 0x40203000 WB RW; l3[6] unmapped; l3[7] read-only; l3[8] Device;
	 * l3[4]: the stage 1 table's IPA page. */
	fx_w64(S2_L1 + 1 * 8, S2_TABLE(S2_L2));
	fx_w64(S2_L2 + 0 * 8, S2_TABLE(S2_L3));
	fx_w64(S2_L3 + 5 * 8, S2_PAGE(0x40203000ull, S2_WB | S2_RW));
	fx_w64(S2_L3 + 7 * 8, S2_PAGE(0x40204000ull, S2_WB | S2_RO));
	fx_w64(S2_L3 + 8 * 8, S2_PAGE(0x40205000ull, S2_DEV | S2_RW));
	fx_w64(S2_L3 + 4 * 8, S2_PAGE(S1_L1, S2_WB | S2_RW));
	fx_msr(c, 3, 4, 2, 1, 0, S2_L1 | (5ull << 48));   /* VTTBR, VMID 5 */
	fx_msr(c, 3, 4, 2, 1, 2, VTCR32);
	fx_msr(c, 3, 4, 1, 1, 0, HCR_RW | HCR_VM);
	c->pc = FX_PC;
	c->el = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_teardown();
	return 0;
}

static void test_geometry(void **state)
{
	struct ttw_geom g;

	(void)state;
	g = ttw_geometry_s2(32, 1);
	assert_false(g.bad);
	assert_int_equal(g.start, 1);
	assert_int_equal(g.nent, 4);
	/* 40-bit IPA from level 1: two concatenated tables. */
	g = ttw_geometry_s2(24, 1);
	assert_false(g.bad);
	assert_int_equal(g.nent, 1024);
	assert_int_equal(g.base_mask & 0x1fff, 0);
	g = ttw_geometry_s2(25, 2);          /* level 0 for 39 bits: < 1 */
	assert_true(g.bad);
	g = ttw_geometry_s2(16, 0);          /* 48 bits from level 2 */
	assert_true(g.bad);
	assert_true(ttw_geometry_s2(32, 3).bad);
	g = ttw_geometry_s2(25, 1);
	assert_int_equal(g.nent, 512);
}

static void test_combine(void **state)
{
	uint8_t m, sh;

	(void)state;
	assert_int_equal(s2_mair(0xf), 0xff);
	assert_int_equal(s2_mair(0x5), 0x44);
	assert_int_equal(s2_mair(0x1), 0x04);
	assert_int_equal(s2_mair(0xa), 0xaa);
	s12_combine(0xff, SH_ISH, 0x04, SH_ISH, &m, &sh);   /* Device wins */
	assert_int_equal(m, 0x04);
	assert_int_equal(sh, SH_OSH);
	s12_combine(0x04, SH_OSH, 0x00, SH_OSH, &m, &sh);   /* stricter */
	assert_int_equal(m, 0x00);
	s12_combine(0xff, SH_NSH, 0xff, SH_ISH, &m, &sh);
	assert_int_equal(m, 0xff);
	assert_int_equal(sh, SH_ISH);
	s12_combine(0xff, SH_ISH, 0xaa, SH_ISH, &m, &sh);   /* WT below WB */
	assert_int_equal(m, 0xbb);
	s12_combine(0xff, SH_ISH, 0x44, SH_ISH, &m, &sh);
	assert_int_equal(m, 0x44);
	assert_int_equal(sh, SH_OSH);
	s12_combine(0xff, SH_ISH, 0xff, SH_OSH, &m, &sh);
	assert_int_equal(sh, SH_OSH);
}

static void test_s1_off_guest(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0x40005010, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203010ull);
	assert_int_equal(t.ipa, 0x40005010ull);
	/* Stage 1 off: data Device-nGnRnE whatever stage 2 says. */
	assert_int_equal(t.attr.mair, MAIR_DEVICE_nGnRnE);
	/* Fetches Normal Non-cacheable (SCTLR_EL1.I = 0) combined with WB. */
	assert_true(mmu_translate(c, 0x40005010, MMU_EXEC, 1, &t));
	assert_int_equal(t.attr.mair, MAIR_NORMAL_NC);
	c->sys.sctlr_el1 |= SCTLR_I;
	assert_true(mmu_translate(c, 0x40005010, MMU_EXEC, 1, &t));
	assert_int_equal(t.attr.mair, MAIR_NORMAL_WT);
	/* A Device stage 2 page: fetches from it are Device too. */
	assert_true(mmu_translate(c, 0x40008000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40205000ull);
	assert_int_equal(t.attr.mair, 0x00);
}

static void test_hcr_dc(void **state)
{
	struct translation t;

	(void)state;
	/* DC: stage 1 behaves as off even with SCTLR_EL1.M set and
	 * TTBR0_EL1 pointing nowhere; data Normal WB, with stage 2's
	 * Inner Shareable. */
	c->sys.sctlr_el1 |= SCTLR_M;
	c->sys.ttbr0_el1 = 0x7ffff000ull;
	c->sys.tcr_el1 = TCR39;
	c->el = 2;
	fx_msr(c, 3, 4, 1, 1, 0, HCR_RW | HCR_DC);
	c->el = 1;
	assert_true(mmu_translate(c, 0x40005010, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203010ull);
	assert_int_equal(t.attr.mair, MAIR_NORMAL_WB);
	assert_int_equal(t.attr.sh, SH_ISH);
	/* DC acts as VM = 1: an IPA stage 2 does not map faults. */
	assert_false(mmu_translate(c, 0x40006000, MMU_READ, 1, &t));
	assert_true(t.s2fault);
	/* Without EL2 stage 2 (and DC) does not exist: the same registers
	 * walk stage 1, which faults on TTBR0_EL1's table outside RAM. */
	c->sys.hcr_el2 = HCR_RW;
	tlb_flush_all(c);
	assert_false(mmu_translate(c, 0x40005010, MMU_READ, 1, &t));
	assert_false(t.s2fault);
}

static void test_s2_fault_to_el2(void **state)
{
	struct translation t;

	(void)state;
	assert_false(mmu_translate(c, 0x40006008, MMU_WRITE, 1, &t));
	assert_int_equal(t.fsc, FSC_TRANSLATION(3));
	exc_data_abort(c, 0x40006008, t.fsc, true, false);
	assert_int_equal(c->el, 2);
	assert_int_equal(esr_ec(c->sys.esr_el2), EC_DABT_LOWER);
	assert_int_equal(c->sys.esr_el2 & 0x3f, FSC_TRANSLATION(3));
	assert_int_equal((c->sys.esr_el2 >> 6) & 1, 1);      /* WnR */
	assert_int_equal((c->sys.esr_el2 >> 7) & 1, 0);      /* S1PTW */
	assert_int_equal(c->sys.far_el2, 0x40006008ull);
	assert_int_equal(c->sys.hpfar_el2, (0x40006000ull >> 12) << 4);
	assert_int_equal(c->pc, FX_VBAR2 + 0x400);
	/* A stage 1 fault of the same guest still goes to EL1. */
	c->el = 1;
	c->pc = FX_PC;
	exc_data_abort(c, 0x1000, FSC_TRANSLATION(1), false, false);
	assert_int_equal(c->el, 1);
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_DABT_CUR);
}

/* The instruction syndrome (ISV) of a stage 2 data abort, from the
 * instruction at PC. */
static uint64_t isv_of(uint32_t insn)
{
	struct translation t;

	fx_w32(FX_PC, insn);
	c->pc = FX_PC;
	c->el = 1;
	assert_true(mmu_translate(c, FX_PC, MMU_EXEC, 1, &t));
	assert_false(mmu_translate(c, 0x40006000, MMU_READ, 1, &t));
	exc_data_abort(c, 0x40006000, t.fsc, false, false);
	assert_int_equal(c->el, 2);
	return c->sys.esr_el2 & 0x1ffc000;      /* ISV..AR */
}

static void test_s2_isv(void **state)
{
	(void)state;
	fx_w64(S2_L3 + 1 * 8, S2_PAGE(FX_PC, S2_WB | S2_RW));
	/* ldr w3, [x1, #8]: SAS word, SRT 3, SF 0. */
	assert_int_equal(isv_of(0xb9400823), 1u << 24 | 2u << 22 | 3u << 16);
	/* ldrsh x5, [x2]: SAS halfword, SSE, SF. */
	assert_int_equal(isv_of(0x79800045),
			 1u << 24 | 1u << 22 | 1u << 21 | 5u << 16 | 1u << 15);
	/* ldar x4, [x0]: AR, SF. */
	assert_int_equal(isv_of(0xc8dffc04),
			 1u << 24 | 3u << 22 | 4u << 16 | 1u << 15 | 1u << 14);
	/* str x7, [x1], #8 (writeback) and ldp: no syndrome. */
	assert_int_equal(isv_of(0xf8008427), 0);
	assert_int_equal(isv_of(0xa9400c22), 0);
}

static void test_s2_permission(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0x40007000, MMU_READ, 1, &t));
	assert_false(mmu_translate(c, 0x40007000, MMU_WRITE, 1, &t));
	assert_int_equal(t.fsc, FSC_PERMISSION(3));
	assert_true(t.s2fault);
	exc_data_abort(c, 0x40007000, t.fsc, true, false);
	assert_int_equal(c->el, 2);
	assert_int_equal(c->sys.esr_el2 & 0x3f, FSC_PERMISSION(3));
	assert_int_equal(c->sys.hpfar_el2, (0x40007000ull >> 12) << 4);
}

static void test_s1_walk_through_s2(void **state)
{
	struct translation t;

	(void)state;
	/* Stage 1 on: its table is at IPA 0x40004000, which stage 2 maps
	 * to PA S1_L1; it has a 1 GiB block VA 0x40000000 -> IPA
	 * 0x40000000. */
	fx_w64(S1_L1 + 1 * 8, 0x40000000ull | 1 | DESC_AF | DESC_SH(SH_ISH) |
			      DESC_ATTRIDX(0));
	fx_w64(S2_L3 + 4 * 8, S2_PAGE(S1_L1, S2_WB | S2_RW));
	fx_w64(S2_L2 + 0 * 8, S2_TABLE(S2_L3));
	c->sys.mair_el1 = 0xff;
	c->sys.tcr_el1 = TCR39;
	c->sys.ttbr0_el1 = 0x40004000ull;
	c->sys.sctlr_el1 |= SCTLR_M | SCTLR_C;
	tlb_flush_all(c);
	assert_true(mmu_translate(c, 0x40005010, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203010ull);
	assert_int_equal(t.attr.mair, MAIR_NORMAL_WB);
	assert_int_equal(t.attr.sh, SH_ISH);
	/* Stage 1's table at an IPA stage 2 does not map: a stage 2 fault
	 * on the stage 1 walk (S1PTW), HPFAR naming the table's IPA. */
	c->sys.ttbr0_el1 = 0x40006000ull;
	tlb_flush_all(c);
	assert_false(mmu_translate(c, 0x40005010, MMU_READ, 1, &t));
	assert_true(t.s2fault);
	assert_true(t.s1ptw);
	exc_data_abort(c, 0x40005010, t.fsc, false, false);
	assert_int_equal(c->el, 2);
	assert_int_equal((c->sys.esr_el2 >> 7) & 1, 1);
	assert_int_equal(c->sys.hpfar_el2, (0x40006000ull >> 12) << 4);
	assert_int_equal(c->sys.far_el2, 0x40005010ull);
}

/* AT: S1E1R gives the IPA, S12E1R the PA; a stage 2 fault sets PAR.S. */
static void test_at(void **state)
{
	(void)state;
	c->el = 2;
	c->x[1] = 0x40005010;
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 0, 1));        /* AT S1E1R */
	assert_int_equal(c->sys.par_el1 & 1, 0);
	assert_int_equal(c->sys.par_el1 & 0xfffffff000ull, 0x40005000ull);
	fx_sys(c, sysinsn(0, 1, 4, 7, 8, 4, 1));        /* AT S12E1R */
	assert_int_equal(c->sys.par_el1 & 1, 0);
	assert_int_equal(c->sys.par_el1 & 0xfffffff000ull, 0x40203000ull);
	c->x[1] = 0x40006000;
	fx_sys(c, sysinsn(0, 1, 4, 7, 8, 4, 1));
	assert_int_equal(c->sys.par_el1 & 1, 1);
	assert_int_equal((c->sys.par_el1 >> 9) & 1, 1);
	assert_int_equal((c->sys.par_el1 >> 1) & 0x3f, FSC_TRANSLATION(3));
	/* Stage 1 on, its table at an IPA stage 2 does not map: S1E1R
	 * faults at stage 2 on the walk (S, PTW). */
	c->sys.sctlr_el1 |= SCTLR_M;
	c->sys.tcr_el1 = TCR39;
	c->sys.ttbr0_el1 = 0x40006000ull;
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 0, 1));
	assert_int_equal(c->sys.par_el1 & 1, 1);
	assert_int_equal((c->sys.par_el1 >> 8) & 3, 3);
	/* Its table mapped (IPA 0x40004000), the entry invalid: a stage 1
	 * fault, S and PTW clear. */
	c->sys.ttbr0_el1 = 0x40004000ull;
	fx_sys(c, sysinsn(0, 1, 0, 7, 8, 0, 1));
	assert_int_equal(c->sys.par_el1 & 1, 1);
	assert_int_equal((c->sys.par_el1 >> 8) & 3, 0);
	assert_int_equal((c->sys.par_el1 >> 1) & 0x3f, FSC_TRANSLATION(1));
}

static void test_tlb_and_ipas2(void **state)
{
	struct translation t;

	(void)state;
	assert_true(mmu_translate(c, 0x40005000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203000ull);
	/* Stage 2 changed without maintenance: the TLB keeps the old one. */
	fx_w64(S2_L3 + 5 * 8, S2_PAGE(0x40206000ull, S2_WB | S2_RW));
	assert_true(mmu_translate(c, 0x40005000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203000ull);
	/* TLBI IPAS2E1 of another IPA leaves it; of this one removes it. */
	c->el = 2;
	c->x[1] = 0x40009000ull >> 12;
	fx_sys(c, sysinsn(0, 1, 4, 8, 4, 1, 1));
	c->el = 1;
	assert_true(mmu_translate(c, 0x40005000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203000ull);
	c->el = 2;
	c->x[1] = 0x40005000ull >> 12;
	fx_sys(c, sysinsn(0, 1, 4, 8, 4, 1, 1));
	c->el = 1;
	assert_true(mmu_translate(c, 0x40005000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40206000ull);
	/* VMALLS12E1 too. */
	fx_w64(S2_L3 + 5 * 8, S2_PAGE(0x40203000ull, S2_WB | S2_RW));
	c->el = 2;
	fx_sys(c, sysinsn(0, 1, 4, 8, 7, 6, 31));
	c->el = 1;
	assert_true(mmu_translate(c, 0x40005000, MMU_READ, 1, &t));
	assert_int_equal(t.pa, 0x40203000ull);
}

static void test_tvm_trvm(void **state)
{
	uint64_t pc = c->pc;

	(void)state;
	c->sys.hcr_el2 |= HCR_TVM;
	c->x[9] = 0x30d00801;
	exec_system(c, MSR(3, 0, 1, 0, 0, 9));          /* SCTLR_EL1 */
	assert_int_equal(c->el, 2);
	assert_int_equal(esr_ec(c->sys.esr_el2), EC_SYSREG);
	assert_int_equal(c->sys.elr_el2, pc);
	assert_int_equal(c->sys.sctlr_el1 & SCTLR_M, 0);
	/* Reads are not trapped by TVM; TRVM traps them. */
	c->el = 1;
	c->pc = pc;
	exec_system(c, MRS(3, 0, 2, 0, 2, 9));          /* TCR_EL1 */
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, pc + 4);
	c->sys.hcr_el2 |= HCR_TRVM;
	c->pc = pc;
	exec_system(c, MRS(3, 0, 10, 2, 0, 9));         /* MAIR_EL1 */
	assert_int_equal(c->el, 2);
	assert_int_equal(c->sys.esr_el2 & 1, 1);        /* direction: read */
	/* Registers outside the group are not trapped. */
	c->el = 1;
	c->pc = pc;
	exec_system(c, MRS(3, 0, 13, 0, 4, 9));         /* TPIDR_EL1 */
	assert_int_equal(c->el, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_combine),
		cmocka_unit_test_setup_teardown(test_s1_off_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hcr_dc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_s2_fault_to_el2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_s2_isv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_s2_permission, setup, teardown),
		cmocka_unit_test_setup_teardown(test_s1_walk_through_s2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_at, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlb_and_ipas2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tvm_trvm, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
