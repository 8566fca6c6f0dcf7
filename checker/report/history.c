/* The event history the findings quote (findings.h).
 *
 * Two kinds of event differ in rate by orders of magnitude: events on one
 * line (stores, by-VA CMOs), which can come once per instruction, and
 * PE-wide events (MMU on/off, caches on/off, set/way and whole-I-cache
 * maintenance, TLBI, the boot state), which are rare. Each has its own
 * ring: a single one would lose the MMU switch a finding hinges on to the
 * stores that came after it.
 *
 * Line events are compact records (struct lrec, 24 bytes): what repeats
 * from one event to the next at the same place (PE, EL, pc, attributes,
 * backtrace) is a site, kept once in a side table (struct site). A DC or
 * IC loop, the same CMO by the same PE at the same pc and backtrace on
 * consecutive lines with no event of any PE in between, is one range
 * record (struct rrec) in a third ring, however many lines it covers.
 * Each line's event in a range is still exact: event numbers (seq) are
 * consecutive in the range, so line i of it was event seq0 + i, and the
 * lines of a range must also agree on the state they found
 * (stale_before). A finding's history therefore lists the same events
 * as if every CMO had its own record; only its reach grows, as a loop
 * takes one slot instead of one per line.
 *
 * Finding a line's events must not scan the line ring (a finding may
 * quote a line last written millions of events ago): every line record
 * links to the previous record on the same line, and a direct-mapped
 * table gives the newest record of a line. Records are numbered; record
 * n is still in its ring iff the ring has taken fewer than size records
 * since, so overwritten history simply ends the chain. A table collision
 * also just ends a chain (the chain is checked by line), so the table
 * never needs resizing. The range ring is scanned (it is small, and only
 * a new finding reads the history). */
#include "report/history.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "board/machine.h"
#include "pe/cpu.h"
#include "report/backtrace.h"
#include "report/btcache.h"

#define DEFAULT_LINE_EVENTS  (1u << 18)
#define DEFAULT_PE_EVENTS    (1u << 12)
#define HEAD_BITS            16
#define SITE_HASH_BITS       16
#define SITES_MIN            256
#define HIST_PES             64

/* A PE-wide event: rare, kept whole. */
struct slot {
	struct event e;
	struct backtrace bt;    /* the PE's frames when it happened */
	uint64_t n;             /* absolute number (1-based) of this event */
};

/* Where line events happen: everything of an event but its line, bytes,
 * CMO and seq. */
struct site {
	uint32_t refs;          /* records (and the open range) naming it;
				 * 0: free, next_free links it */
	union {
		uint32_t next_free;
		uint32_t born;  /* while live: its number (struct bt_memo) */
	};
	uint64_t pc;
	int32_t pe;
	uint8_t el;
	struct memattr attr;
	struct backtrace bt;
};

/* A line event. w0: seq (48 bits), kind (1: CMO, 0: store), stale_before
 * (4), detail (5: the CMO). w1: line number (pa >> 6, 42 bits), the
 * stored bytes as their first byte (6) and count (7). The model's masks
 * are one access within one line, so contiguous; a mask that is not
 * would be kept as its hull. */
struct lrec {
	uint64_t w0, w1;
	uint32_t prev;          /* records back to the line's previous one, 0 none */
	uint32_t site;          /* index of its site */
};

/* A CMO loop: line0 + i was event seq0 + i, for i < nlines. */
struct rrec {
	uint64_t seq0;
	uint64_t line0;         /* line number (pa >> 6) */
	uint32_t nlines;
	uint32_t site;
	uint8_t op, stale;
};

/* The CMO run being extended: recorded when an event does not extend
 * it, or when the history is read. */
struct open_range {
	bool on;
	uint64_t seq0, line0;
	uint32_t nlines;
	uint32_t site;
	uint8_t op, stale;
	uint64_t x29;           /* the frames at the first line: unchanged
				 * while x29 is (and no store happened) */
};

struct history {
	struct { struct slot *s; size_t size; uint64_t next; } pe;
	struct { struct lrec *r; size_t size; uint64_t next; } line;
	struct { struct rrec *r; size_t size; uint64_t next; } range;
	/* index 0 is no site; free ones are listed from free */
	struct { struct site *s; size_t n, cap; uint32_t free, born; uint64_t made; } sites;
	struct open_range open;
	struct btcache *bc;               /* NULL: unwind every time */
	uint64_t range_lines;             /* lines of the ranges written */
	uint32_t site_hash[1u << SITE_HASH_BITS];  /* newest site per bucket */
	uint32_t pe_site[HIST_PES];       /* each PE's last site */
	uint64_t head[1u << HEAD_BITS];   /* newest line record per bucket */
};

