/* audit/: the CMO necessity audit (`coherent audit`).
 *
 * The CMO necessity audit (docs/model.md "CMO necessity audit"):
 * `coherent audit` runs the image once to list the sites of its cache
 * maintenance, then once per site with that site's DC/IC made no-ops,
 * each run a child `coherent run` with the internal --audit-* options
 * below. */
#ifndef CHECKER_AUDIT_H
#define CHECKER_AUDIT_H

#include <stdint.h>

struct machine;

#define AUDIT_MAX_HELPERS 32
#define AUDIT_MAX_JOBS 256      /* -j N */
#define AUDIT_MAX_JOBS_S "256"
/* Exit status of `coherent audit` when a run did not end by itself as a
 * test (killed, out of budget, machine error; docs/usage.md). */
#define EXIT_AUDIT_RUN 123

struct audit_opts {
	const char *record;             /* --audit-record FILE: write sites, findings */
	uint64_t suppress;              /* --audit-suppress ADDR: site made no-op */
	const char *helper[AUDIT_MAX_HELPERS];  /* --audit-helper NAME */
	unsigned nhelper;
	/* Sites only in [lo, hi) when hi is set (a kernel placed by
	 * firmware: the firmware's maintenance is not audited). */
	uint64_t lo, hi;
};

/* One --audit-* option of `coherent run`; -1 if unknown or malformed. */
int audit_option(struct audit_opts *o, const char *opt, const char *val);
/* Install the CMO filter on a loaded machine (nothing without options). */
int audit_attach(struct machine *m, const struct audit_opts *o);
/* After the run: write the record file, free the state. */
int audit_finish(struct machine *m);
/* `coherent audit ARGS`: prints the table; returns the exit status. */
int audit_main(const char *argv0, int argc, char **argv);

#endif
