/* Findings: deduplication by kind and PC, the history a finding quotes,
 * the text report and the JSON file (parsed back). */
#include "machine_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/backtrace.h"
#include "report/findings.h"
#include "report/history.h"
#include "report/report.h"
#include "report/rootcause.h"
#include "json_mini.h"

#define PC 0x40001000ull
#define LDR_X0_X1_8 0xf9400420u         /* ldr x0, [x1, #8] */

static int setup(void **s) { (void)s; fx_setup(2, false); return 0; }
static int teardown(void **s)
{
	(void)s;
	findings_free(&fx);
	fx_teardown();
	return 0;
}

static struct finding load_at(uint64_t pc, uint64_t pa, bool always)
{
	return (struct finding){
		.kind = F_STALE_LOAD, .always = always, .pe = 0, .el = 1,
		.pc = pc, .va = pa, .pa = pa, .size = 8, .access = MK_LOAD,
		.attr = { MAIR_NORMAL_WB, SH_ISH, 1 }, .stale_copy = COPY_P,
		.stale_mask = 0xff00,
	};
}

static void test_dedup(void **state)
{
	struct finding f = load_at(PC, 0x40100008, false);

	(void)state;
	assert_int_equal(findings_count(&fx), 0);
	findings_add(&fx, &f);
	findings_add(&fx, &f);
	f.always = true;                        /* same bug, now certain */
	f.pa = 0x40200000;                      /* other data, same PC */
	findings_add(&fx, &f);
	assert_int_equal(findings_count(&fx), 1);
	assert_int_equal(findings_get(&fx, 0)->count, 3);
	assert_true(findings_get(&fx, 0)->f.always);
	/* The first occurrence's data is what is reported. */
	assert_int_equal(findings_get(&fx, 0)->f.pa, 0x40100008);

	f.kind = F_STALE_FETCH;                 /* other kind, same PC */
	findings_add(&fx, &f);
	f = load_at(PC + 4, 0x40100008, false); /* same kind, other PC */
	findings_add(&fx, &f);
	assert_int_equal(findings_count(&fx), 3);
	assert_int_equal(findings_get(&fx, 1)->f.kind, F_STALE_FETCH);
	assert_int_equal(findings_get(&fx, 2)->f.pc, PC + 4);
	assert_null(findings_get(&fx, 3));
}

/* Many distinct findings: the table grows and every one stays found. */
static void test_many(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++)
		for (uint64_t i = 0; i < 1000; i++) {
			struct finding f = load_at(PC + 4 * i, 0x40100000, false);

			findings_add(&fx, &f);
		}
	assert_int_equal(findings_count(&fx), 1000);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(findings_get(&fx, i)->count, 2);
}

static void record(uint64_t seq, enum event_kind k, uint64_t pa, uint32_t detail,
		   struct memattr a)
{
	struct event e = { .seq = seq, .pe = 0, .pc = PC - 0x100 + seq,
			   .pa = pa, .kind = k, .detail = detail, .mask = 0xff00,
			   .attr = a };

	history_record(&fx, &e);
}

/* A finding as the model would make it after: a Device store with the
 * MMU off, DC IVAC, MMU on, and a cacheable load. */
static void add_scenario(void)
{
	struct memattr dev = { MAIR_DEVICE_nGnRnE, SH_OSH, 0 };
	struct finding f = load_at(PC, 0x40100008, false);

	fx_w32(PC, LDR_X0_X1_8);
	record(10, EV_STORE, 0x40100008, 0, dev);
	record(11, EV_STORE, 0x40200000, 0, dev);       /* another line */
	record(12, EV_CMO, 0x40100000, CMO_DC_IVAC, dev);
	record(13, EV_MMU_ON, 0, 0, dev);
	findings_add(&fx, &f);
}

static void test_history_quoted(void **state)
{
	const struct finding_rec *r;

	(void)state;
	add_scenario();
	r = findings_get(&fx, 0);
	assert_true(r->have_insn);
	assert_int_equal(r->insn, LDR_X0_X1_8);
	assert_int_equal(r->nhist, 3);          /* not the other line's store */
	assert_int_equal(r->hist[0].kind, EV_STORE);
	assert_int_equal(r->hist[1].kind, EV_CMO);
	assert_int_equal(r->hist[2].kind, EV_MMU_ON);
}

