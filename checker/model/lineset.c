/* Configuration sets of a line: the per-configuration effect of each
 * operation, the closure under background transitions, hash-consing and
 * the memo table (lineset.h, docs/model.md). Everything here is pure: a
 * set id and an operation give a set id, whatever line or PE. */
#include "model/lineset.h"
#include "model/sink.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
/* Ages in one run of a chain kept apart (docs/model.md "Store chains"). */
#ifndef RUN_MAX
#define RUN_MAX 3
#endif
#define RUNS_MAX 66

/* Data ages of equal stale masks: n consecutive ages whose data now
 * misses the bytes c. */
struct run {
	uint64_t c;
	uint64_t n;
};

struct setinfo {
	struct lcfg *c;         /* distinct, in no particular order; NULL: free id or chain */
	uint32_t n;
	/* A store chain (docs/model.md "Store chains"): the set cacheable
	 * stores leave base in, base being closed at AL_UP and quiet for
	 * cacheable loads; the stores are given by the stale masks of the
	 * data ages since base, oldest first (runs[0] holds age 0, base's
	 * own data; the last run's mask is 0). exact: the id of the same
	 * set with its configurations, once computed (NONE before); until
	 * then, parent and pmask: the set a store of pmask made it from
	 * (the first to reach it), parent NONE once that was collected. */
	bool chain;
	uint8_t nruns;
	uint32_t base, exact, parent;
	uint64_t pmask;
	struct run *runs;
	uint32_t flags;         /* LSF_*, valid when flags_ok */
	bool flags_ok;
	uint8_t closed;         /* highest alloc level known closed under */
	uint64_t pou;           /* ls_pou_union() */
	uint8_t stale;          /* ls_stale_copies() of a set (not a chain) */
	uint64_t hash;
};

static struct setinfo *sets;
static size_t nsets, capsets;
static uint32_t *itab;          /* intern table: ids, UINT32_MAX = empty */
static size_t itab_cap;
/* Ids of collected sets, reused first (ls_gc). */
static uint32_t *freeids;
static size_t nfree, capfree;

struct memo {
	uint64_t k1, k2;        /* k1 == 0: empty slot */
	struct ls_result r;
};
static struct memo *memo;
static size_t memo_cap, memo_n;
/* A direct-mapped copy of memo entries used last, probed before the
 * memo: a DC loop asks for one (id, op, level) line after line, and the
 * memo's hash and probe into a table of every transition cost more than
 * the rest of the DC's step. Every entry is one the memo holds (filled
 * from its hits and puts), and it is emptied whenever the memo drops
 * entries (ls_gc_end), so a hit here is a memo hit. */
#define FRONT_BITS 8
static struct memo front[1u << FRONT_BITS];
/* Per id, since the last collection: 1 if an operation produced it.
 * A state a loop goes through again and again (a line written word by
 * word then cleaned, every iteration) is unreachable between uses;
 * collecting it would mean computing it again each time. */
static uint8_t *marks, *recent;
static size_t marks_cap;
static size_t cfg_bytes, scratch_bytes;
static bool exact_check;
static unsigned long chains_made, chains_expanded;

static bool live(size_t id)
{
	return sets[id].c || sets[id].chain;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* Called for every candidate configuration of every closure (the
 * model's hottest loop on new states): one multiply per field and a
 * final avalanche, so that the low bits used as table index depend on
 * the high bytes of the masks too. */
static inline uint64_t cfg_hash(const struct lcfg *c)
{
	uint64_t h = c->u * 0x9e3779b97f4a7c15ull +
		     c->p * 0xc2b2ae3d27d4eb4full +
		     c->m * 0x165667b19e3779f9ull +
		     ((uint64_t)c->us << 8 | c->ps) * 0xd6e8feb86659fd93ull;

	h ^= h >> 32;
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

static inline bool cfg_eq(const struct lcfg *a, const struct lcfg *b)
{
	return a->u == b->u && a->p == b->p && a->m == b->m &&
	       a->us == b->us && a->ps == b->ps;
}

/* ---- a growable set of configurations, for one closure ---- */

struct cset {
	struct lcfg *v;
	uint64_t *hv;           /* cfg_hash(&v[i]) */
	size_t n, cap;
	uint32_t *tab;          /* open addressing over v, UINT32_MAX empty */
	size_t tcap, talloc;    /* slots in use, allocated */
	bool busy;
};

/* One closure at a time: its buffers are kept between closures instead
 * of being allocated and freed for each (they are reached only from
 * compute and ls_make, which do not nest). */
static struct cset scratch;

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q)
		abort();
	return q;
}

static void cs_place(struct cset *s, size_t i)
{
	size_t h = s->hv[i] & (s->tcap - 1);

	while (s->tab[h] != UINT32_MAX)
		h = (h + 1) & (s->tcap - 1);
	s->tab[h] = i;
}

static void cs_settab(struct cset *s, size_t tcap)
{
	if (tcap > s->talloc) {
		scratch_bytes += (tcap - s->talloc) * sizeof(*s->tab);
		s->tab = xrealloc(s->tab, tcap * sizeof(*s->tab));
		s->talloc = tcap;
	}
	s->tcap = tcap;
	memset(s->tab, 0xff, tcap * sizeof(*s->tab));
	for (size_t i = 0; i < s->n; i++)
		cs_place(s, i);
}

/* Start a closure expected to reach about `expect` configurations: a
 * table sized for it is cleared, the buffers are reused. */
static struct cset *cs_begin(size_t expect)
{
	struct cset *s = &scratch;
	size_t tcap = 64;

	if (s->busy)
		abort();
	s->busy = true;
	s->n = 0;
	while (tcap < expect * 4)
		tcap *= 2;
	cs_settab(s, tcap);
	return s;
}

static void cs_end(struct cset *s)
{
	s->busy = false;
}

/* Add a configuration (normalised: an Invalid copy has mask 0). */
static void cs_add(struct cset *s, struct lcfg c)
{
	uint64_t hc;
	size_t h;

	if (c.us == CS_INV)
		c.u = 0;
	if (c.ps == CS_INV)
		c.p = 0;
	memset(c.pad, 0, sizeof(c.pad));
	hc = cfg_hash(&c);
	for (h = hc & (s->tcap - 1); s->tab[h] != UINT32_MAX;
	     h = (h + 1) & (s->tcap - 1))
		if (s->hv[s->tab[h]] == hc && cfg_eq(&s->v[s->tab[h]], &c))
			return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;

		scratch_bytes += (cap - s->cap) * (sizeof(*s->v) + sizeof(*s->hv));
		s->v = xrealloc(s->v, cap * sizeof(*s->v));
		s->hv = xrealloc(s->hv, cap * sizeof(*s->hv));
		s->cap = cap;
	}
	s->v[s->n] = c;
	s->hv[s->n] = hc;
	if ((s->n + 1) * 2 > s->tcap) {
		s->n++;
		cs_settab(s, s->tcap * 2);
		return;
	}
	s->tab[h] = s->n++;
}

