/* The event history: per-line chains, PE-wide events merged in, and
 * wrap-around of both rings. */
#include "machine_fixture.h"

#include "report/history.h"
#include "report/findings.h"

static int setup(void **s)
{
	(void)s;
	fx_setup(1, false);
	/* Tiny rings: 8 line events, 4 PE-wide events. */
	return history_init(&fx, 8, 4);
}
static int teardown(void **s)
{
	(void)s;
	findings_free(&fx);
	fx_teardown();
	return 0;
}

static void rec(uint64_t seq, enum event_kind k, uint64_t pa)
{
	struct event e = { .seq = seq, .pc = 0x1000 + seq, .pa = pa, .kind = k };

	history_record(&fx, &e);
}

static void test_empty(void **state)
{
	struct event out[4];

	(void)state;
	assert_int_equal(history_for_line(&fx, 0x40000000, out, 4), 0);
}

static void test_line_order(void **state)
{
	struct event out[8];

	(void)state;
	rec(1, EV_STORE, 0x40000008);
	rec(2, EV_STORE, 0x40000040);           /* next line */
	rec(3, EV_CMO, 0x40000000);
	/* Any address within the line finds the line's events, oldest
	 * first, stored with the line address. */
	assert_int_equal(history_for_line(&fx, 0x4000003f, out, 8), 2);
	assert_int_equal(out[0].seq, 1);
	assert_int_equal(out[0].pa, 0x40000000);
	assert_int_equal(out[1].seq, 3);
	/* max limits to the newest. */
	assert_int_equal(history_for_line(&fx, 0x40000000, out, 1), 1);
	assert_int_equal(out[0].seq, 3);
}

static void test_line_wrap(void **state)
{
	struct event out[16];

	(void)state;
	/* 20 events on one line through an 8-slot ring: the newest 8 stay. */
	for (uint64_t i = 1; i <= 20; i++)
		rec(i, EV_STORE, 0x40000100);
	assert_int_equal(history_for_line(&fx, 0x40000100, out, 16), 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(out[i].seq, 13 + i);
	/* An old line's events were overwritten: its chain is gone, and
	 * slots reused by other lines are not mistaken for it. */
	rec(21, EV_STORE, 0x40000200);
	for (uint64_t i = 22; i <= 30; i++)
		rec(i, EV_STORE, 0x40000300);
	assert_int_equal(history_for_line(&fx, 0x40000200, out, 16), 0);
	assert_int_equal(history_for_line(&fx, 0x40000100, out, 16), 0);
	assert_int_equal(history_for_line(&fx, 0x40000300, out, 16), 8);
}

static void test_pe_wide_merge_and_wrap(void **state)
{
	struct event out[16];
	size_t n;

	(void)state;
	rec(1, EV_STORE, 0x40000000);
	rec(2, EV_MMU_ON, 0);
	rec(3, EV_STORE, 0x40000000);
	rec(4, EV_CMO, 0);                      /* set/way: PE-wide */
	n = history_for_line(&fx, 0x40000000, out, 16);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(out[i].seq, i + 1);
	assert_int_equal(out[1].kind, EV_MMU_ON);
	/* The PE-wide ring (4 slots) wraps: 6 more switches leave 4. */
	for (uint64_t i = 5; i <= 10; i++)
		rec(i, i & 1 ? EV_MMU_ON : EV_MMU_OFF, 0);
	n = history_for_line(&fx, 0x40000040, out, 16);
	assert_int_equal(n, 4);
	assert_int_equal(out[0].seq, 7);
	assert_int_equal(out[3].seq, 10);
	/* PE-wide events take at most half the room while the line has
	 * events of its own. */
	n = history_for_line(&fx, 0x40000000, out, 4);
	assert_int_equal(n, 4);
	assert_int_equal(out[0].seq, 1);
	assert_int_equal(out[1].seq, 3);
	assert_int_equal(out[2].seq, 9);
	assert_int_equal(out[3].seq, 10);
}

static void test_default_init(void **state)
{
	struct event out[2];

	(void)state;
	history_free(&fx);
	rec(1, EV_STORE, 0x40000000);           /* allocates the defaults */
	assert_non_null(fx.history);
	assert_int_equal(history_for_line(&fx, 0x40000000, out, 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pe_wide_merge_and_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_init, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
