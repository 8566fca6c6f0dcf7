/* Random load/store (and FP/SIMD) test cases for differential testing
 * against unicorn.
 *
 * The generator is usable from any differential driver:
 *
 *   void diff_gen_ldst(struct ldst_gen *g);
 *
 * fills g->insn[0..g->len) with a short sequence (1..LDST_GEN_MAX words)
 * and adjusts g->x[] / g->sp so that every address it uses lies inside
 * [g->buf, g->buf + g->size) (except the deliberate out-of-range cases,
 * which must fault on both sides). The sequence must run from PC =
 * g->pc with exactly that register file. It reads g->mem (the current
 * buffer contents) to make CAS compares succeed half of the time. It
 * avoids the CONSTRAINED UNPREDICTABLE register overlaps on which two
 * correct implementations may differ (writeback to a loaded register,
 * LDP Rt == Rt2, STXR status == data/base).
 *
 * Built with -DDIFF_LDST_MAIN this file is also a standalone driver
 * (build/checker/tests/diff_ldst): it runs each case on the checker's
 * interpreter (exec_ldst/exec_fp over the flat-memory stub) and on
 * unicorn (Cortex "max" model) and compares X0..X30, SP, PC, V0..V31
 * and the whole data buffer. For random FP/SIMD words, an encoding the
 * checker leaves UNDEFINED but unicorn executes (or starts to execute
 * and takes a data abort) is counted as unimplemented, not as a
 * failure; the converse is a failure.
 *
 * Usage: diff_ldst [--seed S] [--count N] [--case K] [--verbose] */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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
	bool lenient;            /* random encodings: see the header */
};

void diff_gen_ldst(struct ldst_gen *g);

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
	};
	unsigned k = rn_(g, sizeof(cls) / sizeof(cls[0]));

	g->insn[0] = ((uint32_t)g->rnd() & ~cls[k][0]) | cls[k][1];
	g->name = "fp/simd random";
	g->lenient = true;
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
	 * architecture leaves open (see the header). */
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

void diff_gen_ldst(struct ldst_gen *g)
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

#ifdef DIFF_LDST_MAIN
/* ---- standalone driver ---- */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <unicorn/unicorn.h>

#include "interp/exec.h"
#include "stub_machine.h"

#define BUF UINT64_C(0x10000000)
#define BUF_SIZE UINT64_C(0x10000)
#define CODE (BUF + BUF_SIZE)      /* one page right after the buffer */
#define CODE_SIZE 0x1000ull

static uint64_t rng;

static uint64_t rnd64(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct state {
	uint64_t x[31], sp, pc;
	__uint128_t v[32];
	int exc;                    /* 0, 1 = UNDEF/other, 2 = data abort */
};

static uc_engine *uc;
static int uc_intno;
static uint8_t *ref_mem, *our_mem;

static void hook_intr(uc_engine *u, uint32_t intno, void *user)
{
	(void)user;
	uc_intno = (int)intno;
	uc_emu_stop(u);
}

static void die(const char *what, uc_err e)
{
	fprintf(stderr, "unicorn: %s: %s\n", what, uc_strerror(e));
	exit(2);
}

static void uc_setup(void)
{
	uc_hook h;
	uc_err e = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc);
	uint64_t cpacr = 3ull << 20; /* FPEN: no FP/SIMD traps */

	if (e)
		die("open", e);
	if ((e = uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_MAX)) ||
	    (e = uc_mem_map(uc, BUF, BUF_SIZE, UC_PROT_ALL)) ||
	    (e = uc_mem_map(uc, CODE, CODE_SIZE, UC_PROT_ALL)) ||
	    (e = uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)hook_intr, NULL, 1,
			     0)) ||
	    (e = uc_reg_write(uc, UC_ARM64_REG_CPACR_EL1, &cpacr)))
		die("setup", e);
}

static int uc_xreg(int i)
{
	return i == 29 ? UC_ARM64_REG_X29 : i == 30 ? UC_ARM64_REG_X30 :
	       UC_ARM64_REG_X0 + i;
}

static void uc_run(const struct ldst_gen *g, const struct state *in,
		   struct state *out)
{
	uc_err e;

