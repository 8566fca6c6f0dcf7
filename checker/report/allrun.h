/* --boot-contract=all (allrun.c): the parts written by each contract's
 * run (report.h findings_write_part) merged into one report. */
#ifndef CHECKER_ALLRUN_H
#define CHECKER_ALLRUN_H

#include <stdio.h>

#include "model/cache.h"

/* parts[k]: contract k's part, read from its start. The root causes and
 * a SUMMARY line go to out, the merged JSON to json (closed) when not
 * NULL. -1 when a part cannot be read or json written. */
int allrun_report(FILE *const parts[BOOT_NCONTRACTS], FILE *out, FILE *json);

#endif
