/* The load/store and FP/SIMD generator of the unicorn differential
 * test (diff_ldst: harness.c + this file), Cortex "max" model.
 *
 * Each case is a short sequence (1..LDST_GEN_MAX words) whose every
 * address lies inside a 64 KiB data buffer (except the deliberate
 * out-of-range cases, which must fault on both sides); the buffer is
 * compared byte for byte, and after an exception on both sides nothing
 * but PC may have changed. The generator reads the buffer to make CAS
 * compares succeed half of the time. It avoids the CONSTRAINED
 * UNPREDICTABLE register overlaps on which two correct implementations
 * may differ (writeback to a loaded register, LDP Rt == Rt2, STXR
 * status == data/base). For random FP/SIMD and load/store words, an
 * encoding the checker leaves UNDEFINED but unicorn executes (or starts
 * to execute and takes a data abort) is counted as not implemented, not
 * as a failure; the converse is a failure. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "diff/harness.h"

#define LDST_GEN_MAX 4

struct ldst_gen {
	/* in */
	uint64_t (*rnd)(void);   /* the caller's random numbers */
	uint64_t buf, size;      /* data buffer: at least 64 KiB */
	const uint8_t *mem;      /* its contents */
	uint64_t pc;             /* where the sequence will run */
	/* in/out: the register file the sequence starts from */
	uint64_t x[31], sp;
	/* out */
	uint32_t insn[LDST_GEN_MAX];
	unsigned len;
	const char *name;
	bool lenient;            /* random encodings: see the top */
	void (*made)(struct ldst_gen *);  /* the generator, if it says */
};

static unsigned rn_(struct ldst_gen *g, unsigned n)
{
	return (unsigned)(g->rnd() % n);
}

/* A base address inside the buffer, leaving room for the largest
 * offsets the generators use (+0x7000, -0x400). */
static uint64_t addr_in(struct ldst_gen *g, unsigned align)
{
	uint64_t a = g->buf + 0x800 + g->rnd() % 0x6000;

	return a & ~(uint64_t)(align - 1);
}

static void set_reg(struct ldst_gen *g, unsigned r, uint64_t v)
{
	if (r == 31)
		g->sp = v;
	else
		g->x[r] = v;
}

/* A base register (31 = SP, kept 16-byte aligned as SP-alignment
 * checking may be enabled on the reference) pointing at an address
 * aligned to align; sometimes an unmapped address instead. */
static unsigned base_reg(struct ldst_gen *g, unsigned align)
{
	unsigned r = rn_(g, 32);
	uint64_t a = addr_in(g, r == 31 && align < 16 ? 16 : align);

	if (rn_(g, 50) == 0)
		a = 0x1000 + 16 * rn_(g, 16); /* nothing mapped there */
	set_reg(g, r, a);
	return r;
}

/* A register number different from all in `avoid` (a bit mask). */
static unsigned reg_not(struct ldst_gen *g, uint32_t avoid)
{
	unsigned r;

	do
		r = rn_(g, 32);
	while (avoid >> r & 1);
	return r;
}

static uint32_t simm(int64_t v, unsigned bits)
{
	return (uint32_t)v & ((1u << bits) - 1);
}

/* LDR/STR (unsigned immediate), all sizes, integer and SIMD&FP. */
static void g_uimm(struct ldst_gen *g)
{
	unsigned size = rn_(g, 4), v = rn_(g, 4) == 0, opc = rn_(g, 4);
	unsigned scale = v ? ((opc >> 1) << 2 | size) : size;
	unsigned rn = base_reg(g, 1), rt = rn_(g, 32);
	unsigned imm = rn_(g, (0x7000u >> (scale > 4 ? 4 : scale)));

	g->insn[0] = size << 30 | 0x39000000u | v << 26 | opc << 22 |
		     (imm & 0xfff) << 10 | rn << 5 | rt;
	g->name = "ldr/str uimm";
}

/* LDUR/STUR, post-index, pre-index, LDTR/STTR. */
static void g_imm9(struct ldst_gen *g)
{
	unsigned size = rn_(g, 4), v = rn_(g, 4) == 0, opc = rn_(g, 4);
	unsigned idx = rn_(g, 4), rn = base_reg(g, 1);
	unsigned rt = (idx & 1) && !v ? reg_not(g, 1u << rn) : rn_(g, 32);

	g->insn[0] = size << 30 | 0x38000000u | v << 26 | opc << 22 |
		     simm((int)rn_(g, 512) - 256, 9) << 12 | idx << 10 |
		     rn << 5 | rt;
	g->name = "ldr/str imm9";
}