static char *read_all(FILE *f)
{
	long n;
	char *s;

	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, n, f), (size_t)n);
	return s;
}

static void test_text_report(void **state)
{
	FILE *f = tmpfile();
	char *s;

	(void)state;
	add_scenario();
	findings_add(&fx, &(struct finding){ .kind = F_STALE_LOAD, .pc = PC });
	findings_report_detail(&fx, f);
	findings_report(&fx, f);
	s = read_all(f);
	assert_non_null(strstr(s, "coherent: stale-load (may) on PE 0 at EL1, "
				  "pc 0x40001000: ldr x0, [x1, #8] [2 times]\n"));
	assert_non_null(strstr(s, "  load va 0x40100008 pa 0x40100008 size 8, "
				  "attrs Normal WB Inner Shareable (stage 1 on); "
				  "stale copy: P (bytes 0x000000000000ff00 of the line)\n"));
	assert_non_null(strstr(s, "  history of line 0x40100000:"));
	assert_non_null(strstr(s, "store (Device-nGnRnE (stage 1 off)) bytes"));
	assert_non_null(strstr(s, "DC IVAC"));
	assert_non_null(strstr(s, "MMU on"));
	assert_non_null(strstr(s, "SUMMARY: coherent: 1 root cause, 1 finding (2 occurrences)\n"));
	free(s);
	fclose(f);
}

/* The scenario's load and a second one on the next line, from another
 * PC: one root cause (written with the MMU off, read cacheably after the
 * same enable), one coalesced range; a missing barrier is another. */
static void test_root_causes(void **state)
{
	struct finding g = load_at(PC + 4, 0x40100048, false);
	struct root_cause *rc;
	FILE *f = tmpfile();
	size_t n;
	char *s;

	(void)state;
	add_scenario();
	record(14, EV_STORE, 0x40100048, 0,
	       (struct memattr){ MAIR_DEVICE_nGnRnE, SH_OSH, 0 });
	findings_add(&fx, &g);
	findings_add(&fx, &g);
	findings_add(&fx, &(struct finding){ .kind = F_MISSING_BARRIER,
		.pc = PC + 8, .stale_copy = COPY_NONE, .detail = "no DSB" });
	n = rootcauses_build(&fx, &rc);
	assert_int_equal(n, 2);
	assert_int_equal(rc[0].cause, RC_NOT_INVALIDATED);
	assert_int_equal(rc[0].nfind, 2);
	assert_int_equal(rc[0].occurrences, 3);
	assert_int_equal(rc[0].first, 0);
	assert_int_equal(rc[0].nranges, 1);
	assert_int_equal(rc[0].ranges[0].lo, 0x40100000);
	assert_int_equal(rc[0].ranges[0].hi, 0x40100080);
	assert_true(rc[0].have_write);
	assert_int_equal(rc[0].write.pc, PC - 0x100 + 10);
	assert_true(rc[0].have_enable);
	assert_int_equal(rc[0].enable.pc, PC - 0x100 + 13);
	assert_int_equal(rc[1].cause, RC_BARRIER);
	assert_string_equal(rc_cause_text(&rc[1]), "no DSB");
	rootcauses_free(rc, n);
	findings_report(&fx, f);
	s = read_all(f);
	assert_non_null(strstr(s, "coherent: root cause 1 of 2: stale-load "
				  "(not-invalidated): "));
	assert_non_null(strstr(s, "explains 2 findings (3 occurrences) on 1 "
				  "range: [0x40100000, 0x40100080)\n"));
	assert_non_null(strstr(s, "  fix: DC IVAC over the ranges"));
	assert_non_null(strstr(s, "  1  not-invalidated  stale-load"));
	assert_non_null(strstr(s, "SUMMARY: coherent: 2 root causes, 3 "
				  "findings (4 occurrences)\n"));
	assert_null(strstr(s, "history of line"));
	free(s);
	fclose(f);
}

/* A cacheable load of a stale cached copy whose write the quoted history
 * no longer holds: found further back (more cacheable stores to other
 * bytes of the line came after it), or not recorded at all (another
 * line, no events). Both are not-invalidated, not "other"; the group's
 * write is the one that was found. */
