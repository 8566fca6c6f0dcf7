/* Self-hosted debug (pe/debug.c): the debug registers, when Breakpoint,
 * Watchpoint and Software Step exceptions are taken, their syndromes,
 * the step state machine across exception entry and ERET, MDCR_EL2. Code
 * runs through cpu_run on the fixture machine (MMU off). */
#include "machine_fixture.h"
#include "pe/debug.h"

#define NOP      0xd503201fu
#define SVC0     0xd4000001u
#define STRB_3   0x39000c41u   /* strb w1, [x2, #3] */
#define LDRB_3   0x39400c43u   /* ldrb w3, [x2, #3] */
#define LDXR     0xc85f7c43u   /* ldxr x3, [x2] */
#define STR_X1   0xf9000041u   /* str x1, [x2] */
#define ERET     0xd69f03e0u
#define DATA     0x40003000ull

/* MDSCR_EL1 and the breakpoint/watchpoint registers, as MSR encodings. */
#define MDSCR    2, 0, 0, 2, 2
#define OSLAR    2, 0, 1, 0, 4
#define OSLSR    2, 0, 1, 1, 4
#define BVR(n)   2, 0, 0, n, 4
#define BCR(n)   2, 0, 0, n, 5
#define WVR(n)   2, 0, 0, n, 6
#define WCR(n)   2, 0, 0, n, 7

#define BCR_EL1_A64  (0xfu << 5 | 1u << 1 | 1u)  /* BAS, PMC = EL1, E */
#define WCR_EL1(lsc, bas) ((bas) << 5 | (lsc) << 3 | 1u << 1 | 1u)

/* MRS/MSR with the encodings above (expanded before the call). */
#define XMRS(...) MRS(__VA_ARGS__)
#define XMSR(...) MSR(__VA_ARGS__)

static struct cpu *c;

static int setup1(void **s) { (void)s; c = fx_setup(1, false); return 0; }
static int setup2(void **s) { (void)s; c = fx_setup(1, true); return 0; }
static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

static void put(uint64_t pa, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fx_w32(pa + 4 * i, w[i]);
}

/* EL1, debug unmasked, OS lock clear, MDSCR as given. */
static void arm(uint64_t mdscr)
{
	fx_msr(c, OSLAR, 0);
	fx_msr(c, MDSCR, mdscr);
	c->daif = 0;
	c->pc = FX_PC;
}

static void test_registers(void **state)
{
	uint64_t dfr0;

	(void)state;
	dfr0 = fx_mrs(c, 3, 0, 0, 5, 0);
	assert_int_equal((dfr0 >> 12) & 0xf, DBG_NBP - 1);    /* BRPs */
	assert_int_equal((dfr0 >> 20) & 0xf, DBG_NWP - 1);    /* WRPs */
	assert_int_equal(dfr0 & 0xf, 6);                       /* DebugVer */
	/* OS lock: implemented, locked at reset; OSLAR writes OSLK. */
	assert_int_equal(fx_mrs(c, OSLSR), 0xa);
	fx_msr(c, OSLAR, 0);
	assert_int_equal(fx_mrs(c, OSLSR), 0x8);
	fx_msr(c, BVR(5), 0xffff000012345677ull);
	assert_int_equal(fx_mrs(c, BVR(5)), 0xffff000012345677ull);
	fx_msr(c, WVR(3), DATA + 1);                           /* [1:0] RES0 */
	assert_int_equal(fx_mrs(c, WVR(3)), DATA);
	fx_msr(c, BCR(0), ~0ull);
	assert_int_equal(fx_mrs(c, BCR(0)), 0x00ffe1e7);
	fx_msr(c, 2, 0, 7, 8, 6, 0x5);                         /* CLAIMSET */
	assert_int_equal(fx_mrs(c, 2, 0, 7, 9, 6), 0x5);       /* CLAIMCLR */
	assert_int_equal(fx_mrs(c, 2, 0, 1, 0, 0), 0);         /* MDRAR */
	assert_string_equal(exc_class_name(EC_SS_CUR), "a software step");
	/* Beyond the implemented counts, OSLAR read, OSLSR write: UNDEFINED. */
	c->pc = FX_PC;
	fx_sys(c, MRS(2, 0, 0, DBG_NBP, 5, 0));
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_UNKNOWN);
	c->pc = FX_PC;
	fx_sys(c, MRS(2, 0, 0, DBG_NWP, 7, 0));
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	c->pc = FX_PC;
	c->sys.esr_el1 = 0;
	fx_sys(c, XMRS(OSLAR, 0));
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	c->pc = FX_PC;
	fx_sys(c, XMSR(OSLSR, 0));
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
}

