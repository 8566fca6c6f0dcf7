/* Unit tests of the load/store (exec_ldst.c) and FP/SIMD (exec_fp.c)
 * decode groups over the fake machine (fake_machine.h). Instruction words come
 * from GNU as (-march=armv8.4-a+lse+rcpc); each is shown beside it.
 * The unicorn differential test (diff/gen_ldst.c) checks the same
 * groups on random encodings; these tests pin down the behaviour the
 * machine relies on: access flags, the exception contract, exclusives
 * across PEs, the CONSTRAINED UNPREDICTABLE choices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp/exec.h"
#include "fake_machine.h"

#define BASE 0x40000000ull
#define SIZE 0x10000ull
#define CODE (BASE + 0x8000)   /* PC of the tested instruction */
#define DATA (BASE + 0x1000)

static uint8_t mem[SIZE];
static struct cpu cpu0, cpu1;

static void cpu_init(struct cpu *c, int id)
{
	memset(c, 0, sizeof(*c));
	c->el = 1;
	c->spsel = 1;
	c->powered = true;
	c->id = id;
	c->pc = CODE;
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	fake_reset(mem, BASE, SIZE);
	cpu_init(&cpu0, 0);
	cpu_init(&cpu1, 1);
	fake_add_cpu(&cpu0);
	fake_add_cpu(&cpu1);
	return 0;
}

/* ---- helpers ---- */

static void put(uint64_t a, uint64_t v, unsigned n)
{
	memcpy(mem + (a - BASE), &v, n);
}

static uint64_t get(uint64_t a, unsigned n)
{
	uint64_t v = 0;

	memcpy(&v, mem + (a - BASE), n);
	return v;
}

/* The part of exec.c's top-level decode these groups need. */
static void exec(struct cpu *c, uint32_t insn)
{
	switch ((insn >> 25) & 15) {
	case 0x4: case 0x6: case 0xc: case 0xe:
		exec_ldst(c, insn);
		break;
	case 0x7: case 0xf:
		exec_fp(c, insn);
		break;
	default:
		exec_system(c, insn);
		break;
	}
}

/* Execute; it must complete without an exception. */
static void ok(struct cpu *c, uint32_t insn)
{
	uint64_t pc = c->pc;
	unsigned undefs = fake.undefs, faults = fake.faults;

	exec(c, insn);
	assert_int_equal(fake.undefs, undefs);
	assert_int_equal(fake.faults, faults);
	assert_int_equal(c->pc, pc + 4);
}

/* Execute; it must be UNDEFINED and change nothing else. */
static void undef(struct cpu *c, uint32_t insn)
{
	struct cpu before = *c;
	unsigned undefs = fake.undefs;

	exec(c, insn);
	assert_int_equal(fake.undefs, undefs + 1);
	assert_int_equal(fake.last_undef, insn);
	assert_memory_equal(c->x, before.x, sizeof(c->x));
	assert_memory_equal(c->v, before.v, sizeof(c->v));
	c->pc = before.pc;
}

static __uint128_t q128(uint64_t hi, uint64_t lo)
{
	return (__uint128_t)hi << 64 | lo;
}

static void assert_v(const struct cpu *c, unsigned r, uint64_t hi,
		     uint64_t lo)
{
	assert_int_equal((uint64_t)(c->v[r] >> 64), hi);
	assert_int_equal((uint64_t)c->v[r], lo);
}

/* ---- integer single register ---- */

static void test_uimm_sizes(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = DATA;
	c->x[1] = 0x1122334455667788ull;
	ok(c, 0xf9000841); /* str x1, [x2, #16] */
	assert_int_equal(get(DATA + 16, 8), 0x1122334455667788ull);
	assert_int_equal(fake.last_write.flags, ACC_STORE);
	assert_int_equal(fake.last_write.size, 8);
	ok(c, 0xb9000441); /* str w1, [x2, #4] */
	assert_int_equal(get(DATA + 4, 8), 0x55667788);
	ok(c, 0x79000441); /* strh w1, [x2, #2] */
	assert_int_equal(get(DATA + 2, 2), 0x7788);
	ok(c, 0x39000441); /* strb w1, [x2, #1] */
	assert_int_equal(get(DATA, 4), 0x77888800);

	c->x[3] = ~0ull;
	ok(c, 0xf9400843); /* ldr x3, [x2, #16] */
	assert_int_equal(c->x[3], 0x1122334455667788ull);
	assert_int_equal(fake.last_read.flags, ACC_LOAD);
	ok(c, 0xb9400443); /* ldr w3, [x2, #4]: zero-extends */
	assert_int_equal(c->x[3], 0x55667788);
	ok(c, 0x79400443); /* ldrh w3, [x2, #2] */
	assert_int_equal(c->x[3], 0x7788);
	ok(c, 0x39400443); /* ldrb w3, [x2, #1] */
	assert_int_equal(c->x[3], 0x88);
}

static void test_sign_extension(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = DATA;
	put(DATA, 0x80000000fffe8081ull, 8);
	ok(c, 0x39c00043); /* ldrsb w3, [x2] */
	assert_int_equal(c->x[3], 0xffffff81);
	ok(c, 0x39800043); /* ldrsb x3, [x2] */
	assert_int_equal(c->x[3], 0xffffffffffffff81ull);
	ok(c, 0x79c00043); /* ldrsh w3, [x2] */
	assert_int_equal(c->x[3], 0xffff8081);
	ok(c, 0x79800043); /* ldrsh x3, [x2] */
	assert_int_equal(c->x[3], 0xffffffffffff8081ull);
	ok(c, 0xb9800043); /* ldrsw x3, [x2] */
	assert_int_equal(c->x[3], 0xfffffffffffe8081ull);
	put(DATA, 0x7f, 8);
	ok(c, 0x39800043); /* ldrsb x3, [x2]: positive stays positive */
	assert_int_equal(c->x[3], 0x7f);
}

static void test_index_forms(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA + 8, 0xaaaa, 8);
	put(DATA, 0xbbbb, 8);
	c->x[2] = DATA;
	ok(c, 0xf8408c43); /* ldr x3, [x2, #8]! */
	assert_int_equal(c->x[3], 0xaaaa);
	assert_int_equal(c->x[2], DATA + 8);
	ok(c, 0xf85f8443); /* ldr x3, [x2], #-8 */
	assert_int_equal(c->x[3], 0xaaaa);
	assert_int_equal(c->x[2], DATA);

	c->x[1] = 0x1234;
	c->x[2] = DATA + 0x100;
	ok(c, 0xf81f0c41); /* str x1, [x2, #-16]! */
	assert_int_equal(c->x[2], DATA + 0xf0);
	assert_int_equal(get(DATA + 0xf0, 8), 0x1234);
	ok(c, 0xf8018441); /* str x1, [x2], #24 */
	assert_int_equal(c->x[2], DATA + 0x108);
	assert_int_equal(get(DATA + 0xf0, 8), 0x1234);

	/* unscaled, unaligned */
	put(DATA, 0x0807060504030201ull, 8);
	put(DATA + 8, 0x100f0e0d0c0b0a09ull, 8);
	c->x[2] = DATA + 4;
	ok(c, 0xf85fd043); /* ldur x3, [x2, #-3] */
	assert_int_equal(c->x[3], 0x0908070605040302ull);
	c->x[1] = 0xdeadbeef;
	ok(c, 0xb81ff041); /* stur w1, [x2, #-1] */
	assert_int_equal(get(DATA + 3, 4), 0xdeadbeef);
	assert_int_equal(c->x[2], DATA + 4); /* no writeback */

	/* SP as base */
	c->sp_el[1] = DATA + 0x200;
	c->x[3] = 0;
	put(DATA + 0x208, 0x77, 8);
	ok(c, 0xf94007e3); /* ldr x3, [sp, #8] */
	assert_int_equal(c->x[3], 0x77);
}

