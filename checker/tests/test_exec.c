/* Unit tests of the A64 integer interpreter: decode + execute of each
 * instruction class. Encodings were produced with
 * `llvm-mc -triple=aarch64 -mattr=+crc -show-encoding` from the assembly
 * in the comment beside each; branch encodings are built from their
 * fields (shown). Expected values are worked out by hand from the Arm
 * ARM pseudocode, as explained next to each assertion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/exec.h"
#include "fake_machine.h"

#define PC0 0x80000ull          /* inside the test RAM */
#define RAM_BASE 0x80000ull
#define RAM_SIZE 0x10000ull

static struct cpu cpu;
static struct cpu *const c = &cpu;

static int setup(void **state)
{
	(void)state;
	fake_cpu_init(c);
	fake_reset_exc();
	c->pc = PC0;
	return 0;
}

/* Execute one instruction at PC0 and check it did not trap. */
static void run(uint32_t insn)
{
	c->pc = PC0;
	fake_reset_exc();
	cpu_exec_one(c, insn);
	assert_int_equal(fake.exc, FAKE_EXC_NONE);
}

/* Execute one instruction that must be UNDEFINED, with no state change. */
static void run_undef(uint32_t insn)
{
	struct cpu before;

	c->pc = PC0;
	before = *c;
	fake_reset_exc();
	cpu_exec_one(c, insn);
	assert_int_equal(fake.exc, FAKE_EXC_UNDEF);
	assert_int_equal(fake.exc_pc, PC0);
	assert_true(fake.exc_insn == insn);
	assert_memory_equal(before.x, c->x, sizeof(c->x));
	assert_int_equal(before.nzcv, c->nzcv);
}

#define N NZCV_N
#define Z NZCV_Z
#define C NZCV_C
#define V NZCV_V

/* ---- logical immediate: DecodeBitMasks ---- */

static void test_logical_imm_bitmasks(void **state)
{
	(void)state;
	/* mov x0, #0x5555555555555555 (orr x0, xzr, #imm): N=0
	 * imms=111100 -> 2-bit element, S=0 -> 0b01 replicated. */
	run(0xb200f3e0);
	assert_true(c->x[0] == 0x5555555555555555ull);
	assert_true(c->pc == PC0 + 4);

	/* orr x0, xzr, #0xff00ff00ff00ff00: imms=100111 -> 16-bit
	 * element of S+1 = 8 ones, immr=8 rotates them to the top byte. */
	run(0xb2089fe0);
	assert_true(c->x[0] == 0xff00ff00ff00ff00ull);

	/* orr w0, wzr, #0x80000001: 32-bit element 0b11 rotated right 1;
	 * the 32-bit result is zero-extended. */
	c->x[0] = ~0ull;
	run(0x320107e0);
	assert_true(c->x[0] == 0x80000001ull);

	/* and x2, x1, #0xfffffffffffffffe: N=1, 63 ones rotated by 63. */
	c->x[1] = 0x123456789abcdef1ull;
	run(0x927ff822);
	assert_true(c->x[2] == 0x123456789abcdef0ull);

	/* ands w3, w1, #0xff: result 0 -> Z; C and V are cleared. */
	c->x[1] = 0xffffff00;
	c->nzcv = C | V;
	run(0x72001c23);
	assert_true(c->x[3] == 0);
	assert_int_equal(c->nzcv, Z);
	/* ... bit 7 set -> N stays clear (N is bit 31 of the W result). */
	c->x[1] = 0x80;
	run(0x72001c23);
	assert_int_equal(c->nzcv, 0);

	/* orr sp, xzr, #0x10: Rd = 31 is SP for AND/ORR/EOR immediate. */
	run(0xb27c03ff);
	assert_true(c->sp_el[1] == 0x10);
}

static void test_logical_imm_reserved(void **state)
{
	(void)state;
	/* N=0, imms=111111: no element size -> reserved. */
	run_undef(0xb200ffe0);
	/* N=0, imms=111110: element size 2 with S = 1 = all ones. */
	run_undef(0xb200fbe0);
	/* 32-bit form with N=1 is unallocated. */
	run_undef(0x324003e0);
}

/* ---- add/sub immediate and register, flags ---- */

