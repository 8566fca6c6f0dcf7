/* The interpreter's main loop and top-level decode.
 * Arm ARM C4.1 "A64 instruction set encoding": op0 = insn[28:25] selects
 * the main encoding group; each group lives in its own exec_*.c file. */
#include <string.h>

#include "interp/exec.h"
#include "interp/exec_util.h"

const uint16_t exec_cond_table[16] = {
	COND_MASK(0),  COND_MASK(1),  COND_MASK(2),  COND_MASK(3),
	COND_MASK(4),  COND_MASK(5),  COND_MASK(6),  COND_MASK(7),
	COND_MASK(8),  COND_MASK(9),  COND_MASK(10), COND_MASK(11),
	COND_MASK(12), COND_MASK(13), COND_MASK(14), COND_MASK(15),
};

bool cond_holds(uint32_t nzcv, unsigned cond)
{
	return cond_pass(nzcv, cond & 15);
}

exec_fn *exec_decode(uint32_t insn)
{
	switch (BITS(insn, 28, 25)) {
	case 0x8: case 0x9:                     /* 100x */
		return decode_dp_imm(insn);
	case 0xa: case 0xb:                     /* 101x */
		return decode_branch_sys(insn);
	case 0x4: case 0x6: case 0xc: case 0xe: /* x1x0 */
		return exec_ldst;
	case 0x5: case 0xd:                     /* x101 */
		return decode_dp_reg(insn);
	case 0x7: case 0xf:                     /* x111 */
		return exec_fp;
	default:
		/* 0000 reserved (UDF, SME), 0001/0011 unallocated, 0010 SVE:
		 * none is implemented by this PE. */
		return cpu_undef;
	}
}

void cpu_exec_one(struct cpu *c, uint32_t insn)
{
	exec_decode(insn)(c, insn);
}

/* Decoded instructions, direct-mapped by PC and tagged with the word
 * itself: exec_decode() reads nothing but the word, so an entry whose tag
 * equals the word just fetched is that word's executor, whatever wrote
 * the word (self- or cross-modifying code), whichever PE, EL or mapping
 * fetched it. Every instruction is still fetched as before, so the cache
 * model sees the same fetches and nothing here is ever invalidated. */
#define DCACHE_SIZE 4096
static struct dcache_entry {
	uint32_t insn;
	exec_fn *fn;
} dcache[DCACHE_SIZE];
static bool dcache_ready;

static void dcache_init(void)
{
	exec_fn *fn = exec_decode(0);

	for (unsigned i = 0; i < DCACHE_SIZE; i++)
		dcache[i] = (struct dcache_entry){0, fn};
	dcache_ready = true;
}

uint64_t cpu_run(struct cpu *c, uint64_t n)
{
	uint64_t i;

	if (!dcache_ready)
		dcache_init();
	for (i = 0; i < n; i++) {
		struct dcache_entry *e;
		const uint8_t *p;
		uint32_t insn;

		if (__builtin_expect(!c->powered || c->wfi || c->irq_poll ||
				     c->dbg_ss, 0)) {
			if (!c->powered || c->wfi)
				break;
			/* Software step (pe/debug.c): the instruction stepped
			 * last completes the step before an interrupt is
			 * taken; then active-pending takes the step exception
			 * instead of the next instruction. All of it here, so
			 * the fetch and execute below stay one inlined site. */
			if (c->ss_armed)
				cpu_step_finish(c);
			/* Interrupts are taken between instructions. */
			if (c->irq_poll)
				cpu_irq_poll(c);
			if (c->dbg_ss && cpu_step_before(c))
				continue;
		}
		p = cpu_fetch_cached(c);
		if (__builtin_expect(p != 0, 1))
			memcpy(&insn, p, 4);
		else if (!mem_fetch(c, &insn))
			/* A fetch abort has already been taken; it still
			 * counts as one instruction's worth of progress. */
			continue;
		e = &dcache[(c->pc >> 2) & (DCACHE_SIZE - 1)];
		if (__builtin_expect(e->insn != insn, 0))
			*e = (struct dcache_entry){insn, exec_decode(insn)};
		e->fn(c, insn);
	}
	c->insns += i;
	return i;
}
