/* The interpreter's run loop: predecoded blocks (interp/block.h) with
 * threaded dispatch, and one instruction at a time where blocks cannot
 * serve (no fetch-cache page, software step).
 *
 * Exactness: a block starts only where cpu_fetch_cached() serves the PC,
 * and covers only lines the fetch cache serves, so every fetch the
 * memory system must see still goes through mem_fetch(). Everything
 * before a block's last entry changes nothing but the general registers,
 * NZCV, PC and memory (an entry that takes an exception, or a load,
 * store or system instruction after which ctx_gen, the EL or a run flag
 * moved, instead ends the block:
 * PSTATE's generation moves or PC is not the next one), so what made the
 * first fetch fast (page, EL, ctx_gen, lines, the run flags: powered,
 * WFI, irq_poll, software step) still holds for the others and for a
 * block chained after a direct branch within the page. Each entry
 * compares its word with memory before it runs: code rewritten by this
 * or any PE runs as the new word, as a fetch would have read it. */
#include <string.h>

#include "interp/block.h"
#include "interp/exec_util.h"

/* Decoded instructions for the one-at-a-time path, direct-mapped by PC
 * and tagged with the word itself (exec_decode() reads nothing but the
 * word, so nothing here is ever invalidated). */
#define DCACHE_SIZE 4096
static struct dcache_entry {
	uint32_t insn;
	exec_fn *fn;
} dcache[DCACHE_SIZE];

#define NBLOCKS 4096   /* 2 MiB: Linux boots about 3% faster than with 1024 */
static struct block blocks[NBLOCKS];
static bool ready;

static void init(void)
{
	exec_fn *fn = exec_decode(0);

	for (unsigned i = 0; i < DCACHE_SIZE; i++)
		dcache[i] = (struct dcache_entry){0, fn};
	for (unsigned i = 0; i < NBLOCKS; i++)
		blocks[i].pc = 1;
	ready = true;
}

/* One instruction at c->pc through mem_fetch's checks. */
static void step(struct cpu *c)
{
	struct dcache_entry *e;
	const uint8_t *p = cpu_fetch_cached(c);
	uint32_t insn;

	if (__builtin_expect(p != 0, 1))
		memcpy(&insn, p, 4);
	else if (!mem_fetch(c, &insn))
		return;         /* the fetch abort has been taken */
	e = &dcache[(c->pc >> 2) & (DCACHE_SIZE - 1)];
	if (__builtin_expect(e->insn != insn, 0))
		*e = (struct dcache_entry){insn, exec_decode(insn)};
	e->fn(c, insn);
}

static inline bool line_served(uint64_t lines, uint64_t pc)
{
	return (lines >> ((pc >> 6) & 63)) & 1;
}

static void build(struct block *b, uint64_t pc, const uint8_t *page,
		  uint64_t lines)
{
	unsigned n = 0;

	b->lines = 0;
	for (uint64_t a = pc; n < BLOCK_MAX && line_served(lines, a); a += 4) {
		uint32_t insn;
		bool last;

		memcpy(&insn, page + (a & 0xfff), 4);
		b->lines |= 1ull << ((a >> 6) & 63);
		last = block_decode(&b->ops[n++], insn);
		if (last || (a & 0xfff) == 0xffc)
			break;
	}
	b->n = n;
	b->pc = pc;
	b->host = page;
}

/* Shifted-register operand: LSL, LSR, ASR by s1 at the operation's
 * size (the result is truncated after the operation). */
#define SH0(o, v) ((v) << (o)->s1)
#define SH1(o, v) (((v) & (~0ull >> (o)->tr)) >> (o)->s1)
#define SH2(o, v) ((uint64_t)((int64_t)((v) << (o)->tr) >> ((o)->s1 + (o)->tr)))
#define MASK(o) (~0ull >> (o)->tr)

/* Run blocks from c->pc, which the fetch cache serves, for at most
 * budget instructions; returns how many retired. Without cross-jumping
 * every entry keeps its own dispatch jump (GCC otherwise merges the
 * identical tails into one shared, badly predicted jump; crc.bin ran
 * about 1.2x faster with them kept, `coherent run --stats`, best of 5). */
