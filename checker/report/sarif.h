/* The root causes as SARIF 2.1.0 (sarif.c), the format code-scanning
 * services and editors read: one result per root cause (rootcause.h)
 * with the first read as its location and the write and the MMU enable
 * as related locations; one rule per finding kind (docs/usage.md
 * "SARIF"). */
#ifndef CHECKER_SARIF_H
#define CHECKER_SARIF_H

#include <stdio.h>

struct machine;

/* Write the log to o, which it closes; -1 on I/O error. */
int findings_write_sarif_to(struct machine *m, FILE *o);

#endif