static void test_root_cause_unrecorded_write(void **state)
{
	struct memattr dev = { MAIR_DEVICE_nGnRnE, SH_OSH, 0 };
	struct finding lost = load_at(PC, 0x40300008, false);
	struct finding deep = load_at(PC + 4, 0x40100008, false);
	struct root_cause *rc;
	FILE *f = tmpfile();
	size_t n;
	char *s;

	(void)state;
	findings_add(&fx, &lost);
	record(10, EV_STORE, 0x40100008, 0, dev);
	for (uint64_t i = 0; i < 2 * FINDING_HISTORY; i++) {
		struct event e = { .seq = 20 + i, .pe = 0, .pc = PC - 0x40,
				   .pa = 0x40100000, .kind = EV_STORE,
				   .mask = 0xff,
				   .attr = { MAIR_NORMAL_WB, SH_ISH, 1 } };

		history_record(&fx, &e);
	}
	findings_add(&fx, &deep);
	assert_true(findings_get(&fx, 1)->have_store[0]);
	assert_int_equal(findings_get(&fx, 1)->store[0].pc, PC - 0x100 + 10);
	assert_false(findings_get(&fx, 0)->have_store[0]);
	n = rootcauses_build(&fx, &rc);
	assert_int_equal(n, 1);
	assert_int_equal(rc[0].cause, RC_NOT_INVALIDATED);
	assert_int_equal(rc[0].nfind, 2);
	assert_true(rc[0].have_write);
	assert_int_equal(rc[0].write.pc, PC - 0x100 + 10);
	rootcauses_free(rc, n);
	findings_report(&fx, f);
	s = read_all(f);
	assert_non_null(strstr(s, "(not-invalidated)"));
	assert_null(strstr(s, "(other)"));
	free(s);
	fclose(f);
}

/* The same without any write on record: the cause still, and the report
 * says the write is older than the history. */
static void test_root_cause_no_write(void **state)
{
	struct finding lost = load_at(PC, 0x40300008, false);
	struct root_cause *rc;
	FILE *f = tmpfile();
	size_t n;
	char *s;

	(void)state;
	findings_add(&fx, &lost);
	n = rootcauses_build(&fx, &rc);
	assert_int_equal(n, 1);
	assert_int_equal(rc[0].cause, RC_NOT_INVALIDATED);
	assert_false(rc[0].have_write);
	rootcauses_free(rc, n);
	findings_report(&fx, f);
	s = read_all(f);
	assert_non_null(strstr(s, "  stale since: a non-cacheable store older "
				  "than the recorded history\n"));
	free(s);
	fclose(f);
}

/* Memory stale for a Device load after a cacheable store: the host's
 * (EL2) store read by its guest under stage 2 is the host's missing
 * clean; the same store read at EL1 without stage 2 is not-cleaned. */
static void test_host_not_cleaned(void **state)
{
	struct event e = { .seq = 20, .pe = 0, .el = 2, .pc = PC - 0x80,
			   .pa = 0x40300000, .kind = EV_STORE, .mask = 0xff,
			   .attr = { MAIR_NORMAL_WB, SH_ISH, 1 } };
	struct finding f = {
		.kind = F_STALE_LOAD, .pe = 0, .el = 1, .stage2 = true,
		.pc = PC, .va = 0x40300000, .pa = 0x40300000, .size = 8,
		.access = MK_LOAD, .attr = { MAIR_DEVICE_nGnRnE, SH_OSH, 0 },
		.stale_copy = COPY_M, .stale_mask = 0xff,
	};
	struct root_cause *rc;
	size_t n;

	(void)state;
	history_record(&fx, &e);
	findings_add(&fx, &f);
	f.stage2 = false;
	f.pc = PC + 4;
	findings_add(&fx, &f);
	n = rootcauses_build(&fx, &rc);
	assert_int_equal(n, 2);
	assert_int_equal(rc[0].cause, RC_HOST_NOT_CLEANED);
	assert_string_equal(rc_cause_name(rc[0].cause), "host-not-cleaned");
	assert_non_null(strstr(rc_fix_text(&rc[0]), "before mapping them at "
				"stage 2"));
	assert_int_equal(rc[0].write.el, 2);
	assert_int_equal(rc[1].cause, RC_NOT_CLEANED);
	rootcauses_free(rc, n);
}

