/* The backtrace cache (btcache.h). An unwind (backtrace_unwind) reads
 * the frame records of the chain from x29, each through the PE's TLB
 * entry for its page (guest_peek_pa), and its frames after the first are
 * a function of x29, those translations and those bytes alone: the pc
 * is frame 0 and nothing else. So the frames found for one x29 hold
 * again while
 *   - the PE is at an EL of the same translation regime,
 *   - each record's page still translates to the same PA (checked at
 *     every use: one TLB entry per distinct page of the chain), and
 *   - no byte of a record read has been written since (RAM writers call
 *     memsys_ram_written(), which drops every entry with a record the
 *     write overlaps).
 * The stores a line event records write RAM after the event (the model
 * sees the store first, cachemodel.c): their own backtrace is the
 * frames before them, as without the cache.
 *
 * A write is checked against the records of every entry of every PE
 * only when it may touch one: a counting filter of the 16-byte granules
 * the entries' records cover, exact in its counts, so a granule that
 * counts zero is one no record covers. Writes to the stack's locals
 * are most stores; they cost a filter look-up each.
 *
 * COHERENT_BT_CHECK=1 (any value but 0) unwinds again at every use and
 * stops the run if the frames differ. */
#include "report/btcache.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/machine.h"
#include "pe/cpu.h"
#include "report/guestmem.h"

#define BC_WAYS      32          /* entries per PE, by frame pointer */
#define FILTER_BITS  12
#define GRANULE      4           /* log2 of the filter's granule */
#define REC          16          /* bytes of a frame record */

struct bc_entry {
	bool valid;
	uint8_t regime;
	uint64_t lo, hi;             /* the hull of its records' bytes */
	struct backtrace bt;         /* pc[0] is the pc of the fill */
	struct bt_reads rd;
	struct bt_memo memo;
};

struct btcache {
	unsigned npe;
	bool check;
	struct bc_entry *e;          /* npe * BC_WAYS */
	unsigned live;               /* valid entries */
	struct ram_watch *w;         /* the machine's, while bc has it */
	uint16_t cnt[1u << FILTER_BITS];
};

static unsigned way(uint64_t x29)
{
	return (unsigned)(((x29 >> 4) * 0x9e3779b97f4a7c15ull) >> 59);  /* log2 BC_WAYS */
}

static unsigned granule_slot(uint64_t g)
{
	return (unsigned)((g * 0x9e3779b97f4a7c15ull) >> (64 - FILTER_BITS));
}

static uint8_t regime_of(const struct cpu *c)
{
	return c->el == 2;
}

/* Add d to the counts of every granule the entry's records cover. */
static void count(struct btcache *bc, const struct bc_entry *e, int d)
{
	for (unsigned k = 0; k < e->rd.n; k++) {
		uint64_t pa = e->rd.pa[k];

		if (!(e->rd.ok >> k & 1))
			continue;
		for (uint64_t g = pa >> GRANULE; g <= (pa + REC - 1) >> GRANULE; g++)
			bc->cnt[granule_slot(g)] += d;
	}
}

static void drop(struct btcache *bc, struct bc_entry *e)
{
	if (!e->valid)
		return;
	count(bc, e, -1);
	e->valid = false;
	if (!--bc->live)
		bc->w->lo = bc->w->hi = 0;      /* nothing to watch */
}

static bool overlaps(const struct bc_entry *e, uint64_t pa, uint64_t len)
{
	if (pa >= e->hi || pa + len <= e->lo)
		return false;
	for (unsigned k = 0; k < e->rd.n; k++)
		if ((e->rd.ok >> k & 1) && e->rd.pa[k] < pa + len &&
		    pa < e->rd.pa[k] + REC)
			return true;
	return false;
}

static void written(void *ctx, uint64_t pa, uint64_t len)
{
	struct btcache *bc = ctx;
	bool maybe = len > 4096;

	for (uint64_t g = pa >> GRANULE; !maybe && g <= (pa + len - 1) >> GRANULE; g++)
		maybe = bc->cnt[granule_slot(g)] != 0;
	if (!maybe)
		return;
	for (unsigned i = 0; i < bc->npe * BC_WAYS; i++)
		if (bc->e[i].valid && overlaps(&bc->e[i], pa, len))
			drop(bc, &bc->e[i]);
}

struct btcache *btcache_new(struct machine *m)
{
	struct btcache *bc = calloc(1, sizeof(*bc));
	const char *chk = getenv("COHERENT_BT_CHECK");