/* Background transitions (docs/model.md "Components of a line"):
 * any of them may happen at any time, so a state is closed under them. */
static void successors(struct cset *s, struct lcfg c, enum alloc_level al)
{
	struct lcfg d;

	if (c.us == CS_DIRTY) {
		/* U written back into P (allocating it, Dirty)... */
		d = c; d.ps = CS_DIRTY; d.p = c.u; d.us = CS_CLEAN;
		cs_add(s, d);
		d.us = CS_INV;
		cs_add(s, d);
		/* ...or, when P holds no copy, straight into M (a write-back
		 * never leaves an older valid copy in P behind: the caches
		 * are coherent with each other for cacheable accesses). */
		if (c.ps == CS_INV) {
			d = c; d.m = c.u; d.us = CS_CLEAN;
			cs_add(s, d);
			d.us = CS_INV;
			cs_add(s, d);
		}
	} else if (c.us == CS_CLEAN) {
		d = c; d.us = CS_INV;                   /* eviction */
		cs_add(s, d);
	}
	if (c.ps == CS_DIRTY) {
		d = c; d.m = c.p; d.ps = CS_CLEAN;
		cs_add(s, d);
		d.ps = CS_INV;
		cs_add(s, d);
	} else if (c.ps == CS_CLEAN) {
		d = c; d.ps = CS_INV;
		cs_add(s, d);
	}
	/* Speculative allocation while allocatable (D7.4.2 "Cacheability,
	 * ... and allocation": any Normal cacheable location reachable
	 * through a live translation may be allocated at any time). */
	if (al >= AL_P && c.ps == CS_INV) {
		d = c; d.ps = CS_CLEAN; d.p = c.m;
		cs_add(s, d);
	}
	if (al >= AL_UP && c.us == CS_INV) {
		d = c; d.us = CS_CLEAN;
		d.u = c.ps != CS_INV ? c.p : c.m;
		cs_add(s, d);
	}
}

static void close_set(struct cset *s, enum alloc_level al)
{
	for (size_t i = 0; i < s->n; i++)
		successors(s, s->v[i], al);
}

/* ---- interning ---- */

/* The smallest table (a power of two, at least 1,024 slots) that keeps
 * the live sets plus one at most half full: the probes stay short, and
 * an insertion always finds an empty slot. */
static size_t itab_size_for(size_t live)
{
	size_t cap = 1024;

	while ((live + 1) * 2 > cap)
		cap *= 2;
	return cap;
}

/* Reinserts every live set into a fresh table of cap slots. cap must
 * leave an empty slot (itab_size_for): the probe loop below ends only at
 * one. */
static void itab_rebuild(size_t cap)
{
	free(itab);
	itab = malloc(cap * sizeof(*itab));
	if (!itab)
		abort();
	itab_cap = cap;
	memset(itab, 0xff, cap * sizeof(*itab));
	for (size_t i = 0; i < nsets; i++) {
		size_t h;

		if (!live(i))
			continue;
		for (h = sets[i].hash & (cap - 1); itab[h] != UINT32_MAX;
		     h = (h + 1) & (cap - 1))
			;
		itab[h] = i;
	}
}

/* Room in the intern table for one more set. */
static void itab_reserve(void)
{
	if ((nsets - nfree + 1) * 2 > itab_cap)
		itab_rebuild(itab_size_for(nsets - nfree));
}

/* A free id (reused first); may move sets. */
static uint32_t new_id(void)
{
	if (nfree)
		return freeids[--nfree];
	if (nsets == capsets) {
		capsets = capsets ? capsets * 2 : 256;
		sets = xrealloc(sets, capsets * sizeof(*sets));
		if (marks_cap) {
			marks = xrealloc(marks, capsets);
			recent = xrealloc(recent, capsets);
			memset(recent + marks_cap, 0, capsets - marks_cap);
			marks_cap = capsets;
		}
	}
	return nsets++;
}

/* Whether s holds configuration c. */
static bool cs_has(const struct cset *s, const struct lcfg *c)
{
	uint64_t hc = cfg_hash(c);

	for (size_t h = hc & (s->tcap - 1); s->tab[h] != UINT32_MAX;
	     h = (h + 1) & (s->tcap - 1))
		if (s->hv[s->tab[h]] == hc && cfg_eq(&s->v[s->tab[h]], c))
			return true;
	return false;
}

