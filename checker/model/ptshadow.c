/* A PE's translation tables as the model last read them (ptshadow.h).
 *
 * One node per table reached, with a copy of its descriptors and its
 * children; a table reached twice (shared, or a loop) has a node per
 * place. After stores to table pages, each node entry whose descriptor
 * in memory differs from the copy is re-read: the leaves under the old
 * entry leave, those under the new one enter. Entries are compared level
 * by level from the top, so that the way down to an entry is current
 * when it is re-read; walk_leaves does both readings, restricted to the
 * entry's VA range (the copy read like memory for the old leaves). */
#include "model/ptshadow.h"
#include "arch/walk_s2.h"

#include <stdlib.h>
#include <string.h>


#define MAX_TABLES 65536        /* per walk: guards against table loops */

struct ptnode {
	uint64_t pa, va;        /* the table, and the VA its entry 0 maps */
	unsigned level, nent, tree;
	struct ptnode *parent;
	struct ptnode *hnext, **hprev;
	uint64_t *d;            /* the descriptors as last read */
	struct ptnode **kid;    /* the table an entry points to, if read */
};

void lv_push(struct leafvec *v, const struct leaf *l)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->v = realloc(v->v, v->cap * sizeof(*v->v));
		if (!v->v)
			abort();
	}
	v->v[v->n++] = *l;
}

bool pt_key_eq(const struct pt_key *a, const struct pt_key *b)
{
	for (unsigned i = 0; i < 2; i++) {
		if (a->use[i] != b->use[i])
			return false;
		if (a->use[i] && (a->t[i].ttbr != b->t[i].ttbr ||
				  a->t[i].tsz != b->t[i].tsz ||
				  a->t[i].pabits != b->t[i].pabits ||
				  a->t[i].top != b->t[i].top ||
				  a->t[i].s2 != b->t[i].s2 ||
				  a->t[i].sl0 != b->t[i].sl0))
			return false;
	}
	return a->regime == b->regime && a->asid == b->asid &&
	       a->mair == b->mair && a->s2 == b->s2 && a->s1 == b->s1 &&
	       a->vmid == b->vmid && a->sctlr == b->sctlr;
}

/* ---- nodes by table page ---- */

static size_t hslot(const struct ptshadow *s, uint64_t pa)
{
	return ((pa >> 12) * 0x9e3779b97f4a7c15ull >> 32) & (s->hcap - 1);
}

static void hlink(struct ptshadow *s, struct ptnode *n)
{
	struct ptnode **h = &s->hash[hslot(s, n->pa)];

	n->hnext = *h;
	n->hprev = h;
	if (*h)
		(*h)->hprev = &n->hnext;
	*h = n;
}

static void hgrow(struct ptshadow *s)
{
	struct ptnode **old = s->hash;
	size_t ocap = s->hcap;

	s->hcap = ocap ? ocap * 2 : 64;
	s->hash = calloc(s->hcap, sizeof(*s->hash));
	if (!s->hash)
		abort();
	for (size_t i = 0; i < ocap; i++)
		for (struct ptnode *n = old[i], *nx; n; n = nx) {
			nx = n->hnext;
			hlink(s, n);
		}
	free(old);
}

static struct ptnode *node_new(struct ptshadow *s, uint64_t pa, uint64_t va,
			       unsigned level, unsigned nent,
			       const uint8_t *t)
{
	struct ptnode *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	n->d = malloc(nent * sizeof(*n->d));
	n->kid = calloc(nent, sizeof(*n->kid));
	if (!n->d || !n->kid)
		abort();
	memcpy(n->d, t, nent * sizeof(*n->d));
	n->pa = pa;
	n->va = va;
	n->level = level;
	n->nent = nent;
	if (++s->nnodes > s->hcap / 2)
		hgrow(s);
	hlink(s, n);
	return n;
}

static void node_free(struct ptshadow *s, struct ptnode *n)
{
	for (unsigned i = 0; i < n->nent; i++)
		if (n->kid[i])
			node_free(s, n->kid[i]);
	*n->hprev = n->hnext;
	if (n->hnext)
		n->hnext->hprev = n->hprev;
	s->nnodes--;
	free(n->d);
	free(n->kid);
	free(n);
}

/* ---- the walker's callbacks ---- */

struct ptwalk {
	struct cachemodel *cm;
	struct ptshadow *s;
	const struct pt_key *k;
	struct leafvec *out;
	unsigned tree;
	bool root;              /* the next table is the tree's root */
	/* Re-reading one entry: the nodes on the way down to it, levels
	 * start..path_level (path_level < 0: a walk from the TTBR). */
	int path_level;
	struct ptnode *path[4];
	struct ptnode *stack[4];
	unsigned tables;        /* a whole walk: the loop guard */
	bool overflow, lost;
};

static bool mair_cacheable(uint8_t attr)
{
	struct memattr a = { attr, 0, 1 };

	return memattr_inner_cacheable(a) || memattr_outer_cacheable(a);
}

