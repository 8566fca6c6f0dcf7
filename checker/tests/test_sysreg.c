/* System registers and system instructions (sysreg.c, system.c): values,
 * EL access rules, traps, DC/IC/barrier hooks. */
#include "machine_fixture.h"

static struct cpu *c;

static int setup1(void **s) { (void)s; c = fx_setup(2, false); return 0; }
static int setup2(void **s) { (void)s; c = fx_setup(2, true); return 0; }
static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

/* Execute insn expecting an exception; return ESR_EL1. */
static uint64_t fx_sys_exc(uint32_t insn)
{
	c->pc = FX_PC;
	exec_system(c, insn);
	assert_int_not_equal(c->pc, FX_PC + 4);
	return c->el == 2 ? c->sys.esr_el2 : c->sys.esr_el1;
}

static void test_id_values(void **state)
{
	(void)state;
	assert_int_equal(fx_mrs(c, 3, 0, 0, 0, 5), 0x80000000u);     /* MPIDR */
	assert_int_equal(fx.pe[1].sys.mpidr, 0x80000001u);
	assert_int_equal(fx_mrs(c, 3, 3, 0, 0, 1), 0x8444c004u);     /* CTR */
	assert_int_equal(fx_mrs(c, 3, 3, 0, 0, 7), 4);               /* DCZID */
	assert_int_equal(fx_mrs(c, 3, 0, 0, 7, 0) & 0xf, 2);         /* PARange */
	assert_int_equal((fx_mrs(c, 3, 0, 0, 7, 0) >> 28) & 0xf, 0); /* TGran4 */
	assert_int_equal(fx_mrs(c, 3, 0, 0, 4, 0) & 0xfff, 0x011);   /* no EL2 */
	assert_int_equal((fx_mrs(c, 3, 0, 0, 6, 0) >> 20) & 0xf, 2); /* LSE */
	assert_int_equal(fx_mrs(c, 3, 0, 0, 6, 1) & ~0xfull, 0);     /* no PAC */
	assert_int_equal(fx_mrs(c, 3, 0, 4, 2, 2), 1 << 2);          /* CurrentEL */
	assert_int_equal(fx_mrs(c, 3, 3, 14, 0, 0), 62500000);       /* CNTFRQ */
	fx_msr(c, 3, 2, 0, 0, 0, 0);                                 /* CSSELR L1D */
	assert_int_equal(fx_mrs(c, 3, 1, 0, 0, 0) & 7, 2);           /* 64 B lines */
	/* Reserved ID space reads as zero. */
	assert_int_equal(fx_mrs(c, 3, 0, 0, 3, 7), 0);
}

/* Every AArch64 ID register, whole: a field that turns non-zero
 * advertises a feature, which must be implemented first. */