/* Returns the id of the set s holds, closed at level al, adding it if
 * new. A set is known by its members, not their order: its hash
 * combines theirs commutatively, and a candidate of the same size and
 * hash is the same set when each of its configurations is in s (both
 * hold distinct configurations), looked up in s's own table. No sort. */
static uint32_t intern(struct cset *s, enum alloc_level al)
{
	uint64_t sum = 0, x = 0, h;
	size_t i, n = s->n;
	struct setinfo *si;
	uint32_t id;

	for (i = 0; i < n; i++) {
		sum += s->hv[i];
		x ^= s->hv[i] * 0xc2b2ae3d27d4eb4full;
	}
	h = mix(mix(n, sum), x);
	itab_reserve();
	for (i = h & (itab_cap - 1); itab[i] != UINT32_MAX;
	     i = (i + 1) & (itab_cap - 1)) {
		size_t k;

		si = &sets[itab[i]];
		if (si->chain || si->hash != h || si->n != n)
			continue;
		for (k = 0; k < n && cs_has(s, &si->c[k]); k++)
			;
		if (k == n) {
			if (al > si->closed)
				si->closed = al;
			return itab[i];
		}
	}
	id = new_id();
	si = &sets[id];
	si->chain = false;
	si->c = malloc(n * sizeof(*si->c));
	if (!si->c)
		abort();
	memcpy(si->c, s->v, n * sizeof(*si->c));
	cfg_bytes += n * sizeof(*si->c);
	si->n = n;
	si->hash = h;
	si->flags_ok = false;
	si->closed = al;
	si->pou = 0;
	si->stale = 0;
	/* both asked of a line at every store and CMO event (its history):
	 * computed once, as the set never changes */
	for (size_t k = 0; k < n; k++) {
		const struct lcfg *c = &si->c[k];

		si->pou |= c->ps != CS_INV ? c->p : c->m;
		si->stale |= (c->u ? STALE_COPY(COPY_U) : 0) |
			     (c->p ? STALE_COPY(COPY_P) : 0) |
			     (c->m ? STALE_COPY(COPY_M) : 0);
	}
	itab[i] = id;
	return id;
}

uint32_t ls_make(const struct lcfg *c, size_t n, enum alloc_level al)
{
	struct cset *s = cs_begin(n * 8);
	uint32_t id;

	for (size_t i = 0; i < n; i++)
		cs_add(s, c[i]);
	close_set(s, al);
	id = intern(s, al);
	cs_end(s);
	return id;
}

/* ---- reads: which copy serves the bytes, per configuration ---- */

/* The stale bytes a configuration serves, and which copy serves them. */
static uint64_t served_stale(const struct lcfg *c, enum ls_op op, uint64_t b,
			     enum copy *cp)
{
	switch (op) {
	case LS_LOAD_C:
		if (c->us != CS_INV)
			return *cp = CP_U, c->u & b;
		if (c->ps != CS_INV)
			return *cp = CP_P, c->p & b;
		return *cp = CP_M, c->m & b;
	case LS_FETCH_C:
		/* The instruction side sees the PoU: U is not looked up. */
		if (c->ps != CS_INV)
			return *cp = CP_P, c->p & b;
		return *cp = CP_M, c->m & b;
	case LS_LOAD_NCHIT:
		/* Mismatched attributes (B2.8): a non-cacheable access may
		 * hit a cached copy ("unexpected cache hit"). */
		if (c->us != CS_INV && (c->u & b))
			return *cp = CP_U, c->u & b;
		if (c->ps != CS_INV && (c->p & b))
			return *cp = CP_P, c->p & b;
		return *cp = CP_M, c->m & b;
	default:
		return *cp = CP_M, c->m & b;
	}
}

/* No configuration read fresh: mark the served bytes fresh so that one
 * bug gives one finding. */
static struct lcfg mark_fresh(struct lcfg c, enum ls_op op, uint64_t b)
{
	switch (op) {
	case LS_LOAD_C:
		if (c.us != CS_INV)
			c.u &= ~b;
		else if (c.ps != CS_INV)
			c.p &= ~b;
		else
			c.m &= ~b;
		break;
	case LS_FETCH_C:
		if (c.ps != CS_INV)
			c.p &= ~b;
		else
			c.m &= ~b;
		break;
	case LS_LOAD_NCHIT:
		c.u &= ~b;
		c.p &= ~b;
		c.m &= ~b;
		break;
	default:
		c.m &= ~b;
		break;
	}
	return c;
}

static bool is_read(enum ls_op op)
{
	return op <= LS_FETCH_C;
}

/* ---- writes and maintenance, per configuration ---- */

