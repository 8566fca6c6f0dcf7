/* PSCI through HVC (no EL2) and SMC (--el2), as the guest calls it. */
#include "machine_fixture.h"

#define HVC0 0xd4000002u
#define SMC0 0xd4000003u

static struct cpu *c;

static int setup1(void **s) { (void)s; c = fx_setup(4, false); return 0; }
static int setup2(void **s) { (void)s; c = fx_setup(2, true); return 0; }
static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

static int64_t call(uint32_t insn, uint64_t fn, uint64_t a1, uint64_t a2,
		    uint64_t a3)
{
	c->x[0] = fn;
	c->x[1] = a1;
	c->x[2] = a2;
	c->x[3] = a3;
	c->pc = FX_PC;
	exec_exception_gen(c, insn);
	assert_int_equal(c->pc, FX_PC + 4);     /* handled, no exception */
	return (int64_t)c->x[0];
}

static void test_version_features(void **state)
{
	(void)state;
	assert_int_equal(call(HVC0, 0x84000000, 0, 0, 0), 0x10001);
	assert_int_equal(call(HVC0, 0x8400000a, 0xc4000003, 0, 0), 0);
	assert_int_equal(call(HVC0, 0x8400000a, 0x84000008, 0, 0), 0);
	assert_int_equal(call(HVC0, 0x8400000a, 0x8400001f, 0, 0), -1);
	assert_int_equal(call(HVC0, 0x84000006, 0, 0, 0), 2);
	assert_int_equal(call(HVC0, 0x8400001f, 0, 0, 0), -1);   /* unknown */
}

static void test_cpu_on_off(void **state)
{
	struct cpu *t = &fx.pe[2];

	(void)state;
	assert_false(t->powered);
	assert_int_equal(call(HVC0, 0xc4000004, 0x80000002u, 0, 0), 1);  /* OFF */
	assert_int_equal(call(HVC0, 0xc4000003, 2, 0x40008000, 0xabc), 0);
	assert_true(t->powered);
	assert_int_equal(t->pc, 0x40008000);
	assert_int_equal(t->x[0], 0xabc);
	assert_int_equal(t->el, 1);
	assert_int_equal(t->daif, 0x3c0);
	assert_false(t->sys.sctlr_el1 & SCTLR_M);
	assert_int_equal(call(HVC0, 0xc4000004, 2, 0, 0), 0);          /* ON */
	assert_int_equal(call(HVC0, 0xc4000003, 2, 0x40008000, 0), -4); /* ALREADY_ON */
	assert_int_equal(call(HVC0, 0xc4000003, 0, 0x40008000, 0), -4); /* self */
	assert_int_equal(call(HVC0, 0xc4000003, 9, 0x40008000, 0), -2); /* no such PE */
	assert_int_equal(call(HVC0, 0xc4000004, 2, 1, 0), -2);         /* level 1 */
	assert_int_equal(call(HVC0, 0xc4000003, 3, 0x1000, 0), -9);    /* not RAM */
	/* 32-bit CPU_ON uses only the low 32 bits of the arguments. */
	assert_int_equal(call(HVC0, 0x84000003, 0xffffffff00000003ull,
			      0x40008000, 0), 0);
	/* CPU_OFF from PE 2 itself. */
	c = t;
	c->x[0] = 0x84000002;
	exec_exception_gen(c, HVC0);
	assert_false(t->powered);
	c = &fx.pe[0];
	assert_int_equal(call(HVC0, 0xc4000004, 2, 0, 0), 1);
}

static void test_system_off(void **state)
{
	(void)state;
	fx.have_status = true;
	fx.status = 77;
	call(HVC0, 0x84000008, 0, 0, 0);
	assert_true(fx.halted);
	assert_int_equal(fx.exit_code, 77);
	assert_false(c->powered);
}

static void test_smc_conduit(void **state)
{
	(void)state;
	/* With EL2, PSCI is on SMC; HVC is a real exception to EL2. */
	assert_int_equal(fx.conduit, PSCI_SMC);
	assert_int_equal(call(SMC0, 0x84000000, 0, 0, 0), 0x10001);
	assert_int_equal(call(SMC0, 0xc4000003, 1, 0x40008000, 5), 0);
	assert_int_equal(fx.pe[1].el, 2);
	c->x[0] = 0x84000000;
	c->pc = FX_PC;
	exec_exception_gen(c, HVC0);
	assert_int_equal(c->pc, FX_VBAR2 + 0x200);
	assert_int_equal(esr_ec(c->sys.esr_el2), EC_HVC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_features, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_off, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_system_off, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_smc_conduit, setup2, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
