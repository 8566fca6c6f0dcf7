/* The integer generator of the unicorn differential test
 * (diff_unicorn: harness.c + this file), Cortex-A72 model.
 *
 * Two kinds of sequence, each from a random register file and NZCV:
 *  - "gen": 1..MAX_SEQ instructions drawn from every implemented
 *    integer encoding class with random legal fields; branches only go
 *    forward inside the sequence (or to its end) so every sequence
 *    terminates; BR/BLR/RET get their target from an ADR just before,
 *    and so do loads/stores (exec_ldst.c) their base, inside a data page
 *    whose contents are compared too.
 *  - "raw": one random word from the data-processing groups, legal or
 *    not, to check that both sides agree on what is UNDEFINED.
 * After running, X0..X30, SP, NZCV, PC and the data page must match
 * exactly; a generated (legal) sequence must not take an exception. */
#include <stdio.h>
#include <inttypes.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "diff/harness.h"

#define CODE_BASE 0x400000ull
#define CODE_SIZE 0x10000ull
#define MAX_SEQ DIFF_MAX_INSNS
/* Loads and stores (exec_ldst.c) address this page through a base
 * register set by an ADR just before them. The MMU is off on both
 * sides, so memory is Device and every access stays aligned. */
#define DATA_BASE (CODE_BASE + 0x8000)
#define DATA_SIZE 0x1000u

#define rnd64 diff_rnd64
#define rnd diff_rnd

/* Register values biased towards the edges where flags and extension
 * bugs hide. */
static uint64_t rnd_value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, ~0ull, ~0ull - 1, 0x7fffffffffffffffull,
		0x8000000000000000ull, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 0xffffffff80000000ull, 0x80, 0xff, 0x8000,
		0xffff, 0xffffffff7fffffffull,
	};
	switch (rnd(8)) {
	case 0: return edge[rnd(sizeof(edge) / sizeof(edge[0]))];
	case 1: return rnd(64);
	case 2: return -(uint64_t)rnd(64);
	case 3: return 1ull << rnd(64);
	case 4: return (1ull << rnd(64)) - 1;
	case 5: return rnd64() & 0xffffffff;
	default: return rnd64();
	}
}

struct gen_ctx {
	unsigned pos, len;     /* index of this instruction, sequence length */
	uint32_t *out;
	const char **names;
	const bool *no_target;  /* BR/BLR/RET slots: entering them skips
				 * the ADR that sets their register */
};

static unsigned rreg(void) { return rnd(32); }

/* Forward branch offset in words to an index in [pos + min, len] that
 * is not a BR/BLR/RET slot; len (the end) is always allowed. */
static unsigned fwd(const struct gen_ctx *g, unsigned min)
{
	unsigned room = g->len - g->pos - min + 1, off;

	do
		off = min + rnd(room);
	while (g->pos + off < g->len && g->no_target[g->pos + off]);
	return off;
}

static uint32_t g_adr(struct gen_ctx *g)
{
	(void)g;
	return (rnd(2) << 31) | 0x10000000 | rnd(4) << 29 | rnd(1 << 19) << 5 |
	       rreg();
}

static uint32_t g_addsub_imm(struct gen_ctx *g)
{
	(void)g;
	return 0x11000000 | rnd(2) << 31 | rnd(2) << 30 | rnd(2) << 29 |
	       rnd(2) << 22 | rnd(4096) << 10 | rreg() << 5 | rreg();
}

/* A valid bitmask immediate: element size e, S+1 < e ones, rotate R.
 * imms holds NOT(e-1) above S as DecodeBitMasks expects; the ignored
 * high bits of immr are random. */
static uint32_t g_logic_imm(struct gen_ctx *g)
{
	unsigned sf = rnd(2), len = 1 + rnd(sf ? 6 : 5), e = 1u << len;
	unsigned s = rnd(e - 1), r = rnd(64);
	unsigned n = len == 6, imms;

	(void)g;
	imms = (len == 6 ? 0 : (0x3f & ~(2 * e - 1))) | s;
	if (!sf)
		r &= 31;
	return 0x12000000 | sf << 31 | rnd(4) << 29 | n << 22 | r << 16 |
	       imms << 10 | rreg() << 5 | rreg();
}

static uint32_t g_movw(struct gen_ctx *g)
{
	static const unsigned opc[] = { 0, 2, 3 };
	unsigned sf = rnd(2);

	(void)g;
	return 0x12800000 | sf << 31 | opc[rnd(3)] << 29 |
	       rnd(sf ? 4 : 2) << 21 | rnd(65536) << 5 | rreg();
}

static uint32_t g_bitfield(struct gen_ctx *g)
{
	unsigned sf = rnd(2), m = sf ? 64 : 32;

	(void)g;
	return 0x13000000 | sf << 31 | rnd(3) << 29 | sf << 22 |
	       rnd(m) << 16 | rnd(m) << 10 | rreg() << 5 | rreg();
}