static void test_register_offset(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA + 0x40, 0x4040, 8);
	put(DATA - 0x20, 0xfefe, 8);
	c->x[2] = DATA;
	c->x[4] = 8;
	ok(c, 0xf8647843); /* ldr x3, [x2, x4, lsl #3] */
	assert_int_equal(c->x[3], 0x4040);
	c->x[4] = 0xabcdef00fffffff8ull; /* W4 = -8; the top is ignored */
	ok(c, 0xb864d843); /* ldr w3, [x2, w4, sxtw #2] */
	assert_int_equal(c->x[3], 0xfefe);
	c->x[4] = 0xffffffff00000040ull;
	ok(c, 0x38644843); /* ldrb w3, [x2, w4, uxtw] */
	assert_int_equal(c->x[3], 0x40);
	c->x[4] = 0x40;
	ok(c, 0xf8646843); /* ldr x3, [x2, x4] */
	assert_int_equal(c->x[3], 0x4040);
	/* option<1> = 0 is unallocated */
	undef(c, 0xf8640843); /* ldr x3, [x2, w4, uxtb] (no such form) */
}

static void test_literal_and_prfm(void **state)
{
	struct cpu *c = &cpu0;
	unsigned reads;

	(void)state;
	put(CODE + 16, 0x1111222233334444ull, 8);
	put(CODE - 8, 0x89abcdefull, 4);
	put(CODE + 8, 0x80000000ull, 4);
	ok(c, 0x58000083); /* ldr x3, .+16 */
	assert_int_equal(c->x[3], 0x1111222233334444ull);
	c->pc = CODE;
	ok(c, 0x18ffffc3); /* ldr w3, .-8 */
	assert_int_equal(c->x[3], 0x89abcdef);
	c->pc = CODE;
	ok(c, 0x98000043); /* ldrsw x3, .+8 */
	assert_int_equal(c->x[3], 0xffffffff80000000ull);
	c->pc = CODE;
	put(CODE + 32, 0x0102030405060708ull, 8);
	put(CODE + 40, 0x090a0b0c0d0e0f10ull, 8);
	ok(c, 0x9c000103); /* ldr q3, .+32 */
	assert_v(c, 3, 0x090a0b0c0d0e0f10ull, 0x0102030405060708ull);
	assert_int_equal(fake.last_read.flags, ACC_SIMD);

	/* PRFM: no access at all, not even to unmapped addresses */
	reads = fake.reads;
	c->x[2] = 0x10;
	c->x[4] = 0;
	ok(c, 0xd8000200); /* prfm pldl1keep, .+64 */
	ok(c, 0xf9800440); /* prfm pldl1keep, [x2, #8] */
	ok(c, 0xf8a46840); /* prfm pldl1keep, [x2, x4] */
	assert_int_equal(fake.reads, reads);
	assert_int_equal(fake.faults, 0);
}

/* Rn == Rt with writeback: this implementation's choices (see
 * exec_ldst.c): a load keeps the loaded value, a store stores the
 * value before writeback. */
static void test_writeback_same_register(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA, 0x5555, 8);
	c->x[1] = DATA;
	ok(c, 0xf8408421); /* ldr x1, [x1], #8 */
	assert_int_equal(c->x[1], 0x5555);
	c->x[1] = DATA;
	ok(c, 0xf8008c21); /* str x1, [x1, #8]! */
	assert_int_equal(get(DATA + 8, 8), DATA);
	assert_int_equal(c->x[1], DATA + 8);
}

/* A faulting access writes no register and no memory, and leaves PC
 * where the exception entry put it. */
static void test_faults(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = 0x100; /* unmapped */
	c->x[3] = 0x3333;
	exec(c, 0xf8408c43); /* ldr x3, [x2, #8]! */
	assert_int_equal(fake.faults, 1);
	assert_int_equal(fake.last_fault_va, 0x108);
	assert_int_equal(c->pc, FAKE_VECTOR);
	assert_int_equal(c->x[2], 0x100);
	assert_int_equal(c->x[3], 0x3333);

	/* LDP whose second half is past the end of memory */
	c->pc = CODE;
	c->x[2] = BASE + SIZE - 24;
	c->x[6] = 0x6666;
	exec(c, 0xa9411843); /* ldp x3, x6, [x2, #16] */
	assert_int_equal(fake.faults, 2);
	assert_int_equal(c->x[3], 0x3333);
	assert_int_equal(c->x[6], 0x6666);

	/* a store into the read-only window writes nothing */
	fake.ro_start = DATA;
	fake.ro_end = DATA + 0x100;
	c->pc = CODE;
	c->x[1] = ~0ull;
	c->x[2] = DATA + 0x10;
	exec(c, 0xf81f0c41); /* str x1, [x2, #-16]! */
	assert_int_equal(fake.faults, 3);
	assert_int_equal(get(DATA, 8), 0);
	assert_int_equal(c->x[2], DATA + 0x10);

	/* an LSE atomic that cannot write also returns nothing */
	c->pc = CODE;
	put(DATA, 7, 8);
	c->x[2] = DATA;
	c->x[4] = 1;
	exec(c, 0xf8240043); /* ldadd x4, x3, [x2] */
	assert_int_equal(fake.faults, 4);
	assert_int_equal(c->x[3], 0x3333);
	assert_int_equal(get(DATA, 8), 7);
}

static void test_unprivileged(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA + 8, 0x42, 8);
	put(DATA + 0x10, 0x80000000, 4);
	c->x[2] = DATA;
	ok(c, 0xf8408843); /* ldtr x3, [x2, #8] */
	assert_int_equal(c->x[3], 0x42);
	assert_int_equal(fake.last_read.flags, ACC_UNPRIV);
	c->x[1] = 0xab;
	ok(c, 0x38000841); /* sttrb w1, [x2] */
	assert_int_equal(get(DATA, 1), 0xab);
	assert_int_equal(fake.last_write.flags, ACC_STORE | ACC_UNPRIV);
	c->x[2] = DATA + 0x10;
	ok(c, 0xb8800843); /* ldtrsw x3, [x2] */
	assert_int_equal(c->x[3], 0xffffffff80000000ull);
	/* there is no SIMD&FP LDTR */
	undef(c, 0xfc400843);
}

/* ---- pairs ---- */