__attribute__((optimize("no-crossjumping")))
static uint64_t run_blocks(struct cpu *c, uint64_t budget)
{
	static void *const tab[BK_COUNT] = {
		[BK_GEN] = &&gen, [BK_MEM] = &&mem, [BK_END] = &&end_op, [BK_NOP] = &&nop,
		[BK_ADDI] = &&addi, [BK_SUBI] = &&subi,
		[BK_ADDSI] = &&addsi, [BK_SUBSI] = &&subsi,
		[BK_MOVI] = &&movi, [BK_MOVK] = &&movk,
		[BK_UBFM] = &&ubfm, [BK_SBFM] = &&sbfm, [BK_MOVR] = &&movr,
		[BK_CSEL] = &&csel, [BK_MADD] = &&madd,
		[BK_LDR] = &&ldr, [BK_STR] = &&str,
		[BK_ANDI] = &&andi, [BK_ORRI] = &&orri, [BK_EORI] = &&eori,
		[BK_ANDSI] = &&andsi,
		[BK_ADR] = &&adr, [BK_ADRP] = &&adrp,
		[BK_AND] = &&and0, &&and1, &&and2,
		[BK_ORR] = &&orr0, &&orr1, &&orr2,
		[BK_EOR] = &&eor0, &&eor1, &&eor2,
		[BK_ANDS] = &&ands0, &&ands1, &&ands2,
		[BK_ADD] = &&add0, &&add1, &&add2,
		[BK_SUB] = &&sub0, &&sub1, &&sub2,
		[BK_ADDS] = &&adds0, &&adds1, &&adds2,
		[BK_SUBS] = &&subs0, &&subs1, &&subs2,
		[BK_B] = &&b, [BK_BL] = &&bl, [BK_BCOND] = &&bcond,
		[BK_CBZ] = &&cbz, [BK_CBNZ] = &&cbnz,
		[BK_TBZ] = &&tbz, [BK_TBNZ] = &&tbnz,
	};
	const struct fetch_cache *f = &c->fetch;
	const uint8_t *page = f->host;
	uint64_t *x = c->x;
	uint64_t pc = c->pc, done = 0, target;
	unsigned pgen = c->pstate_gen;
	const struct bop *o, *ops, *end;
	const uint32_t *w;
	struct block *b;

/* After a load, store or system instruction that took no exception:
 * something the fetch or the run loop's flag test depends on moved. */
#define MOVED()                                                         \
	(c->pstate_gen != pgen || c->ctx_gen != f->gen || c->el != f->el || \
	 !c->powered || c->wfi || c->irq_poll || c->dbg_ss)
next_block:
	b = &blocks[(pc >> 2) & (NBLOCKS - 1)];
	if (__builtin_expect(b->pc != pc || b->host != page ||
			     (b->lines & ~f->lines), 0)) {
		if (!line_served(f->lines, pc)) {
			c->pc = pc;
			return done;
		}
		build(b, pc, page, f->lines);
	}
enter:
	ops = o = b->ops;
	end = ops + (b->n < budget - done ? b->n : budget - done);
	w = (const uint32_t *)(page + (pc & 0xfff));
	if (__builtin_expect(*w != o->insn, 0))
		goto stale;
	goto *tab[o->kind];

#define PC_OF(o) (pc + ((uint64_t)((o) - ops) << 2))
#define NEXT                                                            \
	do {                                                            \
		if (__builtin_expect(++o == end, 0))                    \
			goto fallthrough;                               \
		if (__builtin_expect(*++w != o->insn, 0))               \
			goto stale;                                     \
		goto *tab[o->kind];                                     \
	} while (0)

gen: {
	uint64_t here = PC_OF(o);

	c->pc = here;
	o->fn(c, o->insn);
	if (__builtin_expect(c->pc != here + 4 || c->pstate_gen != pgen, 0)) {
		done += o - ops + 1;
		return done;
	}
	NEXT;
}
mem: {
	/* Loads, stores and system instructions reach the machine: an
	 * exception (PC, PSTATE's generation), a translation, line or
	 * debug change the fetch cache must see (ctx_gen, the EL), an
	 * interrupt to take, WFI, a halt, software step, or a store into
	 * this block (the next entry's word check) ends the block: the
	 * conditions under which the next fetch would have left
	 * cpu_fetch_cached() or cpu_run's flag test. */
	uint64_t here = PC_OF(o);

	c->pc = here;
	o->fn(c, o->insn);
	if (__builtin_expect(c->pc != here + 4 || MOVED(), 0)) {
		done += o - ops + 1;
		return done;
	}
	NEXT;
}
	/* mem's fast case for LDR/STR (unsigned offset): the access
	 * returns false after it took an exception. */
ldr: {
	__uint128_t v;

	c->pc = PC_OF(o);
	if (__builtin_expect(!mem_read(c, (o->n == 31 ? *cpu_sp(c) : x[o->n]) +
					       o->imm, 1u << o->s1, &v,
				       ACC_LOAD), 0))
		return done + (o - ops) + 1;
	if (o->d != 31)
		x[o->d] = (uint64_t)v;
	if (__builtin_expect(MOVED(), 0))
		goto mem_moved;
	NEXT;
}
str:
	c->pc = PC_OF(o);
	if (__builtin_expect(!mem_write(c, (o->n == 31 ? *cpu_sp(c) : x[o->n]) +
						o->imm, 1u << o->s1,
					o->d == 31 ? 0 : x[o->d], ACC_STORE), 0))
		return done + (o - ops) + 1;
	if (__builtin_expect(MOVED(), 0))
		goto mem_moved;
	NEXT;
mem_moved:
	c->pc += 4;
	return done + (o - ops) + 1;
end_op:
	c->pc = PC_OF(o);
	o->fn(c, o->insn);
	return done + (o - ops) + 1;
nop:
	NEXT;
addi:
	x[o->d] = (x[o->n] + o->imm) & MASK(o);
	NEXT;
subi:
	x[o->d] = (x[o->n] - o->imm) & MASK(o);
	NEXT;
addsi: {
	uint32_t nzcv;
	uint64_t r = add_with_carry(x[o->n], o->imm, 0, o->sf, &nzcv);

	c->nzcv = nzcv;
	if (o->d != 31)
		x[o->d] = r;
	NEXT;
}
subsi: {
	uint32_t nzcv;
	uint64_t r = add_with_carry(x[o->n], ~o->imm, 1, o->sf, &nzcv);

	c->nzcv = nzcv;
	if (o->d != 31)
		x[o->d] = r;
	NEXT;
}
movi:
	x[o->d] = o->imm;
	NEXT;
movk:
	x[o->d] = ((x[o->d] & ~(0xffffull << o->s1)) | o->imm) & MASK(o);
	NEXT;
ubfm:
	x[o->d] = ((x[o->n] << o->s1) >> o->s2) & MASK(o);
	NEXT;
sbfm:
	x[o->d] = (uint64_t)((int64_t)(x[o->n] << o->s1) >> o->s2) & MASK(o);
	NEXT;
movr:
	x[o->d] = x[o->m] & MASK(o);
	NEXT;
andi:
	x[o->d] = x[o->n] & o->imm;
	NEXT;
orri:
	x[o->d] = (x[o->n] | o->imm) & MASK(o);
	NEXT;
eori:
	x[o->d] = (x[o->n] ^ o->imm) & MASK(o);
	NEXT;
andsi: {
	uint64_t r = x[o->n] & o->imm;

	c->nzcv = logic_flags(r, o->sf);
	if (o->d != 31)
		x[o->d] = r;
	NEXT;
}
#define RZ(r) ((r) == 31 ? 0 : x[r])
csel:
	x[o->d] = (cond_pass(c->nzcv, o->s1) ? RZ(o->n) :
		   (RZ(o->m) ^ o->imm) + o->s2) & MASK(o);
	NEXT;
madd: {
	uint64_t p = RZ(o->n) * RZ(o->m);

	x[o->d] = (o->s2 ? RZ(o->s1) - p : RZ(o->s1) + p) & MASK(o);
	NEXT;
}
#undef RZ
adr:
	x[o->d] = PC_OF(o) + o->imm;
	NEXT;
adrp:
	x[o->d] = (PC_OF(o) & ~0xfffull) + o->imm;
	NEXT;

#define LOGIC(label, sh, op)                                            \
label:                                                                  \
	x[o->d] = (x[o->n] op (sh(o, x[o->m]) ^ o->imm)) & MASK(o);     \
	NEXT;
#define ANDS(label, sh)                                                 \
label: {                                                                \
	uint64_t r = (x[o->n] & (sh(o, x[o->m]) ^ o->imm)) & MASK(o);   \
	c->nzcv = logic_flags(r, o->sf);                                \
	if (o->d != 31)                                                 \
		x[o->d] = r;                                            \
	NEXT;                                                           \
}
#define ADDSUB(label, sh, op)                                           \
label:                                                                  \
	x[o->d] = (x[o->n] op sh(o, x[o->m])) & MASK(o);                \
	NEXT;
#define ADDSUBS(label, sh, sub)                                         \
label: {                                                                \
	uint32_t nzcv;                                                  \
	uint64_t b2 = sh(o, x[o->m]);                                   \
	uint64_t r = add_with_carry(x[o->n], sub ? ~b2 : b2, sub, o->sf, \
				    &nzcv);                             \
	c->nzcv = nzcv;                                                 \
	if (o->d != 31)                                                 \
		x[o->d] = r;                                            \
	NEXT;                                                           \
}
	LOGIC(and0, SH0, &) LOGIC(and1, SH1, &) LOGIC(and2, SH2, &)
	LOGIC(orr0, SH0, |) LOGIC(orr1, SH1, |) LOGIC(orr2, SH2, |)
	LOGIC(eor0, SH0, ^) LOGIC(eor1, SH1, ^) LOGIC(eor2, SH2, ^)
	ANDS(ands0, SH0) ANDS(ands1, SH1) ANDS(ands2, SH2)
	ADDSUB(add0, SH0, +) ADDSUB(add1, SH1, +) ADDSUB(add2, SH2, +)
	ADDSUB(sub0, SH0, -) ADDSUB(sub1, SH1, -) ADDSUB(sub2, SH2, -)
	ADDSUBS(adds0, SH0, 0) ADDSUBS(adds1, SH1, 0) ADDSUBS(adds2, SH2, 0)
	ADDSUBS(subs0, SH0, 1) ADDSUBS(subs1, SH1, 1) ADDSUBS(subs2, SH2, 1)

	/* Direct branches: the target, then chain within the page. */
b:
	target = PC_OF(o) + o->imm;
	goto branched;
bl:
	x[30] = PC_OF(o) + 4;
	target = PC_OF(o) + o->imm;
	goto branched;
bcond:
	target = PC_OF(o) + (cond_pass(c->nzcv, o->s1) ? o->imm : 4);
	goto branched;
cbz:
	target = PC_OF(o) + ((x[o->d] & MASK(o)) == 0 ? o->imm : 4);
	goto branched;
cbnz:
	target = PC_OF(o) + ((x[o->d] & MASK(o)) != 0 ? o->imm : 4);
	goto branched;
tbz:
	target = PC_OF(o) + (((x[o->d] >> o->s1) & 1) == 0 ? o->imm : 4);
	goto branched;
tbnz:
	target = PC_OF(o) + (((x[o->d] >> o->s1) & 1) != 0 ? o->imm : 4);
	goto branched;

branched:
	done += o - ops + 1;
	if (__builtin_expect(target == pc && done < budget, 1))
		goto enter;     /* a loop of one block: b is still valid */
	pc = target;
	if (done < budget && ((pc ^ f->vpage) & ~0xffcull) == 0)
		goto next_block;
	c->pc = pc;
	return done;

fallthrough:
	/* All entries ran: the block ended at its size, a page or a line
	 * the fetch cache does not serve, or the budget. */
	done += o - ops;
	pc = PC_OF(o);
	if (done < budget && ((pc ^ f->vpage) & ~0xffcull) == 0)
		goto next_block;
	c->pc = pc;
	return done;

stale:
	/* The word at o changed since the block was decoded. */
	done += o - ops;
	pc = PC_OF(o);
	b->pc = 1;
	if (done < budget)
		goto next_block;
	c->pc = pc;
	return done;
#undef NEXT
#undef PC_OF
#undef MOVED
}

uint64_t cpu_run(struct cpu *c, uint64_t n)
{
	uint64_t i = 0;

	if (!ready)
		init();
	while (i < n) {
		if (__builtin_expect(!c->powered || c->wfi || c->irq_poll ||
				     c->dbg_ss, 0)) {
			if (!c->powered || c->wfi)
				break;
			/* Software step (pe/debug.c): the instruction stepped
			 * last completes the step before an interrupt is
			 * taken; then active-pending takes the step exception
			 * instead of the next instruction. */
			if (c->ss_armed)
				cpu_step_finish(c);
			/* Interrupts are taken between instructions. */
			if (c->irq_poll)
				cpu_irq_poll(c);
			if (c->dbg_ss) {
				if (!cpu_step_before(c))
					step(c);
				i++;
				continue;
			}
		}
		if (__builtin_expect(cpu_fetch_cached(c) != 0, 1)) {
			i += run_blocks(c, n - i);
		} else {
			/* A fetch abort still counts as one instruction's
			 * worth of progress. */
			step(c);
			i++;
		}
	}
	c->insns += i;
	return i;
}
