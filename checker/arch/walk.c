/* walk_leaves: the enumeration half of the one table walker (walk.h). */
#include "arch/walk.h"

#include <string.h>

struct enum_walk {
	walk_table_fn table;
	walk_leaf_fn leaf;
	void *ctx;
	uint64_t lo, hi;
};

uint64_t walk_leaves_reads;

static void enum_table(const struct enum_walk *e, unsigned level,
		       uint64_t tpa, uint64_t nent, uint64_t vabase,
		       unsigned xn_t, unsigned pxn_t)
{
	const uint8_t *t = e->table(e->ctx, tpa, nent, level, vabase);
	unsigned shift = desc_shift(level);
	uint64_t size = 1ull << shift, first = 0, last = nent;

	if (!t)
		return;
	/* Only the entries that meet [lo, hi]: a re-read of one entry
	 * (ptshadow.c) would otherwise scan 512 entries per level. */
	if (e->lo > vabase)
		first = (e->lo - vabase) >> shift;
	if (e->hi < vabase)
		return;
	if ((e->hi - vabase) >> shift < nent)
		last = ((e->hi - vabase) >> shift) + 1;
	for (uint64_t i = first; i < last; i++) {
		uint64_t d, va = vabase + (i << shift);

		if (va + (size - 1) < e->lo || va > e->hi)
			continue;
		memcpy(&d, t + 8 * i, 8);
		walk_leaves_reads++;
		switch (desc_kind(d, level)) {
		case DK_INVALID:
		case DK_RESERVED:
			continue;
		case DK_TABLE:
			enum_table(e, level + 1, d & DESC_OA_MASK, 512, va,
				   xn_t | !!(d & DESC_XNTABLE),
				   pxn_t | !!(d & DESC_PXNTABLE));
			continue;
		case DK_LEAF:
			e->leaf(e->ctx, va, size, level, d, xn_t, pxn_t);
			continue;
		}
	}
}

void walk_leaves(const struct walk_tree *t, uint64_t va_lo, uint64_t va_hi,
		 walk_table_fn table, walk_leaf_fn leaf, void *ctx)
{
	struct ttw_geom g = tree_geometry(t);
	struct enum_walk e = { table, leaf, ctx, va_lo, va_hi };

	if (g.bad)
		return;
	enum_table(&e, g.start, t->ttbr & g.base_mask, g.nent,
		   t->top ? ~0ull << g.vabits : 0, 0, 0);
}
