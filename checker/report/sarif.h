/* The root causes as SARIF 2.1.0 (sarif.c), the format code-scanning
 * services and editors read: one result per root cause (rootcause.h)
 * with the first read as its location and the write and the MMU enable
 * as related locations; one rule per finding kind (docs/usage.md
 * "SARIF"). */
#ifndef CHECKER_SARIF_H
#define CHECKER_SARIF_H

#include <stdio.h>

struct machine;

struct root_cause;

/* Write the log to o, which it closes; -1 on I/O error. */
int findings_write_sarif_to(struct machine *m, FILE *o);

/* The log in pieces, for merged runs (allrun.c): the head up to the
 * results array (opened by the caller), one result object, and the tail
 * from after the results array (closed by the caller). A result's
 * relative paths are against root, the compilation directory of its
 * first place with one when root is "" (then filled in: rootlen bytes
 * at most), and name the base id "SRCROOT". The tail declares base id
 * id[k] as root[k] for each non-empty root[k]. */
void sarif_write_head(FILE *o);
void sarif_write_result(struct machine *m, const struct root_cause *rc,
			  char *root, size_t rootlen, FILE *o);
void sarif_write_tail(FILE *o, const char *const *root, const char *const *id,
		      unsigned nroot, size_t nfind, size_t nsup);

#endif