static void test_pairs(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[1] = 0x1111;
	c->x[5] = 0x5555;
	c->x[2] = DATA;
	ok(c, 0xa9011441); /* stp x1, x5, [x2, #16] */
	assert_int_equal(get(DATA + 16, 8), 0x1111);
	assert_int_equal(get(DATA + 24, 8), 0x5555);
	ok(c, 0xa9411843); /* ldp x3, x6, [x2, #16] */
	assert_int_equal(c->x[3], 0x1111);
	assert_int_equal(c->x[6], 0x5555);

	c->x[2] = DATA + 0x100;
	ok(c, 0x29bf1441); /* stp w1, w5, [x2, #-8]! */
	assert_int_equal(c->x[2], DATA + 0xf8);
	assert_int_equal(get(DATA + 0xf8, 8), 0x0000555500001111ull);
	ok(c, 0x28c11843); /* ldp w3, w6, [x2], #8 */
	assert_int_equal(c->x[2], DATA + 0x100);
	assert_int_equal(c->x[3], 0x1111);
	assert_int_equal(c->x[6], 0x5555);

	put(DATA, 0x7fffffff80000000ull, 8);
	c->x[2] = DATA;
	ok(c, 0x69401843); /* ldpsw x3, x6, [x2] */
	assert_int_equal(c->x[3], 0xffffffff80000000ull);
	assert_int_equal(c->x[6], 0x7fffffff);
	ok(c, 0xa8401843); /* ldnp x3, x6, [x2] */
	assert_int_equal(c->x[3], 0x7fffffff80000000ull);
	ok(c, 0xa8021441); /* stnp x1, x5, [x2, #32] */
	assert_int_equal(get(DATA + 40, 8), 0x5555);
	/* LDNP with the LDPSW size, STGP: unallocated here */
	undef(c, 0x68401843);
	undef(c, 0x69001441);
}

/* ---- exclusives and ordered accesses ---- */

static void test_exclusive_success(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA, 10, 8);
	c->x[2] = DATA;
	c->x[1] = 11;
	c->x[7] = 99;
	ok(c, 0xc85f7c43); /* ldxr x3, [x2] */
	assert_int_equal(c->x[3], 10);
	assert_true(fake.last_read.flags & ACC_EXCL);
	ok(c, 0xc8077c41); /* stxr w7, x1, [x2] */
	assert_int_equal(c->x[7], 0);
	assert_int_equal(get(DATA, 8), 11);
	/* the monitor is now clear: a second STXR fails and writes nothing */
	c->x[1] = 12;
	ok(c, 0xc8077c41);
	assert_int_equal(c->x[7], 1);
	assert_int_equal(get(DATA, 8), 11);

	/* byte and acquire/release forms */
	ok(c, 0x085f7c43); /* ldxrb w3, [x2] */
	assert_int_equal(c->x[3], 11);
	c->x[1] = 0x1ff;
	ok(c, 0x08077c41); /* stxrb w7, w1, [x2] */
	assert_int_equal(c->x[7], 0);
	assert_int_equal(get(DATA, 8), 0xff);
	ok(c, 0x885ffc43); /* ldaxr w3, [x2] */
	assert_int_equal(fake.last_read.flags, ACC_EXCL | ACC_ACQREL);
	c->x[1] = 0xabcdef0123ull;
	ok(c, 0x8807fc41); /* stlxr w7, w1, [x2] */
	assert_int_equal(c->x[7], 0);
	assert_int_equal(get(DATA, 8), 0xcdef0123);
}

static void test_exclusive_fail_other_pe(void **state)
{
	struct cpu *a = &cpu0, *b = &cpu1;

	(void)state;
	put(DATA, 1, 8);
	a->x[2] = b->x[2] = DATA;
	ok(a, 0xc85f7c43); /* A: ldxr x3, [x2] */
	b->x[1] = 2;
	ok(b, 0xf9000841); /* B: str x1, [x2, #16]: same granule */
	a->x[1] = 3;
	ok(a, 0xc8077c41); /* A: stxr w7, x1, [x2] */
	assert_int_equal(a->x[7], 1);
	assert_int_equal(get(DATA, 8), 1);

	/* a store elsewhere leaves the reservation */
	ok(a, 0xc85f7c43);
	b->x[2] = DATA + 0x1000;
	ok(b, 0xf9000841);
	ok(a, 0xc8077c41);
	assert_int_equal(a->x[7], 0);
	assert_int_equal(get(DATA, 8), 3);
}

static void test_exclusive_fail_clrex(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = DATA;
	c->x[1] = 5;
	ok(c, 0xc85f7c43); /* ldxr x3, [x2] */
	ok(c, 0xd5033f5f); /* clrex */
	ok(c, 0xc8077c41); /* stxr w7, x1, [x2] */
	assert_int_equal(c->x[7], 1);
	assert_int_equal(get(DATA, 8), 0);
}

static void test_exclusive_pairs(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA, 0xa, 8);
	put(DATA + 8, 0xb, 8);
	c->x[2] = DATA;
	ok(c, 0xc87f1843); /* ldxp x3, x6, [x2] */
	assert_int_equal(c->x[3], 0xa);
	assert_int_equal(c->x[6], 0xb);
	assert_int_equal(fake.last_read.size, 16); /* one atomic access */
	c->x[1] = 0x1;
	c->x[5] = 0x5;
	ok(c, 0xc8271441); /* stxp w7, x1, x5, [x2] */
	assert_int_equal(c->x[7], 0);
	assert_int_equal(get(DATA, 8), 1);
	assert_int_equal(get(DATA + 8, 8), 5);

	ok(c, 0x887f9843); /* ldaxp w3, w6, [x2] */
	assert_int_equal(c->x[3], 1);
	assert_int_equal(c->x[6], 0);
	assert_int_equal(fake.last_read.size, 8);
	c->x[1] = 0xffffffff00000007ull; /* top halves are not stored */
	c->x[5] = 0x9;
	ok(c, 0x88279441); /* stlxp w7, w1, w5, [x2] */
	assert_int_equal(c->x[7], 0);
	assert_int_equal(get(DATA, 8), 0x0000000900000007ull);
}

static void test_ordered(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	put(DATA, 0x8877665544332211ull, 8);
	c->x[2] = DATA;
	ok(c, 0xc8dffc43); /* ldar x3, [x2] */
	assert_int_equal(c->x[3], 0x8877665544332211ull);
	assert_int_equal(fake.last_read.flags, ACC_ACQREL);
	ok(c, 0x08dffc43); /* ldarb w3, [x2] */
	assert_int_equal(c->x[3], 0x11);
	ok(c, 0xc8df7c43); /* ldlar x3, [x2] */
	assert_int_equal(c->x[3], 0x8877665544332211ull);
	ok(c, 0xf8bfc043); /* ldapr x3, [x2] */
	assert_int_equal(c->x[3], 0x8877665544332211ull);
	assert_int_equal(fake.last_read.flags, ACC_ACQREL);
	ok(c, 0x38bfc043); /* ldaprb w3, [x2] */
	assert_int_equal(c->x[3], 0x11);
	c->x[1] = 0xaabbccdd;
	ok(c, 0x889ffc41); /* stlr w1, [x2] */
	assert_int_equal(fake.last_write.flags, ACC_STORE | ACC_ACQREL);
	assert_int_equal(get(DATA, 8), 0x88776655aabbccddull);
	ok(c, 0x489ffc41); /* stlrh w1, [x2] */
	ok(c, 0xc89f7c41); /* stllr x1, [x2] */
	assert_int_equal(get(DATA, 8), 0xaabbccdd);
}

/* ---- LSE atomics ---- */

struct lse_case {
	uint32_t insn;
	const char *what;
	uint64_t mem, rs, want_mem;
	unsigned size;
};

