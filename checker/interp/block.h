/* Predecoded basic blocks for cpu_run (interp/exec_block.c).
 *
 * A block is the run of instructions from one PC to the first branch,
 * an exception-generating instruction, the first load, store or system
 * instruction that changes what the fetch or the run loop depends on,
 * the end of its page, the end of the lines the fetch
 * cache serves, or BLOCK_MAX instructions. Each entry holds the word it
 * was decoded from: decode reads nothing but the word, so an entry is
 * valid exactly while the word in memory is still that word. */
#ifndef CHECKER_BLOCK_H
#define CHECKER_BLOCK_H

#include <stdint.h>

#include "interp/exec.h"

#define BLOCK_MAX 16

/* How an entry runs (the dispatch table in exec_block.c). The first
 * three call an executor: BK_GEN one that touches only registers, NZCV
 * and PC unless it takes an exception; BK_MEM a load, store or system
 * instruction, after which the block goes on only if nothing a fetch or
 * the run loop depends on changed; BK_END any other (exception
 * generation, unallocated) or a branch, after which the block ends. The others run inline on predecoded fields. */
enum bkind {
	BK_GEN, BK_MEM, BK_END, BK_NOP,
	BK_ADDI, BK_SUBI, BK_ADDSI, BK_SUBSI,
	BK_MOVI, BK_MOVK, BK_UBFM, BK_SBFM, BK_MOVR,
	BK_CSEL, BK_MADD,        /* these two read register 31 as zero */
	BK_LDR, BK_STR,          /* Rn 31 is SP, Rt 31 is ZR; as BK_MEM */
	BK_ANDI, BK_ORRI, BK_EORI, BK_ANDSI,  /* logical (immediate) */
	BK_ADR, BK_ADRP,
	/* Logical and add/subtract (shifted register): op * 3 + shift type
	 * (LSL, LSR, ASR). */
	BK_AND, BK_ORR = BK_AND + 3, BK_EOR = BK_AND + 6, BK_ANDS = BK_AND + 9,
	BK_ADD = BK_AND + 12, BK_SUB = BK_ADD + 3, BK_ADDS = BK_ADD + 6,
	BK_SUBS = BK_ADD + 9,
	/* Direct branches: end the block, chain to the next one. */
	BK_B = BK_ADD + 12, BK_BL, BK_BCOND, BK_CBZ, BK_CBNZ, BK_TBZ, BK_TBNZ,
	BK_COUNT
};

struct bop {
	uint32_t insn;           /* the word decoded */
	uint8_t kind;            /* enum bkind */
	uint8_t d, n, m;         /* Rd/Rt, Rn, Rm (never 31 in inline kinds
				  * that read or write them) */
	uint8_t s1, s2;          /* shift amounts, condition, bit number,
				  * Ra; CSINC/CSNEG's increment, MSUB */
	uint8_t tr;              /* 0 for 64-bit operations, 32 for 32-bit */
	uint8_t sf;              /* 64-bit operation */
	uint64_t imm;            /* immediate, branch offset, operand XOR */
	exec_fn *fn;             /* the executor (BK_GEN, BK_MEM, BK_END) */
};

struct block {
	uint64_t pc;             /* first instruction; 1: no block */
	const uint8_t *host;     /* the host page it was decoded from */
	uint64_t lines;          /* the 64-byte lines of the page it spans */
	unsigned n;
	struct bop ops[BLOCK_MAX];
};

/* Decode one word into *o; true if the block ends after it. */
bool block_decode(struct bop *o, uint32_t insn);

#endif
