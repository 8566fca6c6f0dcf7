/* Test reporting with the API of kvm-unit-tests' libcflat (lib/libcflat.h
 * and lib/report.c of kvm-unit-tests, read for the calls, their counting
 * and the SUMMARY wording; this is an independent implementation).
 *
 * Each call prints one line "KIND: prefix: prefix: message" with KIND
 * PASS, FAIL, XFAIL (an expected failure), XPASS (an expected failure
 * that passed: counts as unexpected), KFAIL (a known failure), SKIP or
 * INFO. */
#ifndef GUEST_REPORT_H
#define GUEST_REPORT_H

#include "types.h"

/* Status values a test's main returns and the guest prints as EXIT. */
#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_SKIP 77

/* A test that passes when pass is true; returns pass. */
bool report(bool pass, const char *fmt, ...) __printf(2, 3);
void report_pass(const char *fmt, ...) __printf(1, 2);
void report_fail(const char *fmt, ...) __printf(1, 2);
/* xfail: the failure is expected here (a known bug of the platform):
 * a failure prints XFAIL and is counted as expected, a pass prints XPASS
 * and is counted as an unexpected failure. Without xfail, as report().
 * Returns pass || xfail. */
bool report_xfail(bool xfail, bool pass, const char *fmt, ...) __printf(3, 4);
/* kfail: a failure is known (e.g. a missing feature of the host): it
 * prints KFAIL and does not fail the run; a pass prints PASS. Returns
 * pass || kfail. */
bool report_kfail(bool kfail, bool pass, const char *fmt, ...) __printf(3, 4);
void report_skip(const char *fmt, ...) __printf(1, 2);
void report_info(const char *fmt, ...) __printf(1, 2);
/* Prints "ABORT: prefixes message" and the SUMMARY line, then fails the
 * run (EXIT: STATUS=1). */
void __noreturn report_abort(const char *fmt, ...) __printf(1, 2);
/* Counts a passed test without printing it. */
void report_passed(void);

/* Prefixes nest: each push adds "name: " to every line until its pop.
 * A prefix may not contain ": " (pop would split it) and all of them
 * together are limited to REPORT_PREFIX_MAX bytes: either is an abort
 * naming the prefix, not a silent truncation. */
#define REPORT_PREFIX_MAX 256
void report_prefix_push(const char *prefix);
void report_prefix_pushf(const char *fmt, ...) __printf(1, 2);
void report_prefix_pop(void);
void report_prefix_popn(int n);

/* Prints "SUMMARY: N tests" followed by ", M unexpected failures",
 * ", K known failures", ", X expected failures" and ", S skipped", each
 * only when nonzero (kvm-unit-tests' wording and order). Returns
 * EXIT_FAIL if anything failed unexpectedly, EXIT_SKIP if every test was
 * skipped, EXIT_FAIL if no test ran at all (stricter than kvm-unit-tests,
 * which calls that a skip: a test that reports nothing is broken),
 * EXIT_PASS otherwise. */
int report_summary(void);

#endif