/* A stage 2 leaf: whether the accesses through it allocate once its
 * attributes are combined with stage 1's (walk_s2.h s12_combine): stage
 * 1 off, data is Device (Device combined with anything is Device) and
 * never allocates, fetches are Non-cacheable or (SCTLR_EL1.I)
 * Write-Through, so they allocate where stage 2 is cacheable; HCR_EL2.DC,
 * both sides are Normal Write-Back; stage 1 on, its tables are not
 * followed: the leaf allocates as stage 2 and SCTLR_EL1.C, I allow, an
 * over-approximation (docs/model.md "Stage 2"). The leaf keeps stage 2's
 * own attributes: break-before-make compares those (a stage 1 change is
 * not a change of the stage 2 entry). */
static void s2_leaf_attrs(const struct pt_key *k, uint64_t d,
			  struct leaf *l)
{
	uint8_t m2 = s2_mair(S2_MEMATTR(d));
	bool c2 = mair_cacheable(m2), x = !(d & S2_XN) && !mair_is_device(m2);
	bool dc = k->s1 == PT_S1_DC;

	if (c2 && (dc || (k->s1 == PT_S1_ON && (k->sctlr & SCTLR_C))))
		l->flags |= LF_C;
	if (c2 && x && (dc || (k->sctlr & SCTLR_I)))
		l->flags |= LF_X;
	l->attr = m2;
	l->sh = mair_is_device(m2) || m2 == MAIR_NORMAL_NC
		? SH_OSH : (uint8_t)DESC_GET_SH(d);
	l->flags |= LF_S2;
	l->global = 1;
}

/* The leaf as a TLB would hold it (never without AF). */
static void pt_leaf(void *ctx, uint64_t va, uint64_t size, unsigned level,
		    uint64_t d, unsigned xn_t, unsigned pxn_t)
{
	struct ptwalk *w = ctx;
	const struct pt_key *k = w->k;
	struct leaf l;
	unsigned attr, xn0, xn1;

	if (!(d & DESC_AF))
		return;
	memset(&l, 0, sizeof(l));
	if (w->stack[level])
		l.dpa = w->stack[level]->pa +
			((va - w->stack[level]->va) >> desc_shift(level)) * 8;
	l.va = va;
	l.size = size;
	l.pa = d & DESC_OA_MASK & ~(size - 1);
	l.regime = k->regime;
	l.vmid = k->vmid;
	if (k->t[w->tree].s2) {
		s2_leaf_attrs(k, d, &l);
		lv_push(w->out, &l);
		return;
	}
	l.global = k->regime == REGIME_EL2 || !(d & DESC_NG);
	l.asid = l.global ? 0 : k->asid;
	attr = (k->mair >> (8 * DESC_GET_ATTRIDX(d))) & 0xff;
	l.attr = (uint8_t)attr;
	l.sh = (uint8_t)((d >> 8) & 3);
	{
		struct memattr a = { (uint8_t)attr, 0, 1 };

		if (memattr_inner_cacheable(a) || memattr_outer_cacheable(a))
			l.flags |= LF_C;
	}
	if (k->regime == REGIME_EL2) {
		xn0 = xn1 = (d & DESC_UXN ? 1u : 0u) | xn_t;
	} else {
		xn0 = (d & DESC_UXN ? 1u : 0u) | xn_t;
		xn1 = (d & DESC_PXN ? 1u : 0u) | pxn_t;
	}
	/* Instruction fetches from Device memory fault (D8.4.2). */
	if ((attr & 0xf0) && (!xn0 || !xn1))
		l.flags |= LF_X;
	lv_push(w->out, &l);
}

static struct ptnode *kid_at(const struct ptnode *p, uint64_t va)
{
	return p->kid[(va - p->va) >> desc_shift(p->level)];
}

/* Tables from memory: a node for each one below the way down. */
static const uint8_t *mem_table(void *ctx, uint64_t pa, uint64_t nent,
				unsigned level, uint64_t va)
{
	struct ptwalk *w = ctx;
	struct cachemodel *cm = w->cm;
	const uint8_t *t = memsys_ram_ptr(cm->ms, pa, nent * 8);
	struct ptnode *n;

	if ((int)level <= w->path_level) {
		n = w->path[level];
		if (!t || !n || n->pa != pa) {
			w->lost = true;
			return NULL;
		}
		w->stack[level] = n;
		return t;
	}
	if (!t)
		return NULL;
	if (w->path_level < 0 ? ++w->tables > MAX_TABLES
			      : w->s->nnodes >= MAX_TABLES) {
		if (w->path_level < 0)
			w->s->truncated = true;
		else
			w->overflow = true;
		return NULL;
	}
	bit_set(cm->tpage, (pa - cm->base) >> 12);
	n = node_new(w->s, pa, va, level, (unsigned)nent, t);
	n->tree = w->tree;
	if (w->root) {
		w->root = false;
		w->s->root[w->tree] = n;
	} else {
		n->parent = w->stack[level - 1];
		n->parent->kid[(va - n->parent->va) >>
			       desc_shift(n->parent->level)] = n;
	}
	w->stack[level] = n;
	return t;
}