/* LDR/STR (register offset) with every extend. */
static void g_reg(struct ldst_gen *g)
{
	unsigned size = rn_(g, 4), v = rn_(g, 4) == 0, opc = rn_(g, 4);
	unsigned option = rn_(g, 8), s = rn_(g, 2), rn = base_reg(g, 1);
	unsigned rm = reg_not(g, 1u << rn | 1u << 31), rt = rn_(g, 32);
	int64_t off = (int64_t)rn_(g, 0x400) - (option & 4 ? 0x200 : 0);

	/* Garbage above bit 31 must be ignored by the W extends. */
	g->x[rm] = (uint64_t)off;
	if ((option & 3) == 2)
		g->x[rm] = (uint32_t)off | (g->rnd() << 32);
	g->insn[0] = size << 30 | 0x38200800u | v << 26 | opc << 22 |
		     rm << 16 | option << 13 | s << 12 | rn << 5 | rt;
	g->name = "ldr/str reg";
}

/* LDR (literal) to X, W, LDRSW, PRFM, S, D, Q: a target before PC. */
static void g_literal(struct ldst_gen *g)
{
	unsigned opc = rn_(g, 4), v = rn_(g, 3) == 0;
	uint64_t target = addr_in(g, 4);
	int64_t off = (int64_t)(target - g->pc) / 4;

	g->insn[0] = opc << 30 | 0x18000000u | v << 26 |
		     simm(off, 19) << 5 | rn_(g, 32);
	g->name = "ldr literal";
}

/* LDP/STP/LDNP/STNP/LDPSW, all modes, integer and SIMD&FP. */
static void g_pair(struct ldst_gen *g)
{
	unsigned opc = rn_(g, 4), v = rn_(g, 3) == 0, mode = rn_(g, 4);
	unsigned l = rn_(g, 2), rn = base_reg(g, 1);
	uint32_t avoid = (mode & 1) && !v ? 1u << rn : 0;
	unsigned rt = reg_not(g, avoid);
	unsigned rt2 = reg_not(g, avoid | (l ? 1u << rt : 0));

	g->insn[0] = opc << 30 | 0x28000000u | v << 26 | mode << 23 | l << 22 |
		     simm((int)rn_(g, 128) - 64, 7) << 15 | rt2 << 10 |
		     rn << 5 | rt;
	g->name = "ldp/stp";
}

/* LDXR/LDAXR then STXR/STLXR (sometimes alone, sometimes with CLREX in
 * between), and the pair forms. */
static void g_excl(struct ldst_gen *g)
{
	unsigned size = rn_(g, 4), pairf = rn_(g, 3) == 0;
	unsigned bytes = pairf ? 8u << (size & 1) : 1u << size;
	unsigned rn = base_reg(g, bytes), rt, rt2, rs, a = rn_(g, 2);
	unsigned kind = rn_(g, 4), n = 0;
	uint32_t ld, st;

	if (pairf)
		size = 2 | (size & 1);
	rt = reg_not(g, 1u << rn);
	rt2 = reg_not(g, 1u << rn | 1u << rt);
	rs = reg_not(g, 1u << rn | 1u << rt | 1u << rt2);
	ld = size << 30 | 0x08400000u | pairf << 21 | 31u << 16 | a << 15 |
	     (pairf ? rt2 : 31) << 10 | rn << 5 | rt;
	st = size << 30 | 0x08000000u | pairf << 21 | rs << 16 |
	     rn_(g, 2) << 15 | (pairf ? rt2 : 31) << 10 | rn << 5 | rt;
	if (kind != 0)
		g->insn[n++] = ld;
	if (kind == 1)
		g->insn[n++] = 0xd503305fu; /* CLREX */
	if (kind != 3)
		g->insn[n++] = st;
	g->len = n;
	g->name = "exclusive";
}

/* LDAR/STLR/LDLAR/STLLR, LDAPR. */
static void g_ordered(struct ldst_gen *g)
{
	unsigned size = rn_(g, 4), rn = base_reg(g, 1u << size);
	unsigned rt = rn_(g, 32);

	if (rn_(g, 4) == 0) /* LDAPR */
		g->insn[0] = size << 30 | 0x38bfc000u | rn << 5 | rt;
	else
		g->insn[0] = size << 30 | 0x089f7c00u | rn_(g, 2) << 22 |
			     rn_(g, 2) << 15 | rn << 5 | rt;
	g->name = "ldar/stlr";
}

