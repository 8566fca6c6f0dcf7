/* The interned configuration sets (checker/model/lineset.c) under many
 * live sets: the intern table rebuilt by a collection, and the
 * collection policy's cost. The sets are global to the process and the
 * cases run in order, each on configurations no other case makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/lineset.h"
#include "model/sink.h"

/* A set of n configurations, distinct from every other (tag, i, n): only
 * memory stale, no cached copy, so that the closure at AL_NONE adds
 * nothing and the set holds exactly these n. */
static uint32_t make_set(uint64_t tag, uint64_t i, size_t n)
{
	struct lcfg c[64];

	for (size_t k = 0; k < n; k++)
		c[k] = (struct lcfg){ .m = tag << 56 | i << 8 | k };
	return ls_make(c, n, AL_NONE);
}

struct roots {
	const uint32_t *id;
	size_t n;
};

static void mark(void *arg)
{
	const struct roots *r = arg;

	for (size_t i = 0; i < r->n; i++)
		ls_gc_mark(r->id[i]);
}

/* More live sets than the intern table's initial 1,024 slots: the table
 * a collection rebuilds must hold them all (it was rebuilt at 1,024 slots
 * and filled before growing, and the probe for a free slot never ended),
 * and every set must still be found by content afterwards. */
static void rebuild_with_many_live_sets(void **state)
{
	enum { LIVE = 3000, DEAD = 500 };
	static uint32_t id[LIVE];
	struct roots r = { id, LIVE };
	size_t before;

	(void)state;
	ls_init();
	before = ls_count();
	for (size_t i = 0; i < LIVE; i++)
		id[i] = make_set(1, i, 1);
	for (size_t i = 0; i < DEAD; i++)
		make_set(2, i, 1);
	assert_int_equal(ls_count(), before + LIVE + DEAD);

	ls_gc_begin(false);
	mark(&r);
	ls_gc_end();
	/* the unmarked ones went, the marked ones stayed... */
	assert_true(ls_count() <= before + LIVE);
	assert_true(ls_count() >= LIVE);
	for (size_t i = 0; i < LIVE; i++) {
		assert_int_equal(ls_size(id[i]), 1);
		assert_int_equal(ls_cfgs(id[i])[0].m, 1ull << 56 | i << 8);
	}
	/* ...and are interned: the same content gives the same id, no new
	 * set */
	before = ls_count();
	for (size_t i = 0; i < LIVE; i++)
		assert_int_equal(make_set(1, i, 1), id[i]);
	assert_int_equal(ls_count(), before);
	/* a collected set is made anew, once */
	for (size_t i = 0; i < DEAD; i++)
		make_set(2, i, 1);
	assert_int_equal(ls_count(), before + DEAD);
	for (size_t i = 0; i < DEAD; i++)
		make_set(2, i, 1);
	assert_int_equal(ls_count(), before + DEAD);
	/* and a second collection with as many live sets works as well */
	ls_gc_begin(false);
	mark(&r);
	ls_gc_end();
	for (size_t i = 0; i < LIVE; i++)
		assert_int_equal(make_set(1, i, 1), id[i]);
}

/* Transient sets (nothing holds them) are collected: memory stays near
 * the budget however many are made. Made without collecting, these would
 * take about 40 MiB. */
static void transient_sets_collected(void **state)
{
	enum { MADE = 60000 };
	struct roots none = { NULL, 0 };
	unsigned long runs = ls_gc_runs();
	size_t peak = 0;

	(void)state;
	for (size_t i = 0; i < MADE; i++) {
		make_set(3, i, 16);
		ls_gc_maybe(mark, &none);
		if (ls_bytes() > peak)
			peak = ls_bytes();
	}
	assert_true(ls_gc_runs() > runs);
	assert_true(peak < (size_t)12 << 20);
}

/* Live sets above the budget: each collection must be paid for by new
 * sets, not run (twice) after every operation as a fixed budget did once
 * what is live exceeds it. The first loop makes about 8 MiB of live sets,
 * the second another 4 MiB, one set per call of the policy. */