/* The line ring is written in order from its start: a short run's
 * events touch a few MiB of it, page by page. Zeroed memory from the
 * kernel in 2 MiB pages where it gives them makes that a fault per 2 MiB
 * instead of one per 4 KiB (a tenth of selftest smp's run with the
 * model went to those faults). Its length is a function of the ring's
 * size, so that nothing is added to struct history (whose size --stats
 * counts). */
#define HUGE_PAGE (2u << 20)

static size_t huge_len(size_t bytes)
{
	return (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
}

/* bytes of zeroed memory at a 2 MiB boundary; huge_free(p, bytes) */
static void *huge_alloc(size_t bytes)
{
	size_t len = huge_len(bytes);
	uint8_t *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (uint8_t *)(((uintptr_t)p + HUGE_PAGE - 1) &
			~(uintptr_t)(HUGE_PAGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + len + HUGE_PAGE)
		munmap(a + len, (size_t)(p + len + HUGE_PAGE - (a + len)));
#ifdef MADV_HUGEPAGE
	madvise(a, len, MADV_HUGEPAGE);      /* a hint: 4 KiB pages if not */
#endif
	return a;
}

static void huge_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, huge_len(bytes));
}

static size_t pow2(size_t n)
{
	size_t p = 1;

	n = n ? n : 1;
	while (p < n)
		p <<= 1;
	return p;
}

int history_init(struct machine *m, size_t line_events, size_t pe_events)
{
	struct history *h;

	history_free(m);
	h = calloc(1, sizeof(*h));
	if (!h)
		return -1;
	h->pe.size = pow2(pe_events);
	h->line.size = pow2(line_events);
	/* a loop per four line events: the two rings then reach back as
	 * far on DC-loop-heavy runs (mmu-onoff: one range per six records) */
	h->range.size = pow2(line_events / 4 > 4 ? line_events / 4 : 4);
	h->sites.cap = SITES_MIN;
	h->sites.n = 1;
	h->pe.s = calloc(h->pe.size, sizeof(*h->pe.s));
	h->line.r = huge_alloc(h->line.size * sizeof(*h->line.r));
	h->range.r = calloc(h->range.size, sizeof(*h->range.r));
	h->sites.s = calloc(h->sites.cap, sizeof(*h->sites.s));
	h->pe.next = h->line.next = h->range.next = 1;
	h->bc = btcache_new(m);
	m->history = h;
	if (!h->pe.s || !h->line.r || !h->range.r || !h->sites.s) {
		history_free(m);
		return -1;
	}
	return 0;
}

void history_free(struct machine *m)
{
	struct history *h = m->history;

	if (!h)
		return;
	btcache_free(m, h->bc);
	free(h->pe.s);
	huge_free(h->line.r, h->line.size * sizeof(*h->line.r));
	free(h->range.r);
	free(h->sites.s);
	free(h);
	m->history = NULL;
}

void history_stats(const struct machine *m, struct history_stats *st)
{
	const struct history *h = m->history;

	memset(st, 0, sizeof(*st));
	if (!h)
		return;
	st->bytes = sizeof(*h) + h->pe.size * sizeof(*h->pe.s) +
		    h->line.size * sizeof(*h->line.r) +
		    h->range.size * sizeof(*h->range.r) +
		    h->sites.cap * sizeof(*h->sites.s);
	st->line_records = h->line.next - 1;
	st->ranges = h->range.next - 1;
	st->range_lines = h->range_lines;
	st->sites = h->sites.made;
}

/* Record n of a ring that has given out numbers below next, if it is
 * still there. */
static bool live(uint64_t n, uint64_t next, size_t size)
{
	return n && n < next && next - n <= size;
}

static unsigned line_bucket(uint64_t line)
{
	/* Fibonacci hashing of the line number. */
	return (unsigned)((line * 0x9e3779b97f4a7c15ull) >> (64 - HEAD_BITS));
}

/* ---- sites ---- */

/* A site lives while a record names it: the rings drop their reference
 * as they overwrite a record, so the table holds about as many sites as
 * the rings hold distinct ones, however many a run makes. */
