/* report/: findings, their history, symbols, the human and JSON reports.
 *
 * What findings.c offers besides the producer calls of findings.h: the
 * recorded findings, the human report, the JSON file, and the symbol
 * source they use. */
#ifndef CHECKER_REPORT_H
#define CHECKER_REPORT_H

#include <stdio.h>

#include "report/findings.h"

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
/* Human report of every finding, then a one-line summary. */
void findings_report(struct machine *m, FILE *out);
/* All findings as JSON (docs/findings-json.md); -1 on I/O error. */
int findings_write_json(struct machine *m, const char *path);
/* The same to an open file, which it closes. */
int findings_write_json_to(struct machine *m, FILE *o);
void findings_free(struct machine *m);

const char *finding_kind_name(enum finding_kind k);
const char *copy_name(enum copy_id c);

/* Read guest memory at va as PE c sees it, without side effects on the
 * model or the TLB (reports, audit): the PE's TLB entry for the page if
 * it has one, else the identity map the guests use. */
bool guest_peek(struct machine *m, const struct cpu *c, uint64_t va,
		void *buf, unsigned len);

#endif
