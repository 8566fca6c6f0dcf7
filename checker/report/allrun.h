/* --boot-contract=all (allrun.c): the parts written by each contract's
 * run (report.h findings_write_part) merged into one report. */
#ifndef CHECKER_ALLRUN_H
#define CHECKER_ALLRUN_H

#include <stdio.h>

#include "model/cache.h"

/* parts[k]: contract k's part, read from its start. The root causes and
 * a SUMMARY line go to out; the merged JSON, SARIF and HTML to json,
 * sarif and html (each closed) when not NULL, each root cause tagged with
 * its contracts. -1 when a part cannot be read or a report written. */
int allrun_report(FILE *const parts[BOOT_NCONTRACTS], FILE *out, FILE *json,
		  FILE *sarif, FILE *html);

#endif