static uint64_t mem_at(struct ldst_gen *g, uint64_t a, unsigned bytes)
{
	uint64_t v = 0;

	if (a >= g->buf && a + bytes <= g->buf + g->size)
		memcpy(&v, g->mem + (a - g->buf), bytes);
	return v;
}

/* CAS and CASP, all sizes and orderings, compare hit or miss. */
static void g_cas(struct ldst_gen *g)
{
	unsigned size = rn_(g, 4), order = rn_(g, 4);
	bool pairf = rn_(g, 3) == 0;

	if (!pairf) {
		unsigned rn = base_reg(g, 1u << size), rs = rn_(g, 32);
		unsigned rt = rn_(g, 32);
		uint64_t a = rn == 31 ? g->sp : g->x[rn];

		if (rs != 31 && rs != rn && rn_(g, 2))
			g->x[rs] = mem_at(g, a, 1u << size) |
				   (size < 3 ? g->rnd() << (8u << size) : 0);
		g->insn[0] = size << 30 | 0x08a07c00u | (order >> 1) << 22 |
			     rs << 16 | (order & 1) << 15 | rn << 5 | rt;
		g->name = "cas";
	} else {
		unsigned sz = size & 1, half = 4u << sz;
		unsigned rn = base_reg(g, 2 * half);
		unsigned rs = 2 * rn_(g, 16), rt = 2 * rn_(g, 16);
		uint64_t a = rn == 31 ? g->sp : g->x[rn];

		if (rn_(g, 2) && rs < 30 && rs != rn && rs + 1 != rn) {
			g->x[rs] = mem_at(g, a, half);
			g->x[rs + 1] = mem_at(g, a + half, half);
		}
		g->insn[0] = sz << 30 | 0x08207c00u | (order >> 1) << 22 |
			     rs << 16 | (order & 1) << 15 | rn << 5 | rt;
		g->name = "casp";
	}
}

/* LDADD..LDUMIN, SWP, with A/R and all sizes; Rt = 31 is ST<op>. */
static void g_lse(struct ldst_gen *g)
{
	unsigned op = rn_(g, 9);
	unsigned size = op == 4 || op == 5 ? 3 : rn_(g, 4);
	unsigned rn = base_reg(g, 1u << size), rs = reg_not(g, 1u << rn);
	unsigned rt = rn_(g, 5) == 0 ? 31 : rn_(g, 32);

	/* Unicorn 2.0.1 (QEMU 5.0) compares a narrow memory value with the
	 * whole of Xs, and zero-extends it for the signed ops: keep Xs
	 * clean and the signed ops at 64 bits (the unit tests cover the
	 * narrow signed forms). */
	if (size < 3 && rs != 31)
		g->x[rs] &= (1ull << (8u << size)) - 1;
	g->insn[0] = size << 30 | 0x38200000u | rn_(g, 4) << 22 |
		     rs << 16 | (op == 8) << 15 | (op & 7) << 12 |
		     rn << 5 | rt;
	g->name = "lse atomic";
}

/* LD1..LD4 / ST1..ST4 (multiple and single structures, LDnR). */
static void g_simd_struct(struct ldst_gen *g)
{
	unsigned rn = base_reg(g, 1), post = rn_(g, 2), rm = 0;
	uint32_t w;

	if (post) {
		rm = rn_(g, 3) ? 31 : reg_not(g, 1u << rn | 1u << 31);
		if (rm != 31)
			g->x[rm] = rn_(g, 0x100);
	}
	if (rn_(g, 2))
		w = 0x0c000000u | rn_(g, 2) << 30 | rn_(g, 2) << 22 |
		    rn_(g, 16) << 12 | rn_(g, 4) << 10;
	else
		w = 0x0d000000u | rn_(g, 2) << 30 | rn_(g, 2) << 22 |
		    rn_(g, 2) << 21 | rn_(g, 8) << 13 | rn_(g, 2) << 12 |
		    rn_(g, 4) << 10;
	g->insn[0] = w | post << 23 | rm << 16 | rn << 5 | rn_(g, 32);
	g->name = "simd ld/st struct";
}

