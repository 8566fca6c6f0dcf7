/* Exception entry and return (exception.c): ESR, ELR, SPSR, FAR, vector
 * offsets, PSTATE on entry, ERET and illegal returns, FP traps. */
#include "machine_fixture.h"

#define SVC(i) (0xd4000001u | (i) << 5)
#define HVC(i) (0xd4000002u | (i) << 5)
#define SMC(i) (0xd4000003u | (i) << 5)
#define BRK(i) (0xd4200000u | (i) << 5)
#define HLT(i) (0xd4400000u | (i) << 5)

static struct cpu *c;

static int setup1(void **s) { (void)s; c = fx_setup(1, false); return 0; }
static int setup2(void **s) { (void)s; c = fx_setup(1, true); return 0; }
static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

static void test_svc_el1(void **state)
{
	(void)state;
	c->nzcv = NZCV_N | NZCV_C;
	c->daif = 0;
	exec_exception_gen(c, SVC(0x1234));
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);        /* current EL, SPx */
	assert_int_equal(c->sys.esr_el1, 0x15u << 26 | ESR_IL | 0x1234);
	assert_int_equal(c->sys.elr_el1, FX_PC + 4);
	assert_int_equal(c->sys.spsr_el1, 0xa0000000u | 0x5);  /* EL1h */
	assert_int_equal(c->daif, 0x3c0);
	assert_int_equal(c->spsel, 1);
}

static void test_vector_offsets(void **state)
{
	(void)state;
	/* EL1 with SP_EL0: offset 0. */
	c->spsel = 0;
	exec_exception_gen(c, SVC(1));
	assert_int_equal(c->pc, FX_VBAR1 + 0x000);
	assert_int_equal(c->sys.spsr_el1 & 0xf, 0x4);          /* EL1t */
	/* From EL0: lower EL AArch64, offset 0x400. */
	c->el = 0;
	c->spsel = 0;
	c->pc = 0x40002000;
	c->daif = 0x140;
	exec_exception_gen(c, SVC(2));
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
	assert_int_equal(c->sys.spsr_el1, 0x140);              /* EL0t, D+I */
	assert_int_equal(c->sys.elr_el1, 0x40002004);
}

static void test_brk_undef(void **state)
{
	(void)state;
	exec_exception_gen(c, BRK(0x3e8));
	assert_int_equal(c->sys.esr_el1, 0x3cu << 26 | ESR_IL | 0x3e8);
	assert_int_equal(c->sys.elr_el1, FX_PC);              /* the BRK */
	c->pc = FX_PC;
	cpu_undef(c, 0);
	assert_int_equal(c->sys.esr_el1, ESR_IL);
	assert_int_equal(c->sys.elr_el1, FX_PC);
	c->pc = FX_PC;
	exec_exception_gen(c, HLT(0));                         /* no halting debug */
	assert_int_equal(c->sys.esr_el1, ESR_IL);
	/* SMC without EL3 or an SMC conduit: UNDEFINED. */
	c->pc = FX_PC;
	exec_exception_gen(c, SMC(0));
	assert_int_equal(c->sys.esr_el1, ESR_IL);
	/* HVC without EL2, not a PSCI function: UNDEFINED. */
	c->pc = FX_PC;
	c->x[0] = 0x12345;
	exec_exception_gen(c, HVC(0));
	assert_int_equal(c->sys.esr_el1, ESR_IL);
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
}

static void test_eret(void **state)
{
	(void)state;
	/* To EL0 with NZCV and DAIF from SPSR. */
	c->sys.spsr_el1 = 0x60000000u | 0x80 | 0x0;
	c->sys.elr_el1 = 0x40003000;
	exec_eret(c);
	assert_int_equal(c->el, 0);
	assert_int_equal(c->spsel, 0);
	assert_int_equal(c->nzcv, 0x60000000u);
	assert_int_equal(c->daif, 0x80);
	assert_int_equal(c->pc, 0x40003000);
	/* ERET at EL0 is UNDEFINED. */
	exec_eret(c);
	assert_int_equal(c->el, 1);
	assert_int_equal(c->sys.esr_el1, ESR_IL);
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
}