	uc_mem_write(uc, in->pc, g->insn, 4 * g->len);
	uc_ctl_remove_cache(uc, CODE, CODE + CODE_SIZE);
	uc_mem_write(uc, BUF, ref_mem, BUF_SIZE);
	for (int i = 0; i < 31; i++)
		uc_reg_write(uc, uc_xreg(i), &in->x[i]);
	uc_reg_write(uc, UC_ARM64_REG_SP, &in->sp);
	uc_reg_write(uc, UC_ARM64_REG_PC, &in->pc);
	for (int i = 0; i < 32; i++)
		uc_reg_write(uc, UC_ARM64_REG_Q0 + i, &in->v[i]);
	uc_intno = -1;
	e = uc_emu_start(uc, in->pc, in->pc + 4 * g->len, 0, 0);
	for (int i = 0; i < 31; i++)
		uc_reg_read(uc, uc_xreg(i), &out->x[i]);
	uc_reg_read(uc, UC_ARM64_REG_SP, &out->sp);
	uc_reg_read(uc, UC_ARM64_REG_PC, &out->pc);
	for (int i = 0; i < 32; i++)
		uc_reg_read(uc, UC_ARM64_REG_Q0 + i, &out->v[i]);
	uc_mem_read(uc, BUF, ref_mem, BUF_SIZE);
	out->exc = e == UC_ERR_READ_UNMAPPED || e == UC_ERR_WRITE_UNMAPPED ?
		   2 : (e || uc_intno >= 0);
}

/* The top-level decode of exec.c, for the groups this test needs. */
static void step(struct cpu *c, uint32_t w)
{
	switch ((w >> 25) & 15) {
	case 0x4: case 0x6: case 0xc: case 0xe:
		exec_ldst(c, w);
		break;
	case 0x7: case 0xf:
		exec_fp(c, w);
		break;
	default:
		if ((w & 0xffc00000u) == 0xd5000000u)
			exec_system(c, w);
		else
			cpu_undef(c, w);
	}
}

static void our_run(struct cpu *c, const struct ldst_gen *g,
		    const struct state *in, struct state *out)
{
	memset(c, 0, sizeof(*c));
	stub_reset(our_mem, BUF, BUF_SIZE + CODE_SIZE);
	stub_add_cpu(c);
	memcpy(our_mem + (in->pc - BUF), g->insn, 4 * g->len);
	c->el = 1;
	c->spsel = 1;
	c->powered = true;
	memcpy(c->x, in->x, sizeof(c->x));
	c->sp_el[1] = in->sp;
	memcpy(c->v, in->v, sizeof(c->v));
	c->pc = in->pc;
	while (c->pc >= CODE && c->pc < in->pc + 4 * g->len) {
		uint32_t w;

		memcpy(&w, our_mem + (c->pc - BUF), 4);
		step(c, w);
	}
	memcpy(out->x, c->x, sizeof(out->x));
	out->sp = c->sp_el[1];
	out->pc = c->pc;
	memcpy(out->v, c->v, sizeof(out->v));
	out->exc = stub.faults ? 2 : stub.undefs ? 1 : 0;
}

