/* report/: findings, their history, symbols, the human and JSON reports.
 *
 * The reports of the recorded findings (report.c): the human one and the
 * JSON file. */
#ifndef CHECKER_REPORT_H
#define CHECKER_REPORT_H

#include <stdio.h>

struct machine;

/* Human report: one paragraph per root cause (rootcause.h), a table of
 * them, largest first, and a "SUMMARY:" line; nothing without findings. */
void findings_report(struct machine *m, FILE *out);
/* Every finding with its line's history (--verbose). */
void findings_report_detail(struct machine *m, FILE *out);
/* All findings as JSON (docs/findings-json.md); -1 on I/O error. */
int findings_write_json(struct machine *m, const char *path);
/* The same to an open file, which it closes. */
int findings_write_json_to(struct machine *m, FILE *o);
/* One contract's run of --boot-contract=all, for report/allrun.c: its
 * findings and root causes as tagged records, each root cause with its
 * text, JSON, SARIF result and HTML section (allrun.c reads them back).
 * -1 when out of memory. */
int findings_write_part(struct machine *m, FILE *out);

/* str for a terminal or a tab-separated record: control characters
 * (tab and newline included), C1 controls and bytes that are not UTF-8
 * shown as \xNN; cut to fit len. */
void report_term_str(char *buf, size_t len, const char *str);

#endif