/* For the FP classes, the low 64 bits of a vector register: the values
 * where IEEE 754 leaves room and conversions saturate or round (zeros,
 * infinities, quiet and signalling NaNs, halves, the integer limits) as
 * doubles, or two such singles. */
static uint64_t fp_edge(uint64_t r)
{
	static const uint64_t d[] = {
		0, 0x8000000000000000ull, 0x7ff0000000000000ull,
		0xfff0000000000000ull, 0x7ff8000000000001ull,
		0x7ff4000000000000ull, 0xfff0000000000001ull,
		0x3ff8000000000000ull, 0xc004000000000000ull,
		0x43e0000000000000ull, 0xc3e0000000000000ull,
		0x41e0000000000000ull, 0x41efffffffe00000ull,
		0x0000000000000001ull, 0x3fe0000000000000ull,
	};
	static const uint32_t f[] = {
		0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00001u,
		0x7fa00000u, 0xff800001u, 0x3fc00000u, 0xc0200000u,
		0x5f000000u, 0xdf000000u, 0x4f000000u, 0x00000001u,
		0x3f000000u, 0x4b000001u,
	};
	if (r & 1)
		return d[(r >> 1) % (sizeof(d) / sizeof(d[0]))];
	return (uint64_t)f[(r >> 8) % (sizeof(f) / sizeof(f[0]))] << 32 |
	       f[(r >> 1) % (sizeof(f) / sizeof(f[0]))];
}

/* A random word in one of the FP/SIMD classes exec_fp decodes. */
static void g_fp_random(struct ldst_gen *g)
{
	static const uint32_t cls[][2] = {
		{ 0x9ff80400u, 0x0f000400u }, /* modified immediate */
		{ 0x9f800400u, 0x0f000400u }, /* shift by immediate */
		{ 0xdf800400u, 0x5f000400u }, /* scalar shift by immediate */
		{ 0x9fe08400u, 0x0e000400u }, /* copy */
		{ 0xdfe08400u, 0x5e000400u }, /* scalar copy */
		{ 0x9f200400u, 0x0e200400u }, /* three same */
		{ 0xdf200400u, 0x5e200400u }, /* scalar three same */
		{ 0x9f3e0c00u, 0x0e200800u }, /* two-register misc */
		{ 0x9f3e0c00u, 0x0e300800u }, /* across lanes */
		{ 0xbf208c00u, 0x0e000800u }, /* permute */
		{ 0xbfe08400u, 0x2e000000u }, /* EXT */
		{ 0xbfe08c00u, 0x0e000000u }, /* TBL/TBX */
		{ 0x5f20fc00u, 0x1e200000u }, /* FP <-> integer */
		{ 0x5f201fe0u, 0x1e201000u }, /* FP immediate */
		{ 0x5f207c00u, 0x1e204000u }, /* FP 1-source */
		{ 0x5f200c00u, 0x1e200800u }, /* FP 2-source */
		{ 0x5f000000u, 0x1f000000u }, /* FP 3-source */
		{ 0x5f203c00u, 0x1e202000u }, /* FP compare */
		{ 0x5f200c00u, 0x1e200400u }, /* FP conditional compare */
		{ 0x5f200c00u, 0x1e200c00u }, /* FP conditional select */
		{ 0x5f200000u, 0x1e000000u }, /* FP <-> fixed point */
	};
	unsigned k = rn_(g, sizeof(cls) / sizeof(cls[0]));

	g->insn[0] = ((uint32_t)g->rnd() & ~cls[k][0]) | cls[k][1];
	/* Scalar FP (the classes from FP <-> integer on): mostly S = 0
	 * and ftype single or double, the encodings that compute. */
	if (k >= 12 && rn_(g, 4))
		g->insn[0] &= ~(1u << 29 | 1u << 23);
	g->name = "fp/simd random";
	g->lenient = true;
	g->made = g_fp_random;
}

/* A random word in the loads-and-stores space, every base register
 * pointing into the buffer. */