static void test_id_pinned(void **state)
{
	static const struct { unsigned crm, op2; uint64_t v; const char *n; } id[] = {
		{ 4, 0, 0x0000000001000011ull, "ID_AA64PFR0_EL1" },  /* +GIC v3 */
		{ 4, 1, 0, "ID_AA64PFR1_EL1" },     /* no BTI, SSBS, MTE, SME */
		{ 4, 4, 0, "ID_AA64ZFR0_EL1" },     /* no SVE */
		{ 5, 0, 0x0000000000305006ull, "ID_AA64DFR0_EL1" },  /* v8.0 debug, 6 bp, 4 wp */
		{ 5, 1, 0, "ID_AA64DFR1_EL1" },
		{ 5, 4, 0, "ID_AA64AFR0_EL1" },
		{ 6, 0, 0x0000000000210000ull, "ID_AA64ISAR0_EL1" }, /* LSE, CRC32 */
		{ 6, 1, 0x0000000000000001ull, "ID_AA64ISAR1_EL1" }, /* DC CVAP */
		{ 6, 2, 0, "ID_AA64ISAR2_EL1" },
		{ 7, 0, 0x000000000f000022ull, "ID_AA64MMFR0_EL1" },
		{ 7, 1, 0, "ID_AA64MMFR1_EL1" },    /* no VHE, PAN, HAFDBS; 8-bit VMID */
		{ 7, 2, 0, "ID_AA64MMFR2_EL1" },
		{ 1, 0, 0, "ID_PFR0_EL1" },         /* no AArch32 */
		{ 2, 0, 0, "ID_ISAR0_EL1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(id) / sizeof(id[0]); i++) {
		uint64_t v = fx_mrs(c, 3, 0, 0, id[i].crm, id[i].op2);

		if (v != id[i].v)
			fail_msg("%s = 0x%llx, want 0x%llx", id[i].n,
				 (unsigned long long)v, (unsigned long long)id[i].v);
	}
}

/* GICv2 board: no GIC system registers to advertise (PFR0.GIC = 0); EL2
 * with --el2 (PFR0.EL2 = 1). */
static void test_id_gicv2_el2(void **state)
{
	struct machine_config cfg = { .smp = 1, .ram_mib = 16, .el2 = true,
				      .gic_version = 2 };

	(void)state;
	assert_int_equal(machine_init(&fx, &cfg), 0);
	c = &fx.pe[0];
	machine_pe_start(&fx, c, FX_PC, 0);
	assert_int_equal(fx_mrs(c, 3, 0, 0, 4, 0), 0x0000000000000111ull);
}

static void test_stored(void **state)
{
	(void)state;
	fx_msr(c, 3, 0, 10, 2, 0, 0x04ff44);                         /* MAIR */
	assert_int_equal(fx_mrs(c, 3, 0, 10, 2, 0), 0x04ff44);
	fx_msr(c, 3, 0, 12, 0, 0, 0x40010fff);                       /* VBAR */
	assert_int_equal(fx_mrs(c, 3, 0, 12, 0, 0), 0x40010800);
	fx_msr(c, 3, 3, 13, 0, 2, 77);                               /* TPIDR_EL0 */
	assert_int_equal(fx_mrs(c, 3, 3, 13, 0, 2), 77);
	fx_msr(c, 3, 3, 4, 2, 0, 0xf0000000u);                       /* NZCV */
	assert_int_equal(c->nzcv, 0xf0000000u);
	fx_msr(c, 3, 0, 4, 1, 0, 0x1234);                            /* SP_EL0 */
	assert_int_equal(c->sp_el[0], 0x1234);
	/* DAIFSet #2 / DAIFClr #15 */
	c->daif = 0;
	fx_sys(c, 0xd50340df | 2 << 8);
	assert_int_equal(c->daif, 0x80);
	fx_sys(c, 0xd50340ff | 15 << 8);
	assert_int_equal(c->daif, 0);
	/* MSR SPSel, #0 */
	fx_sys(c, 0xd50040bf);
	assert_int_equal(c->spsel, 0);
	/* SP_EL0 is UNDEFINED while it is the current SP. */
	assert_int_equal(fx_sys_exc(MRS(3, 0, 4, 1, 0, 1)), ESR_IL);
}

static void test_access_rules(void **state)
{
	(void)state;
	/* Unknown register, EL2 register at EL1, _EL12 alias, EL3: UNDEF. */
	assert_int_equal(fx_sys_exc(MRS(3, 0, 15, 15, 7, 1)), ESR_IL);
	assert_int_equal(fx_sys_exc(MRS(3, 4, 1, 1, 0, 1)), ESR_IL);
	assert_int_equal(fx_sys_exc(MRS(3, 5, 1, 0, 0, 1)), ESR_IL);
	assert_int_equal(fx_sys_exc(MRS(3, 6, 1, 0, 0, 1)), ESR_IL);
	/* Writes to read-only registers. */
	assert_int_equal(fx_sys_exc(MSR(3, 0, 0, 0, 5, 1)), ESR_IL);
	/* EL1 register at EL0: UNDEF, taken to EL1 from a lower EL. */
	c->el = 0;
	assert_int_equal(fx_sys_exc(MRS(3, 0, 1, 0, 0, 1)), ESR_IL);
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
	/* CNTVCT at EL0 without CNTKCTL_EL1.EL0VCTEN: trap, EC 0x18 with
	 * the encoding in the ISS (Op0 3, Op2 2, Op1 3, CRn 14, Rt 5, CRm 0,
	 * read). */
	c->el = 0;
	assert_int_equal(fx_sys_exc(MRS(3, 3, 14, 0, 2, 5)),
			 0x18u << 26 | ESR_IL | 3 << 20 | 2 << 17 | 3 << 14 |
			 14 << 10 | 5 << 5 | 1);
	c->sys.cntkctl_el1 = 2;
	c->el = 0;
	c->pc = FX_PC;
	exec_system(c, MRS(3, 3, 14, 0, 2, 5));
	assert_int_equal(c->pc, FX_PC + 4);
	/* CTR_EL0 at EL0 needs SCTLR_EL1.UCT; TPIDR_EL0 does not. */
	assert_int_equal(esr_ec(fx_sys_exc(MRS(3, 3, 0, 0, 1, 1))), EC_SYSREG);
	c->el = 0;
	c->pc = FX_PC;
	exec_system(c, MRS(3, 3, 13, 0, 2, 1));
	assert_int_equal(c->pc, FX_PC + 4);
	/* DAIFSet at EL0 traps without SCTLR_EL1.UMA. */
	assert_int_equal(esr_ec(fx_sys_exc(0xd50340df | 2 << 8)), EC_SYSREG);
}

static void test_cache_insns(void **state)
{
	uint64_t before = memsys_stats.cmo;

	(void)state;
	/* MMU off: DC CIVAC on RAM goes to memsys. */
	c->x[1] = 0x40100040;
	fx_sys(c, sysinsn(0, 1, 3, 7, 14, 1, 1));
	assert_int_equal(memsys_stats.cmo, before + 1);
	/* DC ZVA on Device memory (MMU off): alignment fault. */
	assert_int_equal(fx_sys_exc(sysinsn(0, 1, 3, 7, 4, 1, 1)) & 0x3f,
			 FSC_ALIGNMENT);
	/* With the MMU off and HCR_EL2 absent there is no Normal memory,
	 * so test DC ZVA through a flat Normal mapping via the TLB: turn the
	 * MMU on with an identity block. */
	fx_w64(0x40200000 + 1 * 8, 0x40000000ull | 1 | 1 << 10);
	fx_msr(c, 3, 0, 10, 2, 0, 0xff);
	fx_msr(c, 3, 0, 2, 0, 2, 25 | 2ull << 32);
	fx_msr(c, 3, 0, 2, 0, 0, 0x40200000);
	fx_msr(c, 3, 0, 1, 0, 0, c->sys.sctlr_el1 | SCTLR_M);
	for (unsigned i = 0; i < 256; i += 8)
		fx_w64(0x40300000 + i, ~0ull);
	c->x[1] = 0x40300050;
	c->pc = FX_PC;
	fx_sys(c, sysinsn(0, 1, 3, 7, 4, 1, 1));
	assert_int_equal(c->pc, FX_PC + 4);
	for (unsigned i = 0; i < 64; i += 8)
		assert_int_equal(fx_r64(0x40300040 + i), 0);
	assert_int_equal(fx_r64(0x40300038), ~0ull);
	assert_int_equal(fx_r64(0x40300080), ~0ull);
	/* DC CVAC on an unmapped VA: data abort with CM = 1, WnR = 1. */
	c->x[1] = 0x1000;
	assert_int_equal(fx_sys_exc(sysinsn(0, 1, 3, 7, 10, 1, 1)) & 0x1ff,
			 1 << 8 | 1 << 6 | FSC_TRANSLATION(1));
	/* EL0: DC IVAC UNDEF; DC CVAU traps without UCI; DC ZVA without DZE. */
	c->el = 0;
	assert_int_equal(fx_sys_exc(sysinsn(0, 1, 0, 7, 6, 1, 1)), ESR_IL);
	c->el = 0;
	assert_int_equal(esr_ec(fx_sys_exc(sysinsn(0, 1, 3, 7, 11, 1, 1))),
			 EC_SYSREG);
	c->el = 0;
	assert_int_equal(esr_ec(fx_sys_exc(sysinsn(0, 1, 3, 7, 4, 1, 1))),
			 EC_SYSREG);
	/* TLBI at EL0: UNDEF. */
	c->el = 0;
	assert_int_equal(fx_sys_exc(sysinsn(0, 1, 0, 8, 7, 0, 31)), ESR_IL);
}

static void test_barriers_hints(void **state)
{
	uint64_t before = memsys_stats.barrier;

	(void)state;
	fx_sys(c, 0xd5033f9f);                  /* DSB SY */
	fx_sys(c, 0xd5033bbf);                  /* DMB ISH */
	fx_sys(c, 0xd5033fdf);                  /* ISB */
	assert_int_equal(memsys_stats.barrier, before + 3);
	fx_sys(c, 0xd503201f);                  /* NOP */
	fx_sys(c, 0xd503233f);                  /* PACIASP: NOP here */
	fx_sys(c, 0xd503241f);                  /* BTI */
	/* WFE without an event waits (yields); SEVL then WFE does not. */
	fx_sys(c, 0xd503205f);
	assert_true(c->wfi);
	c->wfi = false;
	fx_sys(c, 0xd50320bf);                  /* SEVL */
	fx_sys(c, 0xd503205f);
	assert_false(c->wfi);
	/* SEV wakes the other PE's WFE. */
	fx_sys(c, 0xd503209f);
	assert_true(fx.pe[1].event);
	/* CLREX */
	c->excl_valid = true;
	fx.plat.excl_holders = 1;
	fx_sys(c, 0xd503305f);
	assert_false(c->excl_valid);
	assert_int_equal(c->pc, FX_PC + 4 * 11);
}

static void test_el2_regs(void **state)
{
	(void)state;
	assert_int_equal(fx_mrs(c, 3, 0, 4, 2, 2), 2 << 2);
	assert_int_equal(fx_mrs(c, 3, 0, 0, 4, 0) & 0xfff, 0x111);
	fx_msr(c, 3, 4, 1, 1, 0, 0);                            /* HCR_EL2 */
	assert_int_equal(fx_mrs(c, 3, 4, 1, 1, 0), HCR_RW);    /* RW RAO */
	fx_msr(c, 3, 4, 0, 0, 5, 0x80000003u);                 /* VMPIDR */
	fx_msr(c, 3, 4, 4, 1, 0, 0x5000);                      /* SP_EL1 */
	assert_int_equal(c->sp_el[1], 0x5000);
	/* At EL1, MPIDR reads VMPIDR_EL2, and EL2 registers UNDEF. */
	c->el = 1;
	assert_int_equal(fx_mrs(c, 3, 0, 0, 0, 5), 0x80000003u);
	assert_int_equal(fx_sys_exc(MRS(3, 4, 1, 1, 0, 1)), ESR_IL);
	/* CNTPCT at EL1 traps to EL2 until CNTHCTL_EL2.EL1PCTEN is set. */
	c->el = 1;
	fx_sys_exc(MRS(3, 3, 14, 0, 1, 1));
	assert_int_equal(c->el, 2);
	assert_int_equal(esr_ec(c->sys.esr_el2), EC_SYSREG);
	fx_msr(c, 3, 4, 14, 1, 0, 3);
	c->el = 1;
	c->pc = FX_PC;
	exec_system(c, MRS(3, 3, 14, 0, 1, 1));
	assert_int_equal(c->pc, FX_PC + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_id_values, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_id_pinned, setup1, teardown),
		cmocka_unit_test_teardown(test_id_gicv2_el2, teardown),
		cmocka_unit_test_setup_teardown(test_stored, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_access_rules, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_cache_insns, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_barriers_hints, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_el2_regs, setup2, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