static uint32_t g_extr(struct gen_ctx *g)
{
	unsigned sf = rnd(2);

	(void)g;
	return 0x13800000 | sf << 31 | sf << 22 | rreg() << 16 |
	       rnd(sf ? 64 : 32) << 10 | rreg() << 5 | rreg();
}

static uint32_t g_b(struct gen_ctx *g)
{
	return (rnd(2) << 31) | 0x14000000 | fwd(g, 1);
}

static uint32_t g_bcond(struct gen_ctx *g)
{
	return 0x54000000 | fwd(g, 1) << 5 | rnd(16);
}

static uint32_t g_cbz(struct gen_ctx *g)
{
	return 0x34000000 | rnd(2) << 31 | rnd(2) << 24 | fwd(g, 1) << 5 |
	       rreg();
}

static uint32_t g_tbz(struct gen_ctx *g)
{
	return 0x36000000 | rnd(2) << 31 | rnd(2) << 24 | rnd(32) << 19 |
	       fwd(g, 1) << 5 | rreg();
}

/* ADR Xn, target; then BR/BLR/RET Xn. Needs two slots. */
static uint32_t g_branch_reg(struct gen_ctx *g)
{
	static const uint32_t op[] = { 0xd61f0000, 0xd63f0000, 0xd65f0000 };
	static const char *const name[] = { "br", "blr", "ret" };
	unsigned n = rnd(31), k = rnd(3);
	unsigned words = fwd(g, 2);      /* target - ADR, in words */

	g->out[g->pos + 1] = op[k] | n << 5;
	g->names[g->pos + 1] = name[k];
	return 0x10000000 | words << 5 | n;  /* immlo = 0, immhi = words */
}

/* ADR Xn, data; then one load/store from Xn: unsigned offset, unscaled,
 * pre/post-index or LDP/STP. Writeback forms keep Rt (and Rt2) != Rn,
 * and LDP keeps Rt != Rt2 (both CONSTRAINED UNPREDICTABLE otherwise). */
static uint32_t g_ldst(struct gen_ctx *g)
{
	unsigned n = rnd(31), t, t2, size, opc, form = rnd(4);
	uint64_t adr_pc = CODE_BASE + 4 * g->pos;
	uint64_t base = DATA_BASE + DATA_SIZE / 2 + 16 * (rnd(64) - 32);
	uint32_t w;
	const char *name;

	do
		t = rreg();
	while (t == n);
	do
		t2 = rreg();
	while (t2 == n || t2 == t);
	size = rnd(4);
	/* opc: 00 store, 01 load, 10 load signed to X, 11 to W. */
	do
		opc = rnd(4);
	while ((size == 3 && opc >= 2) || (size == 2 && opc == 3));

	switch (form) {
	case 0:                 /* LDR/STR [Xn, #imm12 * size] */
		w = 0x39000000 | size << 30 | opc << 22 |
		    rnd(64) << 10 | n << 5 | t;
		name = "ldr/str uimm";
		break;
	case 1:                 /* LDUR/STUR [Xn, #simm9] aligned */
		w = 0x38000000 | size << 30 | opc << 22 |
		    (((rnd(32) - 16) << size) & 0x1ff) << 12 | n << 5 | t;
		name = "ldur/stur";
		break;
	case 2:                 /* pre/post-index, writeback to Xn */
		w = 0x38000400 | size << 30 | opc << 22 |
		    (((rnd(32) - 16) << size) & 0x1ff) << 12 |
		    rnd(2) << 11 | n << 5 | t;
		name = "ldr/str wb";
		break;
	default: {              /* LDP/STP (signed offset), W or X */
		unsigned x = rnd(2);
		w = 0x29000000 | x << 31 | rnd(2) << 22 |
		    ((rnd(32) - 16) & 0x7f) << 15 | t2 << 10 | n << 5 | t;
		name = "ldp/stp";
		break;
	}
	}
	g->out[g->pos + 1] = w;
	g->names[g->pos + 1] = name;
	/* ADR: immhi:immlo = base - pc. */
	uint64_t off = (base - adr_pc) & 0x1fffff;
	return 0x10000000 | (uint32_t)(off & 3) << 29 |
	       (uint32_t)(off >> 2) << 5 | n;
}

static uint32_t g_logic_reg(struct gen_ctx *g)
{
	unsigned sf = rnd(2);

	(void)g;
	return 0x0a000000 | sf << 31 | rnd(4) << 29 | rnd(4) << 22 |
	       rnd(2) << 21 | rreg() << 16 | rnd(sf ? 64 : 32) << 10 |
	       rreg() << 5 | rreg();
}