static void collections_amortised(void **state)
{
	enum { FIRST = 4000, MORE = 2000, N = FIRST + MORE };
	static uint32_t id[N];
	struct roots r = { id, 0 };
	unsigned long runs;

	(void)state;
	for (size_t i = 0; i < FIRST; i++) {
		id[r.n++] = make_set(4, i, 64);
		ls_gc_maybe(mark, &r);
	}
	runs = ls_gc_runs();
	for (size_t i = FIRST; i < N; i++) {
		id[r.n++] = make_set(4, i, 64);
		ls_gc_maybe(mark, &r);
	}
	/* 2,000 calls, each after a 2 KiB set: with the budget at what
	 * survived plus half of it, a handful of collections (the old policy: 4,000) */
	assert_true(ls_gc_runs() - runs <= 8);
	/* nothing live was lost */
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(ls_size(id[i]), 64);
		assert_int_equal(make_set(4, i, 64), id[i]);
	}
}

/* ls_stale_copies (the HTML timeline): a clean cached copy a
 * non-cacheable store bypasses becomes stale in U and P, memory stays
 * fresh; invalidating the line leaves nothing stale. */
static void stale_copies_of_a_set(void **state)
{
	struct lcfg c = { .us = CS_CLEAN, .ps = CS_CLEAN };
	uint32_t id, st;

	(void)state;
	assert_int_equal(ls_stale_copies(LS_FRESH), 0);
	id = ls_make(&c, 1, AL_NONE);
	assert_int_equal(ls_stale_copies(id), 0);
	st = ls_stale_copies(ls_step(id, LS_STORE_NC, 0xff, AL_NONE));
	assert_int_equal(st, STALE_COPY(COPY_U) | STALE_COPY(COPY_P));
	id = ls_step(id, LS_STORE_NC, 0xff, AL_NONE);
	assert_int_equal(ls_stale_copies(ls_step(id, LS_IVAC, ~0ull, AL_NONE)), 0);
	/* a cacheable store: U holds the latest, P and M are older */
	id = ls_make(&c, 1, AL_NONE);
	st = ls_stale_copies(ls_step(id, LS_STORE_C, 0xff, AL_NONE));
	assert_int_equal(st, STALE_COPY(COPY_P) | STALE_COPY(COPY_M));
}

/* The stale copies are kept per set from its interning: an id a
 * collection freed and a new set reused answers for the new set. */
static void stale_copies_of_a_reused_id(void **state)
{
	struct lcfg m = { .m = 0xff }, u = { .u = 0xff, .us = CS_DIRTY };
	uint32_t a, b;

	(void)state;
	/* nothing held: the next free id is the next one collected */
	ls_gc_begin(false);
	ls_gc_end();
	a = ls_make(&m, 1, AL_NONE);
	assert_int_equal(ls_stale_copies(a), STALE_COPY(COPY_M));
	ls_gc_begin(false);
	ls_gc_end();
	b = ls_make(&u, 1, AL_NONE);
	assert_int_equal(b, a);
	/* U Dirty stale, its write-backs make P and M stale, nothing is
	 * fresh-cached: the new set's own copies, none left from a's */
	assert_int_equal(ls_stale_copies(b),
			 STALE_COPY(COPY_U) | STALE_COPY(COPY_P) |
			 STALE_COPY(COPY_M));
	ls_gc_begin(false);
	ls_gc_end();
	m.m = 0;
	m.us = CS_CLEAN;
	m.u = 0;
	b = ls_make(&m, 1, AL_NONE);
	assert_int_equal(b, a);
	assert_int_equal(ls_stale_copies(b), 0);
}

/* Whether sets a and b hold the same configurations (a set is interned
 * once, so the same array). */