static void test_adds_subs_flags(void **state)
{
	(void)state;
	/* adds x0, x1, x2: INT64_MAX + 1 overflows into the sign bit:
	 * N=1, V=1 (signed overflow), C=0 (no unsigned carry). */
	c->x[1] = 0x7fffffffffffffffull;
	c->x[2] = 1;
	run(0xab020020);
	assert_true(c->x[0] == 0x8000000000000000ull);
	assert_int_equal(c->nzcv, N | V);

	/* UINT64_MAX + 1 = 0 with carry out: Z=1, C=1. */
	c->x[1] = ~0ull;
	run(0xab020020);
	assert_true(c->x[0] == 0);
	assert_int_equal(c->nzcv, Z | C);

	/* INT64_MIN + INT64_MIN = 0, carry and signed overflow. */
	c->x[1] = c->x[2] = 0x8000000000000000ull;
	run(0xab020020);
	assert_int_equal(c->nzcv, Z | C | V);

	/* subs x0, x1, x2: 0 - 1 borrows: C=0 ("no borrow" is C=1),
	 * result -1 -> N=1. */
	c->x[1] = 0;
	c->x[2] = 1;
	run(0xeb020020);
	assert_true(c->x[0] == ~0ull);
	assert_int_equal(c->nzcv, N);

	/* x - x = 0: Z=1 and C=1 (no borrow). */
	c->x[1] = c->x[2] = 0xdeadbeefull;
	run(0xeb020020);
	assert_int_equal(c->nzcv, Z | C);

	/* INT64_MIN - 1 overflows to INT64_MAX: V=1, C=1. */
	c->x[1] = 0x8000000000000000ull;
	c->x[2] = 1;
	run(0xeb020020);
	assert_true(c->x[0] == 0x7fffffffffffffffull);
	assert_int_equal(c->nzcv, C | V);

	/* adds w0, w1, w2: only the low 32 bits take part; the result is
	 * zero-extended; 0x7fffffff + 1 sets N and V at bit 31. */
	c->x[1] = 0xffffffff7fffffffull;
	c->x[2] = 0xaaaaaaaa00000001ull;
	run(0x2b020020);
	assert_true(c->x[0] == 0x80000000ull);
	assert_int_equal(c->nzcv, N | V);

	/* subs w0, w1, w2: 0x80000000 - 1 = 0x7fffffff: V=1, C=1. */
	c->x[1] = 0x80000000;
	c->x[2] = 1;
	run(0x6b020020);
	assert_true(c->x[0] == 0x7fffffff);
	assert_int_equal(c->nzcv, C | V);
}

static void test_add_sub_imm_sp(void **state)
{
	(void)state;
	/* add sp, sp, #16: both operands are SP (SP_EL1 at EL1h). */
	c->sp_el[1] = 0x1000;
	run(0x910043ff);
	assert_true(c->sp_el[1] == 0x1010);

	/* add x0, sp, #1, lsl #12. */
	run(0x914007e0);
	assert_true(c->x[0] == 0x2010);

	/* With PSTATE.SP = 0 the same instruction uses SP_EL0. */
	c->spsel = 0;
	c->sp_el[0] = 0x500;
	run(0x910043ff);
	assert_true(c->sp_el[0] == 0x510);
	assert_true(c->sp_el[1] == 0x1010);

	/* cmn x1, #1 (adds xzr, x1, #1): Rd = 31 is XZR, only flags. */
	c->x[1] = ~0ull;
	run(0xb100043f);
	assert_int_equal(c->nzcv, Z | C);
	assert_true(c->sp_el[0] == 0x510);
}

static void test_add_sub_reg_forms(void **state)
{
	(void)state;
	/* add x0, x1, w2, sxtb #2: (int8)0x80 = -128, * 4 = -512. */
	c->x[1] = 1000;
	c->x[2] = 0xffffff80;
	run(0x8b228820);
	assert_true(c->x[0] == 1000 - 512);

	/* sub sp, sp, x2, lsl #4 (UXTX with SP operands). */
	c->sp_el[1] = 0x10000;
	c->x[2] = 0x10;
	run(0xcb2273ff);
	assert_true(c->sp_el[1] == 0x10000 - 0x100);

	/* adds x0, sp, w2, uxtw: upper half of x2 dropped. */
	c->x[2] = 0xffffffff00000001ull;
	run(0xab2243e0);
	assert_true(c->x[0] == 0x10000 - 0x100 + 1);

	/* add x0, x1, x2, asr #3. */
	c->x[1] = 5;
	c->x[2] = (uint64_t)-64;
	run(0x8b820c20);
	assert_true(c->x[0] == (uint64_t)(5 - 8));

	/* sub w0, w1, w2, lsr #31: 10 - 1. */
	c->x[1] = 10;
	c->x[2] = 0x80000000;
	run(0x4b427c20);
	assert_true(c->x[0] == 9);

	/* Shift amount >= 32 in the 32-bit form is unallocated, as is
	 * shift type ROR for add/sub. */
	run_undef(0x0b028020);  /* add w0, w1, w2, lsl #32 */
	run_undef(0x8bc20020);  /* add x0, x1, x2, ror #0 */
	/* Extended register with imm3 > 4. */
	run_undef(0x8b221420);
}

static void test_adc_sbc(void **state)
{
	(void)state;
	/* adc x0, x1, x2 adds PSTATE.C. */
	c->x[1] = 5;
	c->x[2] = 6;
	c->nzcv = C;
	run(0x9a020020);
	assert_true(c->x[0] == 12);
	assert_int_equal(c->nzcv, C);   /* ADC leaves flags alone */

	/* adcs x0, x1, x2: ~0 + 0 + 1 = 0 with carry. */
	c->x[1] = ~0ull;
	c->x[2] = 0;
	run(0xba020020);
	assert_true(c->x[0] == 0);
	assert_int_equal(c->nzcv, Z | C);

	/* sbcs w0, w1, w2: w1 + NOT(w2) + C; with C=0 that is w1-w2-1:
	 * 0 - 0 - 1 = 0xffffffff, borrow -> C=0, N=1. */
	c->x[1] = 0;
	c->x[2] = 0;
	c->nzcv = 0;
	run(0x7a020020);
	assert_true(c->x[0] == 0xffffffff);
	assert_int_equal(c->nzcv, N);
}

/* ---- bitfield, extract, move wide ---- */

