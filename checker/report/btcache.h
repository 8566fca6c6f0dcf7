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

/* The sites (history.c) events with a chain's frames were interned to,
 * kept with the chain and forgotten when it is unwound again: a site
 * made while the chain held, for an event at pc, is the site of any
 * other event at pc with the same PE, EL and attributes while it still
 * holds (born: the site's number, as it may be freed and made again). */
#define BT_MEMO 16
struct bt_memo_slot {
	uint64_t pc;
	uint32_t site, born;
};
struct bt_memo {
	unsigned next;
	struct bt_memo_slot s[BT_MEMO];
};

/* A cache for m's PEs, watching m's RAM writes (struct ram_watch, which
 * it takes over); NULL when out of memory. */
struct btcache *btcache_new(struct machine *m);
/* Stops the watch and frees bc (NULL: nothing). */
void btcache_free(struct machine *m, struct btcache *bc);
/* Exactly backtrace_capture(m, c, pc, bt) for PE number pe (c is
 * &m->pe[pe]); *memo is the chain's sites, NULL when it is not kept. */
void btcache_capture(struct btcache *bc, struct machine *m, unsigned pe,
		     const struct cpu *c, uint64_t pc, struct backtrace *bt,
		     struct bt_memo **memo);
/* Forget every chain's sites (their numbers wrapped). */
void btcache_forget_sites(struct btcache *bc);

#endif
