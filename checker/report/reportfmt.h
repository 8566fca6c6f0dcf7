/* The pieces of report.c's text and JSON that the other reports (SARIF,
 * HTML, backtraces) share, so that an event or a place reads the same in
 * each. */
#ifndef CHECKER_REPORTFMT_H
#define CHECKER_REPORTFMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mem/memsys.h"
#include "model/sink.h"
#include "report/symbols.h"

struct machine;

/* str as a JSON string, quotes included: always valid JSON (controls
 * escaped, a byte that is not UTF-8 as U+FFFD). */
void report_json_str(FILE *o, const char *str);
/* "#261 PE0 pc 0x40081810 a.S:20 f+0x10 store (...) bytes 0x..." */
void report_event_text(struct machine *m, const struct event *e, char *buf,
		       size_t len);
/* " a.S:20 f+0x10" for a guest pc ("" without symbols); si filled (all
 * NULL and 0 without symbols). */
void report_where_text(struct machine *m, uint64_t pc, char *buf, size_t len,
		       struct sym_info *si);
/* , "symbol": ..., "offset": ..., "file": ..., "line": ..., "inlined_at":
 * ... of a guest pc, for a JSON object being written. */
void report_json_where(struct machine *m, FILE *o, uint64_t pc);
/* "Normal WB Inner Shareable (stage 1 on)" */
void report_attr_text(struct memattr a, char *buf, size_t len);

#endif