static void test_lse_ops(void **state)
{
	static const struct lse_case cases[] = {
		{ 0xf8240043, "ldadd", 5, 7, 12, 8 },
		{ 0xf8241043, "ldclr", 0xff, 0x0f, 0xf0, 8 },
		{ 0xf8242043, "ldeor", 0xff, 0x0f, 0xf0, 8 },
		{ 0xf8243043, "ldset", 0xf0, 0x0f, 0xff, 8 },
		{ 0xf8244043, "ldsmax", ~0ull, 1, 1, 8 },
		{ 0xf8245043, "ldsmin", ~0ull, 1, ~0ull, 8 },
		{ 0xf8246043, "ldumax", ~0ull, 1, ~0ull, 8 },
		{ 0xf8247043, "ldumin", ~0ull, 1, 1, 8 },
		{ 0xf8248043, "swp", 1, 2, 2, 8 },
		/* narrow: operands compared at their size, Xs top ignored */
		{ 0x38240043, "ldaddb", 0xff, 0x102, 0x01, 1 },
		{ 0x38244043, "ldsmaxb", 0x80, 0x7f, 0x7f, 1 },
		{ 0x38244043, "ldsmaxb", 0x01, 0xff, 0x01, 1 },
		{ 0x78245043, "ldsminh", 0x7fff, 0x8000, 0x8000, 2 },
		{ 0x38246043, "ldumaxb", 0x80, 0xff7f, 0x80, 1 },
		{ 0xb8e40043, "ldaddal w", 0xffffffff, 1, 0, 4 },
		{ 0x38248043, "swpb", 0x12, 0x3456, 0x56, 1 },
	};
	struct cpu *c = &cpu0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct lse_case *k = &cases[i];

		print_message("%s\n", k->what);
		put(DATA, 0x5a5a5a5a5a5a5a5aull, 8);
		put(DATA, k->mem, k->size);
		c->pc = CODE;
		c->x[2] = DATA;
		c->x[3] = 0xdead;
		c->x[4] = k->rs;
		ok(c, k->insn);
		assert_int_equal(c->x[3], k->mem); /* the old value */
		assert_int_equal(get(DATA, k->size), k->want_mem);
		if (k->size < 8) /* neighbours untouched */
			assert_int_equal(get(DATA + k->size, 1), 0x5a);
		assert_true(fake.last_read.flags & ACC_ATOMIC);
		assert_true(fake.last_write.flags & ACC_ATOMIC);
		assert_int_equal(c->x[4], k->rs);
	}
	/* acquire-release variant says so */
	c->pc = CODE;
	ok(c, 0xb8e40043); /* ldaddal w4, w3, [x2] */
	assert_int_equal(fake.last_write.flags,
			 ACC_STORE | ACC_ATOMIC | ACC_ACQREL);
	/* STADD: the Rt = 31 alias discards the old value */
	put(DATA, 40, 8);
	c->x[4] = 2;
	ok(c, 0xf824005f); /* stadd x4, [x2] */
	assert_int_equal(get(DATA, 8), 42);
	put(DATA, 0xfffffff0, 4);
	c->x[4] = 3;
	ok(c, 0xb824505f); /* stsmin w4, [x2] */
	assert_int_equal(get(DATA, 4), 0xfffffff0);
}

static void test_cas(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = DATA;
	put(DATA, 100, 8);
	c->x[4] = 100;
	c->x[1] = 200;
	ok(c, 0xc8a47c41); /* cas x4, x1, [x2]: hit */
	assert_int_equal(get(DATA, 8), 200);
	assert_int_equal(c->x[4], 100);
	c->x[4] = 100;
	c->x[1] = 300;
	ok(c, 0xc8a47c41); /* miss: no write, Xs = memory */
	assert_int_equal(get(DATA, 8), 200);
	assert_int_equal(c->x[4], 200);

	put(DATA, 0x1234567880000000ull, 8);
	c->x[4] = 0xffffffff80000000ull; /* top of Xs ignored */
	c->x[1] = 0x11;
	ok(c, 0x88e4fc41); /* casal w4, w1, [x2] */
	assert_int_equal(get(DATA, 8), 0x1234567800000011ull);
	assert_int_equal(c->x[4], 0x80000000);
	assert_true(fake.last_write.flags & ACC_ACQREL);

	c->x[4] = 0x12;
	c->x[1] = 0x99;
	ok(c, 0x08a47c41); /* casb w4, w1, [x2]: memory byte is 0x11 */
	assert_int_equal(c->x[4], 0x11);
	assert_int_equal(get(DATA, 1), 0x11);

	/* CASP: 64-bit pairs */
	put(DATA, 1, 8);
	put(DATA + 8, 2, 8);
	c->x[8] = 1;
	c->x[9] = 2;
	c->x[10] = 3;
	c->x[11] = 4;
	ok(c, 0x48287c4a); /* casp x8, x9, x10, x11, [x2] */
	assert_int_equal(get(DATA, 8), 3);
	assert_int_equal(get(DATA + 8, 8), 4);
	assert_int_equal(c->x[8], 1);
	assert_int_equal(c->x[9], 2);
	c->x[8] = 3;
	c->x[9] = 5; /* high half differs: miss */
	ok(c, 0x48287c4a);
	assert_int_equal(get(DATA + 8, 8), 4);
	assert_int_equal(c->x[8], 3);
	assert_int_equal(c->x[9], 4);
	/* 32-bit pairs */
	c->x[8] = 3;
	c->x[9] = 0;
	c->x[10] = 0xaaaa;
	c->x[11] = 0xbbbb;
	ok(c, 0x0868fc4a); /* caspal w8, w9, w10, w11, [x2] */
	assert_int_equal(get(DATA, 8), 0x0000bbbb0000aaaaull);
	/* odd register pair: UNDEFINED */
	undef(c, 0x48297c4a);
}

/* ---- SIMD&FP loads and stores ---- */

static void test_simd_single(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = DATA;
	c->v[1] = q128(0x0f0e0d0c0b0a0908ull, 0x0706050403020100ull);
	ok(c, 0x3d800841); /* str q1, [x2, #32] */
	assert_int_equal(fake.last_write.size, 16);
	assert_int_equal(fake.last_write.flags, ACC_STORE | ACC_SIMD);
	assert_int_equal(get(DATA + 32, 8), 0x0706050403020100ull);
	assert_int_equal(get(DATA + 40, 8), 0x0f0e0d0c0b0a0908ull);
	ok(c, 0x3dc00843); /* ldr q3, [x2, #32] */
	assert_true(c->v[3] == c->v[1]);

	/* narrower loads clear the rest of the register */
	put(DATA, 0x8877665544332211ull, 8);
	c->v[3] = ~(__uint128_t)0;
	ok(c, 0x3d400043); /* ldr b3, [x2] */
	assert_v(c, 3, 0, 0x11);
	c->v[3] = ~(__uint128_t)0;
	ok(c, 0x7d400043); /* ldr h3, [x2] */
	assert_v(c, 3, 0, 0x2211);
	ok(c, 0xbd400043); /* ldr s3, [x2] */
	assert_v(c, 3, 0, 0x44332211);
	ok(c, 0xfd400043); /* ldr d3, [x2] */
	assert_v(c, 3, 0, 0x8877665544332211ull);

	c->x[2] = DATA + 0x100;
	c->v[1] = q128(~0ull, 0x1234);
	ok(c, 0xfc1f8c41); /* str d1, [x2, #-8]! */
	assert_int_equal(c->x[2], DATA + 0xf8);
	assert_int_equal(get(DATA + 0xf8, 8), 0x1234);
	assert_int_equal(get(DATA + 0x100, 8), 0);
	ok(c, 0x3cc10443); /* ldr q3, [x2], #16 */
	assert_int_equal(c->x[2], DATA + 0x108);
	assert_v(c, 3, 0, 0x1234);
	c->x[2] = DATA;
	ok(c, 0xfc401043); /* ldur d3, [x2, #1] */
	assert_v(c, 3, 0, 0x0088776655443322ull);
	c->x[4] = 1;
	ok(c, 0xbc647843); /* ldr s3, [x2, x4, lsl #2] */
	assert_v(c, 3, 0, 0x88776655);
	c->v[1] = 0xbeef;
	c->x[4] = 3;
	ok(c, 0x7c247841); /* str h1, [x2, x4, lsl #1] */
	assert_int_equal(get(DATA + 6, 2), 0xbeef);
}

