/* Configuration sets of a line: the per-configuration effect of each
 * operation, the closure under background transitions, hash-consing and
 * the memo table (lineset.h, docs/model.md). Everything here is pure: a
 * set id and an operation give a set id, whatever line or PE. */
#include "lineset.h"

#include <stdlib.h>
#include <string.h>

struct setinfo {
	struct lcfg *c;         /* sorted, unique */
	uint32_t n;
	uint32_t flags;         /* LSF_*, valid when flags_ok */
	bool flags_ok;
	uint64_t pou;           /* ls_pou_union() */
	uint64_t hash;
};

static struct setinfo *sets;
static size_t nsets, capsets;
static uint32_t *itab;          /* intern table: ids, UINT32_MAX = empty */
static size_t itab_cap;

struct memo {
	uint64_t k1, k2;        /* k1 == 0: empty slot */
	struct ls_result r;
};
static struct memo *memo;
static size_t memo_cap, memo_n;
static size_t cfg_bytes;

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

static uint64_t cfg_hash(const struct lcfg *c)
{
	return mix(mix(mix(c->u, c->p), c->m), (uint64_t)c->us << 8 | c->ps);
}

static int cfg_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct lcfg));
}

/* ---- a growable set of configurations, for one closure ---- */

struct cset {
	struct lcfg *v;
	size_t n, cap;
	uint32_t *tab;          /* open addressing over v, UINT32_MAX empty */
	size_t tcap;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q)
		abort();
	return q;
}

static void cs_rehash(struct cset *s)
{
	s->tcap = s->tcap ? s->tcap * 2 : 64;
	s->tab = xrealloc(s->tab, s->tcap * sizeof(*s->tab));
	memset(s->tab, 0xff, s->tcap * sizeof(*s->tab));
	for (size_t i = 0; i < s->n; i++) {
		size_t h = cfg_hash(&s->v[i]) & (s->tcap - 1);

		while (s->tab[h] != UINT32_MAX)
			h = (h + 1) & (s->tcap - 1);
		s->tab[h] = i;
	}
}

/* Add a configuration (normalised: an Invalid copy has mask 0). */
static void cs_add(struct cset *s, struct lcfg c)
{
	size_t h;

	if (c.us == CS_INV)
		c.u = 0;
	if (c.ps == CS_INV)
		c.p = 0;
	memset(c.pad, 0, sizeof(c.pad));
	if ((s->n + 1) * 2 > s->tcap)
		cs_rehash(s);
	h = cfg_hash(&c) & (s->tcap - 1);
	while (s->tab[h] != UINT32_MAX) {
		if (!cfg_cmp(&s->v[s->tab[h]], &c))
			return;
		h = (h + 1) & (s->tcap - 1);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n] = c;
	s->tab[h] = s->n++;
}

static void cs_free(struct cset *s)
{
	free(s->v);
	free(s->tab);
}

/* Background transitions (checker-model.md "Components of a line"):
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

static uint64_t set_hash(const struct lcfg *c, size_t n)
{
	uint64_t h = n;

	for (size_t i = 0; i < n; i++)
		h = mix(h, cfg_hash(&c[i]));
	return h;
}

static void itab_grow(void)
{
	size_t cap = itab_cap ? itab_cap * 2 : 1024;

	free(itab);
	itab = malloc(cap * sizeof(*itab));
	if (!itab)
		abort();
	memset(itab, 0xff, cap * sizeof(*itab));
	itab_cap = cap;
	for (size_t i = 0; i < nsets; i++) {
		size_t h = sets[i].hash & (cap - 1);

		while (itab[h] != UINT32_MAX)
			h = (h + 1) & (cap - 1);
		itab[h] = i;
	}
}

/* Sorts s->v and returns the id of that set, adding it if new. */
static uint32_t intern(struct cset *s)
{
	uint64_t h;
	size_t i;

	qsort(s->v, s->n, sizeof(*s->v), cfg_cmp);
	h = set_hash(s->v, s->n);
	if ((nsets + 1) * 2 > itab_cap)
		itab_grow();
	for (i = h & (itab_cap - 1); itab[i] != UINT32_MAX;
	     i = (i + 1) & (itab_cap - 1)) {
		struct setinfo *si = &sets[itab[i]];

		if (si->hash == h && si->n == s->n &&
		    !memcmp(si->c, s->v, s->n * sizeof(*s->v)))
			return itab[i];
	}
	if (nsets == capsets) {
		capsets = capsets ? capsets * 2 : 256;
		sets = xrealloc(sets, capsets * sizeof(*sets));
	}
	{
		struct setinfo *si = &sets[nsets];

		si->c = malloc(s->n * sizeof(*s->v));
		if (!si->c)
			abort();
		memcpy(si->c, s->v, s->n * sizeof(*s->v));
		cfg_bytes += s->n * sizeof(*s->v);
		si->n = s->n;
		si->hash = h;
		si->flags_ok = false;
		si->pou = 0;
		for (size_t k = 0; k < s->n; k++)
			si->pou |= s->v[k].ps != CS_INV ? s->v[k].p : s->v[k].m;
	}
	itab[i] = nsets;
	return nsets++;
}

