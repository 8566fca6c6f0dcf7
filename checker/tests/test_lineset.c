/* The interned configuration sets (checker/model/lineset.c) under many
 * live sets: the intern table rebuilt by a collection, and the
 * collection policy's cost. The sets are global to the process and the
 * cases run in order, each on configurations no other case makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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
	/* 2,000 calls, each after a 2 KiB set: with the budget doubling over
	 * what survived, a handful of collections (the old policy: 4,000) */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rebuild_with_many_live_sets),
		cmocka_unit_test(transient_sets_collected),
		cmocka_unit_test(collections_amortised),
		cmocka_unit_test(stale_copies_of_a_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