static void dump(const struct ldst_gen *g, const struct state *in,
		 const struct state *a, const struct state *b)
{
	for (unsigned i = 0; i < g->len; i++)
		printf("  insn %08x\n", g->insn[i]);
	printf("  %-4s %-18s %-18s %-18s\n", "", "before", "coherent",
	       "unicorn");
	for (int i = 0; i < 31; i++)
		if (a->x[i] != b->x[i] || a->x[i] != in->x[i])
			printf("  x%-3d %016" PRIx64 "   %016" PRIx64
			       "   %016" PRIx64 "%s\n", i, in->x[i], a->x[i],
			       b->x[i], a->x[i] != b->x[i] ? "  <--" : "");
	printf("  sp   %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "\n",
	       in->sp, a->sp, b->sp);
	printf("  pc   %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "\n",
	       in->pc, a->pc, b->pc);
	for (int i = 0; i < 32; i++)
		if (a->v[i] != b->v[i])
			printf("  v%-3d %016" PRIx64 "%016" PRIx64
			       " ours %016" PRIx64 "%016" PRIx64
			       " ref %016" PRIx64 "%016" PRIx64 "\n", i,
			       (uint64_t)(in->v[i] >> 64), (uint64_t)in->v[i],
			       (uint64_t)(a->v[i] >> 64), (uint64_t)a->v[i],
			       (uint64_t)(b->v[i] >> 64), (uint64_t)b->v[i]);
	for (uint64_t o = 0; o < BUF_SIZE; o++)
		if (our_mem[o] != ref_mem[o])
			printf("  mem %#" PRIx64 ": ours %02x ref %02x\n",
			       BUF + o, our_mem[o], ref_mem[o]);
	printf("  exc  ours %d ref %d\n", a->exc, b->exc);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, count = 20000, only = UINT64_MAX;
	uint64_t unimpl = 0, both_exc = 0, ran = 0;
	struct cpu *c = calloc(1, sizeof(*c));
	bool verbose = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--case") && i + 1 < argc)
			only = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: %s [--seed S] [--count N] "
				"[--case K] [--verbose]\n", argv[0]);
			return 2;
		}
	}
	ref_mem = malloc(BUF_SIZE);
	our_mem = malloc(BUF_SIZE + CODE_SIZE);
	if (!c || !ref_mem || !our_mem)
		return 2;
	uc_setup();

	uint64_t first = only == UINT64_MAX ? 0 : only;
	uint64_t last = only == UINT64_MAX ? count : only + 1;
	for (uint64_t k = first; k < last; k++) {
		struct ldst_gen g;
		struct state in, ours, ref;
		bool ok;

		rng = seed * 0x100000001b3ull ^ (k * 0x9e3779b97f4a7c15ull);
		for (uint64_t o = 0; o < BUF_SIZE; o += 8) {
			uint64_t r = rnd64();
			memcpy(our_mem + o, &r, 8);
		}
		memset(&g, 0, sizeof(g));
		g.rnd = rnd64;
		g.buf = BUF;
		g.size = BUF_SIZE;
		g.mem = our_mem;
		g.pc = CODE + 4 * (rnd64() % 64);
		for (int i = 0; i < 31; i++)
			g.x[i] = rnd64();
		g.sp = BUF + 0x8000;
		diff_gen_ldst(&g);
		memcpy(in.x, g.x, sizeof(in.x));
		in.sp = g.sp;
		in.pc = g.pc;
		for (int i = 0; i < 32; i++)
			in.v[i] = (__uint128_t)rnd64() << 64 | rnd64();
		in.exc = 0;
		memcpy(ref_mem, our_mem, BUF_SIZE);

		uc_run(&g, &in, &ref);
		our_run(c, &g, &in, &ours);
		if (verbose)
			printf("case %" PRIu64 ": %s %08x exc %d/%d\n", k,
			       g.name, g.insn[0], ours.exc, ref.exc);
		if (ours.exc == 1 && ref.exc != 1 && g.lenient) {
			unimpl++;   /* not implemented here; fine */
			continue;
		}
		if (ours.exc != ref.exc) {
			ok = false;
		} else {
			/* After an exception nothing may have changed, but PC
			 * is where each side's exception entry put it. */
			ok = !memcmp(ours.x, ref.x, sizeof(ours.x)) &&
			     ours.sp == ref.sp && !memcmp(ours.v, ref.v,
							  sizeof(ours.v)) &&
			     !memcmp(our_mem, ref_mem, BUF_SIZE) &&
			     (ours.exc || ours.pc == ref.pc);
			both_exc += ours.exc != 0;
		}
		if (!ok) {
			printf("MISMATCH seed=%" PRIu64 " case=%" PRIu64
			       " (%s; rerun: diff_ldst --seed %" PRIu64
			       " --case %" PRIu64 ")\n", seed, k, g.name, seed,
			       k);
			dump(&g, &in, &ours, &ref);
			return 1;
		}
		ran++;
	}
	printf("diff_ldst: %" PRIu64 " cases, seed %" PRIu64 ": %" PRIu64
	       " match (%" PRIu64 " with an exception on both sides), %"
	       PRIu64 " random encodings not implemented here\n",
	       last - first, seed, ran, both_exc, unimpl);
	uc_close(uc);
	free(ref_mem);
	free(our_mem);
	free(c);
	return 0;
}
#endif