static void test_simd_pairs(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[2] = DATA;
	c->v[1] = q128(1, 2);
	c->v[2] = q128(3, 4);
	ok(c, 0xad010841); /* stp q1, q2, [x2, #32] */
	assert_int_equal(get(DATA + 32, 8), 2);
	assert_int_equal(get(DATA + 40, 8), 1);
	assert_int_equal(get(DATA + 48, 8), 4);
	assert_int_equal(get(DATA + 56, 8), 3);
	ok(c, 0xad411043); /* ldp q3, q4, [x2, #32] */
	assert_true(c->v[3] == c->v[1] && c->v[4] == c->v[2]);
	c->x[2] = DATA + 0x100;
	ok(c, 0x6dbf0841); /* stp d1, d2, [x2, #-16]! */
	assert_int_equal(c->x[2], DATA + 0xf0);
	assert_int_equal(get(DATA + 0xf0, 8), 2);
	assert_int_equal(get(DATA + 0xf8, 8), 4);
	ok(c, 0x2cc11043); /* ldp s3, s4, [x2], #8 */
	assert_int_equal(c->x[2], DATA + 0xf8);
	assert_v(c, 3, 0, 2);
	assert_v(c, 4, 0, 0);
}

static void test_simd_structures(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	for (unsigned i = 0; i < 64; i++)
		mem[DATA - BASE + i] = (uint8_t)i;
	c->x[2] = DATA;
	ok(c, 0x4cdf2040); /* ld1 {v0.16b-v3.16b}, [x2], #64 */
	assert_int_equal(c->x[2], DATA + 64);
	assert_v(c, 0, 0x0f0e0d0c0b0a0908ull, 0x0706050403020100ull);
	assert_v(c, 3, 0x3f3e3d3c3b3a3938ull, 0x3736353433323130ull);

	c->x[2] = DATA + 0x100;
	c->v[4] = q128(0x4444444433333333ull, 0x2222222211111111ull);
	ok(c, 0x4c007844); /* st1 {v4.4s}, [x2] */
	assert_int_equal(get(DATA + 0x100, 8), 0x2222222211111111ull);
	assert_int_equal(get(DATA + 0x108, 8), 0x4444444433333333ull);

	c->x[2] = DATA;
	c->x[4] = 0x20;
	ok(c, 0x4cc4ac45); /* ld1 {v5.2d, v6.2d}, [x2], x4 */
	assert_int_equal(c->x[2], DATA + 0x20);
	assert_v(c, 6, 0x1f1e1d1c1b1a1918ull, 0x1716151413121110ull);

	/* 64-bit registers: 8 bytes each, contiguous */
	c->x[2] = DATA + 0x200;
	c->v[4] = 0x0404040404040404ull;
	c->v[5] = 0x0505050505050505ull;
	c->v[6] = q128(~0ull, 0x0606060606060606ull);
	ok(c, 0x0c006044); /* st1 {v4.8b, v5.8b, v6.8b}, [x2] */
	assert_int_equal(get(DATA + 0x208, 8), 0x0505050505050505ull);
	assert_int_equal(get(DATA + 0x210, 8), 0x0606060606060606ull);
	assert_int_equal(get(DATA + 0x218, 8), 0);

	/* LD2 de-interleaves, ST2 interleaves back */
	c->x[2] = DATA;
	ok(c, 0x4c408840); /* ld2 {v0.4s, v1.4s}, [x2] */
	assert_v(c, 0, 0x1b1a191813121110ull, 0x0b0a090803020100ull);
	assert_v(c, 1, 0x1f1e1d1c17161514ull, 0x0f0e0d0c07060504ull);
	c->x[2] = DATA + 0x300;
	ok(c, 0x4c008840); /* st2 {v0.4s, v1.4s}, [x2] */
	assert_memory_equal(mem + (DATA - BASE), mem + (DATA + 0x300 - BASE),
			    32);

	/* LD4 of bytes: register k gets bytes k, k+4, ... */
	c->x[2] = DATA;
	ok(c, 0x0c400040); /* ld4 {v0.8b-v3.8b}, [x2] */
	assert_v(c, 2, 0, 0x1e1a16120e0a0602ull);

	/* single structures */
	put(DATA, 0xcafef00d, 4);
	ok(c, 0x4d40c840); /* ld1r {v0.4s}, [x2] */
	assert_v(c, 0, 0xcafef00dcafef00dull, 0xcafef00dcafef00dull);
	c->v[0] = q128(7, 7);
	ok(c, 0x0d409040); /* ld1 {v0.s}[1], [x2] */
	assert_v(c, 0, 7, 0xcafef00d00000000ull | 7);
	c->v[0] = q128(0x00000000abcd0000ull, 0);
	ok(c, 0x4d9f4840); /* st1 {v0.h}[5], [x2], #2 */
	assert_int_equal(c->x[2], DATA + 2);
	assert_int_equal(get(DATA, 4), 0xcafeabcd);
}

/* CPACR_EL1.FPEN: every SIMD&FP instruction asks before doing anything */
static void test_fp_trap(void **state)
{
	struct cpu *c = &cpu0;
	struct cpu before;
	static const uint32_t insns[] = {
		0x3dc00843, /* ldr q3, [x2, #32] */
		0x3d800841, /* str q1, [x2, #32] */
		0xad411043, /* ldp q3, q4, [x2, #32] */
		0x9c000103, /* ldr q3, .+32 */
		0x4cdf2040, /* ld1 {v0.16b-v3.16b}, [x2], #64 */
		0x4d40c840, /* ld1r {v0.4s}, [x2] */
		0x4f05e560, /* movi v0.16b, #0xab */
		0x1e270260, /* fmov s0, w19 */
		0x9e660023, /* fmov x3, d1 */
		0x0ea18400, /* add v0.2s, v0.2s, v1.2s */
	};

	(void)state;
	fake.fp_trap = true;
	c->x[2] = DATA;
	c->x[19] = 5;
	before = *c;
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		c->pc = CODE;
		exec(c, insns[i]);
		assert_int_equal(fake.fp_traps, i + 1);
		assert_int_equal(c->pc, FAKE_VECTOR);
		assert_memory_equal(c->x, before.x, sizeof(c->x));
		assert_memory_equal(c->v, before.v, sizeof(c->v));
	}
	assert_int_equal(fake.reads + fake.writes, 0);
	/* integer loads do not ask */
	fake.fp_trap = false;
	c->pc = CODE;
	ok(c, 0xf9400843); /* ldr x3, [x2, #16] */
	assert_int_equal(fake.fp_checks, sizeof(insns) / sizeof(insns[0]));
}

/* ---- exec_fp ---- */