static void test_bitfield_aliases(void **state)
{
	(void)state;
	c->x[1] = 0xf123456789abcdefull;
	/* lsl x0, x1, #4 = ubfm x0, x1, #60, #59. */
	run(0xd37cec20);
	assert_true(c->x[0] == 0x123456789abcdef0ull);
	/* lsr w0, w1, #3 = ubfm w0, w1, #3, #31. */
	run(0x53037c20);
	assert_true(c->x[0] == 0x89abcdefull >> 3);
	/* asr x0, x1, #63 = sbfm x0, x1, #63, #63: sign everywhere. */
	run(0x937ffc20);
	assert_true(c->x[0] == ~0ull);
	/* uxtb w0, w1 = ubfm w0, w1, #0, #7. */
	run(0x53001c20);
	assert_true(c->x[0] == 0xef);
	/* sxtw x0, w1 = sbfm x0, x1, #0, #31: bit 31 of 0x89abcdef set. */
	run(0x93407c20);
	assert_true(c->x[0] == 0xffffffff89abcdefull);
	/* sxth w0, w1: 0xcdef sign-extended to 32 bits only. */
	run(0x13003c20);
	assert_true(c->x[0] == 0xffffcdefull);
	/* lsr x0, x1, #60 (ubfm #60, #63). */
	run(0xd37cfc20);
	assert_true(c->x[0] == 0xf);
	/* bfi x0, x1, #8, #16: bits 15:0 of x1 into 23:8 of x0. */
	c->x[0] = 0x1111111111111111ull;
	run(0xb3783c20);
	assert_true(c->x[0] == 0x1111111111cdef11ull);
	/* bfxil w0, w1, #4, #8: bits 11:4 of w1 (0xde) into 7:0; the
	 * 32-bit form clears the upper word. */
	c->x[0] = 0xffffffff22222222ull;
	run(0x33042c20);
	assert_true(c->x[0] == 0x222222de);
	/* sf != N, and imms >= 32 in the 32-bit form: unallocated. */
	run_undef(0x13403c20);
	run_undef(0x13203c20 | (32 << 10));
}

static void test_extr_movw(void **state)
{
	(void)state;
	/* ror x0, x1, #8 = extr x0, x1, x1, #8. */
	c->x[1] = 0x0123456789abcdefull;
	run(0x93c12020);
	assert_true(c->x[0] == 0xef0123456789abcdull);
	/* extr w0, w1, w2, #31: bit 31 of w2, then w1 << 1. */
	c->x[1] = 0x40000001;
	c->x[2] = 0x80000000;
	run(0x13827c20);
	assert_true(c->x[0] == 0x80000003);

	/* movz x0, #0x1234, lsl #48; movk x0, #0xbeef, lsl #16. */
	run(0xd2e24680);
	assert_true(c->x[0] == 0x1234000000000000ull);
	run(0xf2b7dde0);
	assert_true(c->x[0] == 0x12340000beef0000ull);
	/* movn w0, #0 -> 0xffffffff (not 64 ones). */
	run(0x12800000);
	assert_true(c->x[0] == 0xffffffffull);
	/* movn x0, #1, lsl #32 -> ~(1 << 32). */
	run(0x92c00020);
	assert_true(c->x[0] == ~(1ull << 32));
	/* opc = 01 and 32-bit hw >= 2 are unallocated. */
	run_undef(0x32800000);     /* movn-space opc = 01 */
	run_undef(0x52c00000);
}

static void test_adr_adrp(void **state)
{
	(void)state;
	/* adr x0, .+0x1000: immhi = 0x400, immlo = 0. */
	run(0x10008000);
	assert_true(c->x[0] == PC0 + 0x1000);
	/* adrp x0, .+0x3000: immlo = 3 pages, from PC's 4KB page. */
	c->pc = PC0 + 0x123;
	cpu_exec_one(c, 0xf0000000);
	assert_true(c->x[0] == PC0 + 0x3000);
	/* adr x0, .-4: imm21 = -4 (immlo = 0, immhi all ones). */
	run(0x10ffffe0);
	assert_true(c->x[0] == PC0 - 4);
}

/* ---- logical shifted register ---- */

static void test_logical_reg(void **state)
{
	(void)state;
	c->x[1] = 0xff00ff00ff00ff00ull;
	c->x[2] = 0x0000000000000ff0ull;
	/* bic x0, x1, x2, ror #4: ror(0xff0, 4) = 0xff, inverted. */
	run(0x8ae21020);
	assert_true(c->x[0] == (0xff00ff00ff00ff00ull & ~0xffull));
	/* eon w0, w1, w2, lsl #1: w1 ^ ~(w2 << 1). */
	run(0x4a220420);
	assert_true(c->x[0] == (uint32_t)(0xff00ff00u ^ ~0x1fe0u));
	/* bics x0, x1, x2: nonzero with bit 63 -> N, C/V cleared. */
	c->nzcv = C | V;
	run(0xea220020);
	assert_int_equal(c->nzcv, N);
}

/* ---- conditional select / compare and condition codes ---- */

static void test_cond_holds_table(void **state)
{
	(void)state;
	/* Every condition against every flag value, per the Arm ARM
	 * ConditionHolds() pseudocode written out directly. */
	for (unsigned f = 0; f < 16; f++) {
		unsigned n = f >> 3 & 1, z = f >> 2 & 1, cf = f >> 1 & 1,
			 v = f & 1;
		bool base[8] = { z, cf, n, v, cf && !z, n == v,
				 n == v && !z, true };
		for (unsigned cond = 0; cond < 16; cond++) {
			bool want = base[cond >> 1];
			if ((cond & 1) && cond != 15)
				want = !want;
			assert_int_equal(cond_holds(f << 28, cond), want);
		}
	}
}

