/* Findings of the cache model (findings.c): recording and deduplication
 * of what the model produces (struct finding, model/sink.h), the recorded
 * findings and the symbol source the reports use (consumers: report.c,
 * audit.c). */
#ifndef CHECKER_FINDINGS_H
#define CHECKER_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/memsys.h"
#include "model/sink.h"
#include "report/history.h"

struct machine;

/* The sink (model/sink.h) that records the model's findings
 * (findings_add) and events (history_record) on m. */
struct model_sink findings_sink(struct machine *m);

/* Record a finding. Deduplicates ("one finding per bug": same kind and PC
 * reported once, with a count) and captures the line's history. */
void findings_add(struct machine *m, const struct finding *f);
size_t findings_count(const struct machine *m);
/* Notes (model/sink.h): recorded and deduplicated as findings are, but
 * not findings: they fail no run and are shown by --verbose and in the
 * JSON's "notes". */
void findings_add_note(struct machine *m, const struct finding *f);
size_t findings_note_count(const struct machine *m);
const struct finding_rec *findings_note(const struct machine *m, size_t i);

#define FINDING_HISTORY 12      /* events quoted per finding */

/* One deduplicated finding: the first occurrence, and how often the
 * same kind was reported at the same PC. */
struct finding_rec {
	struct finding f;
	uint64_t count;
	uint64_t seq;                   /* instructions the PE had retired */
	uint32_t insn;                  /* the instruction word at pc */
	bool have_insn;
	struct backtrace bt;            /* the PE's frames at the first one */
	size_t nhist;
	struct event hist[FINDING_HISTORY];
	struct backtrace hist_bt[FINDING_HISTORY];      /* hist[i]'s */
	/* The newest non-cacheable ([0]) and cacheable ([1]) store that
	 * wrote a stale byte of the line, looked for further back than hist
	 * when hist has none (rootcause.c: which write to fix). */
	bool have_store[2];
	struct event store[2];
	struct backtrace store_bt[2];
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