uint32_t ls_make(const struct lcfg *c, size_t n, enum alloc_level al)
{
	struct cset s = { 0 };
	uint32_t id;

	for (size_t i = 0; i < n; i++)
		cs_add(&s, c[i]);
	close_set(&s, al);
	id = intern(&s);
	cs_free(&s);
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
	struct cset out = { 0 };
	const struct lcfg *c = sets[id].c;
	size_t n = sets[id].n, nstale = 0;

	/* The access itself goes through a live translation with these
	 * attributes, so it may allocate whatever the page allows. */
	if (op == LS_LOAD_C || op == LS_STORE_C)
		al = AL_UP;
	if (op == LS_FETCH_C && al < AL_P)
		al = AL_P;

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
				cs_add(&out, mark_fresh(c[i], op, b));
			else if (!served_stale(&c[i], op, b, &cp))
				cs_add(&out, c[i]);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			apply_one(&out, sets[id].c[i], op, b);
	}
	close_set(&out, al);
	r.id = intern(&out);
	cs_free(&out);
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

struct ls_result ls_apply(uint32_t id, enum ls_op op, uint64_t mask,
			  enum alloc_level al)
{
	uint64_t k1 = (uint64_t)id << 16 | op << 4 | al << 1 | 1, k2 = mask;
	struct ls_result r;
	size_t h;

	if (memo_cap) {
		for (h = mix(k1, k2) & (memo_cap - 1); memo[h].k1;
		     h = (h + 1) & (memo_cap - 1))
			if (memo[h].k1 == k1 && memo[h].k2 == k2)
				return memo[h].r;
	}
	r = compute(id, op, mask, al);
	if ((memo_n + 1) * 2 > memo_cap)
		memo_grow();
	for (h = mix(k1, k2) & (memo_cap - 1); memo[h].k1;
	     h = (h + 1) & (memo_cap - 1))
		;
	memo[h].k1 = k1;
	memo[h].k2 = k2;
	memo[h].r = r;
	memo_n++;
	return r;
}

uint32_t ls_flags(uint32_t id)
{
	if (!sets[id].flags_ok) {
		struct ls_result l = ls_apply(id, LS_LOAD_C, ~0ull, AL_UP);
		struct ls_result f = ls_apply(id, LS_FETCH_C, ~0ull, AL_P);
		uint32_t fl = 0;

		if (l.verdict == V_FRESH && l.id == id)
			fl |= LSF_QUIET_LOAD;
		if (f.verdict == V_FRESH && f.id == id)
			fl |= LSF_QUIET_FETCH;
		f = ls_apply(id, LS_LOAD_NC, ~0ull, AL_NONE);
		if (f.verdict == V_FRESH && f.id == id)
			fl |= LSF_QUIET_NC;
		f = ls_apply(id, LS_LOAD_NCHIT, ~0ull, AL_NONE);
		if (f.verdict == V_FRESH && f.id == id)
			fl |= LSF_QUIET_NCHIT;
		sets[id].flags = fl;
		sets[id].flags_ok = true;
	}
	return sets[id].flags;
}

uint64_t ls_pou_union(uint32_t id)
{
	return sets[id].pou;
}

size_t ls_size(uint32_t id)
{
	return sets[id].n;
}

const struct lcfg *ls_cfgs(uint32_t id)
{
	return sets[id].c;
}

size_t ls_bytes(void)
{
	return capsets * sizeof(*sets) + itab_cap * sizeof(*itab) +
	       memo_cap * sizeof(*memo) + cfg_bytes;
}

size_t ls_count(void)
{
	return nsets;
}

void ls_free(void)
{
	for (size_t i = 0; i < nsets; i++)
		free(sets[i].c);
	free(sets);
	free(itab);
	free(memo);
	sets = NULL;
	itab = NULL;
	memo = NULL;
	nsets = capsets = itab_cap = memo_cap = memo_n = cfg_bytes = 0;
}

void ls_init(void)
{
	struct lcfg empty = { 0 };

	if (nsets)
		return;
	/* id 0: nothing dirty, everything fresh, closed under allocation. */
	if (ls_make(&empty, 1, AL_UP) != LS_FRESH)
		abort();
}