static void test_csel_ccmp(void **state)
{
	(void)state;
	c->x[1] = 10;
	c->x[2] = 20;
	/* csel x0, x1, x2, eq */
	c->nzcv = Z;
	run(0x9a820020);
	assert_true(c->x[0] == 10);
	c->nzcv = 0;
	run(0x9a820020);
	assert_true(c->x[0] == 20);
	/* cset w0, ne = csinc w0, wzr, wzr, eq: 1 when Z clear. */
	run(0x1a9f07e0);
	assert_true(c->x[0] == 1);
	/* csinv x0, x1, x2, ge with N != V -> ~x2. */
	c->nzcv = N;
	run(0xda82a020);
	assert_true(c->x[0] == ~20ull);
	/* csneg x0, x1, x2, lt with N == V -> -x2. */
	c->nzcv = 0;
	run(0xda82b420);
	assert_true(c->x[0] == (uint64_t)-20);

	/* ccmp x1, x2, #5, eq: cond false -> NZCV = #5 = 0b0101. */
	c->nzcv = 0;
	run(0xfa420025);
	assert_int_equal(c->nzcv, Z | V);
	/* cond true -> flags of x1 - x2 = 10 - 20: N, borrow (C=0). */
	c->nzcv = Z;
	run(0xfa420025);
	assert_int_equal(c->nzcv, N);
	/* ccmn w1, #3, #2, ne: cond true, w1 + 3 with w1 = -3 -> Z, C. */
	c->x[1] = 0xfffffffd;
	c->nzcv = 0;
	run(0x3a431822);
	assert_int_equal(c->nzcv, Z | C);
	/* cond false -> #2 = C. */
	c->nzcv = Z;
	run(0x3a431822);
	assert_int_equal(c->nzcv, C);
}

/* ---- 1-source ---- */

static void test_1src(void **state)
{
	(void)state;
	c->x[1] = 0x0123456789abcdefull;
	run(0xdac00020);        /* rbit x0, x1 */
	assert_true(c->x[0] == 0xf7b3d591e6a2c480ull);
	run(0x5ac00020);        /* rbit w0, w1: reverse of 0x89abcdef */
	assert_true(c->x[0] == 0xf7b3d591ull);
	run(0xdac00420);        /* rev16 x0, x1 */
	assert_true(c->x[0] == 0x23016745ab89efcdull);
	run(0xdac00820);        /* rev32 x0, x1 */
	assert_true(c->x[0] == 0x67452301efcdab89ull);
	run(0xdac00c20);        /* rev x0, x1 */
	assert_true(c->x[0] == 0xefcdab8967452301ull);
	run(0x5ac00820);        /* rev w0, w1 */
	assert_true(c->x[0] == 0xefcdab89ull);

	c->x[1] = 0x0000100000000000ull;
	run(0xdac01020);        /* clz x0, x1: bit 44 set -> 19 */
	assert_true(c->x[0] == 19);
	c->x[1] = 0;
	run(0xdac01020);
	assert_true(c->x[0] == 64);
	run(0x5ac01020);        /* clz w0, wzr-like 0 -> 32 */
	assert_true(c->x[0] == 32);
	/* cls x0, x1: sign bits after the top one. */
	c->x[1] = 0xfff0000000000000ull;   /* 12 ones -> 11 */
	run(0xdac01420);
	assert_true(c->x[0] == 11);
	c->x[1] = 0;                        /* all zero -> 63 */
	run(0xdac01420);
	assert_true(c->x[0] == 63);
	c->x[1] = 0xffffffff00000001ull;    /* w: 0x00000001 -> 30 */
	run(0x5ac01420);
	assert_true(c->x[0] == 30);
	c->x[1] = 0xffffffffull;            /* w: all ones -> 31 */
	run(0x5ac01420);
	assert_true(c->x[0] == 31);

	run_undef(0x5ac00c20);  /* 32-bit opcode 000011 */
	run_undef(0xdac10020);  /* opcode2 = 00001: PACIA */
}

/* ---- 2-source ---- */

static void test_div_shift(void **state)
{
	(void)state;
	/* sdiv x0, x1, x2: INT64_MIN / -1 = INT64_MIN, no trap. */
	c->x[1] = 0x8000000000000000ull;
	c->x[2] = ~0ull;
	run(0x9ac20c20);
	assert_true(c->x[0] == 0x8000000000000000ull);
	/* sdiv w0, w1, w2: INT32_MIN / -1 = INT32_MIN (zero-extended). */
	c->x[1] = 0x80000000;
	c->x[2] = 0xffffffff;
	run(0x1ac20c20);
	assert_true(c->x[0] == 0x80000000);
	/* Division by zero gives 0. */
	c->x[2] = 0;
	run(0x1ac20c20);
	assert_true(c->x[0] == 0);
	c->x[1] = 123;
	run(0x9ac20820);        /* udiv x0, x1, x2 */
	assert_true(c->x[0] == 0);
	/* sdiv rounds toward zero: -7 / 2 = -3. */
	c->x[1] = (uint64_t)-7;
	c->x[2] = 2;
	run(0x9ac20c20);
	assert_true(c->x[0] == (uint64_t)-3);
	/* udiv treats the same bits as unsigned. */
	run(0x9ac20820);
	assert_true(c->x[0] == ((uint64_t)-7) / 2);

	/* lsl x0, x1, x2: amount is x2 mod 64. */
	c->x[1] = 1;
	c->x[2] = 65;
	run(0x9ac22020);
	assert_true(c->x[0] == 2);
	/* asr w0, w1, w2: mod 32, sign of bit 31. */
	c->x[1] = 0x80000000;
	c->x[2] = 35;
	run(0x1ac22820);
	assert_true(c->x[0] == 0xf0000000);
	/* ror x0, x1, x2. */
	c->x[1] = 0x1;
	c->x[2] = 1;
	run(0x9ac22c20);
	assert_true(c->x[0] == 0x8000000000000000ull);
}