static void apply_one(struct cset *out, struct lcfg c, enum ls_op op,
		      uint64_t b)
{
	struct lcfg d = c;

	switch (op) {
	case LS_STORE_C:
		/* U is allocated from below if Invalid, then becomes Dirty
		 * with the new bytes; every other copy lacks them. */
		if (d.us == CS_INV)
			d.u = d.ps != CS_INV ? d.p : d.m;
		d.us = CS_DIRTY;
		d.u &= ~b;
		d.p |= b;
		d.m |= b;
		cs_add(out, d);
		return;
	case LS_STORE_NC:
		d.m &= ~b;
		d.u |= b;
		d.p |= b;
		cs_add(out, d);
		return;
	case LS_STORE_WT:
		/* Write-Through (docs/model.md "Operations"): the bytes go
		 * into every valid cached copy and on to memory; no copy
		 * changes state (a Dirty one, from a write-back alias, stays
		 * Dirty with its other bytes). */
		if (d.us != CS_INV)
			d.u &= ~b;
		if (d.ps != CS_INV)
			d.p &= ~b;
		d.m &= ~b;
		cs_add(out, d);
		return;
	case LS_CVAU:
		/* DC CVAU: dirty data in U reaches the PoU: P (Dirty) if
		 * there is a level between PoU and PoC, else memory. */
		if (d.us == CS_DIRTY) {
			d.us = CS_CLEAN;
			d.ps = CS_DIRTY;
			d.p = c.u;
			if (c.ps == CS_INV) {
				cs_add(out, d);
				d = c;
				d.us = CS_CLEAN;
				d.m = c.u;
			}
		}
		cs_add(out, d);
		return;
	case LS_CVAC:
	case LS_CIVAC:
	case LS_IVAC:
		if (op == LS_IVAC) {
			/* Invalidate may discard dirty data (D7.4.9)... */
			struct lcfg e = c;

			e.us = e.ps = CS_INV;
			cs_add(out, e);
			/* ...or be performed as clean+invalidate (it is
			 * under HCR_EL2.DC/VM, some cores always do). */
		}
		/* Clean to the PoC: the newest dirty copy reaches M; every
		 * cached copy is then Clean (it equals what was written). */
		if (d.us == CS_DIRTY) {
			d.m = c.u;
			if (d.ps != CS_INV)
				d.p = c.u;
			d.ps = d.ps != CS_INV ? CS_CLEAN : CS_INV;
			d.us = CS_CLEAN;
		} else if (d.ps == CS_DIRTY) {
			d.m = c.p;
			d.ps = CS_CLEAN;
		}
		if (op != LS_CVAC)
			d.us = d.ps = CS_INV;
		cs_add(out, d);
		return;
	case LS_CSW_U:
	case LS_CISW_U:
	case LS_ISW_U:
		if (op == LS_ISW_U) {
			struct lcfg e = c;

			e.us = CS_INV;
			cs_add(out, e);
		}
		if (d.us == CS_DIRTY) {
			/* to the next level: P, or M when P has no copy */
			struct lcfg e = c;

			e.ps = CS_DIRTY;
			e.p = c.u;
			e.us = op == LS_CSW_U ? CS_CLEAN : CS_INV;
			if (c.ps == CS_INV) {
				cs_add(out, e);
				d.m = c.u;
				d.us = CS_CLEAN;
			} else {
				d = e;
			}
		}
		if (op != LS_CSW_U)
			d.us = CS_INV;
		cs_add(out, d);
		return;
	case LS_CSW_P:
	case LS_CISW_P:
	case LS_ISW_P:
		if (op == LS_ISW_P) {
			struct lcfg e = c;

			e.ps = CS_INV;
			cs_add(out, e);
		}
		if (d.ps == CS_DIRTY) {
			d.m = c.p;
			d.ps = CS_CLEAN;
		}
		if (op != LS_CSW_P)
			d.ps = CS_INV;
		cs_add(out, d);
		return;
	default:
		cs_add(out, d);
		return;
	}
}

static struct ls_result compute(uint32_t id, enum ls_op op, uint64_t b,
				enum alloc_level al)
{
	struct ls_result r = { 0, V_FRESH, CP_NONE, 0 };
	const struct lcfg *c = sets[id].c;
	size_t n = sets[id].n, nstale = 0;
	struct cset *out;

	/* The access itself goes through a live translation with these
	 * attributes, so it may allocate whatever the page allows. */
	if (op == LS_LOAD_C || op == LS_STORE_C || op == LS_STORE_WT)
		al = AL_UP;
	if (op == LS_FETCH_C && al < AL_P)
		al = AL_P;