static void test_breakpoint(void **state)
{
	static const uint32_t code[] = { NOP, NOP, NOP };

	(void)state;
	put(FX_PC, code, 3);
	fx_msr(c, BCR(3), BCR_EL1_A64);
	fx_msr(c, BVR(3), FX_PC + 4);
	arm(MDSCR_MDE | MDSCR_KDE);
	assert_true(c->dbg_bp);
	assert_int_equal(cpu_run(c, 2), 2);
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	assert_int_equal(c->sys.esr_el1, EC_BP_CUR << 26 | ESR_IL | 0x22);
	assert_int_equal(c->sys.elr_el1, FX_PC + 4);           /* not executed */

	/* Each enable control alone keeps it from firing: PSTATE.D, KDE,
	 * MDE, the OS lock, PMC naming EL0 only. */
	c->daif = 1u << 9;
	c->pc = FX_PC;
	cpu_run(c, 3);
	assert_int_equal(c->pc, FX_PC + 12);
	arm(MDSCR_MDE);
	cpu_run(c, 3);
	assert_int_equal(c->pc, FX_PC + 12);
	arm(MDSCR_KDE);
	assert_false(c->dbg_bp);
	cpu_run(c, 3);
	assert_int_equal(c->pc, FX_PC + 12);
	arm(MDSCR_MDE | MDSCR_KDE);
	fx_msr(c, OSLAR, 1);
	c->pc = FX_PC;
	cpu_run(c, 3);
	assert_int_equal(c->pc, FX_PC + 12);
	arm(MDSCR_MDE | MDSCR_KDE);
	fx_msr(c, BCR(3), 0xfu << 5 | 2u << 1 | 1u);
	c->pc = FX_PC;
	cpu_run(c, 3);
	assert_int_equal(c->pc, FX_PC + 12);
	/* From EL0 the debug target is a higher EL: KDE and D do not matter,
	 * the EC says "lower EL". */
	arm(MDSCR_MDE);
	c->el = 0;
	c->spsel = 0;
	c->daif = 1u << 9;
	cpu_run(c, 2);
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
	assert_int_equal(c->sys.esr_el1, EC_BP_LOWER << 26 | ESR_IL | 0x22);
}

static void test_context_breakpoint(void **state)
{
	static const uint32_t code[] = { NOP, NOP };

	(void)state;
	put(FX_PC, code, 2);
	fx_msr(c, 3, 0, 13, 0, 1, 42);                         /* CONTEXTIDR */
	/* BT = 0b0010 matches on the context-aware breakpoint only. */
	fx_msr(c, BCR(0), 2u << 20 | BCR_EL1_A64);
	fx_msr(c, BVR(0), 42);
	arm(MDSCR_MDE | MDSCR_KDE);
	cpu_run(c, 2);
	assert_int_equal(c->pc, FX_PC + 8);
	fx_msr(c, BCR(DBG_NBP - 1), 2u << 20 | BCR_EL1_A64);
	fx_msr(c, BVR(DBG_NBP - 1), 42);
	c->pc = FX_PC;
	cpu_run(c, 1);
	assert_int_equal(c->sys.elr_el1, FX_PC);
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_BP_CUR);
}

static void test_watchpoint(void **state)
{
	static const uint32_t code[] = { LDRB_3, STRB_3, NOP };

	(void)state;
	put(FX_PC, code, 3);
	fx_w64(DATA, 0);
	c->x[1] = 0x5a;
	c->x[2] = DATA;
	fx_msr(c, WCR(2), WCR_EL1(2u, 0xffu));                 /* stores */
	fx_msr(c, WVR(2), DATA);
	arm(MDSCR_MDE | MDSCR_KDE);
	assert_true(c->dbg_wp);
	cpu_run(c, 2);                                         /* load passes */
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	assert_int_equal(c->sys.esr_el1,
			 EC_WP_CUR << 26 | ESR_IL | 1u << 6 | 0x22);  /* WnR */
	assert_int_equal(c->sys.far_el1, DATA + 3);
	assert_int_equal(c->sys.elr_el1, FX_PC + 4);
	assert_int_equal(fx_r64(DATA), 0);                     /* not written */

	/* Loads with LSC = load; BAS without byte 3 does not match it. */
	fx_msr(c, WCR(2), WCR_EL1(1u, 0xffu));
	arm(MDSCR_MDE | MDSCR_KDE);
	cpu_run(c, 1);
	assert_int_equal(c->sys.esr_el1, EC_WP_CUR << 26 | ESR_IL | 0x22);
	fx_msr(c, WCR(2), WCR_EL1(3u, 0xf7u));
	arm(MDSCR_MDE | MDSCR_KDE);
	cpu_run(c, 3);
	assert_int_equal(c->pc, FX_PC + 12);
	assert_int_equal(fx_r64(DATA), 0x5aull << 24);
	/* DBGWVR[2] = 1: BAS[3:0] are the bytes from DBGWVR on. */
	c->x[2] = DATA + 1;                                    /* byte DATA + 4 */
	fx_msr(c, WVR(2), DATA + 4);
	fx_msr(c, WCR(2), WCR_EL1(3u, 0x2u));
	arm(MDSCR_MDE | MDSCR_KDE);
	cpu_run(c, 1);
	assert_int_equal(c->pc, FX_PC + 4);
	fx_msr(c, WCR(2), WCR_EL1(3u, 0x1u));
	arm(MDSCR_MDE | MDSCR_KDE);
	cpu_run(c, 1);
	assert_int_equal(c->sys.far_el1, DATA + 4);
	c->x[2] = DATA;
	/* MASK: 2^12 bytes around DBGWVR. */
	fx_msr(c, WVR(2), DATA + 0x800);
	fx_msr(c, WCR(2), 12u << 24 | WCR_EL1(3u, 0xffu));
	arm(MDSCR_MDE | MDSCR_KDE);
	c->sys.far_el1 = 0;
	cpu_run(c, 1);
	assert_int_equal(c->sys.far_el1, DATA + 3);
}

