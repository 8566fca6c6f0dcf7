/* The event history (history.c): rings of recent events (struct event,
 * model/sink.h) in compact records, a CMO loop over consecutive lines in
 * one; the events on a finding's line are quoted in its report, each as
 * it happened. */
#ifndef CHECKER_HISTORY_H
#define CHECKER_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "mem/memsys.h"
#include "report/backtrace.h"
#include "model/sink.h"

struct machine;

void history_record(struct machine *m, const struct event *e);
/* Up to max most recent events on the line holding pa (and PE-wide
 * events of interest), oldest first. */
size_t history_for_line(struct machine *m, uint64_t pa, struct event *out, size_t max);
/* The same, with each event's backtrace in bt[i] (backtrace.h). */
size_t history_for_line_bt(struct machine *m, uint64_t pa, struct event *out,
			   struct backtrace *bt, size_t max);

/* Ring sizes (rounded up to powers of two). Called implicitly with the
 * defaults on the first history_record(); tests call it first with tiny
 * rings to exercise wrap-around. Returns -1 when out of memory. */
int history_init(struct machine *m, size_t line_events, size_t pe_events);
void history_free(struct machine *m);
/* What the history holds and has taken (--stats): bytes of its rings
 * and side tables now, line records and CMO ranges written (an open
 * range not yet), the lines those ranges cover, and sites made. */
struct history_stats {
	size_t bytes;
	uint64_t line_records, ranges, range_lines, sites;
};
void history_stats(const struct machine *m, struct history_stats *st);

/* Text of an event kind, and of a CMO operation, for reports. */
const char *event_kind_name(enum event_kind k);
const char *cmo_op_name(enum cmo_op op);

#endif
