/* Findings of the cache model (findings.c): recording and deduplication
 * (producer: the model, checker/model/), the recorded findings and the
 * symbol source the reports use (consumers: report.c, audit.c). */
#ifndef CHECKER_FINDINGS_H
#define CHECKER_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/memsys.h"
#include "report/history.h"

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

#define FINDING_HISTORY 12      /* events quoted per finding */

/* One deduplicated finding: the first occurrence, and how often the
 * same kind was reported at the same PC. */
struct finding_rec {
	struct finding f;
	uint64_t count;
	uint64_t seq;                   /* instructions the PE had retired */
	uint32_t insn;                  /* the instruction word at pc */
	bool have_insn;
	size_t nhist;
	struct event hist[FINDING_HISTORY];
};

const struct finding_rec *findings_get(const struct machine *m, size_t i);
/* After the run: drop the findings drop() says to (suppressions), keeping
 * the order of the rest; they are counted, with their occurrences, in
 * findings_dropped(). Returns how many were dropped. */
size_t findings_remove_if(struct machine *m,
			  bool (*drop)(struct machine *m,
				       const struct finding_rec *r, void *arg),
			  void *arg);
size_t findings_dropped(const struct machine *m, uint64_t *occurrences);
/* Symbols for the report: the ELF and the image's load address. The
 * path is copied; NULL forgets any. */
void findings_set_elf(struct machine *m, const char *elf_path, uint64_t load);
/* The same, for an image just loaded (not yet run): the ELF is opened
 * now and must match the image in RAM (symbols_check_image); -1 with
 * the reason in err, and no symbols, if it does not. */
int findings_use_elf(struct machine *m, const char *elf_path, uint64_t load,
		     char *err, size_t errlen);
struct symbols *findings_symbols(struct machine *m);
/* " file.S:12 sym+0x1c" for a guest address, or "" without symbols: the
 * board's describe_pc hook (machine-error messages). */
void findings_describe_pc(struct machine *m, uint64_t pc, char *buf,
			  size_t len);
uint64_t findings_bias(struct machine *m);
void findings_free(struct machine *m);

const char *finding_kind_name(enum finding_kind k);
const char *copy_name(enum copy_id c);

#endif
