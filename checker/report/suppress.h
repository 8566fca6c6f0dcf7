/* Suppressions (suppress.c), in the spirit of Valgrind's and TSan's: a
 * file of entries that each silence the findings of one kind whose
 * access is in code matching a symbol and a source-file pattern, so
 * that known findings in third-party code can be baselined and only new
 * ones reported (docs/usage.md "Suppressions"). */
#ifndef CHECKER_SUPPRESS_H
#define CHECKER_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct machine;
struct suppressions;

/* Add the entries of path to *s (created on first use). -1 with the
 * reason, naming path:line, in err. */
int suppressions_load(struct suppressions **s, const char *path, char *err,
		      size_t errlen);
void suppressions_free(struct suppressions *s);

/* Drop every finding of m an entry matches (findings_remove_if);
 * returns how many. */
size_t suppressions_apply(struct machine *m, const struct suppressions *s);

/* One entry per distinct (kind, symbol, file) of m's findings, as a
 * file --suppressions reads. */
void suppressions_generate(struct machine *m, FILE *out);

#endif