static void site_unref(struct history *h, uint32_t i)
{
	struct site *s = &h->sites.s[i];

	if (i && !--s->refs) {
		s->next_free = h->sites.free;
		h->sites.free = i;
	}
}

static unsigned site_bucket(const struct event *e, const struct backtrace *bt)
{
	uint64_t k = e->pc ^ ((uint64_t)(uint32_t)e->pe << 48) ^
		     ((uint64_t)e->el << 56) ^ ((uint64_t)e->attr.mair << 8) ^
		     ((uint64_t)e->attr.sh << 16) ^ ((uint64_t)e->attr.s1 << 20);

	/* frame 0 is the pc itself: xored in again, it would cancel */
	for (unsigned i = 1; i < bt->n; i++)
		k = (k * 0x100000001b3ull) ^ bt->pc[i];
	return (unsigned)((k * 0x9e3779b97f4a7c15ull) >> (64 - SITE_HASH_BITS));
}

/* A live site of e's pc, PE, EL and attributes: all of a site but its
 * frames. */
static bool site_event(const struct site *s, const struct event *e)
{
	return s->refs && s->pc == e->pc && s->pe == e->pe && s->el == e->el &&
	       s->attr.mair == e->attr.mair && s->attr.sh == e->attr.sh &&
	       s->attr.s1 == e->attr.s1;
}

static bool site_is(const struct site *s, const struct event *e,
		    const struct backtrace *bt)
{
	return site_event(s, e) && s->bt.n == bt->n &&
	       !memcmp(s->bt.pc, bt->pc, bt->n * sizeof(bt->pc[0]));
}

/* The site memo names for an event at e->pc, if it still lives: its
 * frames are the chain's, so the rest of e decides. */
static uint32_t site_memo(struct history *h, const struct bt_memo *memo,
			  const struct event *e)
{
	for (unsigned k = 0; k < BT_MEMO; k++) {
		const struct site *s = &h->sites.s[memo->s[k].site];

		if (memo->s[k].site && memo->s[k].pc == e->pc &&
		    s->born == memo->s[k].born && site_event(s, e))
			return memo->s[k].site;
	}
	return 0;
}

/* A reference to the site of e, made if new; 0 when out of memory. */
static uint32_t site_find(struct machine *m, const struct event *e,
			  const struct backtrace *bt)
{
	struct history *h = m->history;
	uint32_t *b, i;
	struct site *s;

	/* a PE's stores often come from one place (a loop) */
	if (e->pe >= 0 && e->pe < HIST_PES) {
		i = h->pe_site[e->pe];
		if (i && site_is(&h->sites.s[i], e, bt)) {
			h->sites.s[i].refs++;
			return i;
		}
	}
	b = &h->site_hash[site_bucket(e, bt)];
	if (*b && site_is(&h->sites.s[*b], e, bt)) {
		if (e->pe >= 0 && e->pe < HIST_PES)
			h->pe_site[e->pe] = *b;
		h->sites.s[*b].refs++;
		return *b;
	}
	if (h->sites.free) {
		i = h->sites.free;
		h->sites.free = h->sites.s[i].next_free;
	} else {
		if (h->sites.n == h->sites.cap) {
			struct site *t;

			if (h->sites.cap >= UINT32_MAX / 2)
				return 0;
			t = realloc(h->sites.s, 2 * h->sites.cap * sizeof(*t));
			if (!t)
				return 0;
			h->sites.s = t;
			h->sites.cap *= 2;
		}
		i = (uint32_t)h->sites.n++;
	}
	s = &h->sites.s[i];
	memset(s, 0, sizeof(*s));
	s->refs = 1;
	s->pc = e->pc;
	s->pe = e->pe;
	s->el = (uint8_t)e->el;
	s->attr = e->attr;
	s->bt = *bt;
	/* numbers wrapped: a memo could name an older site by this one's */
	if (!++h->sites.born) {
		if (h->bc)
			btcache_forget_sites(h->bc);
		h->sites.born = 1;
	}
	s->born = h->sites.born;
	*b = i;
	if (e->pe >= 0 && e->pe < HIST_PES)
		h->pe_site[e->pe] = i;
	h->sites.made++;
	return i;
}

