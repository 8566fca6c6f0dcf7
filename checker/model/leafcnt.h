/* Counts of leaves per page of RAM, kept as ranges (docs/model.md
 * "Allocatability"): adding or removing a leaf costs in the number of
 * aligned blocks its page range splits into, not in its pages. */
#ifndef CHECKER_MODEL_LEAFCNT_H
#define CHECKER_MODEL_LEAFCNT_H

#include <stdbool.h>
#include <stdint.h>

struct cachemodel;

/* Levels: blocks of 64^k pages, k = 0 (pages) up to top. */
#define LEAFCNT_LEVELS 8

/* A page's count is the sum of the counters of the blocks that hold it,
 * one per level. The pages' own counters (level 0) are only made for
 * the words (64 pages) a leaf covers in part: a byte each, widened to
 * 32 bits for a word whose byte would overflow. */
struct leafcnt {
	bool made;
	unsigned top;
	uint32_t *lev[LEAFCNT_LEVELS];  /* [k], k >= 1: per block of 64^k */
	uint32_t *slot;                 /* per word: 0, or chunk index + 1
					 * shifted left once, low bit: wide */
	uint8_t (*narrow)[64];
	uint32_t (*wide)[64];
	uint32_t nnarrow, capnarrow, nwide, capwide;
};

/* Words w0 <= w < w1 some of whose pages' counts may have crossed zero. */
typedef void leafcnt_touch_fn(void *ctx, uint64_t w0, uint64_t w1);

/* delta (+1 or -1) on the pages lo <= pg < hi <= cm->npages. */
void leafcnt_add(struct cachemodel *cm, struct leafcnt *c, uint64_t lo,
		 uint64_t hi, int delta, leafcnt_touch_fn *touch, void *ctx);
/* Bit b set for the pages 64 * w + b with a count, b < 64, in valid. */
uint64_t leafcnt_word(const struct leafcnt *c, uint64_t w, uint64_t valid);
void leafcnt_free(struct leafcnt *c);

/* Counters changed since the program started: the tests measure with
 * it what a leaf costs. */
extern uint64_t leafcnt_updates;

#endif