/* Tables from the copy: the leaves as they were. */
static const uint8_t *copy_table(void *ctx, uint64_t pa, uint64_t nent,
				 unsigned level, uint64_t va)
{
	struct ptwalk *w = ctx;
	struct ptnode *n;

	(void)pa;
	(void)nent;
	if ((int)level <= w->path_level) {
		n = w->path[level];
	} else if (w->root) {
		w->root = false;
		n = w->s->root[w->tree];
	} else {
		n = w->stack[level - 1] ? kid_at(w->stack[level - 1], va)
					: NULL;
	}
	w->stack[level] = n;
	return n ? (const uint8_t *)n->d : NULL;
}

int pt_table_level(const struct ptshadow *s, uint64_t pa)
{
	if (!s->nnodes)
		return -1;
	for (struct ptnode *n = s->hash[hslot(s, pa)]; n; n = n->hnext)
		if (pa >= n->pa && pa < n->pa + n->nent * 8ull)
			return (int)n->level;
	return -1;
}

/* ---- whole copies ---- */

void pt_leaves(struct ptshadow *s, struct leafvec *out)
{
	struct ptwalk w = { .s = s, .k = &s->key, .out = out,
			    .path_level = -1 };

	for (w.tree = 0; w.tree < 2; w.tree++) {
		if (!s->key.use[w.tree] || !s->root[w.tree])
			continue;
		w.root = true;
		walk_leaves(&s->key.t[w.tree], 0, ~0ull, copy_table, pt_leaf,
			    &w);
	}
}

void pt_drop(struct ptshadow *s, struct leafvec *old)
{
	if (old && s->built)
		pt_leaves(s, old);
	for (unsigned i = 0; i < 2; i++)
		if (s->root[i])
			node_free(s, s->root[i]);
	free(s->hash);
	memset(s, 0, sizeof(*s));
}

void pt_rebuild(struct cachemodel *cm, struct ptshadow *s,
		const struct pt_key *k, struct leafvec *old,
		struct leafvec *now)
{
	struct ptwalk w = { .cm = cm, .s = s, .k = &s->key, .out = now,
			    .path_level = -1 };

	pt_drop(s, old);
	s->key = *k;
	s->built = true;
	/* One guard for both halves, as one walk of the PE's tables. */
	for (w.tree = 0; w.tree < 2; w.tree++) {
		if (!k->use[w.tree])
			continue;
		w.root = true;
		walk_leaves(&k->t[w.tree], 0, ~0ull, mem_table, pt_leaf, &w);
	}
}

/* ---- changed entries ---- */

static bool reread(struct cachemodel *cm, struct ptshadow *s,
		   struct ptnode *n, unsigned i, uint64_t now,
		   struct leafvec *gone, struct leafvec *added)
{
	struct ptwalk w = { .cm = cm, .s = s, .k = &s->key,
			    .path_level = (int)n->level, .tree = n->tree };
	uint64_t lo = n->va + ((uint64_t)i << desc_shift(n->level));
	uint64_t hi = lo + ((1ull << desc_shift(n->level)) - 1);
	const struct walk_tree *t = &s->key.t[n->tree];

	for (struct ptnode *p = n; p; p = p->parent)
		w.path[p->level] = p;
	w.out = gone;
	walk_leaves(t, lo, hi, copy_table, pt_leaf, &w);
	if (n->kid[i]) {
		node_free(s, n->kid[i]);
		n->kid[i] = NULL;
	}
	n->d[i] = now;
	w.out = added;
	walk_leaves(t, lo, hi, mem_table, pt_leaf, &w);
	return !w.overflow && !w.lost;
}

bool pt_update(struct cachemodel *cm, struct ptshadow *s,
	       const uint64_t *lines, size_t n, struct leafvec *gone,
	       struct leafvec *added)
{
	if (!s->nnodes)
		return true;
	for (unsigned level = 0; level < 4; level++) {
		for (size_t k = 0; k < n; k++) {
			uint64_t lpa = lines[k];
			struct ptnode *nd;
again:
			for (nd = s->hash[hslot(s, lpa)]; nd; nd = nd->hnext) {
				uint64_t end = nd->pa + nd->nent * 8ull;
				const uint8_t *ram;

				if (nd->level != level || lpa + 64 <= nd->pa ||
				    lpa >= end)
					continue;
				ram = memsys_ram_ptr(cm->ms, lpa, 64);
				for (uint64_t a = lpa < nd->pa ? nd->pa : lpa;
				     a < lpa + 64 && a < end; a += 8) {
					unsigned i = (unsigned)((a - nd->pa) / 8);
					uint64_t d;

					memcpy(&d, ram + (a - lpa), 8);
					if (d == nd->d[i])
						continue;
					if (!reread(cm, s, nd, i, d, gone,
						    added))
						return false;
					/* the chain may have changed */
					goto again;
				}
			}
		}
	}
	return true;
}