static void g_ldst_random(struct ldst_gen *g)
{
	uint32_t w = ((uint32_t)g->rnd() & ~0x0a000000u) | 0x08000000u;
	unsigned rn = (w >> 5) & 31, rt = w & 31, rt2 = (w >> 10) & 31;
	unsigned rs = (w >> 16) & 31;

	for (unsigned r = 0; r < 31; r++)
		g->x[r] = addr_in(g, 16);
	g->sp = addr_in(g, 16);
	/* Keep away from the register overlaps whose outcome the
	 * architecture leaves open (see the top). */
	if (rn == rt || rn == rt2 || rn == rs || rt == rt2 || rs == rt ||
	    rs == rt2) {
		rt = reg_not(g, 1u << rn);
		rt2 = reg_not(g, 1u << rn | 1u << rt);
		rs = reg_not(g, 1u << rn | 1u << rt | 1u << rt2);
		w = (w & ~(31u | 31u << 10 | 31u << 16)) | rt | rt2 << 10 |
		    rs << 16;
	}
	if ((w & 0x3f200c00u) == 0x38200000u) /* LSE: see g_lse() */
		w |= 3u << 30;
	g->insn[0] = w;
	g->name = "ldst random";
	g->lenient = true;
}

static void gen_ldst(struct ldst_gen *g)
{
	static void (*const gens[])(struct ldst_gen *) = {
		g_uimm, g_uimm, g_imm9, g_imm9, g_reg, g_reg, g_literal,
		g_pair, g_pair, g_excl, g_ordered, g_cas, g_lse, g_lse,
		g_simd_struct, g_fp_random, g_fp_random, g_fp_random,
		g_ldst_random,
	};

	g->len = 1;
	g->lenient = false;
	gens[g->rnd() % (sizeof(gens) / sizeof(gens[0]))](g);
}

#define BUF UINT64_C(0x10000000)
#define BUF_SIZE UINT64_C(0x10000)
#define CODE (BUF + BUF_SIZE)      /* one page right after the buffer */
#define CODE_SIZE 0x1000ull

static void make(struct diff_case *q, uint64_t k)
{
	struct ldst_gen g;

	(void)k;
	for (uint64_t o = 0; o < BUF_SIZE; o += 8) {
		uint64_t r = diff_rnd64();
		memcpy(diff_mem(BUF) + o, &r, 8);
	}
	memset(&g, 0, sizeof(g));
	g.rnd = diff_rnd64;
	g.buf = BUF;
	g.size = BUF_SIZE;
	g.mem = diff_mem(BUF);
	g.pc = CODE + 4 * (diff_rnd64() % 64);
	for (int i = 0; i < 31; i++)
		g.x[i] = diff_rnd64();
	g.sp = BUF + 0x8000;
	gen_ldst(&g);
	memcpy(q->in.x, g.x, sizeof(q->in.x));
	q->in.sp = g.sp;
	q->in.pc = g.pc;
	for (int i = 0; i < 32; i++) {
		q->in.v[i] = (__uint128_t)diff_rnd64() << 64 | diff_rnd64();
		if (g_fp_random == g.made && diff_rnd64() % 2)
			q->in.v[i] = (q->in.v[i] & ~(__uint128_t)~0ull) |
				     fp_edge(diff_rnd64());
	}
	memcpy(q->insn, g.insn, sizeof(g.insn));
	q->len = g.len;
	for (unsigned i = 0; i < g.len; i++)
		q->name[i] = g.name;
	q->lenient = g.lenient;
	diff_load(g.pc, g.insn, g.len);
}

static uint64_t unimpl, both_exc, ran;

static enum diff_verdict judge(const struct diff_case *q,
			       const struct diff_state *ours,
			       const struct diff_state *ref, bool same)
{
	if (ours->exc == DIFF_EXC_OTHER && ref->exc != DIFF_EXC_OTHER &&
	    q->lenient) {
		unimpl++;       /* not implemented here; fine */
		return DIFF_SKIP;
	}
	if (!same)
		return DIFF_MISMATCH;
	both_exc += ours->exc != DIFF_EXC_NONE;
	ran++;
	return DIFF_MATCH;
}

static int summary(uint64_t seed, uint64_t n)
{
	printf("diff_ldst: %" PRIu64 " cases, seed %" PRIu64 ": %" PRIu64
	       " match (%" PRIu64 " with an exception on both sides), %"
	       PRIu64 " random encodings not implemented here\n",
	       n, seed, ran, both_exc, unimpl);
	return 0;
}

const struct diff_gen diff_gen = {
	.prog = "diff_ldst",
	.case_opt = "--case",
	.default_count = 20000,
	.cpu_model = UC_CPU_ARM64_MAX,
	.ram = BUF, .ram_size = BUF_SIZE + CODE_SIZE,
	.data = BUF, .data_size = BUF_SIZE,
	.cmp_after_exc = true,
	.make = make,
	.judge = judge,
	.summary = summary,
};