static void test_crc32(void **state)
{
	static const char msg[] = "123456789";
	(void)state;

	/* The standard check values: CRC-32 ("123456789") = 0xCBF43926 and
	 * CRC-32C = 0xE3069283, with the conventional initial value
	 * 0xffffffff and final inversion, which the instructions leave to
	 * software. */
	c->x[0] = 0xffffffff;
	for (unsigned i = 0; i < 9; i++) {
		c->x[1] = (uint8_t)msg[i];
		run(0x1ac14000);        /* crc32b w0, w0, w1 */
	}
	assert_true((c->x[0] ^ 0xffffffff) == 0xcbf43926);

	c->x[0] = 0xffffffff;
	for (unsigned i = 0; i < 9; i++) {
		c->x[1] = 0xffffff00u | (uint8_t)msg[i];   /* upper bits ignored */
		run(0x1ac15000);        /* crc32cb w0, w0, w1 */
	}
	assert_true((c->x[0] ^ 0xffffffff) == 0xe3069283);

	/* crc32x over "12345678" then crc32b over "9" is the same CRC. */
	uint64_t eight;
	memcpy(&eight, msg, 8);
	c->x[0] = 0xffffffff;
	c->x[1] = eight;
	run(0x9ac14c00);                /* crc32x w0, w0, x1 */
	c->x[1] = '9';
	run(0x1ac14000);
	assert_true((c->x[0] ^ 0xffffffff) == 0xcbf43926);

	c->x[0] = 0xffffffff;
	c->x[1] = eight;
	run(0x9ac15c00);                /* crc32cx w0, w0, x1 */
	c->x[1] = '9';
	run(0x1ac15000);
	assert_true((c->x[0] ^ 0xffffffff) == 0xe3069283);

	/* crc32x needs sf=1; crc32b with sf=1 is unallocated. */
	run_undef(0x1ac14c00);
	run_undef(0x9ac14000);
}

/* ---- 3-source ---- */

static void test_3src(void **state)
{
	(void)state;
	c->x[1] = 7;
	c->x[2] = (uint64_t)-3;
	c->x[3] = 100;
	run(0x9b020c20);        /* madd x0, x1, x2, x3 = 100 + (-21) */
	assert_true(c->x[0] == 79);
	run(0x1b028c20);        /* msub w0, w1, w2, w3 = 100 - (-21) */
	assert_true(c->x[0] == 121);
	/* smaddl x0, w1, w2, x3: w2 = 0xfffffffd is -3 as signed 32. */
	run(0x9b220c20);
	assert_true(c->x[0] == 79);
	/* umsubl x0, w1, w2, x3: w2 = 4294967293 unsigned. */
	run(0x9ba28c20);
	assert_true(c->x[0] == 100 - 7ull * 0xfffffffdull);

	/* smulh/umulh: (-1) * (-1) = 1 -> high half 0; unsigned
	 * (2^64-1)^2 = 2^128 - 2^65 + 1 -> high half 2^64 - 2. */
	c->x[1] = c->x[2] = ~0ull;
	run(0x9b427c20);
	assert_true(c->x[0] == 0);
	run(0x9bc27c20);
	assert_true(c->x[0] == ~0ull - 1);
	/* INT64_MIN * 2 = -2^64 -> high half -1. */
	c->x[1] = 0x8000000000000000ull;
	c->x[2] = 2;
	run(0x9b427c20);
	assert_true(c->x[0] == ~0ull);

	run_undef(0x1b220c20);  /* smaddl with sf=0 */
	run_undef(0x9b627c20);  /* op31 = 011 */
}

/* ---- branches ---- */

static void test_branches(void **state)
{
	(void)state;
	/* b .+0x40: imm26 = 0x10. */
	run(0x14000010);
	assert_true(c->pc == PC0 + 0x40);
	/* bl .-8: imm26 = -2; X30 = return address. */
	run(0x97fffffe);
	assert_true(c->pc == PC0 - 8);
	assert_true(c->x[30] == PC0 + 4);
	/* b.ne .+0x10: imm19 = 4, cond = 0001. */
	c->nzcv = Z;
	run(0x54000081);
	assert_true(c->pc == PC0 + 4);
	c->nzcv = 0;
	run(0x54000081);
	assert_true(c->pc == PC0 + 0x10);
	/* cbz w1, .+0x20: tests only the W register. */
	c->x[1] = 0x100000000ull;
	run(0x34000101);
	assert_true(c->pc == PC0 + 0x20);
	/* cbnz x1, .+0x20 sees the upper bit. */
	run(0xb5000101);
	assert_true(c->pc == PC0 + 0x20);
	/* tbz x1, #63, .+0x10: b5 = 1, b40 = 31, imm14 = 4. */
	run(0xb6f80081);
	assert_true(c->pc == PC0 + 0x10);
	c->x[1] = 1ull << 63;
	run(0xb6f80081);
	assert_true(c->pc == PC0 + 4);
	/* tbnz w1, #3, .-0x10: b40 = 3, imm14 = -4. */
	c->x[1] = 8;
	run(0x371fff81);
	assert_true(c->pc == PC0 - 0x10);

	/* br x1, blr x30 (target read before the link), ret. */
	c->x[1] = 0x1234;
	run(0xd61f0020);
	assert_true(c->pc == 0x1234);
	c->x[30] = 0x5678;
	run(0xd63f03c0);
	assert_true(c->pc == 0x5678);
	assert_true(c->x[30] == PC0 + 4);
	run(0xd65f03c0);
	assert_true(c->pc == PC0 + 4);

	/* ERET goes to the machine side. */
	c->pc = PC0;
	fake_reset_exc();
	cpu_exec_one(c, 0xd69f03e0);
	assert_int_equal(fake.exc, FAKE_EXC_ERET);

	/* Pointer authentication forms are not implemented. */
	run_undef(0xd71f0822);  /* braa x1, x2 */
	run_undef(0xd65f0bff);  /* retaa */
	/* B.cond with o0 = 1 (BC.cond, FEAT_HBC). */
	run_undef(0x54000090);
}