static uint32_t site_of(struct machine *m, const struct event *e)
{
	struct history *h = m->history;
	struct bt_memo *memo = NULL;
	struct backtrace bt;
	uint32_t i;

	/* The frames must be read now: the stack is reused at once. */
	if (e->pe >= 0 && (unsigned)e->pe < m->npe && h->bc)
		btcache_capture(h->bc, m, (unsigned)e->pe, &m->pe[e->pe],
				e->pc, &bt, &memo);
	else if (e->pe >= 0 && (unsigned)e->pe < m->npe)
		backtrace_capture(m, &m->pe[e->pe], e->pc, &bt);
	else
		bt.n = 0;
	if (memo && (i = site_memo(h, memo, e))) {
		h->sites.s[i].refs++;
		if (e->pe < HIST_PES)
			h->pe_site[e->pe] = i;
		return i;
	}
	i = site_find(m, e, &bt);
	if (memo && i)
		memo->s[memo->next++ % BT_MEMO] = (struct bt_memo_slot){
			.pc = e->pc, .site = i, .born = h->sites.s[i].born };
	return i;
}

/* ---- recording ---- */

/* Events that are about the PE or the whole cache rather than one line,
 * and any event the compact records do not describe. */
static bool pe_wide(const struct event *e)
{
	return e->pa == 0 || (e->kind != EV_STORE && e->kind != EV_CMO) ||
	       e->detail >= 32 || e->pa >> 48;
}

/* Takes over the reference site. */
static void line_put(struct history *h, uint64_t seq, uint64_t line,
		     bool cmo, uint8_t stale, uint32_t detail, uint64_t mask,
		     uint32_t site)
{
	uint64_t n = h->line.next++, *hd = &h->head[line_bucket(line)];
	struct lrec *r = &h->line.r[n & (h->line.size - 1)];
	unsigned off = mask ? (unsigned)__builtin_ctzll(mask) : 0;
	unsigned len = mask ? 64 - (unsigned)__builtin_clzll(mask) - off : 0;

	if (n > h->line.size)
		site_unref(h, r->site);
	/* the next record overwritten drops its site's reference: a miss
	 * in a big table, fetched ahead */
	__builtin_prefetch(&h->sites.s[h->line.r[(n + 1) & (h->line.size - 1)].site]);

	r->w0 = (seq & ((1ull << 48) - 1)) | (uint64_t)cmo << 48 |
		(uint64_t)(stale & 15) << 49 | (uint64_t)detail << 53;
	r->w1 = line | (uint64_t)off << 42 | (uint64_t)len << 48;
	r->site = site;
	r->prev = live(*hd, n, h->line.size) ? (uint32_t)(n - *hd) : 0;
	*hd = n;
}

static void flush_open(struct history *h)
{
	struct open_range *o = &h->open;

	if (!o->on)
		return;
	if (o->nlines == 1) {
		line_put(h, o->seq0, o->line0, true, o->stale, o->op, 0, o->site);
	} else {
		uint64_t n = h->range.next++;
		struct rrec *r = &h->range.r[n & (h->range.size - 1)];

		if (n > h->range.size)
			site_unref(h, r->site);
		*r = (struct rrec){ .seq0 = o->seq0, .line0 = o->line0,
				    .nlines = o->nlines,
				    .site = o->site, .op = o->op,
				    .stale = o->stale };
		h->range_lines += o->nlines;
	}
	o->on = false;
}

/* Whether e is the next line of the open CMO loop. The backtrace is not
 * read again: with the same pc and x29 it is the same frames, as RAM
 * changed by no store (any store is an event, which would break seq's
 * run). */
static bool extends(struct machine *m, const struct event *e)
{
	struct history *h = m->history;
	const struct open_range *o = &h->open;
	const struct site *s = &h->sites.s[o->site];

	return e->kind == EV_CMO && e->detail == o->op &&
	       e->seq == o->seq0 + o->nlines &&
	       (e->pa >> 6) == o->line0 + o->nlines &&
	       e->stale_before == o->stale && e->mask == 0 &&
	       e->pe == s->pe && e->pc == s->pc && e->el == s->el &&
	       e->attr.mair == s->attr.mair && e->attr.sh == s->attr.sh &&
	       e->attr.s1 == s->attr.s1 && o->nlines < UINT32_MAX &&
	       e->pe >= 0 && (unsigned)e->pe < m->npe &&
	       m->pe[e->pe].x[29] == o->x29;
}