	if (!bc)
		return NULL;
	bc->npe = m->npe;
	bc->e = calloc((size_t)m->npe * BC_WAYS, sizeof(*bc->e));
	if (!bc->e) {
		free(bc);
		return NULL;
	}
	bc->check = chk && *chk && strcmp(chk, "0");
	bc->w = &m->mem.watch;
	*bc->w = (struct ram_watch){ .fn = written, .ctx = bc };
	return bc;
}

void btcache_free(struct machine *m, struct btcache *bc)
{
	if (!bc)
		return;
	if (m->mem.watch.ctx == bc)
		m->mem.watch = (struct ram_watch){ 0 };
	free(bc->e);
	free(bc);
}

/* Whether every record's page still translates as when e was filled. */
static bool same_translation(const struct bc_entry *e, const struct cpu *c)
{
	for (unsigned k = 0; k < e->rd.n; k++) {
		/* the same page as the record before: the same TLB entry */
		if (k && !((e->rd.va[k] ^ e->rd.va[k - 1]) >> 12))
			continue;
		if (guest_peek_pa(c, e->rd.va[k]) != e->rd.pa[k])
			return false;
	}
	return true;
}

/* The watch covers the records of every live entry: [lo, hi) grows with
 * each fill and starts again when no entry is left. */
static void watch_add(struct machine *m, struct btcache *bc,
		      const struct bc_entry *e)
{
	struct ram_watch *w = bc->w;

	(void)m;
	if (bc->live == 1)
		w->lo = UINT64_MAX, w->hi = 0;
	if (e->lo < w->lo)
		w->lo = e->lo;
	if (e->hi > w->hi)
		w->hi = e->hi;
}

static void hull(struct bc_entry *e)
{
	e->lo = UINT64_MAX;
	e->hi = 0;
	for (unsigned k = 0; k < e->rd.n; k++) {
		if (!(e->rd.ok >> k & 1))
			continue;
		if (e->rd.pa[k] < e->lo)
			e->lo = e->rd.pa[k];
		if (e->rd.pa[k] + REC > e->hi)
			e->hi = e->rd.pa[k] + REC;
	}
}

void btcache_forget_sites(struct btcache *bc)
{
	for (unsigned i = 0; i < bc->npe * BC_WAYS; i++)
		memset(&bc->e[i].memo, 0, sizeof(bc->e[i].memo));
}

void btcache_capture(struct btcache *bc, struct machine *m, unsigned pe,
		     const struct cpu *c, uint64_t pc, struct backtrace *bt,
		     struct bt_memo **memo)
{
	uint64_t x29 = c->x[29];
	struct bc_entry *e;

	*memo = NULL;
	/* Without records to read, or while the TLBs' host pointers may
	 * write RAM unseen (no model attached). */
	if (pe >= bc->npe || !x29 || (x29 & 7) || m->mem.ram_fast ||
	    m->mem.watch.ctx != bc) {
		backtrace_capture(m, c, pc, bt);
		return;
	}
	e = &bc->e[pe * BC_WAYS + way(x29)];
	if (e->valid && e->rd.va[0] == x29 && e->regime == regime_of(c) &&
	    same_translation(e, c)) {
		/* frame by frame: a struct copy is a slow string move */
		bt->n = e->bt.n;
		bt->pc[0] = pc;
		for (unsigned k = 1; k < e->bt.n; k++)
			bt->pc[k] = e->bt.pc[k];
		if (bc->check) {
			struct backtrace now;

			backtrace_capture(m, c, pc, &now);
			if (now.n != bt->n ||
			    memcmp(now.pc, bt->pc, now.n * sizeof(now.pc[0]))) {
				fprintf(stderr, "coherent: backtrace cache: PE %u "
					"pc %#" PRIx64 " x29 %#" PRIx64
					": frames differ from an unwind\n",
					pe, pc, x29);
				abort();
			}
		}
		*memo = &e->memo;
		return;
	}
	drop(bc, e);
	backtrace_unwind(m, c, pc, bt, &e->rd);
	/* The sites remembered hold for frames equal to the ones before
	 * (whatever the frame pointer): a chain that was dropped or evicted
	 * and unwinds the same keeps them. */
	if (bt->n != e->bt.n ||
	    memcmp(bt->pc + 1, e->bt.pc + 1, (bt->n - 1) * sizeof(bt->pc[0])))
		memset(&e->memo, 0, sizeof(e->memo));
	e->bt = *bt;
	*memo = &e->memo;
	e->regime = regime_of(c);
	hull(e);
	e->valid = true;
	bc->live++;
	count(bc, e, 1);
	watch_add(m, bc, e);
}