/* The step handler kvm-unit-tests' debug test uses: SPSR.SS set, ERET. */
static void put_step_handler(void)
{
	static const uint32_t h[] = {
		0xd5384000u,   /* mrs x0, spsr_el1 */
		0xb26b0000u,   /* orr x0, x0, #0x200000 (SPSR.SS) */
		0xd5184000u,   /* msr spsr_el1, x0 */
		ERET,
	};

	put(FX_VBAR1 + 0x200, h, 4);
}

static void test_software_step(void **state)
{
	static const uint32_t code[] = { NOP, LDXR, NOP, NOP };

	(void)state;
	put(FX_PC, code, 4);
	put_step_handler();
	c->x[2] = DATA;
	arm(MDSCR_KDE | MDSCR_SS);
	assert_true(c->dbg_ss);
	/* PSTATE.SS = 0: active-pending, the exception comes before the
	 * first instruction, ISV = 0. */
	cpu_run(c, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x200);
	assert_int_equal(c->sys.esr_el1, EC_SS_CUR << 26 | ESR_IL | 0x22);
	assert_int_equal(c->sys.elr_el1, FX_PC);
	assert_int_equal(c->sys.spsr_el1 & SPSR_SS, 0);
	/* The handler runs with D masked (not stepped); its ERET with
	 * SPSR.SS = 1 steps one instruction, then the next exception. */
	cpu_run(c, 4);
	assert_true(c->pstate_ss);
	assert_int_equal(c->pc, FX_PC);
	cpu_run(c, 2);
	assert_int_equal(c->sys.elr_el1, FX_PC + 4);
	assert_int_equal(c->sys.esr_el1,
			 EC_SS_CUR << 26 | ESR_IL | 1u << 24 | 0x22); /* ISV */
	/* A stepped Load-Exclusive sets EX. */
	cpu_run(c, 6);
	assert_int_equal(c->sys.elr_el1, FX_PC + 8);
	assert_int_equal(c->sys.esr_el1,
			 EC_SS_CUR << 26 | ESR_IL | 1u << 24 | 1u << 6 | 0x22);
	/* PSTATE.D set by the stepped code: inactive, it runs on. */
	c->daif = 1u << 9;
	c->pstate_ss = false;
	c->pc = FX_PC;
	cpu_run(c, 4);
	assert_int_equal(c->pc, FX_PC + 16);
}

static void test_step_exceptions(void **state)
{
	static const uint32_t code[] = { SVC0, STR_X1 };

	(void)state;
	put(FX_PC, code, 2);
	arm(MDSCR_KDE | MDSCR_SS);
	/* A stepped SVC has completed: SPSR.SS = 0, so the return lands in
	 * active-pending. */
	c->pstate_ss = true;
	cpu_run(c, 1);
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_SVC);
	assert_int_equal(c->sys.spsr_el1 & SPSR_SS, 0);
	assert_false(c->pstate_ss);
	/* A stepped store that aborts has not: SPSR.SS = 1. */
	c->x[2] = 1ull << 45;        /* beyond the PA size: a data abort */
	c->pc = FX_PC + 4;
	c->daif = 0;
	c->pstate_ss = true;
	cpu_run(c, 1);
	assert_int_equal(esr_ec(c->sys.esr_el1), EC_DABT_CUR);
	assert_int_equal(c->sys.spsr_el1 & SPSR_SS, SPSR_SS);
	/* ERET from where step is enabled (D clear at EL1) to EL1: SS not
	 * restored; from EL1 with D set to EL0: restored. */
	c->daif = 0;
	c->sys.spsr_el1 = SPSR_SS | 0x5;
	c->sys.elr_el1 = FX_PC;
	exec_eret(c);
	assert_false(c->pstate_ss);
	c->daif = 1u << 9;
	c->sys.spsr_el1 = SPSR_SS | 0x0;
	exec_eret(c);
	assert_int_equal(c->el, 0);
	assert_true(c->pstate_ss);
	/* Without MDSCR.SS the bit is never restored. */
	c->el = 1;
	fx_msr(c, MDSCR, MDSCR_KDE);
	c->daif = 1u << 9;
	exec_eret(c);
	assert_false(c->pstate_ss);
}