void history_record(struct machine *m, const struct event *e)
{
	struct history *h = m->history;
	uint32_t site;

	if (!h) {
		if (history_init(m, DEFAULT_LINE_EVENTS, DEFAULT_PE_EVENTS) < 0)
			return;         /* history is best effort */
		h = m->history;
	}
	if (h->open.on) {
		if (extends(m, e)) {
			h->open.nlines++;
			return;
		}
		flush_open(h);
	}
	if (pe_wide(e)) {
		struct slot *s = &h->pe.s[h->pe.next & (h->pe.size - 1)];

		s->e = *e;
		s->e.pa = e->pa & ~63ull;
		s->n = h->pe.next++;
		if (e->kind != EV_BOOT && e->pe >= 0 && (unsigned)e->pe < m->npe)
			backtrace_capture(m, &m->pe[e->pe], e->pc, &s->bt);
		else
			s->bt.n = 0;
		return;
	}
	site = site_of(m, e);
	if (!site)
		return;
	if (e->kind == EV_CMO && e->mask == 0 && e->pe >= 0 &&
	    (unsigned)e->pe < m->npe) {
		h->open = (struct open_range){
			.on = true, .seq0 = e->seq, .line0 = e->pa >> 6,
			.nlines = 1, .site = site, .op = (uint8_t)e->detail,
			.stale = e->stale_before, .x29 = m->pe[e->pe].x[29],
		};
		return;
	}
	line_put(h, e->seq, e->pa >> 6, e->kind == EV_CMO, e->stale_before,
		 e->detail, e->mask, site);
}

/* ---- reading ---- */

static void from_site(struct history *h, uint32_t site, struct event *e,
		      struct backtrace *bt)
{
	const struct site *s = site ? &h->sites.s[site] : NULL;

	if (s) {
		e->pc = s->pc;
		e->pe = s->pe;
		e->el = s->el;
		e->attr = s->attr;
	}
	if (bt) {
		if (s)
			*bt = s->bt;
		else
			bt->n = 0;
	}
}

static void lrec_event(struct history *h, const struct lrec *r,
		       struct event *e, struct backtrace *bt)
{
	unsigned off = (r->w1 >> 42) & 63, len = (r->w1 >> 48) & 127;

	memset(e, 0, sizeof(*e));
	e->seq = r->w0 & ((1ull << 48) - 1);
	e->kind = (r->w0 >> 48) & 1 ? EV_CMO : EV_STORE;
	e->stale_before = (r->w0 >> 49) & 15;
	e->detail = (r->w0 >> 53) & 31;
	e->pa = (r->w1 & ((1ull << 42) - 1)) << 6;
	e->mask = len == 64 ? ~0ull : len ? ((1ull << len) - 1) << off : 0;
	from_site(h, r->site, e, bt);
}

static const struct lrec *lrec_get(struct history *h, uint64_t n)
{
	return live(n, h->line.next, h->line.size)
	       ? &h->line.r[n & (h->line.size - 1)] : NULL;
}

/* The newest record at or before number n on line, or 0. */
static uint64_t chain_from(struct history *h, uint64_t n, uint64_t line)
{
	const struct lrec *r;

	while ((r = lrec_get(h, n)) &&
	       (r->w1 & ((1ull << 42) - 1)) != line)
		n = r->prev ? n - r->prev : 0;
	return r ? n : 0;
}

static uint64_t lrec_seq(struct history *h, uint64_t n)
{
	return lrec_get(h, n)->w0 & ((1ull << 48) - 1);
}

/* The seq below which a ring may have lost events: the line's history
 * is quoted only from the newest seq that both rings still hold every
 * event after. */
static uint64_t horizon(struct history *h)
{
	uint64_t hz = 0;

	if (h->line.next - 1 > h->line.size)
		hz = lrec_seq(h, h->line.next - h->line.size);
	if (h->range.next - 1 > h->range.size) {
		uint64_t r = h->range.r[(h->range.next - h->range.size) &
					(h->range.size - 1)].seq0;

		if (r > hz)
			hz = r;
	}
	return hz;
}

/* The next range record before number *rn that covers line, and its
 * event for it; false when none is left. */
static bool range_next(struct history *h, uint64_t *rn, uint64_t line,
		       struct event *e, struct backtrace *bt)
{
	while (live(--*rn, h->range.next, h->range.size)) {
		const struct rrec *r = &h->range.r[*rn & (h->range.size - 1)];

		if (line < r->line0 || line - r->line0 >= r->nlines)
			continue;
		memset(e, 0, sizeof(*e));
		e->seq = r->seq0 + (line - r->line0);
		e->kind = EV_CMO;
		e->stale_before = r->stale;
		e->detail = r->op;
		e->pa = line << 6;
		from_site(h, r->site, e, bt);
		return true;
	}
	return false;
}