	out = cs_begin(n + n / 4);
	if (is_read(op)) {
		for (size_t i = 0; i < n; i++) {
			enum copy cp;
			uint64_t st = served_stale(&c[i], op, b, &cp);

			if (st) {
				/* name the innermost copy that may be stale */
				if (!nstale++ || cp < r.copy)
					r.copy = cp;
				r.stale |= st;
			}
		}
		r.verdict = !nstale ? V_FRESH : nstale == n ? V_ALWAYS : V_MAY;
		/* Keep the configurations that read fresh; if none did,
		 * mark the served bytes fresh. */
		for (size_t i = 0; i < n; i++) {
			enum copy cp;

			if (r.verdict == V_ALWAYS)
				cs_add(out, mark_fresh(c[i], op, b));
			else if (!served_stale(&c[i], op, b, &cp))
				cs_add(out, c[i]);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			apply_one(out, c[i], op, b);
	}
	close_set(out, al);
	r.id = intern(out, al);
	cs_end(out);
	return r;
}

/* ---- the memo table ---- */

static void memo_grow(void)
{
	size_t cap = memo_cap ? memo_cap * 2 : 4096;
	struct memo *t = calloc(cap, sizeof(*t));

	if (!t)
		abort();
	for (size_t i = 0; i < memo_cap; i++) {
		struct memo *e = &memo[i];
		size_t h;

		if (!e->k1)
			continue;
		h = mix(e->k1, e->k2) & (cap - 1);
		while (t[h].k1)
			h = (h + 1) & (cap - 1);
		t[h] = *e;
	}
	free(memo);
	memo = t;
	memo_cap = cap;
}

static void memo_put(uint64_t k1, uint64_t k2, struct ls_result r)
{
	size_t h;

	if ((memo_n + 1) * 2 > memo_cap)
		memo_grow();
	for (h = mix(k1, k2) & (memo_cap - 1); memo[h].k1;
	     h = (h + 1) & (memo_cap - 1))
		;
	memo[h].k1 = k1;
	memo[h].k2 = k2;
	memo[h].r = r;
	memo_n++;
}

/* ---- store chains (docs/model.md "Store chains") ---- */

static uint64_t chain_hash(uint32_t base, const struct run *r, size_t n)
{
	uint64_t h = mix(0x636861696eull, base);

	for (size_t i = 0; i < n; i++)
		h = mix(mix(h, r[i].c), r[i].n);
	return h;
}

/* The chain (base, runs r[0..n)), interned; made by a store of pmask on
 * parent. */
static uint32_t chain_make(uint32_t base, const struct run *r, size_t n,
			   uint32_t parent, uint64_t pmask)
{
	uint64_t h = chain_hash(base, r, n);
	struct setinfo *si;
	uint32_t id;
	size_t i;

	itab_reserve();
	for (i = h & (itab_cap - 1); itab[i] != UINT32_MAX;
	     i = (i + 1) & (itab_cap - 1)) {
		si = &sets[itab[i]];
		if (si->chain && si->hash == h && si->base == base &&
		    si->nruns == n && !memcmp(si->runs, r, n * sizeof(*r)))
			return itab[i];
	}
	id = new_id();
	si = &sets[id];
	*si = (struct setinfo){
		.chain = true,
		.nruns = n,
		.base = base,
		.exact = NONE,
		.parent = parent,
		.pmask = pmask,
		.runs = xrealloc(NULL, n * sizeof(*r)),
		/* The lemmas of docs/model.md "Store chains": quiet for
		 * cacheable loads and nothing else, closed at AL_UP, the
		 * PoU views of base plus every byte stored. */
		.flags = LSF_QUIET_LOAD,
		.flags_ok = true,
		.closed = AL_UP,
		.pou = sets[base].pou | r[0].c,
		.hash = h,
	};
	memcpy(si->runs, r, n * sizeof(*r));
	cfg_bytes += n * sizeof(*r);
	itab[i] = id;
	chains_made++;
	return id;
}

/* A cacheable store of the bytes mask on id, a chain or a quiet set:
 * every age so far misses the bytes, a new age (the stored data) misses
 * none; equal neighbours merge, a run keeps at most RUN_MAX ages. */
static uint32_t chain_store(uint32_t id, uint64_t mask)
{
	struct run r[RUNS_MAX];
	const struct setinfo *si = &sets[id];
	size_t n = 0, k, base = id;

	if (si->chain) {
		base = si->base;
		for (k = 0; k < si->nruns; k++) {
			uint64_t c = si->runs[k].c | mask;

			if (n && r[n - 1].c == c) {
				r[n - 1].n += si->runs[k].n;
				if (r[n - 1].n > RUN_MAX)
					r[n - 1].n = RUN_MAX;
			} else {
				r[n].c = c;
				r[n++].n = si->runs[k].n;
			}
		}
	} else {
		r[n].c = mask;
		r[n++].n = 1;
	}
	r[n].c = 0;
	r[n++].n = 1;
	return chain_make(base, r, n, id, mask);
}

/* A chain starts at a set closed at AL_UP where no cacheable load can
 * read stale. */
static bool chainable(uint32_t id)
{
	return sets[id].chain || (sets[id].closed >= AL_UP &&
				  (ls_flags(id) & LSF_QUIET_LOAD));
}

/* The exact stores of masks m[0..n) from set x, closed at AL_UP after
 * each (as compute's LS_STORE_C), with only the last set interned: a
 * chain of k stores would otherwise intern k ever larger sets that
 * nothing holds (O(k^2) configurations each), megabytes within one hook
 * before a collection can free them. The steps alternate between the
 * closure scratch and a second table freed at the end. */
static uint32_t store_seq(uint32_t x, const uint64_t *m, size_t n)
{
	static struct cset other;
	struct cset *in = NULL, *out;
	uint32_t id;

	if (n <= 1 || sets[x].chain) {
		for (size_t k = 0; k < n; k++)
			x = ls_apply(x, LS_STORE_CX, m[k], AL_UP).id;
		return x;
	}
	for (size_t k = 0; k < n; k++) {
		size_t cnt = in ? in->n : sets[x].n;
		const struct lcfg *c = in ? in->v : sets[x].c;

		out = in == &scratch ? &other : &scratch;
		if (out == &other) {
			size_t tcap = 64;

			while (tcap < (cnt + cnt / 4) * 4)
				tcap *= 2;
			other.n = 0;
			cs_settab(&other, tcap);
		} else {
			scratch.busy = false;
			cs_begin(cnt + cnt / 4);
		}
		for (size_t i = 0; i < cnt; i++)
			apply_one(out, c[i], LS_STORE_C, m[k]);
		close_set(out, AL_UP);
		in = out;
	}
	id = intern(in, AL_UP);
	cs_end(&scratch);
	scratch_bytes -= other.cap * (sizeof(*other.v) + sizeof(*other.hv)) +
			 other.talloc * sizeof(*other.tab);
	free(other.v);
	free(other.hv);
	free(other.tab);
	other = (struct cset){ 0 };
	return id;
}

/* Room for one more mask in expand's list. */
static void masks_push(uint64_t **v, size_t *n, size_t *cap, uint64_t m)
{
	if (*n == *cap) {
		scratch_bytes += (*cap ? *cap : 64) * sizeof(**v);
		*cap = *cap ? *cap * 2 : 64;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = m;
}

/* The id of the same set with its configurations: the exact stores
 * from the nearest set known exactly, or from the runs where the
 * history was collected (computed once per chain). Where the parents
 * were collected, the stores B_t = C_(t-1) from the base give the ages
 * of the runs (C_(t-1) = B_t | C_t since C_t is within C_(t-1)), a
 * history that reaches the same chain (docs/model.md "Store chains",
 * 3. and 4.). */
static uint32_t expand(uint32_t id)
{
	static uint32_t *stk;
	static uint64_t *mv;
	static size_t cap, mcap;
	size_t n = 0, nm = 0;
	uint32_t j = id, x;

	while (sets[j].chain && sets[j].exact == NONE &&
	       sets[j].parent != NONE) {
		if (n == cap) {
			scratch_bytes += (cap ? cap : 64) * sizeof(*stk);
			cap = cap ? cap * 2 : 64;
			stk = xrealloc(stk, cap * sizeof(*stk));
		}
		stk[n++] = j;
		j = sets[j].parent;
	}
	if (sets[j].chain && sets[j].exact == NONE) {
		const struct setinfo *si = &sets[j];
		uint64_t prev = 0;
		bool first = true;

		x = si->base;
		for (size_t k = 0; k < si->nruns; k++)
			for (uint64_t a = 0; a < si->runs[k].n; a++) {
				if (!first)
					masks_push(&mv, &nm, &mcap, prev);
				first = false;
				prev = si->runs[k].c;
			}
		if (!n) {
			x = store_seq(x, mv, nm);
			sets[j].exact = x;
			chains_expanded++;
			return x;
		}
		/* j's exact set is an intermediate one: not kept */
	} else {
		x = sets[j].chain ? sets[j].exact : j;
		if (!n)
			return x;       /* id's exact set is known */
	}
	while (n)
		masks_push(&mv, &nm, &mcap, sets[stk[--n]].pmask);
	x = store_seq(x, mv, nm);
	sets[id].exact = x;
	chains_expanded++;
	return x;
}

static struct ls_result apply_new(uint32_t id, enum ls_op op, uint64_t mask,
				  enum alloc_level al)
{
	struct ls_result r = { id, V_FRESH, CP_NONE, 0 };
	uint32_t x;

	if (op == LS_STORE_C && mask && chainable(id)) {
		r.id = chain_store(id, mask);
		return r;
	}
	/* closed under the transitions at a level is closed under those
	 * of every level below it (successors: each level adds moves) */
	if (op == LS_CLOSE && sets[id].closed >= al)
		return r;
	if (!sets[id].chain)
		return compute(id, op == LS_STORE_CX ? LS_STORE_C : op, mask,
			       al);
	/* A chain is closed at AL_UP and quiet for cacheable loads: a
	 * load reads nothing stale and keeps every configuration, a
	 * closure adds none. */
	if (op == LS_LOAD_C || op == LS_CLOSE)
		return r;
	/* A clean, or clean and invalidate, to the PoC leaves what it
	 * leaves id 0 (docs/model.md "Store chains", 6.): no expansion. */
	if (op == LS_CVAC || op == LS_CIVAC)
		return ls_apply(LS_FRESH, op, mask, al);
	x = expand(id);
	r = ls_apply(x, op, mask, al);
	if (r.id == x)
		r.id = id;      /* unchanged: keep the chain's id */
	return r;
}

static void exact_fail(const char *what, uint32_t id, enum ls_op op,
		       uint64_t mask, enum alloc_level al, uint32_t rid)
{
	fprintf(stderr, "coherent: COHERENT_EXACT_CHECK: %s differs from the "
		"exact set's: set %u, op %d, bytes %#" PRIx64 ", level %d, "
		"result %u (chain of %u runs on set %u)\n", what, id, op, mask,
		al, rid, sets[rid].chain ? sets[rid].nruns : 0,
		sets[rid].chain ? sets[rid].base : NONE);
	abort();
}

/* COHERENT_EXACT_CHECK: the result r of op on id, where id or r.id is a
 * chain, against the same operation on the exact sets. */
static void check_exact(uint32_t id, enum ls_op op, uint64_t mask,
			enum alloc_level al, struct ls_result r)
{
	struct ls_result e;
	uint32_t xr;

	if (!sets[id].chain && !sets[r.id].chain)
		return;
	e = ls_apply(expand(id), op == LS_STORE_C ? LS_STORE_CX : op, mask,
		     al);
	xr = expand(r.id);
	if (xr != e.id)
		exact_fail("the resulting set", id, op, mask, al, r.id);
	if (e.verdict != r.verdict || e.copy != r.copy || e.stale != r.stale)
		exact_fail("the verdict", id, op, mask, al, r.id);
	if (!sets[r.id].chain)
		return;
	if (ls_flags(r.id) != ls_flags(xr))
		exact_fail("the quiet flags", id, op, mask, al, r.id);
	if (ls_pou_union(r.id) != ls_pou_union(xr))
		exact_fail("the PoU union", id, op, mask, al, r.id);
	if (ls_stale_copies(r.id) != ls_stale_copies(xr))
		exact_fail("the stale copies", id, op, mask, al, r.id);
	if (sets[xr].closed < AL_UP)
		exact_fail("the closure level", id, op, mask, al, r.id);
}

static inline struct memo *front_slot(uint64_t k1, uint64_t k2)
{
	return &front[((k1 ^ k2) * 0x9e3779b97f4a7c15ull) >> (64 - FRONT_BITS)];
}

/* The memo's probe, and the transition computed when it misses. */
static __attribute__((noinline)) struct ls_result
apply_memo(uint64_t k1, uint64_t k2, uint32_t id, enum ls_op op,
	   uint64_t mask, enum alloc_level al)
{
	struct ls_result r;
	size_t h;

	if (memo_cap) {
		for (h = mix(k1, k2) & (memo_cap - 1); memo[h].k1;
		     h = (h + 1) & (memo_cap - 1))
			if (memo[h].k1 == k1 && memo[h].k2 == k2)
				return memo[h].r;
	}
	r = apply_new(id, op, mask, al);
	memo_put(k1, k2, r);
	if (exact_check)
		check_exact(id, op, mask, al, r);
	return r;
}

struct ls_result ls_apply(uint32_t id, enum ls_op op, uint64_t mask,
			  enum alloc_level al)
{
	uint64_t k1 = (uint64_t)id << 16 | op << 4 | al << 1 | 1, k2 = mask;
	struct memo *f = front_slot(k1, k2);

	if (f->k1 != k1 || f->k2 != k2)
		*f = (struct memo){ k1, k2, apply_memo(k1, k2, id, op, mask,
						       al) };
	/* in use: kept by the next collection */
	if (marks_cap)
		recent[f->r.id] = 1;
	return f->r;
}

/* Whether no configuration of set id serves a stale byte to op. */
static bool reads_fresh(uint32_t id, enum ls_op op)
{
	const struct setinfo *si = &sets[id];

	for (size_t i = 0; i < si->n; i++) {
		enum copy cp;

		if (served_stale(&si->c[i], op, ~0ull, &cp))
			return false;
	}
	return true;
}

/* A read of the whole line (as compute does it) leaves the set unchanged
 * and reports nothing iff no configuration reads stale (every one is
 * kept) and the set is closed at the level the read allocates at. That
 * is decided here without computing and interning the result, which for
 * each new set cost four closures. */
static bool read_quiet(uint32_t id, enum ls_op op, enum alloc_level al)
{
	if (!reads_fresh(id, op))
		return false;
	if (sets[id].closed >= al)
		return true;
	/* not known closed at al: let compute decide (and remember) */
	return ls_apply(id, op, ~0ull, al).id == id;
}

/* A store of op keeps configuration c whatever its bytes b: every mask
 * apply_one changes is one b cannot change (an Invalid copy's mask is
 * 0 whatever it was given: cs_add). */
static bool store_keeps_cfg(const struct lcfg *c, enum ls_op op)
{
	if (op == LS_STORE_NC)  /* M gets b, U and P lose it */
		return !c->m && (c->us == CS_INV || c->u == ~0ull) &&
		       (c->ps == CS_INV || c->p == ~0ull);
	/* LS_STORE_WT: b into M and every valid copy */
	return !c->m && (c->us == CS_INV || !c->u) &&
	       (c->ps == CS_INV || !c->p);
}

/* A store of op of any bytes leaves the set unchanged (and a store
 * reports nothing): every configuration is its own image, and the
 * closure at the store's level adds none when the set is known closed
 * there. A non-cacheable store closes at the page's level, as a
 * non-cacheable load does (read_quiet's AL_NONE: a line's set is closed
 * at its page's level once settled). A chain is never one: its stores
 * are computed on its exact set. */
static bool store_quiet(uint32_t id, enum ls_op op, enum alloc_level al)
{
	const struct setinfo *si = &sets[id];

	if (si->chain)
		return false;
	for (size_t k = 0; k < si->n; k++)
		if (!store_keeps_cfg(&si->c[k], op))
			return false;
	if (si->closed >= al)
		return true;
	return ls_apply(id, op, ~0ull, al).id == id;
}

uint32_t ls_flags(uint32_t id)
{
	if (!sets[id].flags_ok) {
		uint32_t fl = 0;

		if (read_quiet(id, LS_LOAD_C, AL_UP))
			fl |= LSF_QUIET_LOAD;
		if (read_quiet(id, LS_FETCH_C, AL_P))
			fl |= LSF_QUIET_FETCH;
		if (read_quiet(id, LS_LOAD_NC, AL_NONE))
			fl |= LSF_QUIET_NC;
		if (read_quiet(id, LS_LOAD_NCHIT, AL_NONE))
			fl |= LSF_QUIET_NCHIT;
		if (store_quiet(id, LS_STORE_NC, AL_NONE))
			fl |= LSF_QUIET_STORE_NC;
		/* a Write-Through store allocates at UP (compute) */
		if (store_quiet(id, LS_STORE_WT, AL_UP))
			fl |= LSF_QUIET_STORE_WT;
		sets[id].flags = fl;
		sets[id].flags_ok = true;
	}
	return sets[id].flags;
}

/* ---- collecting unreachable sets ---- */

void ls_gc_begin(bool keep_recent)
{
	if (marks_cap < capsets) {
		marks = xrealloc(marks, capsets);
		recent = xrealloc(recent, capsets);
		memset(recent + marks_cap, 0, capsets - marks_cap);
		marks_cap = capsets;
	}
	if (keep_recent)
		memcpy(marks, recent, nsets);
	else
		memset(marks, 0, nsets);
	memset(recent, 0, nsets);
	marks[LS_FRESH] = 1;
}

void ls_gc_mark(uint32_t id)
{
	marks[id] = 1;
}

/* Frees every set not marked since ls_gc_begin and drops the memo
 * entries that name one (the memo is a cache: an entry dropped is
 * recomputed when needed). */
void ls_gc_end(void)
{
	struct memo *old = memo;
	size_t ocap = memo_cap;

	/* A chain held keeps its base and its expansion if known. The set
	 * it was made from is not kept: holding it would hold the whole
	 * history of a line written over and over (expand replays the runs
	 * instead). */
	for (size_t i = 0; i < nsets; i++) {
		if (!marks[i] || !sets[i].chain)
			continue;
		marks[sets[i].base] = 1;
		if (sets[i].exact != NONE) {
			marks[sets[i].exact] = 1;
			sets[i].parent = NONE;
		}
	}
	for (size_t i = 0; i < nsets; i++)
		if (marks[i] && sets[i].chain && sets[i].parent != NONE &&
		    !marks[sets[i].parent])
			sets[i].parent = NONE;
	for (size_t i = 0; i < nsets; i++) {
		if (marks[i] || !live(i))
			continue;
		if (sets[i].chain) {
			cfg_bytes -= sets[i].nruns * sizeof(*sets[i].runs);
			free(sets[i].runs);
			sets[i].runs = NULL;
			sets[i].chain = false;
		}
		cfg_bytes -= sets[i].n * sizeof(*sets[i].c);
		free(sets[i].c);
		sets[i].c = NULL;
		sets[i].n = 0;
		if (nfree == capfree) {
			capfree = capfree ? capfree * 2 : 256;
			freeids = xrealloc(freeids, capfree * sizeof(*freeids));
		}
		freeids[nfree++] = i;
	}
	/* rebuilt with the live sets only (open addressing: no deletions),
	 * sized for them before any is inserted: a table filled up to its
	 * last slot would never end a probe */
	itab_rebuild(itab_size_for(nsets - nfree));
	/* the memo keeps the entries between live sets, in a table no
	 * larger than they need */
	memo = NULL;
	memo_cap = memo_n = 0;
	for (size_t i = 0; i < ocap; i++) {
		const struct memo *e = &old[i];

		if (!e->k1 || !marks[e->k1 >> 16] || !marks[e->r.id])
			continue;
		memo_put(e->k1, e->k2, e->r);
	}
	free(old);
	memset(front, 0, sizeof(front));
}

/* The sets grow with the variety of line states a run goes through,
 * most of them transient (a line written byte by byte passes through one
 * set per byte). Above the budget, the sets nothing refers to are freed,
 * except those used since the last collection (the states a loop goes
 * through each iteration); if that frees less than half of what was
 * allowed to grow, those go too. The next budget is what survived plus a
 * slack: a collection costs a walk of every root and every set, so it
 * must be paid for by as many bytes of new sets. The roots are the pages
 * of RAM, so the slack's floor grows with them (ls_gc_floor), and the
 * sets' walk with what survived, half of which is the slack above the
 * floor: a collection's cost per byte freed stays bounded, the memory
 * above what is live stays at its floor per GiB of RAM, and live sets
 * above the budget cannot make every operation collect. */
#define GC_MIN_BYTES ((size_t)256 << 10)

static size_t gc_floor = GC_MIN_BYTES;
static size_t gc_live;          /* ls_bytes() after the last collection */
static size_t gc_budget = GC_MIN_BYTES;

static size_t gc_slack(size_t live)
{
	return live / 2 > gc_floor ? live / 2 : gc_floor;
}

void ls_gc_floor(size_t bytes)
{
	if (bytes > gc_floor)
		gc_floor = bytes;
	if (gc_budget < gc_live + gc_slack(gc_live))
		gc_budget = gc_live + gc_slack(gc_live);
}
static unsigned long gc_runs;

static void collect(bool keep_recent, ls_roots_fn *roots, void *arg)
{
	ls_gc_begin(keep_recent);
	roots(arg);
	ls_gc_end();
	gc_runs++;
}

void ls_gc_maybe(ls_roots_fn *roots, void *arg)
{
	if (ls_bytes() <= gc_budget)
		return;
	collect(true, roots, arg);
	if (ls_bytes() > gc_live + gc_slack(gc_live) / 2)
		collect(false, roots, arg);
	gc_live = ls_bytes();
	gc_budget = gc_live + gc_slack(gc_live);
}

unsigned long ls_gc_runs(void)
{
	return gc_runs;
}

uint64_t ls_pou_union(uint32_t id)
{
	return sets[id].pou;
}

unsigned ls_stale_copies(uint32_t id)
{
	/* docs/model.md "Store chains": U never stale, P and M may be */
	if (sets[id].chain)
		return STALE_COPY(COPY_P) | STALE_COPY(COPY_M);
	return sets[id].stale;
}

size_t ls_size(uint32_t id)
{
	return sets[expand(id)].n;
}

const struct lcfg *ls_cfgs(uint32_t id)
{
	return sets[expand(id)].c;
}

void ls_set_exact_check(bool on)
{
	exact_check = on;
}

bool ls_exact_check(void)
{
	return exact_check;
}

unsigned long ls_chains_made(void)
{
	return chains_made;
}

unsigned long ls_chains_expanded(void)
{
	return chains_expanded;
}

size_t ls_bytes(void)
{
	return capsets * sizeof(*sets) + itab_cap * sizeof(*itab) +
	       memo_cap * sizeof(*memo) + cfg_bytes + scratch_bytes +
	       capfree * sizeof(*freeids) + 2 * marks_cap;
}

size_t ls_count(void)
{
	return nsets - nfree;
}

void ls_init(void)
{
	struct lcfg empty = { 0 };
	const char *chk = getenv("COHERENT_EXACT_CHECK");

	if (chk && *chk && strcmp(chk, "0"))
		exact_check = true;
	if (nsets)
		return;
	/* id 0: nothing dirty, everything fresh, closed under allocation. */
	if (ls_make(&empty, 1, AL_UP) != LS_FRESH)
		abort();
}