static uint32_t g_addsub_shift(struct gen_ctx *g)
{
	unsigned sf = rnd(2);

	(void)g;
	return 0x0b000000 | sf << 31 | rnd(4) << 29 | rnd(3) << 22 |
	       rreg() << 16 | rnd(sf ? 64 : 32) << 10 | rreg() << 5 | rreg();
}

static uint32_t g_addsub_ext(struct gen_ctx *g)
{
	(void)g;
	return 0x0b200000 | rnd(2) << 31 | rnd(4) << 29 | rreg() << 16 |
	       rnd(8) << 13 | rnd(5) << 10 | rreg() << 5 | rreg();
}

static uint32_t g_adc(struct gen_ctx *g)
{
	(void)g;
	return 0x1a000000 | rnd(2) << 31 | rnd(4) << 29 | rreg() << 16 |
	       rreg() << 5 | rreg();
}

static uint32_t g_ccmp(struct gen_ctx *g)
{
	(void)g;
	return 0x3a400000 | rnd(2) << 31 | rnd(2) << 30 | rreg() << 16 |
	       rnd(16) << 12 | rnd(2) << 11 | rreg() << 5 | rnd(16);
}

static uint32_t g_csel(struct gen_ctx *g)
{
	(void)g;
	return 0x1a800000 | rnd(2) << 31 | rnd(2) << 30 | rreg() << 16 |
	       rnd(16) << 12 | rnd(2) << 10 | rreg() << 5 | rreg();
}

static uint32_t g_1src(struct gen_ctx *g)
{
	unsigned sf = rnd(2), op;

	(void)g;
	do
		op = rnd(6);
	while (!sf && op == 3);
	return 0x5ac00000 | sf << 31 | op << 10 | rreg() << 5 | rreg();
}

static uint32_t g_2src(struct gen_ctx *g)
{
	static const unsigned ops[] = { 2, 3, 8, 9, 10, 11,
					16, 17, 18, 19, 20, 21, 22, 23 };
	unsigned op = ops[rnd(sizeof(ops) / sizeof(ops[0]))], sf = rnd(2);

	(void)g;
	if (op >= 16)           /* CRC32X/CX are the only 64-bit CRCs */
		sf = (op & 3) == 3;
	return 0x1ac00000 | sf << 31 | rreg() << 16 | op << 10 | rreg() << 5 |
	       rreg();
}

static uint32_t g_3src(struct gen_ctx *g)
{
	/* op31:o0 pairs: MADD MSUB SMADDL SMSUBL SMULH UMADDL UMSUBL UMULH */
	static const unsigned ops[] = { 0, 1, 2, 3, 4, 10, 11, 12 };
	unsigned k = ops[rnd(8)], sf = k < 2 ? rnd(2) : 1;
	unsigned ra = (k == 4 || k == 12) ? 31 : rreg();

	(void)g;
	return 0x1b000000 | sf << 31 | (k >> 1) << 21 | rreg() << 16 |
	       (k & 1) << 15 | ra << 10 | rreg() << 5 | rreg();
}

struct gen {
	const char *name;
	uint32_t (*fn)(struct gen_ctx *);
	unsigned slots;          /* instructions it occupies */
};

static const struct gen gens[] = {
	{ "adr/adrp", g_adr, 1 },
	{ "add/sub imm", g_addsub_imm, 1 },
	{ "logical imm", g_logic_imm, 1 },
	{ "movn/z/k", g_movw, 1 },
	{ "bitfield", g_bitfield, 1 },
	{ "extr", g_extr, 1 },
	{ "b/bl", g_b, 1 },
	{ "b.cond", g_bcond, 1 },
	{ "cbz/cbnz", g_cbz, 1 },
	{ "tbz/tbnz", g_tbz, 1 },
	{ "adr+br/blr/ret", g_branch_reg, 2 },
	{ "logical reg", g_logic_reg, 1 },
	{ "add/sub shifted", g_addsub_shift, 1 },
	{ "add/sub extended", g_addsub_ext, 1 },
	{ "adc/sbc", g_adc, 1 },
	{ "ccmp/ccmn", g_ccmp, 1 },
	{ "csel", g_csel, 1 },
	{ "1-source", g_1src, 1 },
	{ "2-source", g_2src, 1 },
	{ "3-source", g_3src, 1 },
	{ "adr+load/store", g_ldst, 2 },
};
#define NGENS (sizeof(gens) / sizeof(gens[0]))

/* Is w in a space this interpreter decodes by itself? */
static bool raw_ok(uint32_t w)
{
	unsigned op0 = (w >> 25) & 15;

	if (op0 != 8 && op0 != 9 && op0 != 5 && op0 != 13 && op0 != 10 &&
	    op0 != 11)
		return false;   /* loads/stores, FP: other files */
	/* Exception generation, the system space and ERET are the
	 * machine side's (stubbed here). */
	if ((w >> 24) == 0xd4 || (w >> 22) == 0x354 ||
	    (w & 0xfffffc1f) == 0xd69f0000)
		return false;
	return true;
}