static void test_fp_moves(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	ok(c, 0x4f05e560); /* movi v0.16b, #0xab */
	assert_v(c, 0, 0xababababababababull, 0xababababababababull);
	ok(c, 0x6f05e4c0); /* movi v0.2d, #0xff00ff0000ffff00 */
	assert_v(c, 0, 0xff00ff0000ffff00ull, 0xff00ff0000ffff00ull);
	ok(c, 0x4f004640); /* movi v0.4s, #0x12, lsl #16 */
	assert_v(c, 0, 0x0012000000120000ull, 0x0012000000120000ull);
	ok(c, 0x2f00a640); /* mvni v0.4h, #0x12, lsl #8: upper half 0 */
	assert_v(c, 0, 0, 0xedffedffedffedffull);
	ok(c, 0x0f00c640); /* movi v0.2s, #0x12, msl #8 */
	assert_v(c, 0, 0, 0x000012ff000012ffull);
	c->v[0] = q128(1, 1);
	ok(c, 0x4f013680); /* orr v0.4s, #0x34, lsl #8 */
	assert_v(c, 0, 0x0000340000003401ull, 0x0000340000003401ull);
	c->v[0] = ~(__uint128_t)0;
	ok(c, 0x6f0797e0); /* bic v0.8h, #0xff */
	assert_v(c, 0, 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull);
	ok(c, 0x4f03f600); /* fmov v0.4s, #1.0 */
	assert_v(c, 0, 0x3f8000003f800000ull, 0x3f8000003f800000ull);
	ok(c, 0x6f04f480); /* fmov v0.2d, #-2.5 */
	assert_v(c, 0, 0xc004000000000000ull, 0xc004000000000000ull);
	ok(c, 0x2f05e540); /* movi d0, #0xff00ff00ff00ff00 */
	assert_v(c, 0, 0, 0xff00ff00ff00ff00ull);

	c->v[0] = ~(__uint128_t)0;
	c->x[19] = 0xffffffff12345678ull;
	ok(c, 0x1e270260); /* fmov s0, w19 */
	assert_v(c, 0, 0, 0x12345678);
	c->x[21] = 0x8000000000000001ull;
	ok(c, 0x9e6702a0); /* fmov d0, x21 */
	assert_v(c, 0, 0, 0x8000000000000001ull);
	ok(c, 0x9eaf02a0); /* fmov v0.d[1], x21: D[0] kept */
	assert_v(c, 0, 0x8000000000000001ull, 0x8000000000000001ull);
	c->v[1] = q128(0xaaaa, 0xbbbbbbbbccccccccull);
	ok(c, 0x1e260023); /* fmov w3, s1 */
	assert_int_equal(c->x[3], 0xcccccccc);
	ok(c, 0x9e660023); /* fmov x3, d1 */
	assert_int_equal(c->x[3], 0xbbbbbbbbccccccccull);
	ok(c, 0x9eae0023); /* fmov x3, v1.d[1] */
	assert_int_equal(c->x[3], 0xaaaa);
	ok(c, 0x1e2e1000); /* fmov s0, #1.0 */
	assert_v(c, 0, 0, 0x3f800000);
	ok(c, 0x1e6c1000); /* fmov d0, #0.5 */
	assert_v(c, 0, 0, 0x3fe0000000000000ull);
	ok(c, 0x1e604020); /* fmov d0, d1 */
	assert_v(c, 0, 0, 0xbbbbbbbbccccccccull);
	ok(c, 0x1e614020); /* fneg d0, d1 */
	assert_v(c, 0, 0, 0x3bbbbbbbccccccccull);
	ok(c, 0x1e20c020); /* fabs s0, s1 */
	assert_v(c, 0, 0, 0x4ccccccc);
}

static void test_fp_elements(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->v[0] = q128(5, 0x1111111122222222ull);
	ok(c, 0x0e040400); /* dup v0.2s, v0.s[0] */
	assert_v(c, 0, 0, 0x2222222222222222ull);
	c->x[1] = 0x1234567890abcdefull;
	ok(c, 0x4e010c20); /* dup v0.16b, w1 */
	assert_v(c, 0, 0xefefefefefefefefull, 0xefefefefefefefefull);
	ok(c, 0x4e080c20); /* dup v0.2d, x1 */
	assert_v(c, 0, 0x1234567890abcdefull, 0x1234567890abcdefull);
	ok(c, 0x4e1c1c20); /* ins v0.s[3], w1 */
	assert_v(c, 0, 0x90abcdef90abcdefull, 0x1234567890abcdefull);
	c->v[1] = q128(0xfedcba9876543210ull, 0x8081828384858687ull);
	ok(c, 0x6e066420); /* ins v0.h[1], v1.h[6] */
	assert_v(c, 0, 0x90abcdef90abcdefull, 0x12345678ba98cdefull);
	ok(c, 0x0e1f3c23); /* umov w3, v1.b[15] */
	assert_int_equal(c->x[3], 0xfe);
	ok(c, 0x4e183c23); /* umov x3, v1.d[1] */
	assert_int_equal(c->x[3], 0xfedcba9876543210ull);
	ok(c, 0x4e0e2c23); /* smov x3, v1.h[3] */
	assert_int_equal(c->x[3], 0xffffffffffff8081ull);
	ok(c, 0x0e012c23); /* smov w3, v1.b[0] */
	assert_int_equal(c->x[3], 0xffffff87);
	ok(c, 0x5e130420); /* mov b0, v1.b[9] */
	assert_v(c, 0, 0, 0x32);
}

/* What libfdt's fdt_setprop_u32-style code does: broadcast, shift,
 * byte-swap, add. */
static void test_fp_libfdt_sequence(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[19] = 0x01020304;
	ok(c, 0x1e270260); /* fmov s0, w19 */
	ok(c, 0x0e040400); /* dup v0.2s, v0.s[0] */
	ok(c, 0x0f245400); /* shl v0.2s, v0.2s, #4 */
	assert_v(c, 0, 0, 0x1020304010203040ull);
	c->v[1] = 0x0000000100000002ull;
	ok(c, 0x0ea18400); /* add v0.2s, v0.2s, v1.2s */
	assert_v(c, 0, 0, 0x1020304110203042ull);
	c->v[1] = c->v[0];
	ok(c, 0x2e200820); /* rev32 v0.8b, v1.8b */
	assert_v(c, 0, 0, 0x4130201042302010ull);
}

