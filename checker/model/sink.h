/* What the cache model produces: findings and the events of a line's
 * history, and the sink it hands them to. The model only fills these
 * records; recording, deduplication and reports are report/'s
 * (findings.h, history.h), which the front end plugs in as the sink
 * (findings_sink()), so the model depends on nothing above it. */
#ifndef CHECKER_MODEL_SINK_H
#define CHECKER_MODEL_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/memsys.h"

enum finding_kind {
	F_STALE_LOAD,		/* a data load may return stale bytes */
	F_STALE_FETCH,		/* an instruction fetch may */
	F_STALE_WALK,		/* a translation table walk may */
	F_MISSING_BARRIER,	/* an access depends on an effect not yet completed/synchronised */
	F_SET_WAY,		/* set/way maintenance with more than one PE running with caches */
	F_BBM,			/* a live translation replaced by a different one without break-before-make */
	F_TABLE_LINK,		/* a table linked into live tables before the stores initialising it were ordered */
	F_NON_SHAREABLE,	/* data shared between PEs through a Non-shareable mapping */
	F_KIND_MAX,
};

/* Which copy of the line could serve stale bytes. */
enum copy_id { COPY_U, COPY_P, COPY_M, COPY_I, COPY_NONE };

/* The copies of a line that may be stale in some configuration of its
 * set: bit 1 << COPY_U, COPY_P, COPY_M, and COPY_I for any PE's
 * instruction cache (the timeline of the HTML report). */
#define STALE_COPY(c) (1u << (c))

struct finding {
	enum finding_kind kind;
	bool always;		/* every configuration stale (else "may") */
	int pe;
	unsigned el;
	bool stage2;		/* EL1/EL0 of a PE with stage 2 on (a guest) */
	uint64_t pc;
	uint64_t va, pa;
	unsigned size;
	enum mem_kind access;
	struct memattr attr;
	enum copy_id stale_copy;
	uint64_t stale_mask;	/* bytes of the 64-byte line that may be stale */
	uint8_t stale_copies;	/* STALE_COPY bits of the line at the access */
	const char *detail;	/* static string, e.g. which barrier is missing */
	uint32_t old_insn;	/* notes: the instruction before the modification */
};

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
	unsigned el;		/* the EL of the PE that made it */
	uint8_t stale_before;	/* line events: STALE_COPY bits just before it */
	uint64_t pc;
	uint64_t pa;		/* line address (64-byte aligned), or 0 for PE-wide events */
	enum event_kind kind;
	uint32_t detail;
	uint64_t mask;		/* bytes of the line written, for stores */
	struct memattr attr;
};

/* Where the model sends what it finds; ctx is each function's first
 * argument. finding and event must be set (cache_attach refuses a sink
 * without them: a model that drops its findings would pass every run).
 * note is optional: a possibly stale read the architecture makes benign,
 * not a finding (so far only a stale-fetch of a concurrently modified
 * instruction, model/cmodx.c), for --verbose. */
struct model_sink {
	void *ctx;
	void (*finding)(void *ctx, const struct finding *f);
	void (*event)(void *ctx, const struct event *e);
	void (*note)(void *ctx, const struct finding *f);
};

#endif