/* Collect up to max events newest first: line records by following the
 * bucket chain and ranges covering the line, merged by seq, and PE-wide
 * events from the newest backwards merged with them (on a tie the line
 * event is taken first, so the PE-wide event ends up before it once
 * reversed, as a mode switch is recorded before the accesses it
 * affects). PE-wide events take at most half the room while the line
 * has events left: the line's own history is the point. */
size_t history_for_line(struct machine *m, uint64_t pa, struct event *out,
			size_t max)
{
	return history_for_line_bt(m, pa, out, NULL, max);
}

size_t history_for_line_bt(struct machine *m, uint64_t pa, struct event *out,
			   struct backtrace *bt, size_t max)
{
	struct history *h = m->history;
	uint64_t line = pa >> 6, ln, rn, pn, hz;
	struct event le, re;
	struct backtrace lb, rb;
	bool have_l, have_r;
	struct slot *ps;
	size_t k = 0, npe = 0;

	if (!h || max == 0)
		return 0;
	flush_open(h);
	hz = horizon(h);
	ln = chain_from(h, h->head[line_bucket(line)], line);
	have_l = ln && (lrec_event(h, lrec_get(h, ln), &le, &lb), le.seq >= hz);
	rn = h->range.next;
	have_r = range_next(h, &rn, line, &re, &rb) && re.seq >= hz;
	pn = h->pe.next - 1;
	ps = live(pn, h->pe.next, h->pe.size) ? &h->pe.s[pn & (h->pe.size - 1)]
					      : NULL;
	while (k < max && (have_l || have_r || ps)) {
		bool use_r = have_r && (!have_l || re.seq > le.seq);
		const struct event *ce = use_r ? &re : &le;
		bool take_line = (have_l || have_r) &&
				 (!ps || ce->seq >= ps->e.seq || npe >= max / 2);

		if (take_line) {
			if (bt)
				bt[k] = use_r ? rb : lb;
			out[k++] = *ce;
			if (use_r) {
				have_r = range_next(h, &rn, line, &re, &rb) &&
					 re.seq >= hz;
			} else {
				const struct lrec *r = lrec_get(h, ln);

				ln = r->prev ? chain_from(h, ln - r->prev, line) : 0;
				have_l = ln && (lrec_event(h, lrec_get(h, ln), &le, &lb),
						le.seq >= hz);
			}
		} else {
			if (bt)
				bt[k] = ps->bt;
			out[k++] = ps->e;
			npe++;
			pn--;
			ps = live(pn, h->pe.next, h->pe.size)
			     ? &h->pe.s[pn & (h->pe.size - 1)] : NULL;
		}
	}
	/* Oldest first. */
	for (size_t i = 0; i < k / 2; i++) {
		struct event t = out[i];

		out[i] = out[k - 1 - i];
		out[k - 1 - i] = t;
		if (bt) {
			struct backtrace b = bt[i];

			bt[i] = bt[k - 1 - i];
			bt[k - 1 - i] = b;
		}
	}
	return k;
}
const char *event_kind_name(enum event_kind k)
{
	switch (k) {
	case EV_STORE: return "store";
	case EV_CMO: return "cmo";
	case EV_TLBI: return "tlbi";
	case EV_MMU_ON: return "mmu-on";
	case EV_MMU_OFF: return "mmu-off";
	case EV_CACHES_ON_OFF: return "caches";
	case EV_BOOT: return "boot";
	}
	return "?";
}

const char *cmo_op_name(enum cmo_op op)
{
	static const char *const n[] = {
		[CMO_DC_IVAC] = "DC IVAC", [CMO_DC_CVAC] = "DC CVAC",
		[CMO_DC_CVAU] = "DC CVAU", [CMO_DC_CIVAC] = "DC CIVAC",
		[CMO_DC_CVAP] = "DC CVAP", [CMO_DC_ZVA] = "DC ZVA",
		[CMO_DC_ISW] = "DC ISW", [CMO_DC_CSW] = "DC CSW",
		[CMO_DC_CISW] = "DC CISW", [CMO_IC_IVAU] = "IC IVAU",
		[CMO_IC_IALLU] = "IC IALLU", [CMO_IC_IALLUIS] = "IC IALLUIS",
	};

	if ((unsigned)op < sizeof(n) / sizeof(n[0]) && n[op])
		return n[op];
	return "CMO ?";
}