/* Raw words for the UNDEFINED-agreement check: either any word in the
 * integer groups, or a legal encoding with 1..3 bits flipped, which
 * lands next to the allocated ones where decode mistakes hide. */
static uint32_t raw_word(void)
{
	struct gen_ctx g = { 0, 1, NULL, NULL, NULL };
	uint32_t w;

	do {
		if (rnd(2)) {
			w = (uint32_t)rnd64();
		} else {
			const struct gen *k;
			do
				k = &gens[rnd(NGENS)];
			while (k->slots != 1);
			if (rnd(8) == 0)        /* BR/BLR/RET space */
				w = 0xd61f0000 | rnd(4) << 21 | rreg() << 5;
			else
				w = k->fn(&g);
			for (unsigned n = 1 + rnd(3); n; n--)
				w ^= 1u << rnd(32);
		}
		/* SMULH/UMULH with Ra != 31 is CONSTRAINED
		 * UNPREDICTABLE. */
		if ((w & 0x7f608000) == 0x1b400000)
			w |= 31 << 10;
	} while (!raw_ok(w));
	return w;
}

static void make_seq(struct diff_case *q)
{
	const struct gen *kind[MAX_SEQ];
	bool no_target[MAX_SEQ];
	struct gen_ctx g;

	q->steps = rnd(8) == 0;
	if (q->steps) {
		q->insn[0] = raw_word();
		q->name[0] = "raw";
		q->len = 1;
		return;
	}
	q->len = 1 + rnd(MAX_SEQ);
	g.len = q->len;
	g.out = q->insn;
	g.names = q->name;
	g.no_target = no_target;
	/* Choose the classes first so that branches know which later slots
	 * they must not enter. */
	memset(no_target, 0, sizeof(no_target));
	for (unsigned pos = 0; pos < q->len; pos++) {
		do
			kind[pos] = &gens[rnd(NGENS)];
		while (pos + kind[pos]->slots > q->len);
		for (unsigned j = 1; j < kind[pos]->slots; j++)
			no_target[pos + j] = true;
		pos += kind[pos]->slots - 1;
	}
	for (g.pos = 0; g.pos < q->len; g.pos++) {
		const struct gen *k = kind[g.pos];
		q->insn[g.pos] = k->fn(&g);
		q->name[g.pos] = k->name;
		g.pos += k->slots - 1;
	}
}

static void make(struct diff_case *q, uint64_t k)
{
	(void)k;
	make_seq(q);
	for (int i = 0; i < 31; i++)
		q->in.x[i] = rnd_value();
	q->in.sp = rnd_value();
	q->in.nzcv = rnd(16) << 28;
	q->in.pc = CODE_BASE;
	for (unsigned i = 0; i < DATA_SIZE; i += 8) {
		uint64_t v = rnd_value();
		memcpy(diff_mem(DATA_BASE) + i, &v, 8);
	}
	memset(diff_mem(CODE_BASE), 0, 4 * MAX_SEQ);
	diff_load(CODE_BASE, q->insn, q->len);
}

static uint64_t raw, undefs, gen_exc;

static enum diff_verdict judge(const struct diff_case *q,
			       const struct diff_state *ours,
			       const struct diff_state *ref, bool same)
{
	(void)ref;
	raw += q->steps;
	undefs += q->steps && ours->exc;
	gen_exc += !q->steps && ours->exc;
	return same ? DIFF_MATCH : DIFF_MISMATCH;
}

static int summary(uint64_t seed, uint64_t n)
{
	printf("diff_unicorn: %" PRIu64 " sequences (%" PRIu64 " raw, %" PRIu64
	       " of them UNDEF on both), seed %" PRIu64 ": all match\n",
	       n, raw, undefs, seed);
	/* Generated sequences are all legal: an exception, even on both
	 * sides, means the generator lost coverage. */
	if (gen_exc) {
		printf("diff_unicorn: %" PRIu64 " generated sequences took an "
		       "exception\n", gen_exc);
		return 1;
	}
	return 0;
}

/* Raw words may branch anywhere (even to themselves): one step each. */
const struct diff_gen diff_gen = {
	.prog = "diff_unicorn",
	.case_opt = "--seq",
	.default_count = 2000,
	.cpu_model = UC_CPU_ARM64_A72,
	.ram = CODE_BASE, .ram_size = CODE_SIZE,
	.data = DATA_BASE, .data_size = DATA_SIZE,
	.cmp_after_exc = false,
	.make = make,
	.judge = judge,
	.summary = summary,
};
