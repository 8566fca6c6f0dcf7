/* The event history: per-line chains, PE-wide events merged in,
 * wrap-around of the rings, and CMO loops kept as one range. */
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

#define LOOP_PC 0x40001000u
#define LINE0   0x40010000u

/* A by-VA CMO of the loop at LOOP_PC on line i, as the model makes them. */
static void cmo(uint64_t seq, int pe, uint64_t pc, unsigned i, uint8_t stale)
{
	struct event e = { .seq = seq, .pe = pe, .pc = pc, .el = 1,
			   .pa = LINE0 + 64 * i, .kind = EV_CMO,
			   .detail = CMO_DC_CIVAC, .stale_before = stale,
			   .attr = { MAIR_NORMAL_WB, SH_ISH, 1 } };

	history_record(&fx, &e);
}

static void store(uint64_t seq, uint64_t pa)
{
	struct event e = { .seq = seq, .pe = 0, .pc = 0x40002000, .el = 1,
			   .pa = pa, .kind = EV_STORE, .mask = 0xff00,
			   .attr = { MAIR_NORMAL_WB, SH_ISH, 1 } };

	history_record(&fx, &e);
}

static void stats(struct history_stats *st)
{
	/* a read ends the open range: the counts include it */
	struct event out[1];

	history_for_line(&fx, 0, out, 1);
	history_stats(&fx, st);
}

/* A DC loop over 100 lines is one range in an 8-record history: the
 * store that made line 5 stale before it is still quoted, then the
 * loop's CMO of that line, as its own event. */
static void test_loop_is_one_range(void **state)
{
	struct history_stats st;
	struct backtrace bt[4];
	struct event out[4];

	(void)state;
	store(1, LINE0 + 64 * 5 + 8);
	for (unsigned i = 0; i < 100; i++)
		cmo(2 + i, 0, LOOP_PC, i, i == 5 ? STALE_COPY(COPY_M) : 0);
	/* stale_before differs on line 5: 0-4, 5, 6-99 */
	stats(&st);
	assert_int_equal(st.line_records, 2);   /* the store, line 5 */
	assert_int_equal(st.ranges, 2);
	assert_int_equal(st.range_lines, 99);
	assert_int_equal(history_for_line_bt(&fx, LINE0 + 64 * 5, out, bt, 4), 2);
	assert_int_equal(out[0].kind, EV_STORE);
	assert_int_equal(out[0].seq, 1);
	assert_int_equal(out[0].mask, 0xff00);
	assert_int_equal(out[0].pc, 0x40002000);
	assert_int_equal(out[1].kind, EV_CMO);
	assert_int_equal(out[1].seq, 7);
	assert_int_equal(out[1].detail, CMO_DC_CIVAC);
	assert_int_equal(out[1].pa, LINE0 + 64 * 5);
	assert_int_equal(out[1].stale_before, STALE_COPY(COPY_M));
	assert_int_equal(bt[1].n, 1);
	assert_int_equal(bt[1].pc[0], LOOP_PC);
	/* every line of a range is its own event, at its own seq */
	assert_int_equal(history_for_line_bt(&fx, LINE0 + 64 * 99, out, bt, 4), 1);
	assert_int_equal(out[0].seq, 101);
	assert_int_equal(out[0].pc, LOOP_PC);
	assert_int_equal(out[0].pe, 0);
	assert_int_equal(out[0].el, 1);
	assert_int_equal(out[0].attr.mair, MAIR_NORMAL_WB);
	assert_int_equal(bt[0].pc[0], LOOP_PC);
	assert_int_equal(history_for_line(&fx, LINE0 + 64 * 3, out, 4), 1);
	assert_int_equal(out[0].seq, 5);
	assert_int_equal(history_for_line(&fx, LINE0 + 64 * 100, out, 4), 0);
	assert_int_equal(history_for_line(&fx, LINE0 - 64, out, 4), 0);
	/* and a finding on line 5 quotes both */
	struct finding f = { .kind = F_STALE_LOAD, .pe = 0, .pc = 0x40003000,
			     .va = LINE0 + 64 * 5 + 8, .pa = LINE0 + 64 * 5 + 8,
			     .size = 8, .access = MK_LOAD };
	const struct finding_rec *r;

	findings_add(&fx, &f);
	r = findings_get(&fx, 0);
	assert_non_null(r);
	assert_int_equal(r->nhist, 2);
	assert_int_equal(r->hist[0].kind, EV_STORE);
	assert_int_equal(r->hist[0].seq, 1);
	assert_int_equal(r->hist[1].kind, EV_CMO);
	assert_int_equal(r->hist[1].seq, 7);
	assert_int_equal(r->hist_bt[1].pc[0], LOOP_PC);
}

/* A store between two lines of the loop ends it: the second part is
 * another range, and each CMO keeps its seq. */