static void test_top_level_decode(void **state)
{
	(void)state;
	run_undef(0x00000000);  /* UDF #0 */
	run_undef(0x04000000);  /* SVE space */
	run_undef(0x91800000);  /* ADDG (FEAT_MTE) */
	run_undef(0x1ac00020);  /* SUBP-space 2-source opcode 0 */
	run_undef(0x3a000420);  /* RMIF-space (FEAT_FlagM) */
	/* System space and exception generation reach the machine. */
	c->pc = PC0;
	fake_reset_exc();
	cpu_exec_one(c, 0xd4000001);    /* svc #0 */
	assert_int_equal(fake.exc, FAKE_EXC_GEN);
	run(0xd503201f);                /* nop (the fake advances PC) */
	assert_true(c->pc == PC0 + 4);
}

/* ---- the run loop ---- */

static void test_cpu_run(void **state)
{
	/* A countdown loop:
	 *   movz x0, #5
	 * 1: subs x0, x0, #1
	 *   b.ne 1b
	 *   (UDF)
	 * retires 1 + 5 * 2 = 11 instructions before reaching the UDF. */
	static const uint32_t prog[] = {
		0xd28000a0,     /* movz x0, #5 */
		0xf1000400,     /* subs x0, x0, #1 */
		0x54ffffe1,     /* b.ne .-4 */
		0x00000000,
	};
	(void)state;
	fake_load(PC0, prog, 4);
	c->pc = PC0;
	fake_reset_exc();
	assert_int_equal(cpu_run(c, 11), 11);
	assert_true(c->pc == PC0 + 12);
	assert_true(c->x[0] == 0);
	assert_int_equal(c->insns, 11);
	assert_int_equal(fake.nexc, 0);
	/* The UDF counts as retired and traps. */
	assert_int_equal(cpu_run(c, 1), 1);
	assert_int_equal(fake.exc, FAKE_EXC_UNDEF);

	/* A PE that waits or is off runs nothing. */
	c->pc = PC0;
	c->wfi = true;
	assert_int_equal(cpu_run(c, 100), 0);
	c->wfi = false;
	c->powered = false;
	assert_int_equal(cpu_run(c, 100), 0);
	assert_true(c->pc == PC0);
}

/* cpu_run caches decoded instructions by PC: a word rewritten in place
 * (self- or cross-modifying code) runs as the new word, and so does a
 * different word at a PC that maps to the same cache entry. */
static void test_cpu_run_rewritten(void **state)
{
	static const uint32_t add1[] = { 0x91000400 };  /* add x0, x0, #1 */
	static const uint32_t sub1[] = { 0xd1000400 };  /* sub x0, x0, #1 */
	static const uint32_t movz[] = { 0xd2800540 };  /* movz x0, #42 */
	(void)state;
	fake_reset_exc();
	c->x[0] = 10;
	fake_load(PC0, add1, 1);
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 1), 1);
	assert_true(c->x[0] == 11);
	fake_load(PC0, sub1, 1);
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 1), 1);
	assert_true(c->x[0] == 10);
	/* 16 KiB on: the same entry of a 4096-entry cache. */
	fake_load(PC0 + 0x4000, movz, 1);
	c->pc = PC0 + 0x4000;
	assert_int_equal(cpu_run(c, 1), 1);
	assert_true(c->x[0] == 42);
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 1), 1);
	assert_true(c->x[0] == 41);
	assert_int_equal(fake.nexc, 0);
}

/* A store into the block being run: the instruction after it runs as
 * the word stored, not as the word the block was decoded from, both the
 * first time through and once the block is cached. */
static void test_cpu_run_store_into_block(void **state)
{
	static const uint32_t prog[] = {
		0xb9000041,     /* str w1, [x2] */
		0xd503201f,     /* nop */
		0x91000400,     /* add x0, x0, #1 */
		0x00000000,
	};
	(void)state;
	for (unsigned pass = 0; pass < 2; pass++) {
		fake_load(PC0, prog, 4);
		fake_reset_exc();
		c->x[0] = 0;
		c->x[1] = 0x91000800;   /* add x0, x0, #2 */
		c->x[2] = PC0 + 8;
		c->pc = PC0;
		assert_int_equal(cpu_run(c, 3), 3);
		assert_true(c->x[0] == 2);
		assert_true(c->pc == PC0 + 12);
		assert_int_equal(fake.nexc, 0);
	}
}