/* Stepping EL0 (a debugger's single step): the target EL1 is above it,
 * so neither KDE nor PSTATE.D matter; EC "lower EL". */
static void test_step_el0(void **state)
{
	static const uint32_t code[] = { NOP, NOP };

	(void)state;
	put(FX_PC, code, 2);
	arm(MDSCR_SS);
	c->el = 0;
	c->spsel = 0;
	c->daif = 1u << 9;
	c->pstate_ss = true;
	cpu_run(c, 2);
	assert_int_equal(c->el, 1);
	assert_int_equal(c->pc, FX_VBAR1 + 0x400);
	assert_int_equal(c->sys.elr_el1, FX_PC + 4);
	assert_int_equal(c->sys.esr_el1,
			 EC_SS_LOWER << 26 | ESR_IL | 1u << 24 | 0x22);
}

/* A stepped instruction that unmasks a pending IRQ completes its step
 * before the IRQ is taken: SPSR.SS = 0, so the return from the handler
 * takes the step exception at once. */
static void test_step_then_irq(void **state)
{
	static const uint32_t code[] = { 0xd50342ffu /* msr daifclr, #2 */ };

	(void)state;
	put(FX_PC, code, 1);
	fx_w32(FX_VBAR1 + 0x280, NOP);
	arm(MDSCR_KDE | MDSCR_SS);
	c->daif = 1u << 7;                 /* I masked, D clear */
	c->pstate_ss = true;
	c->irq_line = true;
	cpu_run(c, 2);
	assert_int_equal(c->pc, FX_VBAR1 + 0x284);   /* IRQ, then its NOP */
	assert_int_equal(c->sys.elr_el1, FX_PC + 4);
	assert_int_equal(c->sys.spsr_el1 & SPSR_SS, 0);
	c->irq_line = false;
}

/* With EL2: MDCR_EL2.TDA traps EL1's accesses; TDE routes debug
 * exceptions to EL2 (EC "lower EL") and traps them too. */
static void test_el2_mdcr(void **state)
{
	static const uint32_t code[] = { NOP, NOP };

	(void)state;
	put(FX_PC, code, 2);
	c->el = 1;
	c->sys.mdcr_el2 = MDCR_TDA;
	c->pc = FX_PC;
	fx_sys(c, XMRS(MDSCR, 0));
	assert_int_equal(c->el, 2);
	assert_int_equal(esr_ec(c->sys.esr_el2), EC_SYSREG);
	/* OSLAR is TDOSA's, not TDA's. */
	c->el = 1;
	c->pc = FX_PC;
	fx_msr(c, OSLAR, 0);
	c->sys.mdcr_el2 = 0;
	fx_msr(c, BCR(1), BCR_EL1_A64);
	fx_msr(c, BVR(1), FX_PC);
	fx_msr(c, MDSCR, MDSCR_MDE);       /* KDE clear: nothing at EL1 */
	c->daif = 0;
	c->pc = FX_PC;
	cpu_run(c, 2);
	assert_int_equal(c->pc, FX_PC + 8);
	c->sys.mdcr_el2 = MDCR_TDE;
	c->pc = FX_PC;
	cpu_run(c, 1);
	assert_int_equal(c->el, 2);
	assert_int_equal(c->pc, FX_VBAR2 + 0x400);
	assert_int_equal(c->sys.esr_el2, EC_BP_LOWER << 26 | ESR_IL | 0x22);
	/* At EL2 (the target with TDE): KDE, D clear, and HMC. */
	c->pc = FX_PC;
	fx_msr(c, MDSCR, MDSCR_MDE | MDSCR_KDE);
	c->daif = 0;
	c->pc = FX_PC;
	cpu_run(c, 2);
	assert_int_equal(c->pc, FX_PC + 8);
	fx_msr(c, BCR(1), 1u << 13 | BCR_EL1_A64);
	c->pc = FX_PC;
	cpu_run(c, 1);
	assert_int_equal(c->pc, FX_VBAR2 + 0x200);
	assert_int_equal(c->sys.esr_el2, EC_BP_CUR << 26 | ESR_IL | 0x22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registers, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_breakpoint, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_context_breakpoint, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_watchpoint, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_software_step, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_step_exceptions, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_step_el0, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_step_then_irq, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_el2_mdcr, setup2, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