static void assert_same_set(uint32_t a, uint32_t b)
{
	assert_int_equal(ls_size(a), ls_size(b));
	assert_memory_equal(ls_cfgs(a), ls_cfgs(b), ls_size(a) * sizeof(struct lcfg));
	assert_int_equal(ls_flags(a), ls_flags(b));
	assert_int_equal(ls_pou_union(a), ls_pou_union(b));
	assert_int_equal(ls_stale_copies(a), ls_stale_copies(b));
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Store chains (docs/model.md "Store chains") against the exact sets:
 * random runs of cacheable stores (LS_STORE_C: chains; LS_STORE_CX: the
 * exact closure per store) from quiet sets, each followed by an
 * operation that reads the configurations. Checked here directly and,
 * with the exactness check on, inside lineset.c too. */
static void chains_equal_exact_sets(void **state)
{
	static const uint64_t pool[] = {
		0xff, 0xff00, 0xff0000, 0xffull << 56, 1, 2, 0x80, 0xffff,
		0xffffffff, 0xffffffffull << 32, ~0ull, 0x0f0f, 0x100,
	};
	static const enum ls_op ops[] = {
		LS_LOAD_C, LS_LOAD_NC, LS_LOAD_NCHIT, LS_FETCH_C, LS_STORE_NC,
		LS_CVAU, LS_CVAC, LS_CIVAC, LS_IVAC, LS_CSW_U, LS_ISW_P,
	};
	struct lcfg dirty[2] = {
		{ .us = CS_DIRTY, .m = ~0ull },
		{ .ps = CS_DIRTY, .m = 0xff00 },
	};
	uint32_t bases[3];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned long made = ls_chains_made();

	(void)state;
	bases[0] = LS_FRESH;
	bases[1] = ls_make(dirty, 2, AL_UP);
	bases[2] = ls_make(dirty, 1, AL_P);
	ls_set_exact_check(true);
	for (int round = 0; round < 300; round++) {
		uint32_t c = bases[round % 3], x = c;
		int n = 1 + rnd(&seed) % 40;

		for (int k = 0; k < n; k++) {
			/* few distinct masks: repeats, as in loops */
			uint64_t m = pool[rnd(&seed) % (3 + round % 11)];

			c = ls_step(c, LS_STORE_C, m, AL_UP);
			x = ls_step(x, LS_STORE_CX, m, AL_UP);
			assert_same_set(c, x);
			if (rnd(&seed) % 4 == 0) {
				/* a cacheable load: nothing stale, no change */
				struct ls_result r = ls_apply(c, LS_LOAD_C, m, AL_UP);

				assert_int_equal(r.verdict, V_FRESH);
				assert_int_equal(r.id, c);
			}
		}
		{
			enum ls_op op = ops[rnd(&seed) % (sizeof(ops) / sizeof(ops[0]))];
			uint64_t m = pool[rnd(&seed) % 13];
			enum alloc_level al = rnd(&seed) % 3;
			struct ls_result rc = ls_apply(c, op, m, al);
			struct ls_result rx = ls_apply(x, op, m, al);

			assert_int_equal(rc.verdict, rx.verdict);
			assert_int_equal(rc.copy, rx.copy);
			assert_int_equal(rc.stale, rx.stale);
			assert_same_set(rc.id, rx.id);
		}
	}
	ls_set_exact_check(false);
	assert_true(ls_chains_made() > made);
}

/* A store loop costs no closure: stores and cacheable loads of a chain
 * compute no exact set, and a store repeated on the same bytes reaches
 * a fixpoint (its runs are capped), as the exact sets do. */
static void chains_cost_no_closure(void **state)
{
	unsigned long exp0 = ls_chains_expanded();
	uint32_t id = LS_FRESH, prev = LS_FRESH;

	(void)state;
	for (unsigned i = 0; i < 64; i++) {
		id = ls_step(id, LS_STORE_C, 1ull << i, AL_UP);
		assert_int_equal(ls_apply(id, LS_LOAD_C, ~0ull, AL_UP).id, id);
	}
	assert_int_equal(ls_chains_expanded(), exp0);
	for (unsigned i = 0; i < 8; i++) {
		prev = id;
		id = ls_step(id, LS_STORE_C, 0xff, AL_UP);
	}
	assert_int_equal(id, prev);
	assert_int_equal(ls_chains_expanded(), exp0);
	/* a clean or clean and invalidate to the PoC leaves what it
	 * leaves id 0, at every level, without the configurations */
	for (unsigned al = AL_NONE; al <= AL_UP; al++) {
		assert_int_equal(ls_step(id, LS_CVAC, ~0ull, al),
				 ls_step(LS_FRESH, LS_CVAC, ~0ull, al));
		assert_int_equal(ls_step(id, LS_CIVAC, ~0ull, al),
				 ls_step(LS_FRESH, LS_CIVAC, ~0ull, al));
	}
	assert_int_equal(ls_chains_expanded(), exp0);
	/* an invalidate reads them: the chain is expanded (with the chains
	 * it was made from), once */
	ls_step(id, LS_IVAC, ~0ull, AL_UP);
	exp0 = ls_chains_expanded();
	assert_true(exp0 > 0);
	ls_step(id, LS_IVAC, ~0ull, AL_NONE);
	assert_int_equal(ls_chains_expanded(), exp0);
}

/* Expanding a chain of k stores interns the exact set it needs, not
 * the k - 1 sets before it, each up to O(k^2) configurations. */
static void chains_expand_interns_one_set(void **state)
{
	uint32_t id = LS_FRESH;
	size_t n0;

	(void)state;
	for (unsigned i = 0; i < 64; i++)
		id = ls_step(id, LS_STORE_C, 1ull << ((i * 7) & 63), AL_UP);
	n0 = ls_count();
	ls_step(id, LS_CVAC, ~0ull, AL_UP);
	/* the exact set and the clean's result */
	assert_true(ls_count() <= n0 + 2);
}

/* A chain whose history was collected (only the chain held) expands
 * from its runs (lineset.c replay) to the set the exact stores give. */
static void chains_expand_after_collection(void **state)
{
	static const uint64_t pool[] = {
		0xff, 0xff00, 0xf0, 0xffull << 56, 1, 0x80, 0xffff, ~0ull,
	};
	struct lcfg dirty[2] = {
		{ .us = CS_DIRTY, .m = ~0ull },
		{ .ps = CS_DIRTY, .m = 0xff00 },
	};
	uint64_t seed = 0x2545f4914f6cdd1dull;

	(void)state;
	for (int round = 0; round < 60; round++) {
		uint32_t base = round % 2 ? LS_FRESH : ls_make(dirty, 2, AL_UP);
		uint32_t c = base, held[2];
		uint64_t m[40];
		int n = 2 + rnd(&seed) % 39;
		struct roots r = { held, 2 };

		for (int k = 0; k < n; k++) {
			m[k] = pool[rnd(&seed) % 8];
			c = ls_step(c, LS_STORE_C, m[k], AL_UP);
		}
		held[0] = c;
		held[1] = base;
		ls_gc_begin(false);
		mark(&r);
		ls_gc_end();
		{
			uint32_t x = base;

			for (int k = 0; k < n; k++)
				x = ls_step(x, LS_STORE_CX, m[k], AL_UP);
			assert_same_set(c, x);
		}
	}
}

/* LSF_QUIET_STORE_NC/WT (the store fast path, model/quiet.c): a set
 * with the flag is kept by that store of any bytes at the level it is
 * closed at. Over the single-configuration sets of masks none, one
 * byte, all, closed at NONE and at UP; a copy that a non-cacheable store
 * would leave stale (valid, fresh somewhere) takes the flag away, and a
 * set not closed at UP has no Write-Through flag (such a store may
 * allocate the line). */
static void store_flags_mean_kept_sets(void **state)
{
	static const uint64_t masks[] = { 0, 0xff, ~0ull };
	static const uint64_t stores[] = { 1, 0xff00, 0x8000000000000001ull,
					   ~0ull };
	static const struct {
		enum ls_op op;
		uint32_t flag;
	} kinds[] = { { LS_STORE_NC, LSF_QUIET_STORE_NC },
		      { LS_STORE_WT, LSF_QUIET_STORE_WT } };
	unsigned flagged[2] = { 0, 0 };
	struct lcfg none = { .us = CS_INV, .ps = CS_INV };
	struct lcfg clean = { .us = CS_CLEAN, .ps = CS_INV };

	(void)state;
	for (unsigned k = 0; k < 3 * 3 * 3 * 3 * 3 * 2; k++) {
		struct lcfg c = {
			.us = k % 3, .ps = k / 3 % 3, .u = masks[k / 9 % 3],
			.p = masks[k / 27 % 3], .m = masks[k / 81 % 3],
		};
		enum alloc_level al = k / 243 ? AL_UP : AL_NONE;
		uint32_t id = ls_make(&c, 1, al);

		for (unsigned t = 0; t < 2; t++) {
			if (!(ls_flags(id) & kinds[t].flag))
				continue;
			flagged[t]++;
			for (unsigned b = 0; b < 4; b++)
				assert_int_equal(ls_step(id, kinds[t].op,
							 stores[b], al), id);
		}
	}
	assert_true(flagged[0] > 0 && flagged[1] > 0);
	assert_true(ls_flags(ls_make(&none, 1, AL_NONE)) & LSF_QUIET_STORE_NC);
	/* a Write-Through store may allocate: kept once closed at UP */
	assert_false(ls_flags(ls_make(&none, 1, AL_NONE)) & LSF_QUIET_STORE_WT);
	assert_true(ls_flags(ls_make(&none, 1, AL_UP)) & LSF_QUIET_STORE_WT);
	assert_false(ls_flags(ls_make(&clean, 1, AL_NONE)) &
		     LSF_QUIET_STORE_NC);
}

/* A transition asked for again after a collection freed its result is
 * computed again: the memo and its direct-mapped front (lineset.c) keep
 * no entry naming a freed id, even when a new set has taken the id. */
static void transition_after_its_result_was_collected(void **state)
{
	struct lcfg c = { .us = CS_DIRTY, .m = 0xf0f0 };
	static uint32_t made[4096];
	struct roots r = { made, 0 };
	struct lcfg before[64];
	uint32_t a, x, y;
	size_t n;

	(void)state;
	a = ls_make(&c, 1, AL_NONE);
	x = ls_step(a, LS_IVAC, ~0ull, AL_NONE);
	assert_int_not_equal(x, a);
	n = ls_size(x);
	assert_true(n > 0 && n <= 64);
	memcpy(before, ls_cfgs(x), n * sizeof(*before));
	/* twice: the second is answered by the memo */
	assert_int_equal(ls_step(a, LS_IVAC, ~0ull, AL_NONE), x);
	ls_gc_begin(false);
	ls_gc_mark(a);
	ls_gc_end();
	/* new sets until one takes x's id (held, so that none is freed) */
	while (r.n < 4096) {
		made[r.n] = make_set(5, r.n, 1);
		if (made[r.n++] == x)
			break;
	}
	assert_int_equal(made[r.n - 1], x);
	y = ls_step(a, LS_IVAC, ~0ull, AL_NONE);
	assert_int_not_equal(y, x);
	assert_int_equal(ls_size(y), n);
	assert_memory_equal(ls_cfgs(y), before, n * sizeof(*before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rebuild_with_many_live_sets),
		cmocka_unit_test(transient_sets_collected),
		cmocka_unit_test(collections_amortised),
		cmocka_unit_test(stale_copies_of_a_set),
		cmocka_unit_test(stale_copies_of_a_reused_id),
		cmocka_unit_test(chains_equal_exact_sets),
		cmocka_unit_test(chains_cost_no_closure),
		cmocka_unit_test(chains_expand_after_collection),
		cmocka_unit_test(store_flags_mean_kept_sets),
		cmocka_unit_test(transition_after_its_result_was_collected),
		cmocka_unit_test(chains_expand_interns_one_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