/* A block ends where an instruction takes an exception: the rest of it
 * does not run, and the exception counts as retired. */
static void test_cpu_run_exception_in_block(void **state)
{
	static const uint32_t prog[] = {
		0x91000400,     /* add x0, x0, #1 */
		0xb9400041,     /* ldr w1, [x2] (outside RAM: abort) */
		0x91000400,     /* add x0, x0, #1 */
		0x91000400,     /* add x0, x0, #1 */
	};
	(void)state;
	fake_load(PC0, prog, 4);
	fake_reset_exc();
	c->x[0] = 0;
	c->x[2] = 0x10;
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 2), 2);
	assert_int_equal(fake.exc, FAKE_EXC_DABORT);
	assert_true(fake.exc_pc == PC0 + 4);
	assert_true(c->x[0] == 1);
	assert_true(c->pc == FAKE_VECTOR);
}

/* NZCV set by a block's inline entries is what code outside them sees:
 * an abort's SPSR, an executor, the caller after cpu_run returns (the
 * places a runner that deferred the flags would have to compute them).
 * Each part leaves a stale c->nzcv that a wrong answer shows. */
/* ADD/SUB (shifted register) with shift type 3 is reserved whatever the
 * amount (Arm ARM DDI 0487 K.a C6.2 "ADDS (shifted register)": shift
 * '11' RESERVED): run in a block, it must still be UNDEFINED, not the
 * unshifted operand. The nop first puts it in a block (a cold fetch
 * cache runs the first instruction alone). */
static void test_cpu_run_block_reserved_shift(void **state)
{
	static const uint32_t prog[] = {
		0xd503201f,     /* nop */
		0x6bd60132,     /* subs w18, w9, w22, ror #0 (reserved) */
		0xd503201f,     /* nop */
	};
	(void)state;

	fake_load(PC0, prog, 3);
	fake_reset_exc();
	c->x[18] = 0x1234;
	c->pc = PC0;
	fake.undefs = 0;
	cpu_run(c, 3);
	assert_int_equal(fake.undefs, 1);
	assert_true(fake.last_undef == prog[1]);
	assert_int_equal(c->x[18], 0x1234);
}

static void test_cpu_run_block_flags(void **state)
{
	static const uint32_t abort_after[] = {
		0xd503201f,     /* nop */
		0xf1000400,     /* subs x0, x0, #1 */
		0xb9400041,     /* ldr w1, [x2] (outside RAM: abort) */
	};
	static const uint32_t exec_reads[] = {
		0xab010000,     /* adds x0, x0, x1 */
		0x9a1f03e3,     /* adc x3, xzr, xzr (its executor) */
	};
	static const uint32_t exit_after[] = {
		0xea010000,     /* ands x0, x0, x1 */
		0xd503201f,     /* nop */
	};
	static const uint32_t not_eq[] = {
		0xeb01001f,     /* cmp x0, x1 */
		0x5400004b,     /* b.lt .+8 */
		0x91000484,     /* add x4, x4, #1 (skipped) */
		0xd503201f,     /* nop */
	};
	(void)state;

	/* SPSR at the abort: 1 - 1 = 0 sets Z and C (no borrow). The nop
	 * first: the setter and the load run in one block even when the
	 * first instruction goes one at a time (a cold fetch cache). */
	fake_load(PC0, abort_after, 3);
	fake_reset_exc();
	c->x[0] = 1;
	c->x[2] = 0x10;
	c->nzcv = N | V;
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 3), 3);
	assert_int_equal(fake.exc, FAKE_EXC_DABORT);
	assert_int_equal(fake.exc_nzcv, Z | C);

	/* An executor reads C: ~0 + 1 carries out. */
	fake_load(PC0, exec_reads, 2);
	fake_reset_exc();
	c->x[0] = ~0ull;
	c->x[1] = 1;
	c->x[3] = 7;
	c->nzcv = 0;
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 2), 2);
	assert_true(c->x[3] == 1);
	assert_int_equal(c->nzcv, Z | C);

	/* cpu_run returns after the setter: the budget ends the block. */
	fake_load(PC0, exit_after, 2);
	c->x[0] = 1ull << 63;
	c->x[1] = ~0ull;
	c->nzcv = Z | C | V;
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 1), 1);
	assert_int_equal(c->nzcv, N);

	/* A condition other than EQ/NE: 1 - 2 is negative, no overflow. */
	fake_load(PC0, not_eq, 4);
	c->x[0] = 1;
	c->x[1] = 2;
	c->x[4] = 0;
	c->nzcv = Z;
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 2), 2);
	assert_true(c->pc == PC0 + 12);
	assert_true(c->x[4] == 0);
	assert_int_equal(c->nzcv, N);
	assert_int_equal(fake.nexc, 0);
}

/* Every condition after every kind of flag-setting inline entry, on
 * operands at the edges of unsigned and signed order at both sizes:
 * B.cond and CSEL in a block against ConditionHolds() of the flags the
 * one-at-a-time executor computes. */