static void test_loop_split_by_store(void **state)
{
	struct history_stats st;
	struct event out[4];

	(void)state;
	for (unsigned i = 0; i < 4; i++)
		cmo(1 + i, 0, LOOP_PC, i, 0);
	store(5, 0x40100000);
	for (unsigned i = 4; i < 8; i++)
		cmo(2 + i, 0, LOOP_PC, i, 0);
	stats(&st);
	assert_int_equal(st.ranges, 2);
	assert_int_equal(st.range_lines, 8);
	assert_int_equal(history_for_line(&fx, LINE0 + 64 * 4, out, 4), 1);
	assert_int_equal(out[0].seq, 6);
	assert_int_equal(history_for_line(&fx, LINE0 + 64 * 3, out, 4), 1);
	assert_int_equal(out[0].seq, 4);
}

/* Another pc (a second loop, or an unrolled one) on the next line does
 * not extend the range. */
static void test_loop_split_by_pc(void **state)
{
	struct history_stats st;
	struct event out[4];

	(void)state;
	for (unsigned i = 0; i < 6; i++)
		cmo(1 + i, 0, LOOP_PC + 4 * (i & 1), i, 0);
	stats(&st);
	assert_int_equal(st.ranges, 0);
	assert_int_equal(st.line_records, 6);
	assert_int_equal(history_for_line(&fx, LINE0 + 64, out, 4), 1);
	assert_int_equal(out[0].pc, LOOP_PC + 4);
}

/* Nor does a change of frame pointer (another call of the loop's
 * function could have other callers), a line that is not the next, or
 * a gap in seq (events this history did not see). */
static void test_loop_split_by_frame_or_gap(void **state)
{
	struct history_stats st;

	(void)state;
	cmo(1, 0, LOOP_PC, 0, 0);
	cmo(2, 0, LOOP_PC, 1, 0);
	fx.pe[0].x[29] = 0x40200000;
	cmo(3, 0, LOOP_PC, 2, 0);
	cmo(4, 0, LOOP_PC, 3, 0);
	cmo(5, 0, LOOP_PC, 5, 0);               /* a line skipped */
	cmo(7, 0, LOOP_PC, 6, 0);               /* seq 6 not seen */
	stats(&st);
	assert_int_equal(st.ranges, 2);
	assert_int_equal(st.range_lines, 4);
	assert_int_equal(st.line_records, 2);
}

/* The same loop on two PEs, interleaved: one range per PE's run. */
static void test_loop_split_by_pe(void **state)
{
	struct history_stats st;
	struct event out[4];

	(void)state;
	findings_free(&fx);
	fx_teardown();
	fx_setup(2, false);
	assert_int_equal(history_init(&fx, 8, 4), 0);
	for (unsigned i = 0; i < 4; i++)
		cmo(1 + i, i & 1, LOOP_PC, i, 0);
	stats(&st);
	assert_int_equal(st.ranges, 0);
	assert_int_equal(st.line_records, 4);
	assert_int_equal(history_for_line(&fx, LINE0 + 64 * 3, out, 4), 1);
	assert_int_equal(out[0].pe, 1);
	/* one PE's run of lines is a range */
	for (unsigned i = 4; i < 8; i++)
		cmo(1 + i, 1, LOOP_PC, i, 0);
	stats(&st);
	assert_int_equal(st.ranges, 1);
	assert_int_equal(st.range_lines, 4);
}

/* Older ranges than the range ring holds: the line's history stops
 * there rather than skip a loop it no longer has. */
static void test_range_ring_wrap(void **state)
{
	struct event out[8];

	(void)state;
	store(1, LINE0);
	/* 6 two-line loops through a 4-range ring, each over line 0 */
	for (unsigned k = 0; k < 6; k++) {
		cmo(2 + 3 * k, 0, LOOP_PC, 0, 0);
		cmo(3 + 3 * k, 0, LOOP_PC, 1, 0);
		store(4 + 3 * k, 0x40100000);
	}
	/* the ranges of k = 2..5 are left, from seq 8 */
	assert_int_equal(history_for_line(&fx, LINE0, out, 8), 4);
	assert_int_equal(out[0].seq, 8);
	assert_int_equal(out[3].seq, 17);
}

/* Sites are freed with the last record naming them: a run of stores
 * from ever new places keeps the table as small as the rings. */
static void test_sites_recycled(void **state)
{
	struct history_stats st0, st;
	struct event out[8];

	(void)state;
	for (uint64_t i = 1; i <= 20; i++)
		rec(i, EV_STORE, 0x40000100);
	history_stats(&fx, &st0);
	for (uint64_t i = 21; i <= 5000; i++)
		rec(i, EV_STORE, 0x40000100);
	history_stats(&fx, &st);
	assert_int_equal(st.sites, 5000);
	assert_int_equal(st.bytes, st0.bytes);
	/* and the records left still name their own */
	assert_int_equal(history_for_line(&fx, 0x40000100, out, 8), 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(out[i].seq, 4993 + i);
		assert_int_equal(out[i].pc, 0x1000 + 4993 + i);
	}
}

