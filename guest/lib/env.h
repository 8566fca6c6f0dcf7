/* The environment the runner hands over as kvm-unit-tests does: a file
 * of NAME=value lines loaded as the initrd (/chosen linux,initrd-start
 * and -end), read once at boot into a copy of our own; and its errata
 * variables with kvm-unit-tests' calls (its lib/errata.h, read for the
 * names and meaning): ERRATA_<commit>=y says the host has that fix,
 * ERRATA_FORCE=y says to run what depends on any fix. */
#ifndef GUEST_ENV_H
#define GUEST_ENV_H

#include "types.h"

#define ENV_MAX_BYTES 4096
#define ENV_MAX_VARS  128

/* Copies the initrd's variables; a malformed or oversized file is a
 * fatal boot error that says what is wrong. */
void env_init(void);
/* The value of name, or NULL. */
char *getenv(const char *name);
int env_count(void);

#define ERRATA(commit) "ERRATA_" #commit
/* The fix is present: ERRATA_FORCE or erratum is "y", "Y" or "1". */
bool errata(const char *erratum);
/* As errata, but an erratum the environment does not name counts as
 * fixed. */
bool errata_relaxed(const char *erratum);

#endif
