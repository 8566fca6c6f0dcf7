/* The event history's storage (history.c), beyond the recording and query
 * calls of findings.h: sizing for tests and freeing. */
#ifndef CHECKER_HISTORY_H
#define CHECKER_HISTORY_H

#include <stddef.h>

#include "report/findings.h"

/* Ring sizes (rounded up to powers of two). Called implicitly with the
 * defaults on the first history_record(); tests call it first with tiny
 * rings to exercise wrap-around. Returns -1 when out of memory. */
int history_init(struct machine *m, size_t line_events, size_t pe_events);
void history_free(struct machine *m);

/* Text of an event kind, and of a CMO operation, for reports. */
const char *event_kind_name(enum event_kind k);
const char *cmo_op_name(enum cmo_op op);

#endif
