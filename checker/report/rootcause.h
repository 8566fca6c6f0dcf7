/* Root causes (rootcause.c): the recorded findings grouped by the missing
 * or misplaced maintenance that explains them, from what each finding
 * already holds (kind, stale copy, attributes, the line's history). One
 * root cause is one fix: the same cause, kind of access and MMU enable
 * (or missing barrier) — over every line it touched. */
#ifndef CHECKER_ROOTCAUSE_H
#define CHECKER_ROOTCAUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/findings.h"
#include "report/history.h"

struct machine;

enum rc_cause {
	RC_BOOT_DIRTY,		/* memory read non-cacheably may lose to a line the boot contract left dirty */
	RC_NOT_CLEANED,		/* cacheable writes not cleaned to the PoC before a non-cacheable read */
	RC_HOST_NOT_CLEANED,	/* the same, written by the host (EL2), read by its guest under stage 2 */
	RC_NOT_INVALIDATED,	/* non-cacheable writes, then a cacheable read of an older cached copy */
	RC_NO_IC,		/* instructions written, the I-cache not invalidated */
	RC_BARRIER,		/* an effect not completed or synchronised */
	RC_SET_WAY,		/* set/way maintenance with other PEs running */
	RC_BBM,			/* a live descriptor changed without break-before-make */
	RC_TABLE_LINK,		/* a table linked before its initialisation completed */
	RC_NON_SHAREABLE,	/* data shared between PEs through a Non-shareable mapping */
	RC_OTHER,		/* none of the above patterns: see the findings */
	RC_CAUSE_MAX,
};

struct rc_range {
	uint64_t lo, hi;	/* physical, [lo, hi), whole lines */
};

struct root_cause {
	enum rc_cause cause;
	enum finding_kind kind;
	const char *detail;	/* missing-barrier: the model's text */
	bool have_enable;	/* the MMU enable the read came after */
	struct event enable;
	struct backtrace enable_bt;
	bool have_write;	/* the write that made the first read stale */
	struct event write;
	struct backtrace write_bt;
	size_t first;		/* index of its first finding (the first read) */
	/* The first finding on each of its first RC_LINES lines, first
	 * included: the lines the HTML page draws a timeline of. */
#define RC_LINES 4
	size_t line_first[RC_LINES];
	size_t nlines;
	size_t nfind;
	uint64_t occurrences;
	size_t nranges;
	struct rc_range *ranges;
};

/* Every finding of m in exactly one root cause; sorted largest first
 * (findings, then occurrences). Returns the count, *out malloc'd (NULL
 * when there are none or on out of memory, then 0). */
size_t rootcauses_build(struct machine *m, struct root_cause **out);
void rootcauses_free(struct root_cause *v, size_t n);

/* Short name ("boot-dirty", ...) for JSON and tables. */
const char *rc_cause_name(enum rc_cause c);
/* One sentence: what went wrong. */
const char *rc_cause_text(const struct root_cause *rc);
/* The operation to add and where, in one line (without the range). */
const char *rc_fix_text(const struct root_cause *rc);

#endif
