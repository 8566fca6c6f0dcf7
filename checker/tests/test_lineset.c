/* The interned configuration sets (checker/model/lineset.c) under many
 * live sets: the intern table rebuilt by a collection. The sets are
 * global to the process and the cases run in order, each on
 * configurations no other case makes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model/lineset.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rebuild_with_many_live_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