static void test_cpu_run_block_conds(void **state)
{
	static const uint32_t setters[] = {
		0xf1000400, 0x71000400, /* subs x0, x0, #1; subs w0, w0, #1 */
		0xb1000400, 0x31000400, /* adds x0, x0, #1; adds w0, w0, #1 */
		0xeb01001f, 0x6b01001f, /* cmp x0, x1; cmp w0, w1 */
		0xeb010402,             /* subs x2, x0, x1, lsl #1 */
		0xab01001f, 0x2b01001f, /* cmn x0, x1; cmn w0, w1 */
		0xea01001f, 0x6a01001f, /* tst x0, x1; tst w0, w1 */
		0x72010400,             /* ands w0, w0, #0x80000001 */
	};
	static const uint64_t vals[] = {
		0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
		0x180000000, 0x7fffffffffffffff, 0x8000000000000000, ~0ull,
	};
	const unsigned nv = sizeof(vals) / sizeof(vals[0]);
	(void)state;

	for (unsigned s = 0; s < sizeof(setters) / sizeof(setters[0]); s++)
	for (unsigned i = 0; i < nv * nv; i++)
	for (unsigned cond = 0; cond < 16; cond++) {
		uint32_t prog[5] = { 0xd503201f, setters[s],
				     0x54000040 | cond,         /* b.cond .+8 */
				     0xd503201f, 0xd503201f };
		uint32_t want;
		bool take;

		c->x[0] = vals[i / nv];
		c->x[1] = vals[i % nv];
		c->pc = PC0 + 4;
		cpu_exec_one(c, setters[s]);
		want = c->nzcv;
		take = cond_holds(want, cond);

		fake_load(PC0, prog, 5);
		fake_reset_exc();
		c->x[0] = vals[i / nv];
		c->x[1] = vals[i % nv];
		c->nzcv = ~want & 0xf0000000;
		c->pc = PC0;
		assert_int_equal(cpu_run(c, 3), 3);
		assert_true(c->pc == PC0 + (take ? 16 : 12));
		assert_int_equal(c->nzcv, want);

		prog[2] = 0x9a850083 | cond << 12;      /* csel x3, x4, x5 */
		fake_load(PC0, prog, 5);
		c->x[0] = vals[i / nv];
		c->x[1] = vals[i % nv];
		c->x[4] = 4;
		c->x[5] = 5;
		c->nzcv = ~want & 0xf0000000;
		c->pc = PC0;
		assert_int_equal(cpu_run(c, 3), 3);
		assert_true(c->x[3] == (take ? 4u : 5u));
		assert_int_equal(c->nzcv, want);
		assert_int_equal(fake.nexc, 0);
	}
}

/* Blocks cover only the lines the fetch cache serves: with the model,
 * a line whose fetches it must see (cache_fetch_page leaves its bit
 * clear) is fetched through mem_fetch() instruction by instruction. */
static void test_cpu_run_unserved_line(void **state)
{
	uint32_t prog[20];

	(void)state;
	for (unsigned i = 0; i < 16; i++)
		prog[i] = 0xd503201f;                   /* nop */
	for (unsigned i = 16; i < 20; i++)
		prog[i] = 0x91000400;                   /* add x0, x0, #1 */
	fake_load(PC0, prog, 20);
	fake_reset_exc();
	fake.fetch_lines = 1;   /* PC0's line only */
	fake.fetches = 0;
	c->x[0] = 0;
	c->pc = PC0;
	assert_int_equal(cpu_run(c, 20), 20);
	fake.fetch_lines = 0;
	assert_true(c->x[0] == 4);
	assert_true(c->pc == PC0 + 80);
	/* The first fetch (the cache was empty) and the four of line 1. */
	assert_int_equal(fake.fetches, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_logical_imm_bitmasks, setup),
		cmocka_unit_test_setup(test_logical_imm_reserved, setup),
		cmocka_unit_test_setup(test_adds_subs_flags, setup),
		cmocka_unit_test_setup(test_add_sub_imm_sp, setup),
		cmocka_unit_test_setup(test_add_sub_reg_forms, setup),
		cmocka_unit_test_setup(test_adc_sbc, setup),
		cmocka_unit_test_setup(test_bitfield_aliases, setup),
		cmocka_unit_test_setup(test_extr_movw, setup),
		cmocka_unit_test_setup(test_adr_adrp, setup),
		cmocka_unit_test_setup(test_logical_reg, setup),
		cmocka_unit_test_setup(test_cond_holds_table, setup),
		cmocka_unit_test_setup(test_csel_ccmp, setup),
		cmocka_unit_test_setup(test_1src, setup),
		cmocka_unit_test_setup(test_div_shift, setup),
		cmocka_unit_test_setup(test_crc32, setup),
		cmocka_unit_test_setup(test_3src, setup),
		cmocka_unit_test_setup(test_branches, setup),
		cmocka_unit_test_setup(test_top_level_decode, setup),
		cmocka_unit_test_setup(test_cpu_run, setup),
		cmocka_unit_test_setup(test_cpu_run_rewritten, setup),
		cmocka_unit_test_setup(test_cpu_run_store_into_block, setup),
		cmocka_unit_test_setup(test_cpu_run_exception_in_block, setup),
		cmocka_unit_test_setup(test_cpu_run_unserved_line, setup),
		cmocka_unit_test_setup(test_cpu_run_block_flags, setup),
		cmocka_unit_test_setup(test_cpu_run_block_reserved_shift, setup),
		cmocka_unit_test_setup(test_cpu_run_block_conds, setup),
	};
	int rc;

	fake_alloc(RAM_BASE, RAM_SIZE);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	fake_free();
	return rc;
}
