/* Test reporting in the manner of kvm-unit-tests' libcflat. */
#ifndef GUEST_REPORT_H
#define GUEST_REPORT_H

#include "types.h"

/* Status values a test's main returns and the guest prints as EXIT. */
#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_SKIP 77

void report(bool pass, const char *fmt, ...) __printf(2, 3);
void report_skip(const char *fmt, ...) __printf(1, 2);
void report_info(const char *fmt, ...) __printf(1, 2);
void report_prefix_push(const char *prefix);
void report_prefix_pop(void);
/* Prints the SUMMARY line; returns EXIT_FAIL if anything failed, EXIT_SKIP
 * if nothing ran but skips, EXIT_PASS otherwise. */
int report_summary(void);

#endif