static void test_illegal_return(void **state)
{
	uint32_t insn;

	(void)state;
	/* SPSR names EL2, which does not exist: illegal return. */
	c->sys.spsr_el1 = 0x9;
	c->sys.elr_el1 = 0x40003000;
	exec_eret(c);
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, 0x40003000);
	assert_true(c->pstate_il);
	/* The next instruction takes an Illegal Execution state exception,
	 * with PSTATE.IL recorded in SPSR. */
	assert_false(mem_fetch(c, &insn));
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_ILLEGAL);
	assert_int_equal(c->sys.elr_el1, 0x40003000);
	assert_true(c->sys.spsr_el1 & (1u << 20));
	assert_false(c->pstate_il);
	/* AArch32 SPSR.M[4]: illegal too. */
	c->sys.spsr_el1 = 0x10;
	exec_eret(c);
	assert_true(c->pstate_il);
}

static void test_fp_trap(void **state)
{
	(void)state;
	/* CPACR_EL1.FPEN = 0 at reset: FP traps at EL1, EC 0x07. */
	assert_false(cpu_fp_check(c, 0x1e204020));
	assert_int_equal(c->sys.esr_el1, 0x1fe00000u | ESR_IL);
	assert_int_equal(c->sys.elr_el1, FX_PC);
	c->pc = FX_PC;
	c->sys.cpacr_el1 = 1u << 20;          /* EL0 traps, EL1 not */
	assert_true(cpu_fp_check(c, 0));
	c->el = 0;
	assert_false(cpu_fp_check(c, 0));
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
	c->el = 0;
	c->sys.cpacr_el1 = 3u << 20;
	assert_true(cpu_fp_check(c, 0));
}

static void test_el2_entry(void **state)
{
	(void)state;
	assert_int_equal(c->el, 2);
	/* At EL2: exceptions stay at EL2. */
	exec_exception_gen(c, SVC(7));
	assert_int_equal(c->pc, FX_VBAR2 + 0x200);
	assert_int_equal(c->sys.esr_el2, 0x15u << 26 | ESR_IL | 7);
	assert_int_equal(c->sys.spsr_el2 & 0xf, 0x9);          /* EL2h */
	/* Drop to EL1h, then HVC goes to EL2 as a lower-EL exception. */
	c->sys.spsr_el2 = 0x3c5;
	c->sys.elr_el2 = 0x40004000;
	exec_eret(c);
	assert_int_equal(c->el, 1);
	assert_int_equal(c->spsel, 1);
	exec_exception_gen(c, HVC(0x42));
	assert_int_equal(c->el, 2);
	assert_int_equal(c->pc, FX_VBAR2 + 0x400);
	assert_int_equal(c->sys.esr_el2, 0x16u << 26 | ESR_IL | 0x42);
	assert_int_equal(c->sys.elr_el2, 0x40004004);
	assert_int_equal(c->sys.spsr_el2, 0x3c5);
	/* SVC from EL1 goes to EL1. */
	c->sys.spsr_el2 = 0x3c5;
	c->sys.elr_el2 = 0x40004000;
	exec_eret(c);
	exec_exception_gen(c, SVC(1));
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	/* SMC trapped by HCR_EL2.TSC: EC 0x17, ELR is the SMC itself. */
	c->sys.hcr_el2 |= HCR_TSC;
	c->pc = 0x40005000;
	exec_exception_gen(c, SMC(3));
	assert_int_equal(c->el, 2);
	assert_int_equal(c->sys.esr_el2, 0x17u << 26 | ESR_IL | 3);
	assert_int_equal(c->sys.elr_el2, 0x40005000);
	/* CPTR_EL2.TFP traps FP from EL1 to EL2. */
	c->sys.spsr_el2 = 0x3c5;
	exec_eret(c);
	c->sys.cpacr_el1 = 3u << 20;
	c->sys.cptr_el2 |= 1u << 10;
	assert_false(cpu_fp_check(c, 0));
	assert_int_equal(c->el, 2);
	assert_int_equal(esr_ec(c->sys.esr_el2), EC_FP);
}

static void test_eret_el2_checks(void **state)
{
	(void)state;
	/* EL0 with SP_ELx (M = 0b0001) is a reserved encoding. */
	c->sys.spsr_el2 = 0x1;
	exec_eret(c);
	assert_true(c->pstate_il);
	assert_int_equal(c->el, 2);
	/* EL1t is fine. */
	c->pstate_il = false;
	c->sys.spsr_el2 = 0x4;
	exec_eret(c);
	assert_int_equal(c->el, 1);
	assert_int_equal(c->spsel, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_svc_el1, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_vector_offsets, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_brk_undef, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_eret, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_illegal_return, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_fp_trap, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_el2_entry, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_eret_el2_checks, setup2, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