static void test_fp_arith(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->v[1] = q128(0x8000000000000001ull, 0x7fffffff80000000ull);
	c->v[2] = q128(0x8000000000000001ull, 0x0000000180000000ull);
	ok(c, 0x4ee28420); /* add v0.2d, v1.2d, v2.2d */
	assert_v(c, 0, 2, 0x8000000100000000ull);
	ok(c, 0x6e228420); /* sub v0.16b, v1.16b, v2.16b */
	assert_v(c, 0, 0, 0x7ffffffe00000000ull);
	ok(c, 0x5ee28420); /* add d0, d1, d2 */
	assert_v(c, 0, 0, 0x8000000100000000ull);
	ok(c, 0x6ea28c20); /* cmeq v0.4s, v1.4s, v2.4s */
	assert_v(c, 0, ~0ull, 0x00000000ffffffffull);
	ok(c, 0x7ee28c20); /* cmeq d0, d1, d2 */
	assert_v(c, 0, 0, 0);
	ok(c, 0x6e623420); /* cmhi v0.8h, v1.8h, v2.8h */
	assert_v(c, 0, 0, 0xffffffff00000000ull);
	ok(c, 0x4e623420); /* cmgt v0.8h, v1.8h, v2.8h: 0xffff < 1 */
	assert_v(c, 0, 0, 0xffff000000000000ull);
	ok(c, 0x4ee23c20); /* cmge v0.2d */
	assert_v(c, 0, ~0ull, ~0ull);
	ok(c, 0x6ea26420); /* umax v0.4s */
	assert_v(c, 0, 0x8000000000000001ull, 0x7fffffff80000000ull);
	ok(c, 0x4e226c20); /* smin v0.16b */
	assert_v(c, 0, 0x8000000000000001ull, 0x00ffffff80000000ull);
	ok(c, 0x4ea2bc20); /* addp v0.4s, v1.4s, v2.4s */
	assert_v(c, 0, 0x8000000180000001ull, 0x80000001ffffffffull);
	ok(c, 0x4ea29c20); /* mul v0.4s */
	assert_v(c, 0, 0x0000000000000001ull, 0x7fffffff00000000ull);
	ok(c, 0x4ea28c20); /* cmtst v0.4s */
	assert_v(c, 0, ~0ull, 0xffffffffffffffffull);

	c->v[1] = q128(0x0102030405060708ull, 0xff00ff00f0f0f0f0ull);
	ok(c, 0x0e205820); /* cnt v0.8b, v1.8b */
	assert_v(c, 0, 0, 0x0800080004040404ull);
	ok(c, 0x6e205820); /* not v0.16b */
	assert_v(c, 0, 0xfefdfcfbfaf9f8f7ull, 0x00ff00ff0f0f0f0full);
	ok(c, 0x2e605820); /* rbit v0.8b */
	assert_v(c, 0, 0, 0xff00ff000f0f0f0full);
	ok(c, 0x6ea0b820); /* neg v0.4s */
	assert_v(c, 0, 0xfefdfcfcfaf9f8f8ull, 0x00ff01000f0f0f10ull);
	ok(c, 0x4e60b820); /* abs v0.8h */
	assert_v(c, 0, 0x0102030405060708ull, 0x010001000f100f10ull);
	ok(c, 0x4e209820); /* cmeq v0.16b, v1.16b, #0 */
	assert_v(c, 0, 0, 0x00ff00ff00000000ull);
	ok(c, 0x4ee0a820); /* cmlt v0.2d, v1.2d, #0 */
	assert_v(c, 0, 0, ~0ull);
	ok(c, 0x4ea00820); /* rev64 v0.4s */
	assert_v(c, 0, 0x0506070801020304ull, 0xf0f0f0f0ff00ff00ull);
	ok(c, 0x4e201820); /* rev16 v0.16b */
	assert_v(c, 0, 0x0201040306050807ull, 0x00ff00fff0f0f0f0ull);
	c->v[0] = q128(9, 9);
	ok(c, 0x0e612820); /* xtn v0.4h, v1.4s */
	assert_v(c, 0, 0, 0x03040708ff00f0f0ull);
	ok(c, 0x4e612820); /* xtn2 v0.8h, v1.4s */
	assert_v(c, 0, 0x03040708ff00f0f0ull, 0x03040708ff00f0f0ull);
	ok(c, 0x6e602820); /* uaddlp v0.4s, v1.8h */
	assert_v(c, 0, 0x0000040600000c0eull, 0x0001fe000001e1e0ull);
}

static void test_fp_shifts(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->v[1] = q128(0x8000000180008000ull, 0x00ff7fff12345678ull);
	ok(c, 0x6f1d0420); /* ushr v0.8h, v1.8h, #3 */
	assert_v(c, 0, 0x1000000010001000ull, 0x001f0fff02460acfull);
	ok(c, 0x4f210420); /* sshr v0.4s, v1.4s, #31 */
	assert_v(c, 0, 0xffffffffffffffffull, 0x0000000000000000ull);
	ok(c, 0x2f08a420); /* ushll v0.8h, v1.8b, #0 (uxtl) */
	assert_v(c, 0, 0x000000ff007f00ffull, 0x0012003400560078ull);
	ok(c, 0x4f12a420); /* sshll2 v0.4s, v1.8h, #2 */
	assert_v(c, 0, 0xfffe000000000004ull, 0xfffe0000fffe0000ull);
	c->v[0] = q128(3, 3);
	ok(c, 0x0f0c8420); /* shrn v0.8b, v1.8h, #4 */
	assert_v(c, 0, 0, 0x000000000fff2367ull);
	c->v[0] = q128(1, 1);
	ok(c, 0x6f411420); /* usra v0.2d, v1.2d, #63 */
	assert_v(c, 0, 2, 1);
	ok(c, 0x5f435420); /* shl d0, d1, #3 */
	assert_v(c, 0, 0, 0x07fbfff891a2b3c0ull);
	ok(c, 0x7f400420); /* ushr d0, d1, #64 */
	assert_v(c, 0, 0, 0);
}

static void test_fp_logic_permute(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->v[0] = q128(0xff00ff00ff00ff00ull, 0x0f0f0f0f0f0f0f0full);
	c->v[1] = q128(0x1111111111111111ull, 0x2222222222222222ull);
	c->v[2] = q128(0x4444444444444444ull, 0x8888888888888888ull);
	ok(c, 0x6e621c20); /* bsl v0.16b: v0 selects v1 over v2 */
	assert_v(c, 0, 0x1144114411441144ull, 0x8282828282828282ull);
	c->v[0] = 0;
	ok(c, 0x6ea21c20); /* bit: insert v1 where v2 */
	assert_v(c, 0, 0, 0);
	c->v[0] = ~(__uint128_t)0;
	ok(c, 0x6ee21c20); /* bif: insert v1 where !v2 */
	assert_v(c, 0, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull);
	ok(c, 0x4e221c20); /* and */
	assert_v(c, 0, 0, 0);
	ok(c, 0x4e621c20); /* bic */
	assert_v(c, 0, 0x1111111111111111ull, 0x2222222222222222ull);
	ok(c, 0x4ea11c20); /* mov v0.16b, v1.16b */
	assert_true(c->v[0] == c->v[1]);
	ok(c, 0x0ee21c20); /* orn v0.8b */
	assert_v(c, 0, 0, 0x7777777777777777ull);
	ok(c, 0x6e221c20); /* eor */
	assert_v(c, 0, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull);

	c->v[1] = q128(0x0f0e0d0c0b0a0908ull, 0x0706050403020100ull);
	c->v[2] = q128(0x1f1e1d1c1b1a1918ull, 0x1716151413121110ull);
	ok(c, 0x6e021820); /* ext v0.16b, v1.16b, v2.16b, #3 */
	assert_v(c, 0, 0x1211100f0e0d0c0bull, 0x0a09080706050403ull);
	ok(c, 0x2e023820); /* ext v0.8b, v1.8b, v2.8b, #7 */
	assert_v(c, 0, 0, 0x1615141312111007ull);
	ok(c, 0x4e823820); /* zip1 v0.4s */
	assert_v(c, 0, 0x1716151407060504ull, 0x1312111003020100ull);
	ok(c, 0x4e027820); /* zip2 v0.16b */
	assert_v(c, 0, 0x1f0f1e0e1d0d1c0cull, 0x1b0b1a0a19091808ull);
	ok(c, 0x4e421820); /* uzp1 v0.8h */
	assert_v(c, 0, 0x1d1c191815141110ull, 0x0d0c090805040100ull);
	ok(c, 0x4e825820); /* uzp2 v0.4s */
	assert_v(c, 0, 0x1f1e1d1c17161514ull, 0x0f0e0d0c07060504ull);
	ok(c, 0x4e022820); /* trn1 v0.16b */
	assert_v(c, 0, 0x1e0e1c0c1a0a1808ull, 0x1606140412021000ull);
	ok(c, 0x4ec26820); /* trn2 v0.2d */
	assert_v(c, 0, 0x1f1e1d1c1b1a1918ull, 0x0f0e0d0c0b0a0908ull);
	c->v[3] = q128(0x00ff1f1020100f01ull, 0x0000000000000010ull);
	ok(c, 0x4e032020); /* tbl v0.16b, {v1.16b, v2.16b}, v3.16b */
	assert_v(c, 0, 0x00001f1000100f01ull, 0x0000000000000010ull);
	c->v[0] = q128(5, 0xaaaaaaaaaaaaaaaaull);
	c->v[3] = 0x00ff1f1020100f01ull;
	ok(c, 0x0e031020); /* tbx v0.8b, {v1.16b}, v3.8b */
	assert_v(c, 0, 0, 0x00aaaaaaaaaa0f01ull);

	/* across lanes */
	c->v[1] = q128(0x0102030405060708ull, 0xff00ff00f0f0f0f0ull);
	ok(c, 0x4e31b820); /* addv b0, v1.16b */
	assert_v(c, 0, 0, (0x24 + 2 * 0xff + 4 * 0xf0) & 0xff);
	ok(c, 0x6e303820); /* uaddlv h0, v1.16b */
	assert_v(c, 0, 0, 0x24 + 2 * 0xff + 4 * 0xf0);
	ok(c, 0x4eb1b820); /* addv s0, v1.4s */
	assert_v(c, 0, 0, (0x01020304ull + 0x05060708 + 0xff00ff00 +
			   0xf0f0f0f0) & 0xffffffff);
	ok(c, 0x6e70a820); /* umaxv h0, v1.8h */
	assert_v(c, 0, 0, 0xff00);
	ok(c, 0x0e31a820); /* sminv b0, v1.8b */
	assert_v(c, 0, 0, 0xf0);
	ok(c, 0x4e703820); /* saddlv s0, v1.8h */
	assert_v(c, 0, 0, (uint32_t)(0x0102 + 0x0304 + 0x0506 + 0x0708 -
				     0x100 - 0x100 - 0x0f10 - 0x0f10));
	ok(c, 0x2e22a420); /* umaxp v0.8b, v1.8b, v2.8b */
	assert_v(c, 0, 0, 0x17151311fffff0f0ull);
}