/* A stack of three frame records for PE 0 (AAPCS64 "The Frame Pointer":
 * x29 points at {caller's x29, return address}), innermost at STACK. */
#define STACK   0x40100000u
#define RET(k)  (0x40005000u + 0x100u * (k))

static void frames(void)
{
	fx_w64(STACK, STACK + 0x40);
	fx_w64(STACK + 8, RET(1));
	fx_w64(STACK + 0x40, STACK + 0x80);
	fx_w64(STACK + 0x48, RET(2));
	fx_w64(STACK + 0x80, 0);
	fx_w64(STACK + 0x88, RET(3));
	fx.pe[0].x[29] = STACK;
	/* as with the model attached: every RAM write is seen */
	fx.mem.ram_fast = false;
}

/* The history's frames of its events on line LINE0, oldest first. */
static size_t stored_frames(struct backtrace *bt, size_t max)
{
	struct event out[4];

	return history_for_line_bt(&fx, LINE0, out, bt, max);
}

/* Two stores at the same pc with the same frame pointer, a caller's
 * record overwritten in between by a store of the guest (the memory
 * system's store path): the second store's backtrace is the new chain,
 * the first keeps the old one. */
static void test_frames_rewritten_between_stores(void **state)
{
	struct backtrace bt[4];
	uint64_t v = RET(7);

	(void)state;
	frames();
	store(1, LINE0);
	assert_int_equal(memsys_access(&fx.mem, &fx.pe[0], STACK + 0x48, 8,
				       MK_STORE, (struct memattr){ MAIR_NORMAL_WB,
				       SH_ISH, 1 }, &v), MEM_OK);
	store(2, LINE0);
	/* and a write that ends the chain early: frame 1's record */
	v = 0;
	assert_int_equal(memsys_access(&fx.mem, &fx.pe[0], STACK, 8, MK_STORE,
				       (struct memattr){ MAIR_NORMAL_WB, SH_ISH, 1 },
				       &v), MEM_OK);
	store(3, LINE0);
	assert_int_equal(stored_frames(bt, 4), 3);
	assert_int_equal(bt[0].n, 4);
	assert_int_equal(bt[0].pc[0], 0x40002000);
	assert_int_equal(bt[0].pc[1], RET(1) - 4);
	assert_int_equal(bt[0].pc[2], RET(2) - 4);
	assert_int_equal(bt[0].pc[3], RET(3) - 4);
	assert_int_equal(bt[1].n, 4);
	assert_int_equal(bt[1].pc[2], RET(7) - 4);
	assert_int_equal(bt[1].pc[3], RET(3) - 4);
	/* fp 0 in the first record: the chain stops after its frame */
	assert_int_equal(bt[2].n, 2);
	assert_int_equal(bt[2].pc[1], RET(1) - 4);
}

/* Records rewritten by a device's DMA-like write (the fixture's RAM
 * writer) and records whose page the PE's TLB maps elsewhere: each
 * store unwinds what the frames hold at that moment. */
static void test_frames_other_writers_and_tlb(void **state)
{
	struct tlb_entry *e = &fx.pe[0].tlb->e[tlb_index(STACK)];
	struct backtrace bt[4];

	(void)state;
	frames();
	store(1, LINE0);
	fx_w64(STACK + 0x88, RET(8));
	store(2, LINE0);
	/* the stack's VA page mapped to a page holding one record */
	fx_w64(STACK + 0x10000, 0);
	fx_w64(STACK + 0x10008, RET(9));
	e->vpage = STACK;
	e->ppage = STACK + 0x10000;
	e->regime = REGIME_EL10;
	store(3, LINE0);
	e->vpage = ~0ull;
	store(4, LINE0);
	assert_int_equal(stored_frames(bt, 4), 4);
	assert_int_equal(bt[0].n, 4);
	assert_int_equal(bt[0].pc[3], RET(3) - 4);
	assert_int_equal(bt[1].n, 4);
	assert_int_equal(bt[1].pc[3], RET(8) - 4);
	assert_int_equal(bt[2].n, 2);
	assert_int_equal(bt[2].pc[1], RET(9) - 4);
	assert_int_equal(bt[3].n, 4);
	assert_int_equal(bt[3].pc[3], RET(8) - 4);
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
		cmocka_unit_test_setup_teardown(test_loop_is_one_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_split_by_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_split_by_pc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_split_by_frame_or_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_split_by_pe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_ring_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sites_recycled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_rewritten_between_stores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_other_writers_and_tlb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_init, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