static void test_json(void **state)
{
	char path[] = "/tmp/test_findings_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	char *s;
	struct jval *j;

	(void)state;
	assert_true(fd >= 0);
	add_scenario();
	findings_add(&fx, &(struct finding){ .kind = F_MISSING_BARRIER, .pc = PC + 8,
		.always = true, .pe = 1, .el = 2, .stale_copy = COPY_NONE,
		.detail = "DC \"CVAC\" not completed" });
	assert_int_equal(findings_write_json(&fx, path), 0);
	f = fdopen(fd, "r");
	s = read_all(f);
	fclose(f);
	unlink(path);
	j = json_parse(s);
	assert_non_null(j);
	assert_int_equal(json_get(j, "version")->num, 1);
	assert_int_equal(json_get(j, "count")->num, 2);
	assert_string_equal(json_get(j, "findings.0.kind")->str, "stale-load");
	assert_false(json_get(j, "findings.0.always")->b);
	assert_string_equal(json_get(j, "findings.0.pc")->str, "0x40001000");
	assert_string_equal(json_get(j, "findings.0.insn")->str, "ldr x0, [x1, #8]");
	assert_string_equal(json_get(j, "findings.0.pa")->str, "0x40100008");
	assert_int_equal(json_get(j, "findings.0.size")->num, 8);
	assert_string_equal(json_get(j, "findings.0.access")->str, "load");
	assert_string_equal(json_get(j, "findings.0.attrs.mair")->str, "0xff");
	assert_true(json_get(j, "findings.0.attrs.cacheable")->b);
	assert_string_equal(json_get(j, "findings.0.stale_copy")->str, "P");
	assert_string_equal(json_get(j, "findings.0.stale_mask")->str, "0xff00");
	assert_int_equal(json_get(j, "findings.0.count")->num, 1);
	assert_int_equal(json_get(j, "findings.0.symbol")->t, J_NULL);
	assert_int_equal(json_get(j, "findings.0.history")->n, 3);
	assert_string_equal(json_get(j, "findings.0.history.1.op")->str, "DC IVAC");
	assert_string_equal(json_get(j, "findings.0.history.2.kind")->str, "mmu-on");
	assert_string_equal(json_get(j, "findings.1.kind")->str, "missing-barrier");
	assert_true(json_get(j, "findings.1.always")->b);
	assert_int_equal(json_get(j, "findings.1.stale_copy")->t, J_NULL);
	assert_string_equal(json_get(j, "findings.1.detail")->str,
			    "DC \"CVAC\" not completed");
	assert_int_equal(json_get(j, "root_causes")->n, 2);
	assert_string_equal(json_get(j, "root_causes.0.cause")->str, "not-invalidated");
	assert_int_equal(json_get(j, "root_causes.0.findings")->num, 1);
	assert_string_equal(json_get(j, "root_causes.0.ranges.0.lo")->str, "0x40100000");
	assert_string_equal(json_get(j, "root_causes.0.write.kind")->str, "store");
	assert_string_equal(json_get(j, "root_causes.0.enable.kind")->str, "mmu-on");
	assert_string_equal(json_get(j, "root_causes.1.cause")->str, "missing-barrier");
	json_free(j);
	free(s);
}

static void test_json_empty(void **state)
{
	char path[] = "/tmp/test_findings_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	char *s;
	struct jval *j;

	(void)state;
	assert_int_equal(findings_write_json(&fx, path), 0);
	f = fdopen(fd, "r");
	s = read_all(f);
	fclose(f);
	unlink(path);
	j = json_parse(s);
	assert_non_null(j);
	assert_int_equal(json_get(j, "count")->num, 0);
	assert_int_equal(json_get(j, "findings")->n, 0);
	json_free(j);
	free(s);
}

/* A note (model/sink.h) is no finding: it leaves the count, the
 * summary and the root causes alone, and shows in --verbose and in the
 * JSON's "notes" with the instruction before the modification. */
