/* Findings of the cache model, and the event history they quote.
 * Producer: the model (checker/model/). Consumer: findings.c (dedup,
 * text on stderr, --json, exit status), audit.c. */
#ifndef CHECKER_FINDINGS_H
#define CHECKER_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/memsys.h"

struct machine;

enum finding_kind {
	F_STALE_LOAD,		/* a data load may return stale bytes */
	F_STALE_FETCH,		/* an instruction fetch may */
	F_STALE_WALK,		/* a translation table walk may */
	F_MISSING_BARRIER,	/* an access depends on an effect not yet completed/synchronised */
	F_SET_WAY,		/* set/way maintenance with more than one PE running with caches */
	F_KIND_MAX,
};

/* Which copy of the line could serve stale bytes. */
enum copy_id { COPY_U, COPY_P, COPY_M, COPY_I, COPY_NONE };

struct finding {
	enum finding_kind kind;
	bool always;		/* every configuration stale (else "may") */
	int pe;
	unsigned el;
	uint64_t pc;
	uint64_t va, pa;
	unsigned size;
	enum mem_kind access;
	struct memattr attr;
	enum copy_id stale_copy;
	uint64_t stale_mask;	/* bytes of the 64-byte line that may be stale */
	const char *detail;	/* static string, e.g. which barrier is missing */
};

/* Record a finding. Deduplicates ("one finding per bug": same kind and PC
 * reported once, with a count) and captures the line's history. */
void findings_add(struct machine *m, const struct finding *f);
size_t findings_count(const struct machine *m);

/* The event history, a global ring of recent events; the ones on a
 * finding's line are quoted in its report. */
enum event_kind {
	EV_STORE,		/* a store: attr says cacheable or not */
	EV_CMO,			/* detail: enum cmo_op */
	EV_TLBI,
	EV_MMU_ON,		/* SCTLR_ELx.M 0 -> 1 on this PE */
	EV_MMU_OFF,		/* 1 -> 0 */
	EV_CACHES_ON_OFF,	/* SCTLR.C or .I changed; detail = new SCTLR */
	EV_BOOT,		/* the boot contract's initial state */
};

struct event {
	uint64_t seq;		/* instruction count when it happened */
	int pe;
	uint64_t pc;
	uint64_t pa;		/* line address (64-byte aligned), or 0 for PE-wide events */
	enum event_kind kind;
	uint32_t detail;
	uint64_t mask;		/* bytes of the line written, for stores */
	struct memattr attr;
};

void history_record(struct machine *m, const struct event *e);
/* Up to max most recent events on the line holding pa (and PE-wide
 * events of interest), oldest first. */
size_t history_for_line(struct machine *m, uint64_t pa, struct event *out, size_t max);

#endif