/* Scalar FP (exec_fparith.c): the values are the Arm ARM's pseudocode
 * results, where IEEE 754 alone would leave a choice. */
static void test_fp_scalar(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	c->x[1] = (uint64_t)-3;
	ok(c, 0x9e620020); /* scvtf d0, x1 */
	assert_v(c, 0, 0, 0xc008000000000000ull);
	c->v[1] = 0x3ff8000000000000ull;   /* 1.5 */
	c->v[2] = 0x4002000000000000ull;   /* 2.25 */
	ok(c, 0x1e622820); /* fadd d0, d1, d2 */
	assert_v(c, 0, 0, 0x400e000000000000ull);
	/* Infinity times zero: the default NaN, positive (FPDefaultNaN),
	 * where an x86 host makes a negative one. */
	c->v[1] = 0x7ff0000000000000ull;
	c->v[2] = 0;
	ok(c, 0x1e620820); /* fmul d0, d1, d2 */
	assert_v(c, 0, 0, 0x7ff8000000000000ull);
	/* FMAX of the two zeros is +0 whichever comes first. */
	c->v[1] = 0x8000000000000000ull;
	ok(c, 0x1e624820); /* fmax d0, d1, d2 */
	assert_v(c, 0, 0, 0);
	/* FNMUL negates a NaN result too (FPNeg). */
	c->v[1] = 0x7fa00000u;             /* signalling NaN: quieted */
	ok(c, 0x1e228820); /* fnmul s0, s1, s2 */
	assert_v(c, 0, 0, 0xffe00000u);
	c->v[1] = 0x4006000000000000ull;   /* 2.75 */
	ok(c, 0x9e59f423); /* fcvtzu x3, d1, #3 */
	assert_int_equal(c->x[3], 22);
	c->v[1] = 0x4202a05f20000000ull;   /* 1e10: saturates */
	ok(c, 0x1e780020); /* fcvtzs w0, d1 */
	assert_int_equal(c->x[0], 0x7fffffff);
	c->v[1] = 0x7ff8000000000000ull;   /* NaN: 0 */
	ok(c, 0x1e780020);
	assert_int_equal(c->x[0], 0);
	ok(c, 0x1e622020); /* fcmp d1, d2: unordered */
	assert_int_equal(c->nzcv, 0x30000000u);
}

static void test_undefined(void **state)
{
	struct cpu *c = &cpu0;

	(void)state;
	undef(c, 0xb9c00043); /* LDRSW with opc=11: unallocated */
	undef(c, 0xf8c00c43); /* PRFM with pre-index form */
	undef(c, 0xf8a0d443); /* LDRAA (pointer authentication) */
	undef(c, 0xbdc00043); /* LDR with FP opc=11, size=10 */
	undef(c, 0xc8a4704b); /* CAS with Rt2 != 11111 */
	undef(c, 0x1ee22820); /* fadd h0, h1, h2: no FEAT_FP16 */
	undef(c, 0x4ea20c20); /* sqadd v0.4s */
	undef(c, 0x0ec08400); /* add v0.1d: size 11 with Q=0 reserved */
	undef(c, 0x0e080400); /* dup v0.1d, v0.d[0] (reserved) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_uimm_sizes, setup),
		cmocka_unit_test_setup(test_sign_extension, setup),
		cmocka_unit_test_setup(test_index_forms, setup),
		cmocka_unit_test_setup(test_register_offset, setup),
		cmocka_unit_test_setup(test_literal_and_prfm, setup),
		cmocka_unit_test_setup(test_writeback_same_register, setup),
		cmocka_unit_test_setup(test_faults, setup),
		cmocka_unit_test_setup(test_unprivileged, setup),
		cmocka_unit_test_setup(test_pairs, setup),
		cmocka_unit_test_setup(test_exclusive_success, setup),
		cmocka_unit_test_setup(test_exclusive_fail_other_pe, setup),
		cmocka_unit_test_setup(test_exclusive_fail_clrex, setup),
		cmocka_unit_test_setup(test_exclusive_pairs, setup),
		cmocka_unit_test_setup(test_ordered, setup),
		cmocka_unit_test_setup(test_lse_ops, setup),
		cmocka_unit_test_setup(test_cas, setup),
		cmocka_unit_test_setup(test_simd_single, setup),
		cmocka_unit_test_setup(test_simd_pairs, setup),
		cmocka_unit_test_setup(test_simd_structures, setup),
		cmocka_unit_test_setup(test_fp_trap, setup),
		cmocka_unit_test_setup(test_fp_moves, setup),
		cmocka_unit_test_setup(test_fp_elements, setup),
		cmocka_unit_test_setup(test_fp_libfdt_sequence, setup),
		cmocka_unit_test_setup(test_fp_arith, setup),
		cmocka_unit_test_setup(test_fp_shifts, setup),
		cmocka_unit_test_setup(test_fp_logic_permute, setup),
		cmocka_unit_test_setup(test_fp_scalar, setup),
		cmocka_unit_test_setup(test_undefined, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