static void test_notes(void **state)
{
	char path[] = "/tmp/test_findings_XXXXXX";
	int fd = mkstemp(path);
	struct finding n = {
		.kind = F_STALE_FETCH, .pe = 0, .el = 1, .pc = PC, .va = PC,
		.pa = PC, .size = 4, .access = MK_FETCH,
		.attr = { MAIR_NORMAL_WB, SH_ISH, 1 }, .stale_copy = COPY_I,
		.stale_mask = 0xf, .detail = "concurrent modification",
		.old_insn = 0xd503201fu,        /* nop */
	};
	FILE *f = tmpfile();
	char *s;
	struct jval *j;

	(void)state;
	assert_true(fd >= 0);
	findings_add_note(&fx, &n);
	findings_add_note(&fx, &n);
	assert_int_equal(findings_count(&fx), 0);
	assert_int_equal(findings_note_count(&fx), 1);
	assert_int_equal(findings_note(&fx, 0)->count, 2);
	findings_report(&fx, f);
	findings_report_detail(&fx, f);
	s = read_all(f);
	assert_null(strstr(s, "SUMMARY"));
	assert_non_null(strstr(s, "coherent: note: stale-fetch (not a finding) "
				  "on PE 0 at EL1, pc 0x40001000"));
	assert_non_null(strstr(s, "  before the modification: nop\n"));
	free(s);
	fclose(f);

	assert_int_equal(findings_write_json(&fx, path), 0);
	f = fdopen(fd, "r");
	s = read_all(f);
	fclose(f);
	unlink(path);
	j = json_parse(s);
	assert_non_null(j);
	assert_int_equal(json_get(j, "count")->num, 0);
	assert_int_equal(json_get(j, "notes")->n, 1);
	assert_string_equal(json_get(j, "notes.0.kind")->str, "stale-fetch");
	assert_string_equal(json_get(j, "notes.0.before")->str, "nop");
	assert_int_equal(json_get(j, "notes.0.count")->num, 2);
	json_free(j);
	free(s);
}

/* A frame record {fp, lr} at pa (identity mapped: no TLB entries). */
static void frame(uint64_t pa, uint64_t fp, uint64_t lr)
{
	fx_w64(pa, fp);
	fx_w64(pa + 8, lr);
}

static void test_backtrace(void **state)
{
	struct cpu *c = &fx.pe[0];
	struct backtrace bt;
	const uint64_t s = 0x40200000;          /* a stack in RAM */

	(void)state;
	/* Three frames: pc, then each record's return address - 4, the
	 * outermost record's fp 0 ending the chain. */
	c->x[29] = s;
	frame(s, s + 0x40, 0x40002004);
	frame(s + 0x40, 0, 0x40003008);
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, 3);
	assert_int_equal(bt.pc[0], PC);
	assert_int_equal(bt.pc[1], 0x40002000);
	assert_int_equal(bt.pc[2], 0x40003004);

	/* No records (x29 = 0): the one frame. */
	c->x[29] = 0;
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, 1);
	/* A misaligned frame pointer is not followed. */
	c->x[29] = s + 4;
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, 1);
	/* A record outside RAM ends it after the frames before it. */
	c->x[29] = s;
	frame(s, 0x10000000, 0x40002004);
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, 2);
	/* A loop (a record pointing at itself or below) ends it. */
	frame(s, s, 0x40002004);
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, 2);
	frame(s, s + 0x40, 0x40002004);
	frame(s + 0x40, s, 0x40003008);
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, 3);
	/* A long chain is cut at BT_DEPTH. */
	for (unsigned k = 0; k < 2 * BT_DEPTH; k++)
		frame(s + 0x40 * k, s + 0x40 * (k + 1), 0x40002004 + 8 * k);
	backtrace_capture(&fx, c, PC, &bt);
	assert_int_equal(bt.n, BT_DEPTH);
	assert_int_equal(bt.pc[BT_DEPTH - 1], 0x40002000 + 8 * (BT_DEPTH - 2));

	/* A finding keeps the frames of the moment it was made. */
	c->x[29] = s;
	frame(s, s + 0x40, 0x40002004);
	frame(s + 0x40, 0, 0x40003008);
	struct finding f = load_at(PC, 0x40100008, false);

	findings_add(&fx, &f);
	frame(s, 0, 0);                         /* the stack reused */
	assert_int_equal(findings_get(&fx, 0)->bt.n, 3);
	assert_int_equal(findings_get(&fx, 0)->bt.pc[2], 0x40003004);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_causes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_cause_unrecorded_write,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_cause_no_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_host_not_cleaned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backtrace, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
