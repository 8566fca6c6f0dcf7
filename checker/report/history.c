/* The event history the findings quote (findings.h).
 *
 * Two rings, because the two kinds of event differ in rate by orders of
 * magnitude: events on one line (stores, by-VA CMOs), which can come once
 * per instruction, and PE-wide events (MMU on/off, caches on/off, set/way
 * and whole-I-cache maintenance, TLBI, the boot state), which are rare.
 * A single ring would lose the MMU switch a finding hinges on to the
 * stores that came after it.
 *
 * Finding a line's events must not scan the ring (a finding may quote a
 * line last written millions of events ago, and a ring scan per finding
 * would be slow): every line event links to the previous event on the
 * same line, and a direct-mapped table gives the newest event of a line.
 * Links are absolute event numbers; a slot is still the linked event iff
 * it carries that number, so overwritten history simply ends the chain.
 * A table collision also just ends a chain (the chain is checked by PA),
 * so the table never needs resizing. */
#include "report/history.h"

#include <stdlib.h>

#include "board/machine.h"
#include "report/backtrace.h"

#define DEFAULT_LINE_EVENTS (1u << 18)
#define DEFAULT_PE_EVENTS   (1u << 12)
#define HEAD_BITS           16

struct slot {
	struct event e;
	struct backtrace bt;    /* the PE's frames when it happened */
	uint64_t n;             /* absolute number (1-based) of this event */
	uint64_t prev;          /* number of the previous event on the line */
};

struct ring {
	struct slot *s;
	size_t size;            /* power of two */
	uint64_t next;          /* number the next event gets */
};

struct history {
	struct ring line, pe;
	uint64_t head[1u << HEAD_BITS];   /* newest event number per bucket */
};

static size_t pow2(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static int ring_init(struct ring *r, size_t n)
{
	r->size = pow2(n ? n : 1);
	r->s = calloc(r->size, sizeof(*r->s));
	r->next = 1;
	return r->s ? 0 : -1;
}

int history_init(struct machine *m, size_t line_events, size_t pe_events)
{
	struct history *h;

	history_free(m);
	h = calloc(1, sizeof(*h));
	if (!h)
		return -1;
	if (ring_init(&h->line, line_events) < 0 ||
	    ring_init(&h->pe, pe_events) < 0) {
		free(h->line.s);
		free(h);
		return -1;
	}
	m->history = h;
	return 0;
}

void history_free(struct machine *m)
{
	struct history *h = m->history;

	if (!h)
		return;
	free(h->line.s);
	free(h->pe.s);
	free(h);
	m->history = NULL;
}

static unsigned bucket(uint64_t line)
{
	/* Fibonacci hashing of the line number. */
	return (unsigned)(((line >> 6) * 0x9e3779b97f4a7c15ull) >>
			  (64 - HEAD_BITS));
}

static struct slot *ring_get(struct ring *r, uint64_t n)
{
	struct slot *s;

	if (n == 0)
		return NULL;
	s = &r->s[n & (r->size - 1)];
	return s->n == n ? s : NULL;
}

/* Events that are about the PE or the whole cache rather than one line. */
static bool pe_wide(const struct event *e)
{
	return e->pa == 0 || e->kind == EV_MMU_ON || e->kind == EV_MMU_OFF ||
	       e->kind == EV_CACHES_ON_OFF || e->kind == EV_BOOT;
}

void history_record(struct machine *m, const struct event *e)
{
	struct history *h = m->history;
	struct ring *r;
	struct slot *s;

	if (!h) {
		if (history_init(m, DEFAULT_LINE_EVENTS, DEFAULT_PE_EVENTS) < 0)
			return;         /* history is best effort */
		h = m->history;
	}
	r = pe_wide(e) ? &h->pe : &h->line;
	s = &r->s[r->next & (r->size - 1)];
	s->e = *e;
	s->e.pa = e->pa & ~63ull;
	s->n = r->next++;
	/* The frames must be read now: the stack is reused at once. */
	if (e->kind != EV_BOOT && e->pe >= 0 && (unsigned)e->pe < m->npe)
		backtrace_capture(m, &m->pe[e->pe], e->pc, &s->bt);
	else
		s->bt.n = 0;
	if (r == &h->line) {
		uint64_t *hd = &h->head[bucket(s->e.pa)];

		s->prev = *hd;
		*hd = s->n;
	}
}

/* Collect up to max events newest first: line events by following the
 * bucket chain, PE-wide events from the newest backwards, merged by seq
 * (instruction count; on a tie the line event is taken first, so the
 * PE-wide event ends up before it once reversed, as a mode switch is
 * recorded before the accesses it affects). PE-wide events take at most
 * half the room while the line has events left: the line's own history
 * is the point. */
size_t history_for_line(struct machine *m, uint64_t pa, struct event *out,
			size_t max)
{
	return history_for_line_bt(m, pa, out, NULL, max);
}

size_t history_for_line_bt(struct machine *m, uint64_t pa, struct event *out,
			   struct backtrace *bt, size_t max)
{
	struct history *h = m->history;
	uint64_t line = pa & ~63ull;
	uint64_t ln, pn;
	struct slot *ls, *ps;
	size_t k = 0, npe = 0;

	if (!h || max == 0)
		return 0;
	/* The bucket's chain holds every line hashed there: skip the others. */
	ln = h->head[bucket(line)];
	ls = ring_get(&h->line, ln);
	while (ls && ls->e.pa != line)
		ls = ring_get(&h->line, ls->prev);
	pn = h->pe.next - 1;
	ps = ring_get(&h->pe, pn);
	while (k < max && (ls || ps)) {
		bool take_line = ls && (!ps || ls->e.seq >= ps->e.seq ||
					npe >= max / 2);

		if (take_line) {
			if (bt)
				bt[k] = ls->bt;
			out[k++] = ls->e;
			do
				ls = ring_get(&h->line, ls->prev);
			while (ls && ls->e.pa != line);
		} else {
			if (bt)
				bt[k] = ps->bt;
			out[k++] = ps->e;
			npe++;
			ps = ring_get(&h->pe, --pn);
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
