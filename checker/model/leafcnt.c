/* Leaves per page as ranges (leafcnt.h). A leaf's pages [lo, hi) are
 * cut as a 64-ary segment tree cuts a range, without propagation: at
 * each level the blocks at either end that are not part of a whole
 * block of the next level are counted at this one (at most 63 per end),
 * the rest goes up. A 1 GiB block is then a few dozen counters, where a
 * counter per page made it 262,144. The sum over the levels of the
 * counters of the blocks holding a page is the number of leaves that
 * cover it, as a counter per page would have it: every page of [lo, hi)
 * is in exactly one of the blocks counted, and no other page is. */
#include "model/leafcnt.h"
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

uint64_t leafcnt_updates;

static void make(struct cachemodel *cm, struct leafcnt *c)
{
	uint64_t n = cm->npages;

	c->made = true;
	c->slot = cm_alloc(cm, cm->nwords * sizeof(*c->slot));
	for (c->top = 0; n > 64; ) {
		n = (n + 63) >> 6;
		c->lev[++c->top] = cm_alloc(cm, n * sizeof(uint32_t));
	}
}

/* Room for one more chunk of sz bytes in *pool, counted in cm->bytes. */
static void *grow(struct cachemodel *cm, void *pool, uint32_t *cap,
		  uint32_t n, size_t sz)
{
	uint32_t nc;

	if (n < *cap)
		return pool;
	nc = *cap ? *cap * 2 : 16;
	pool = realloc(pool, nc * sz);
	if (!pool)
		abort();
	cm->bytes += (nc - *cap) * sz;
	*cap = nc;
	return pool;
}

/* The page counters of word w, made narrow (zero) if it has none. */
static uint32_t chunk_of(struct cachemodel *cm, struct leafcnt *c,
			 uint64_t w)
{
	if (!c->slot[w]) {
		c->narrow = grow(cm, c->narrow, &c->capnarrow, c->nnarrow,
				 sizeof(*c->narrow));
		memset(c->narrow[c->nnarrow], 0, sizeof(*c->narrow));
		c->slot[w] = ++c->nnarrow << 1;
	}
	return c->slot[w];
}

/* Word w's bytes become 32-bit counters; its narrow chunk stays unused
 * (rare: a page under more than 255 leaves). */
static void widen(struct cachemodel *cm, struct leafcnt *c, uint64_t w)
{
	const uint8_t *b = c->narrow[(c->slot[w] >> 1) - 1];

	c->wide = grow(cm, c->wide, &c->capwide, c->nwide, sizeof(*c->wide));
	for (unsigned i = 0; i < 64; i++)
		c->wide[c->nwide][i] = b[i];
	c->slot[w] = (++c->nwide << 1) | 1;
}

/* delta on page pg's own counter: did it cross zero? */
static bool page_add(struct cachemodel *cm, struct leafcnt *c, uint64_t pg,
		     int delta)
{
	uint64_t w = pg >> 6;
	uint32_t s = chunk_of(cm, c, w);

	if (!(s & 1)) {
		uint8_t *b = &c->narrow[(s >> 1) - 1][pg & 63];

		if (delta < 0)
			return --*b == 0;
		if (*b < UINT8_MAX)
			return (*b)++ == 0;
		widen(cm, c, w);
		s = c->slot[w];
	}
	{
		uint32_t *x = &c->wide[(s >> 1) - 1][pg & 63];

		return delta > 0 ? (*x)++ == 0 : --*x == 0;
	}
}

/* delta on the blocks lo <= u < hi of level k. */
static void blocks_add(struct cachemodel *cm, struct leafcnt *c, unsigned k,
		       uint64_t lo, uint64_t hi, int delta,
		       leafcnt_touch_fn *touch, void *ctx)
{
	unsigned sh = k ? 6 * (k - 1) : 0;

	for (uint64_t u = lo; u < hi; u++) {
		bool edge;

		leafcnt_updates++;
		if (!k) {
			if (page_add(cm, c, u, delta))
				touch(ctx, u >> 6, (u >> 6) + 1);
			continue;
		}
		edge = delta > 0 ? c->lev[k][u]++ == 0 : --c->lev[k][u] == 0;
		if (edge) {
			uint64_t w1 = (u + 1) << sh;

			touch(ctx, u << sh, w1 < cm->nwords ? w1 : cm->nwords);
		}
	}
}

void leafcnt_add(struct cachemodel *cm, struct leafcnt *c, uint64_t lo,
		 uint64_t hi, int delta, leafcnt_touch_fn *touch, void *ctx)
{
	uint64_t n = cm->npages;

	if (!c->made)
		make(cm, c);
	for (unsigned k = 0; lo < hi; k++) {
		/* A range that reaches the end of RAM takes the last block
		 * of each level whole: the pages past the end are never
		 * asked for. */
		uint64_t la = (lo + 63) & ~63ull;
		uint64_t hb = hi == n ? (hi + 63) & ~63ull : hi & ~63ull;

		if (k == c->top || la >= hb) {
			blocks_add(cm, c, k, lo, hi, delta, touch, ctx);
			return;
		}
		blocks_add(cm, c, k, lo, la, delta, touch, ctx);
		blocks_add(cm, c, k, hb, hi, delta, touch, ctx);
		lo = la >> 6;
		hi = hb >> 6;
		n = (n + 63) >> 6;
	}
}

uint64_t leafcnt_word(const struct leafcnt *c, uint64_t w, uint64_t valid)
{
	uint64_t m = 0, u = w;
	uint32_t s;

	if (!c->made)
		return 0;
	for (unsigned k = 1; k <= c->top; k++, u >>= 6)
		if (c->lev[k][u])
			return valid;
	s = c->slot[w];
	if (!s)
		return 0;
	if (s & 1) {
		const uint32_t *x = c->wide[(s >> 1) - 1];

		for (unsigned b = 0; b < 64; b++)
			m |= (uint64_t)(x[b] != 0) << b;
	} else {
		const uint8_t *x = c->narrow[(s >> 1) - 1];

		for (unsigned b = 0; b < 64; b++)
			m |= (uint64_t)(x[b] != 0) << b;
	}
	return m & valid;
}

void leafcnt_free(struct leafcnt *c)
{
	for (unsigned k = 1; k <= c->top; k++)
		free(c->lev[k]);
	free(c->slot);
	free(c->narrow);
	free(c->wide);
	memset(c, 0, sizeof(*c));
}
