/* Backtraces of line events without reading the frame records again
 * (btcache.c): the frames of a PE's frame pointer, kept while nothing
 * could have changed what an unwind of them would read. */
#ifndef CHECKER_BTCACHE_H
#define CHECKER_BTCACHE_H

#include <stdint.h>

#include "report/backtrace.h"

struct machine;
struct cpu;
struct btcache;

/* A cache for m's PEs, watching m's RAM writes (struct ram_watch, which
 * it takes over); NULL when out of memory. */
struct btcache *btcache_new(struct machine *m);
/* Stops the watch and frees bc (NULL: nothing). */
void btcache_free(struct machine *m, struct btcache *bc);
/* Exactly backtrace_capture(m, c, pc, bt) for PE number pe (c is
 * &m->pe[pe]). */
void btcache_capture(struct btcache *bc, struct machine *m, unsigned pe,
		     const struct cpu *c, uint64_t pc, struct backtrace *bt);

#endif
