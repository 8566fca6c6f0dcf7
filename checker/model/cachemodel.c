/* The cache model's per-line state and its hooks (cache.h): every RAM
 * access, cache maintenance instruction and barrier of every PE updates
 * the configuration set of the lines it touches (lineset.c) and reports
 * the reads that some legal cache timing makes stale (docs/model.md). */
#include "model/model.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/walk_s2.h"


void *cm_alloc(struct cachemodel *cm, size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		abort();
	cm->bytes += n;
	return p;
}

/* ---- per-line state ---- */

/* Every attached model: the sets are shared by all of them, so all of
 * them are roots when unreachable sets are collected. */
static struct cachemodel *models;

/* The roots of a collection of unreachable sets (ls_gc_maybe). */
static void mark_roots(void *arg)
{
	(void)arg;
	for (struct cachemodel *cm = models; cm; cm = cm->next)
		for (uint64_t pg = 0; pg < cm->npages; pg++) {
			const uint32_t *l = cm->lines[pg];

			ls_gc_mark(cm->pdef[pg]);
			if (l)
				for (unsigned i = 0; i < LINES_PER_PAGE; i++)
					ls_gc_mark(l[i]);
		}
}

static void maybe_gc(struct cachemodel *cm)
{
	size_t b = ls_bytes();

	/* every hook ends here: the place to sample the peak (bench) */
	if (cm->bytes + b > cm->peak)
		cm->peak = cm->bytes + b;
	ls_gc_maybe(mark_roots, NULL);
}

/* PE i's slot for page pg, if its fetch cache may serve the page now. */
static struct fetch_slot *fetch_slot_live(struct cachemodel *cm, unsigned i,
					  uint64_t pg)
{
	struct fetch_slot *s = &cm->pe[i].fslot[pg % FETCH_SLOTS];

	return s->pg == pg && s->gen == pe_head(cm_pe(cm, i))->ctx_gen ? s
								       : NULL;
}

/* The fetch fast path (access.c) skips the model for a page until the
 * PE's ctx_gen changes: any change on the page ends it. */
void page_touched(struct cachemodel *cm, uint64_t pg)
{
	if (!bit_get(cm->fetchpg, pg))
		return;
	cm->fetchpg[pg >> 6] &= ~(1ull << (pg & 63));
	for (unsigned i = 0; i < cm->npe; i++) {
		struct fetch_slot *s = fetch_slot_live(cm, i, pg);

		if (s) {
			s->pg = ~0ull;
			pe_ctx_changed(cm_pe(cm, i));
		}
	}
}

/* Line li of page pg changed (state id, or its I-cache records): the
 * PEs fast-fetching from the page keep doing so only if the line is
 * still quiet for their kind of fetch. */
static void line_changed(struct cachemodel *cm, uint64_t pg, unsigned li,
			 uint32_t id)
{
	struct irec *r = NULL;
	bool left = false, looked = false;

	if (!bit_get(cm->fetchpg, pg))
		return;
	for (unsigned i = 0; i < cm->npe; i++) {
		struct fetch_slot *s = fetch_slot_live(cm, i, pg);

		if (!s)
			continue;
		if (!looked) {
			r = irec_get(cm, cm->base + (pg << 12) + li * LINE, false);
			looked = true;
		}
		if ((ls_flags(id) & s->flags) == s->flags &&
		    !(r && r->mask[i])) {
			left = true;
			continue;
		}
		s->pg = ~0ull;
		pe_ctx_changed(cm_pe(cm, i));
	}
	if (!left)
		cm->fetchpg[pg >> 6] &= ~(1ull << (pg & 63));
}

/* A page whose lines are all in one state again (a CMO loop over it, a
 * reclose) needs no array: its default id says it all. */
static void page_fold(struct cachemodel *cm, uint64_t pg)
{
	uint32_t *l = cm->lines[pg];

	for (unsigned i = 1; i < LINES_PER_PAGE; i++)
		if (l[i] != l[0])
			return;
	cm->pdef[pg] = l[0];
	free(l);
	cm->lines[pg] = NULL;
	cm->bytes -= LINES_PER_PAGE * sizeof(*l);
}

void line_set(struct cachemodel *cm, uint64_t pg, unsigned li, uint32_t id)
{
	uint32_t *l;

	/* the other lines keep their pending closure */
	if (cm->rclev[pg])
		page_settle(cm, pg);
	l = cm->lines[pg];

	quiet_line_changed(cm, pg, li, l ? l[li] : cm->pdef[pg], id);
	if (!l) {
		if (id == cm->pdef[pg])
			return;
		/* Most lines stay in their page's default state: arrays are
		 * allocated for the pages that leave it. */
		l = cm->lines[pg] = cm_alloc(cm, LINES_PER_PAGE * sizeof(*l));
		for (unsigned i = 0; i < LINES_PER_PAGE; i++)
			l[i] = cm->pdef[pg];
	}
	l[li] = id;
	line_changed(cm, pg, li, id);
	/* the ends of a loop over the page, in either direction */
	if (li == 0 || li == LINES_PER_PAGE - 1)
		page_fold(cm, pg);
}

/* The page became allocatable at level al: every line's set must be
 * closed under allocation at that level too before anything reads it.
 * Deferred to the next read (page_settle, through line_id): a mapping of
 * all RAM makes a million pages allocatable at once, most of which are
 * never touched before their level changes again. The pending level is
 * the highest since the last settle: the lines may have been allocated
 * while it was live, whatever the level is when they are read (and a
 * closure at UP includes one at P). */
void page_reclose(struct cachemodel *cm, uint64_t pg, enum alloc_level al)
{
	if (al > cm->rclev[pg])
		cm->rclev[pg] = al;
	/* The load fast path reads no id: its grants end now if the
	 * closure costs a granted line its quiet flag. */
	if (quiet_page_granted(cm, pg))
		page_settle(cm, pg);
	page_touched(cm, pg);
}

void page_settle(struct cachemodel *cm, uint64_t pg)
{
	enum alloc_level al = cm->rclev[pg];
	uint32_t *l = cm->lines[pg];
	bool granted = quiet_page_granted(cm, pg);
	uint32_t id;

	cm->rclev[pg] = AL_NONE;
	id = ls_step(cm->pdef[pg], LS_CLOSE, 0, al);
	if (granted && !l)
		for (unsigned i = 0; i < LINES_PER_PAGE; i++)
			quiet_line_changed(cm, pg, i, cm->pdef[pg], id);
	cm->pdef[pg] = id;
	if (l) {
		for (unsigned i = 0; i < LINES_PER_PAGE; i++) {
			id = ls_step(l[i], LS_CLOSE, 0, al);
			if (granted)
				quiet_line_changed(cm, pg, i, l[i], id);
			l[i] = id;
		}
		page_fold(cm, pg);
	}
}

/* ---- reports ---- */

/* The copies of line li of page pg (at lpa), in set id, that may be
 * stale now (STALE_COPY). */
static uint8_t id_stale(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
			uint32_t id)
{
	/* only pages with instruction-cache records: stores stay cheap */
	return ls_stale_copies(id) |
	       (bit_get(cm->ipage, pg) && icache_line_stale(cm, lpa) ?
		STALE_COPY(COPY_I) : 0);
}

/* The copies of the line at lpa that may be stale now (STALE_COPY). */
static uint8_t line_stale(struct cachemodel *cm, uint64_t lpa)
{
	uint64_t pg = (lpa - cm->base) >> 12;

	if (lpa < cm->base || pg >= cm->npages)
		return 0;
	return id_stale(cm, lpa, pg, line_id(cm, pg, (lpa >> 6) & 63));
}

/* An event whose copies stale before it the caller knows. */
static void cm_event_stale(struct cachemodel *cm, struct cpu *c,
			   enum event_kind k, uint64_t pa, uint32_t detail,
			   uint64_t mask, struct memattr a, uint8_t stale)
{
	struct event e = {
		.seq = ++cm->seq, .pe = c ? pe_head(c)->id : -1, .pc = c ? pe_head(c)->pc : 0,
		.el = c ? pe_head(c)->el : 0,
		.pa = pa, .kind = k, .detail = detail, .mask = mask, .attr = a,
		.stale_before = stale,
	};

	cm->o.sink.event(cm->o.sink.ctx, &e);
}

void cm_event(struct cachemodel *cm, struct cpu *c, enum event_kind k,
	      uint64_t pa, uint32_t detail, uint64_t mask, struct memattr a)
{
	cm_event_stale(cm, c, k, pa, detail, mask, a,
		       pa ? line_stale(cm, pa & ~(LINE - 1)) : 0);
}

void cm_finding(struct cachemodel *cm, struct cpu *c, enum finding_kind k,
		bool always, uint64_t va, uint64_t pa, unsigned size,
		enum mem_kind acc, struct memattr attr, enum copy_id cp,
		uint64_t smask, const char *detail)
{
	struct finding f = {
		.kind = k, .always = always, .pe = pe_head(c)->id, .el = pe_head(c)->el,
		.pc = pe_head(c)->pc, .va = va, .pa = pa, .size = size, .access = acc,
		.attr = attr, .stale_copy = cp, .stale_mask = smask,
		.stale_copies = size ? line_stale(cm, pa & ~(LINE - 1)) : 0,
		.detail = detail,
	};
	struct pe_state s;

	/* A guest's read: the root cause may name its host (report/). */
	memsys_pe_state(c, &s);
	f.stage2 = s.el < 2 && s.has_el2 && hcr_s2_on(s.hcr_el2);
	cm->o.sink.finding(cm->o.sink.ctx, &f);
}

/* A stale-fetch the architecture makes benign (cmodx.c): a note. */
static void cm_note(struct cachemodel *cm, struct cpu *c, uint64_t va,
		    uint64_t pa, unsigned size, struct memattr attr,
		    enum copy_id cp, uint64_t smask, uint32_t first)
{
	struct finding f = {
		.kind = F_STALE_FETCH, .pe = pe_head(c)->id, .el = pe_head(c)->el, .pc = pe_head(c)->pc,
		.va = va, .pa = pa, .size = size, .access = MK_FETCH,
		.attr = attr, .stale_copy = cp, .stale_mask = smask,
		.detail = "concurrent modification: the instruction before "
			  "and after it are both on the Arm ARM's list",
		.old_insn = first,
	};

	if (cm->o.sink.note)
		cm->o.sink.note(cm->o.sink.ctx, &f);
}

static enum copy_id copy_of(uint8_t cp)
{
	return cp == CP_U ? COPY_U : cp == CP_P ? COPY_P :
	       cp == CP_M ? COPY_M : COPY_NONE;
}

static uint64_t sctlr_of(const struct pe_state *s)
{
	return s->el == 2 ? s->sctlr_el2 : s->sctlr_el1;
}

static uint64_t sctlr_now(const struct cpu *c)
{
	struct pe_state s;

	memsys_pe_state(c, &s);
	return sctlr_of(&s);
}

/* Write-Back in one MAIR nibble (Arm ARM, the MAIR_ELx register
 * description, field Attr<n>): 0b11RW, or 0b01RW with RW != 0 (the
 * transient form). */
static bool nibble_wb(unsigned n)
{
	return (n & 0xc) == 0xc || ((n & 0xc) == 0x4 && (n & 3));
}

/* A cacheable store that reaches memory: Write-Through (or
 * Non-cacheable) at both levels, Write-Back at neither. With one level
 * Write-Back the data may stay in that level's caches, as for a
 * Write-Back store. */
bool cm_store_wt(struct memattr a)
{
	return !nibble_wb(a.mair & 0xf) && !nibble_wb(a.mair >> 4);
}

static bool in_ram(struct cachemodel *cm, uint64_t pa);

/* ---- accesses ---- */

static void pending_cmo_check(struct cachemodel *cm, struct cpu *c,
			      uint64_t lpa, uint64_t va, uint64_t pa,
			      unsigned size, enum mem_kind kind,
			      struct memattr attr)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	/* DDI 0487 K.a, "Ordering and completion of data and instruction
	 * cache instructions": a CMO is complete for other observers, and
	 * for accesses that bypass the caches, only after a DSB. */
	if (pe->npcmo && pend_has(pe->pcmo, pe->npcmo, lpa))
		cm_finding(cm, c, F_MISSING_BARRIER, false, va, pa, size,
			   kind, attr, COPY_NONE, 0,
			   "no DSB between cache maintenance and a "
			   "non-cacheable access to the line");
}

/* Whether the cacheable store of mask that took the line from set id to
 * nid changed the exact set, where that matters: icache_refill acts on
 * a change, and a store chain's id always changes (docs/model.md "Store
 * chains"). A grown PoU union means a changed set; otherwise the exact
 * store is computed only when the refill would add bytes that the
 * I-cache record of some PE allocating the page lacks. */
static bool store_refills(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
			  uint32_t id, uint32_t nid, uint64_t mask,
			  enum alloc_level al)
{
	uint64_t pou = ls_pou_union(nid);
	const struct irec *ir;

	if (nid == id || !cm->icount[pg] || !pou)
		return false;
	if (mask & ~ls_pou_union(id))
		return true;
	ir = irec_get(cm, lpa, false);
	for (unsigned p = 0; p < cm->npe; p++)
		if (bit_get(cm->pe[p].ibits, pg) &&
		    (!ir || (ir->mask[p] & pou) != pou))
			return ls_step(id, LS_STORE_CX, mask, al) != id;
	return false;
}

/* COHERENT_EXACT_CHECK: store_refills' answer refill against the exact
 * store's; where they differ the refill must add nothing. */
static void check_refill(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
			 uint32_t id, uint32_t nid, uint64_t mask,
			 enum alloc_level al, bool refill)
{
	uint64_t pou = ls_pou_union(nid);
	const struct irec *ir = irec_get(cm, lpa, false);

	if (refill == (cm->icount[pg] && pou &&
		       ls_step(id, LS_STORE_CX, mask, al) != id))
		return;
	for (unsigned p = 0; p < cm->npe; p++)
		if (bit_get(cm->pe[p].ibits, pg) &&
		    (!ir || (ir->mask[p] & pou) != pou)) {
			fprintf(stderr, "coherent: COHERENT_EXACT_CHECK: the "
				"I-cache refill after a store to %#" PRIx64
				" differs from the exact store's\n", lpa);
			abort();
		}
}

/* COHERENT_EXACT_CHECK: a store the fast path said keeps the line's
 * set id (cache_store_page) against the store computed. */
static void check_keep(uint64_t lpa, uint32_t id, enum ls_op op,
		       uint64_t mask, enum alloc_level al)
{
	if (ls_apply(id, op, mask, al).id == id)
		return;
	fprintf(stderr, "coherent: COHERENT_EXACT_CHECK: a store to %#" PRIx64
		" the fast path took as keeping set %u changes it\n", lpa, id);
	abort();
}

/* Returns whether it reported a stale read. keep: a store the fast path
 * knows leaves the set as it is (cache_store_page): not computed. */
static bool line_access(struct cachemodel *cm, struct cpu *c, uint64_t lpa,
			uint64_t mask, enum mem_kind kind, bool cacheable,
			uint64_t va, uint64_t pa, unsigned size,
			struct memattr attr, bool keep)
{
	uint64_t pg = (lpa - cm->base) >> 12;
	unsigned li = (lpa >> 6) & 63;
	uint32_t id = line_id(cm, pg, li);
	enum alloc_level al = page_level(cm, pg);
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct ls_result r;
	enum ls_op op;

	switch (kind) {
	case MK_LOAD:
	case MK_WALK:
		if (cacheable) {
			/* the short path: nothing can be stale or change */
			if (ls_flags(id) & LSF_QUIET_LOAD)
				return false;
			op = LS_LOAD_C;
		} else {
			op = cm->o.nc_may_hit ? LS_LOAD_NCHIT : LS_LOAD_NC;
			pending_cmo_check(cm, c, lpa, va, pa, size, kind, attr);
			if (ls_flags(id) & (cm->o.nc_may_hit ? LSF_QUIET_NCHIT
							     : LSF_QUIET_NC))
				return false;
		}
		r = ls_apply(id, op, mask, al);
		if (r.verdict != V_FRESH)
			cm_finding(cm, c, kind == MK_WALK ? F_STALE_WALK
							  : F_STALE_LOAD,
				   r.verdict == V_ALWAYS, va, pa, size, kind,
				   attr, copy_of(r.copy), r.stale, NULL);
		break;
	case MK_STORE:
		if (!cacheable)
			pending_cmo_check(cm, c, lpa, va, pa, size, kind, attr);
		cm_event(cm, c, EV_STORE, lpa, 0, mask, attr);
		op = !cacheable ? LS_STORE_NC : cm_store_wt(attr)
		     ? LS_STORE_WT : LS_STORE_C;
		if (!keep) {
			r = ls_apply(id, op, mask, al);
		} else {
			if (ls_exact_check())
				check_keep(lpa, id, op, mask, al);
			r = (struct ls_result){ id, V_FRESH, CP_NONE, 0 };
			cm->stores_kept++;
		}
		/* An instruction cache copy lacks the new bytes (B2.4.4: the
		 * instruction side is not coherent with data stores). */
		icache_store(cm, lpa, pg, mask);
		/* The walker reads tables from memory: re-read the changed
		 * entries at the next synchronisation point. */
		if (bit_get(cm->tpage, pg))
			alloc_table_store(cm, lpa, true);
		if (r.id == id)
			line_changed(cm, pg, li, id);   /* the I-cache may have */
		break;
	default: { /* MK_FETCH */
		struct irec *ir = irec_get(cm, lpa, false);
		bool present = icache_present(cm, pe_head(c)->id, pg, ir);
		uint64_t istale = 0;

		/* A DC by VA before a fetch of the line needs a DSB only as
		 * part of the DC, DSB, IC, DSB, ISB sequence: the IC check. */
		if ((pe->npic || pe->pic_more) &&
		    icache_pending(cm, pe, pe_head(c)->id, lpa))
			cm_finding(cm, c, F_MISSING_BARRIER, false, va, pa, size,
				   kind, attr, COPY_I, 0,
				   "no DSB and ISB between IC invalidation and "
				   "an instruction fetch of the line");
		if (pe->xany && icache_cross_pending(cm, pe_head(c)->id, lpa))
			cm_finding(cm, c, F_MISSING_BARRIER, false, va, pa, size,
				   kind, attr, COPY_I, 0,
				   "no ISB on this PE after another PE's IC "
				   "invalidation of the line and its DSB: it "
				   "may still execute instructions it fetched "
				   "before");
		if (cacheable || cm->o.nc_may_hit) {
			op = cacheable ? LS_FETCH_C : LS_LOAD_NCHIT;
			if (present && ir)
				istale = ir->mask[pe_head(c)->id] & mask;
		} else {
			op = LS_LOAD_NC;
		}
		r = ls_apply(id, op, mask, al);
		if (r.verdict != V_FRESH || istale) {
			bool always = r.verdict == V_ALWAYS &&
				      (!present || istale);
			uint32_t now = 0, first;

			if (size == 4)
				memcpy(&now, cm->ms->ram + (pa - cm->base), 4);
			/* Old and new both on the Arm ARM's list: either may
			 * run, and either is what the program allows for. */
			if (cmodx_allows(cm, pa, size, cacheable, now,
					 &first))
				cm_note(cm, c, va, pa, size, attr,
					istale ? COPY_I : copy_of(r.copy),
					r.stale | istale, first);
			else
				cm_finding(cm, c, F_STALE_FETCH, always, va,
					   pa, size, kind, attr,
					   istale ? COPY_I : copy_of(r.copy),
					   r.stale | istale, NULL);
			if (istale)
				ir->mask[pe_head(c)->id] &= ~mask;
			page_touched(cm, pg);
		}
		break;
	}
	}
	if (cm->trace_line == lpa) {
		/* COHERENT_TRACE_LINE=pa: every operation on one line */
		fprintf(stderr, "model: pe%d pc %#" PRIx64 " kind %d %s mask %#"
			PRIx64 " al %d: set %u -> %u (%zu cfgs) verdict %d\n",
			pe_head(c)->id, pe_head(c)->pc, kind, cacheable ? "C" : "NC", mask, al,
			id, r.id, ls_size(r.id), r.verdict);
	}
	if (r.id != id) {
		bool refill = kind != MK_STORE || op != LS_STORE_C ||
			      store_refills(cm, lpa, pg, id, r.id, mask, al);

		if (kind == MK_STORE && op == LS_STORE_C && ls_exact_check())
			check_refill(cm, lpa, pg, id, r.id, mask, al, refill);

		line_set(cm, pg, li, r.id);
		if (refill)
			icache_refill(cm, lpa, pg, r.id);
	}
	return r.verdict != V_FRESH;
}

static bool exempt_insn(uint32_t insn)
{
	/* ISB (any option) and MSR (register): the instructions that
	 * complete a system register update may be fetched either way. */
	return (insn & 0xfffff0ffu) == 0xd50330dfu ||
	       (insn & 0xfff00000u) == 0xd5100000u;
}

/* keep: as for line_access (a store within one line). */
static void model_access(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			 unsigned size, enum mem_kind kind, struct memattr attr,
			 uint8_t *ram, void *buf, bool keep)
{
	bool cacheable = cm_cacheable(attr);
	uint64_t va;

	if (kind != MK_STORE)
		memcpy(buf, ram, size);
	if (c && !cm->quiet)
		cm->actor = c;
	if (cm->quiet || !c) {
		if (kind == MK_STORE) {
			if (in_ram(cm, pa))
				cmodx_unseen_store(cm, pa, size);
			/* Not a reason to walk again, but the next walk
			 * must see it (alloc.c keeps a copy of the tables). */
			for (uint64_t l = pa & ~(LINE - 1); l < pa + size; l += LINE)
				if (in_ram(cm, l) &&
				    bit_get(cm->tpage, (l - cm->base) >> 12))
					alloc_table_store(cm, l, false);
			memcpy(ram, buf, size);
			memsys_ram_written(cm->ms, pa, size);
		}
		return;
	}
	if (kind == MK_FETCH) {
		uint32_t insn = 0;

		/* SCTLR.I = 0: instruction fetches are Non-cacheable
		 * (D8.2.11 and SCTLR_ELx.I). */
		if (attr.s1 && !(sctlr_now(c) & SCTLR_I))
			cacheable = false;
		va = pe_head(c)->pc;
		memcpy(&insn, buf, size < 4 ? size : 4);
		if (!exempt_insn(insn) && pend_sysreg_differs(cm, c))
			pend_check_ctx(cm, c, va, MMU_EXEC, kind);
		if (cm->ntlbi)
			pend_check_tlbi(cm, c, va, MMU_EXEC, kind);
		if (!attr.s1 && cacheable)
			alloc_fetch_window(cm, c, (pa - cm->base) >> 12);
	} else {
		va = cm->pe[pe_head(c)->id].va;
		if (kind == MK_STORE) {
			cmodx_store_bytes(cm, pa, size, ram, buf);
			wo_store(cm, c, pa, size, attr, ram, buf);
		} else if (kind == MK_WALK)
			wo_walk(cm, c, va, pa, attr);
	}
	for (unsigned done = 0; done < size;) {
		uint64_t a = pa + done, lpa = a & ~(LINE - 1);
		unsigned off = a - lpa, n = size - done;
		uint64_t mask;
		bool rep;

		if (n > LINE - off)
			n = LINE - off;
		mask = (n == 64 ? ~0ull : ((1ull << n) - 1)) << off;
		rep = line_access(cm, c, lpa, mask, kind, cacheable, va + done,
				  a, size, attr, keep);
		/* Non-shareable copies: a side structure, only for the
		 * lines such an access touched (nonshare.c) */
		if ((kind == MK_LOAD || kind == MK_STORE) &&
		    ((cacheable && attr.sh == SH_NSH) ||
		     bit_get(cm->nspage, (lpa - cm->base) >> 12)))
			ns_access(cm, c, lpa, mask, kind, cacheable, rep,
				  va + done, a, size, attr);
		done += n;
	}
	if (kind == MK_STORE) {
		memcpy(ram, buf, size);
		memsys_ram_written(cm->ms, pa, size);
	}
	maybe_gc(cm);
}

static void cache_access(void *ctx, struct cpu *c, uint64_t pa,
			 unsigned size, enum mem_kind kind, struct memattr attr,
			 uint8_t *ram, void *buf)
{
	model_access(ctx, c, pa, size, kind, attr, ram, buf, false);
}

bool cache_exact_check(void)
{
	return ls_exact_check();
}

void cache_store_direct(struct cachemodel *cm, struct cpu *c, uint64_t va,
			uint64_t pa, unsigned size, struct memattr attr,
			void *buf, bool keep)
{
	/* what cache_note_va does when it checks nothing (the grant's
	 * conditions, quiet.c) */
	if (ls_exact_check() && (cm->ntlbi || pend_sysreg_differs(cm, c))) {
		fprintf(stderr, "coherent: COHERENT_EXACT_CHECK: a direct "
			"store at %#" PRIx64 " skipped the TLBI or system "
			"register check\n", va);
		abort();
	}
	cm->pe[pe_head(c)->id].va = va;
	cm->actor = c;
	model_access(cm, c, pa, size, MK_STORE, attr,
		     cm->ms->ram + (pa - cm->base), buf, keep);
}

void cache_note_va(struct cachemodel *cm, struct cpu *c, uint64_t va,
		   enum mmu_acc acc)
{
	cm->pe[pe_head(c)->id].va = va;
	cm->actor = c;
	if (cm->ntlbi && acc != MMU_EXEC)
		pend_check_tlbi(cm, c, va, acc,
				acc == MMU_WRITE ? MK_STORE : MK_LOAD);
	if (acc != MMU_EXEC && pend_sysreg_differs(cm, c))
		pend_check_ctx(cm, c, va, acc,
			       acc == MMU_WRITE ? MK_STORE : MK_LOAD);
}

/* ---- cache maintenance ---- */

static bool in_ram(struct cachemodel *cm, uint64_t pa)
{
	return pa >= cm->base && (pa - cm->base) >> 12 < cm->npages;
}

static void whole_ram(struct cachemodel *cm, enum ls_op op)
{
	for (uint64_t pg = 0; pg < cm->npages; pg++) {
		enum alloc_level al = page_level(cm, pg);
		uint32_t *l;

		if (cm->rclev[pg])
			page_settle(cm, pg);
		l = cm->lines[pg];

		cm->pdef[pg] = ls_step(cm->pdef[pg], op, ~0ull, al);
		if (l) {
			for (unsigned i = 0; i < LINES_PER_PAGE; i++)
				l[i] = ls_step(l[i], op, ~0ull, al);
			page_fold(cm, pg);
		}
		page_touched(cm, pg);
	}
	quiet_lost(cm);
}

/* DC ISW/CSW/CISW (DDI 0487 K.a, the DC instructions by set/way): local to the issuing
 * PE's caches, not broadcast, not for coherency. The model cannot map a
 * set and way to addresses; a loop over every set and way starts with
 * set 0, way 0: the operation is applied to every line then. */
static void set_way(struct cachemodel *cm, struct cpu *c, enum cmo_op op,
		    uint64_t xt)
{
	unsigned level = (xt >> 1) & 7, on = 0;
	enum ls_op lop;

	for (unsigned i = 0; i < cm->npe; i++) {
		struct pe_state s;

		memsys_pe_state(cm_pe(cm, i), &s);
		if (s.powered && (sctlr_of(&s) & SCTLR_C))
			on++;
	}
	if (on > 1)
		cm_finding(cm, c, F_SET_WAY, true, xt, 0, 0, MK_STORE,
			   (struct memattr){ 0, 0, 0 }, COPY_NONE, 0,
			   "set/way maintenance with more than one PE running "
			   "with caches on: it is local to the issuing PE");
	if ((xt >> 4) & 0xfffffff)
		return;
	if (level == 0)
		lop = op == CMO_DC_CSW ? LS_CSW_U : op == CMO_DC_CISW ? LS_CISW_U
								    : LS_ISW_U;
	else
		lop = op == CMO_DC_CSW ? LS_CSW_P : op == CMO_DC_CISW ? LS_CISW_P
								    : LS_ISW_P;
	whole_ram(cm, lop);
}

/* DC IVAC, CVAU, CVAC, CVAP, CIVAC on the line at lpa, in RAM. The
 * line's set is read once, for the history event's stale copies and
 * for the step (the event changes no set). */
static void dc_va(struct cachemodel *cm, struct cpu *c, enum cmo_op op,
		  uint64_t lpa, struct memattr attr)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	uint64_t pg = (lpa - cm->base) >> 12;
	unsigned li = (lpa >> 6) & 63;
	uint32_t old = line_id(cm, pg, li), id;
	enum ls_op lop;

	cm_event_stale(cm, c, EV_CMO, lpa, op, 0, attr,
		       lpa ? id_stale(cm, lpa, pg, old) : 0);
	lop = op == CMO_DC_IVAC ? LS_IVAC : op == CMO_DC_CVAU ? LS_CVAU :
	      op == CMO_DC_CIVAC ? LS_CIVAC : LS_CVAC;   /* CVAP: as CVAC */
	id = ls_step(old, lop, ~0ull, page_level(cm, pg));
	if (cm->trace_line == lpa)
		fprintf(stderr, "model: pe%d pc %#" PRIx64 " cmo %d al %d: "
			"set %u -> %u\n", pe_head(c)->id, pe_head(c)->pc, op, page_level(cm, pg),
			old, id);
	line_set(cm, pg, li, id);
	icache_refill(cm, lpa, pg, id);
	if (bit_get(cm->nspage, pg))
		ns_cmo(cm, c, op, lpa, attr);
	/* the PE's non-cacheable accesses to the line are checked again */
	if (!pe->npcmo && pe->qnc)
		quiet_lost_pe(cm, c);
	pend_add(pe->pcmo, &pe->npcmo, lpa);
	page_touched(cm, pg);
	maybe_gc(cm);
}

static void cache_cmo(void *ctx, struct cpu *c, enum cmo_op op, uint64_t va,
		      uint64_t pa, struct memattr attr)
{
	struct cachemodel *cm = ctx;
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	uint64_t lpa = pa & ~(LINE - 1), pg;
	unsigned li;

	cm->actor = c;
	if (op <= CMO_DC_CVAP && in_ram(cm, pa)) {
		dc_va(cm, c, op, lpa, attr);
		return;
	}
	cm_event(cm, c, EV_CMO, op >= CMO_DC_ISW && op <= CMO_DC_CISW ? 0 : lpa,
		 op, 0, attr);
	switch (op) {
	case CMO_DC_ZVA:
		return;                 /* the stores that follow do it */
	case CMO_DC_ISW:
	case CMO_DC_CSW:
	case CMO_DC_CISW:
		set_way(cm, c, op, va);
		maybe_gc(cm);
		return;
	/* Pending until DSB + ISB: only the lines that may have been stale.
	 * A fetch of any other line (the DSB and ISB themselves) returns the
	 * same bytes whether or not the invalidation has completed. */
	case CMO_IC_IALLU:
		icache_mark_stale(cm, pe, pe_head(c)->id, pe_head(c)->id);
		icache_inval_all(cm, pe_head(c)->id);
		pe->pic_dsb = false;
		return;
	case CMO_IC_IALLUIS:
		icache_mark_stale(cm, pe, pe_head(c)->id, -1);
		icache_cross_inval_all(cm, pe_head(c)->id);
		for (unsigned i = 0; i < cm->npe; i++)
			icache_inval_all(cm, i);
		pe->pic_dsb = false;
		return;
	default:
		break;
	}
	/* IC IVAU in RAM: the DCs by VA are dc_va's */
	if (op != CMO_IC_IVAU || !in_ram(cm, pa))
		return;
	pg = (lpa - cm->base) >> 12;
	li = (lpa >> 6) & 63;
	{
		bool was_stale = icache_line_stale(cm, lpa);
		struct irec *ir = irec_get(cm, lpa, false);

		if (ir)
			icache_cross_inval(cm, pe_head(c)->id, ir);
		icache_inval_line(cm, lpa);
		icache_refill(cm, lpa, pg, line_id(cm, pg, li));
		if (was_stale) {
			icache_pend(pe, pe_head(c)->id, irec_get(cm, lpa, true));
			pe->pic_dsb = false;
		}
		page_touched(cm, pg);
	}
}

/* ---- barriers and context synchronisation ---- */

static void ctx_sync(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	struct pe_state s;
	unsigned oldr, newr;
	uint64_t old, now;

	memsys_pe_state(c, &s);
	oldr = pe->snap_el == 2;
	newr = s.el == 2;
	old = pe->snap[oldr ? SN_SCTLR2 : SN_SCTLR1];
	now = sctlr_of(&s);
	if (!pend_sysreg_differs(cm, c) && oldr == newr && !pe->ctx_reported) {
		pe->snap_el = s.el;
		return;
	}
	if ((old ^ now) & SCTLR_M)
		cm_event(cm, c, (now & SCTLR_M) ? EV_MMU_ON : EV_MMU_OFF, 0,
			 (uint32_t)now, 0, (struct memattr){ 0, 0, 0 });
	else if ((old ^ now) & (SCTLR_C | SCTLR_I))
		cm_event(cm, c, EV_CACHES_ON_OFF, 0, (uint32_t)now, 0,
			 (struct memattr){ 0, 0, 0 });
	pend_snapshot(cm, c);
	pe->rewalk = true;
	cm->any_rewalk = true;
	alloc_sync(cm);
}

static void cache_barrier(void *ctx, struct cpu *c, enum barrier_op op,
			  unsigned option)
{
	struct cachemodel *cm = ctx;
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	cm->actor = c;
	switch (op) {
	case BAR_DSB:
		/* DDI 0487 K.a, "Ordering and completion of data and
		 * instruction cache instructions" and "TLB maintenance
		 * instructions": DSB completes every earlier cache and TLB
		 * maintenance instruction of this PE, and makes its table
		 * stores visible to walks (walkorder.c). The stores first:
		 * a new entry that becomes visible at the DSB that
		 * completes the TLBI of the old one is a break-before-make
		 * finding, since the TLBI removes only what was stale when
		 * it was issued (struct leaf's born). */
		pe->npcmo = 0;
		if (pe->npic || pe->pic_more)
			pe->pic_dsb = true;
		/* CRm<3:2> = 01: the Non-shareable domain (DSB NSH, NSHST,
		 * NSHLD) waits for nothing outside this PE, so it does not
		 * complete a broadcast IC for the other PEs. */
		if ((option >> 2 & 3) != 1)
			icache_cross_dsb(cm, pe_head(c)->id);
		wo_dsb(cm, c);
		alloc_sync(cm);
		if (pe->nptlbi) {
			alloc_tlbi_complete(cm, c);
			alloc_sync(cm);
		}
		break;
	case BAR_DMB:
		/* CRm<1:0> = 01: the load-only forms (DMB LD, ISHLD, ...) */
		if ((option & 3) != 1)
			wo_dmb(cm, c);
		break;
	case BAR_ISB:
		if (pe->pic_dsb) {
			icache_pending_done(cm, pe, pe_head(c)->id);
			pe->pic_dsb = false;
		}
		icache_cross_sync(cm, pe_head(c)->id);
		ctx_sync(cm, c);
		break;
	default:
		break;
	}
	maybe_gc(cm);         /* a barrier may reclose pages (alloc_sync) */
}

static void cache_ctx_sync(void *ctx, struct cpu *c)
{
	struct cachemodel *cm = ctx;
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	cm->actor = c;
	/* Exception entry or return is a context synchronisation event
	 * (DDI 0487 K.a B2.4.4 and the glossary's "Context synchronization
	 * event"): after the IC's DSB it completes the invalidation as an
	 * ISB does (a hypervisor's IC IVAU; DSB; ERET into its guest). */
	if (pe->pic_dsb) {
		icache_pending_done(cm, pe, pe_head(c)->id);
		pe->pic_dsb = false;
	}
	icache_cross_sync(ctx, pe_head(c)->id);
	ctx_sync(ctx, c);
}

/* A TLBI issued by c (completes at c's next DSB). bcast: Inner
 * Shareable. memsys_tlbi passes the regime and scope as plain numbers. */
static void cache_tlbi(void *ctx, struct cpu *c, unsigned r, unsigned s,
		       uint64_t va, uint16_t asid, bool bcast)
{
	struct cachemodel *cm = ctx;

	cm->actor = c;
	cm_event(cm, c, EV_TLBI, 0, s, va, (struct memattr){ 0, 0, 0 });
	pend_tlbi(cm, c, r, s, va, asid, bcast);
	quiet_lost(cm);
	/* Until the DSB, an access may still use what the TLBI removes
	 * (pend_check_tlbi): no fetch skips the model meanwhile. */
	for (unsigned i = 0; i < cm->npe; i++)
		if (bcast || i == (unsigned)pe_head(c)->id)
			pe_ctx_changed(cm_pe(cm, i));
}

static void fetch_forget(struct pe_model *pe)
{
	for (unsigned i = 0; i < FETCH_SLOTS; i++)
		pe->fslot[i].pg = ~0ull;
}

void cache_pe_start(struct cachemodel *cm, struct cpu *c)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];

	cm->actor = c;
	pe->npcmo = 0;
	icache_pending_done(cm, pe, pe_head(c)->id);
	pe->pic_dsb = false;
	pe->xwait = 0;
	icache_cross_sync(cm, pe_head(c)->id);
	pe->npdesc = 0;
	pe->pdesc_over = false;
	fetch_forget(pe);
	pe_ctx_changed(c);
	quiet_lost_pe(cm, c);
	pend_snapshot(cm, c);
	alloc_pe_reset(cm, c);
	alloc_sync(cm);
}

/* A line is quiet for PE c's fetches when a fetch of any of its bytes
 * finds nothing stale and changes nothing. */
static bool fetch_quiet(struct cachemodel *cm, struct cpu *c, uint64_t pg,
			unsigned li, uint32_t flag)
{
	struct irec *ir;

	if (!(ls_flags(line_id(cm, pg, li)) & flag))
		return false;
	ir = irec_get(cm, cm->base + (pg << 12) + li * LINE, false);
	return !(ir && ir->mask[pe_head(c)->id]);
}

uint8_t *cache_fetch_page(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			  struct memattr attr, uint64_t *lines)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	bool cacheable = cm_cacheable(attr);
	struct fetch_slot *s;
	uint64_t pg;
	uint32_t flag;

	/* A DC still waiting for its DSB does not matter here: a fetch's
	 * verdict (line_access, MK_FETCH) does not depend on it, only that
	 * of a non-cacheable load or store does (pending_cmo_check), and
	 * the DC itself ended the fast path on its page (page_touched). */
	if (!in_ram(cm, pa) || pe->npic || pe->pic_more || pe->xany ||
	    cm->ntlbi ||
	    pend_sysreg_differs(cm, c))
		return NULL;
	if (attr.s1 && !(sctlr_now(c) & SCTLR_I))
		cacheable = false;
	flag = cacheable ? LSF_QUIET_FETCH : cm->o.nc_may_hit
		? LSF_QUIET_NCHIT : LSF_QUIET_NC;
	pg = (pa - cm->base) >> 12;
	if (!fetch_quiet(cm, c, pg, (pa >> 6) & 63, flag))
		return NULL;
	*lines = 1ull << ((pa >> 6) & 63);
	s = fetch_slot_live(cm, pe_head(c)->id, pg);
	if (!s || (s->flags & flag) != flag) {
		/* first fetch from the page in this context (or with these
		 * attributes): every quiet line (fetch_quiet, page-wide) */
		const uint32_t *l = cm->lines[pg];
		uint64_t q = 0;

		if (!l)
			q = ls_flags(cm->pdef[pg]) & flag ? ~0ull : 0;
		else
			for (unsigned li = 0; li < LINES_PER_PAGE; li++)
				if (ls_flags(l[li]) & flag)
					q |= 1ull << li;
		if (q)
			q &= ~icache_stale_lines(cm, pg, pe_head(c)->id);
		*lines |= q;
	}
	if (!s) {
		s = &pe->fslot[pg % FETCH_SLOTS];
		/* the fetch cache may still serve the page the slot had */
		if (s->pg != ~0ull && s->gen == pe_head(c)->ctx_gen)
			pe_ctx_changed(c);
		s->pg = pg;
		s->flags = 0;
		s->gen = pe_head(c)->ctx_gen;
	}
	s->flags |= flag;
	bit_set(cm->fetchpg, pg);
	return cm->ms->ram + (pg << 12);
}

/* ---- setup ---- */

enum boot_contract cache_contract(const struct cachemodel *cm)
{
	return cm->o.contract;
}

size_t cache_bytes(const struct cachemodel *cm)
{
	return cm ? cm->bytes + ls_bytes() : 0;
}

size_t cache_bytes_ram(const struct cachemodel *cm)
{
	return cm ? cm->bytes : 0;
}

size_t cache_bytes_peak(const struct cachemodel *cm)
{
	size_t now = cache_bytes(cm);

	return cm && cm->peak > now ? cm->peak : now;
}

size_t cache_sets(void)
{
	return ls_count();
}

static void obs_pe_start(void *ctx, struct cpu *c)
{
	cache_pe_start(ctx, c);
}

static const struct mem_observer observer = {
	.access = cache_access, .cmo = cache_cmo, .barrier = cache_barrier,
	.tlbi = cache_tlbi, .ctx_sync = cache_ctx_sync,
	.pe_start = obs_pe_start,
};

struct cachemodel *cache_attach(const struct cache_env *e,
				const struct cache_opts *o)
{
	struct memsys *ms = e->mem;
	struct cachemodel *cm;

	if (!o->sink.finding || !o->sink.event)
		return NULL;
	cm = calloc(1, sizeof(*cm));
	if (!cm)
		return NULL;
	cm->ms = ms;
	cm->cpu = e->pe;
	cm->pe_size = e->pe_size;
	cm->npe = e->npe;
	cm->o = *o;
	cm->bytes = sizeof(*cm);
	cm->base = ms->ram_base;
	cm->npages = ms->ram_size >> 12;
	cm->nwords = (cm->npages + 63) / 64;
	cm->lines = cm_alloc(cm, cm->npages * sizeof(*cm->lines));
	cm->pdef = cm_alloc(cm, cm->npages * sizeof(*cm->pdef));
	cm->dcount = cm_alloc(cm, cm->npages);
	cm->icount = cm_alloc(cm, cm->npages);
	cm->rclev = cm_alloc(cm, cm->npages);
	cm->tpage = cm_alloc(cm, cm->nwords * 8);
	cm->fetchpg = cm_alloc(cm, cm->nwords * 8);
	cm->ipage = cm_alloc(cm, cm->nwords * 8);
	cm->cpage = cm_alloc(cm, cm->nwords * 8);
	cm->nspage = cm_alloc(cm, cm->nwords * 8);
	cm->wopg = cm_alloc(cm, cm->nwords * sizeof(*cm->wopg));
	cm->pe = cm_alloc(cm, cm->npe * sizeof(*cm->pe));
	cm->trace_line = getenv("COHERENT_TRACE_LINE")
		? strtoull(getenv("COHERENT_TRACE_LINE"), NULL, 0) & ~(LINE - 1)
		: ~0ull;
	ls_init();
	/* a collection walks every page: its slack grows with them */
	ls_gc_floor(ms->ram_size / 256);
	ms->obs = &observer;
	ms->obs_ctx = cm;
	cm->next = models;
	models = cm;
	alloc_init(cm);
	quiet_init(cm);
	contract_apply(cm, e);
	/* From now on every RAM access goes through memsys_access(). */
	ms->ram_fast = false;
	memsys_ram_written(ms, ms->ram_base, ms->ram_size);
	for (unsigned i = 0; i < cm->npe; i++) {
		fetch_forget(&cm->pe[i]);
		pend_snapshot(cm, cm_pe(cm, i));
	}
	return cm;
}

void cache_detach(struct cachemodel *cm)
{
	if (!cm)
		return;
	for (struct cachemodel **p = &models; *p; p = &(*p)->next)
		if (*p == cm) {
			*p = cm->next;
			break;
		}
	for (uint64_t pg = 0; pg < cm->npages; pg++)
		free(cm->lines[pg]);
	free(cm->lines);
	free(cm->pdef);
	free(cm->dcount);
	free(cm->icount);
	free(cm->rclev);
	free(cm->tpage);
	free(cm->fetchpg);
	free(cm->ipage);
	free(cm->cpage);
	cmodx_free(cm);
	ns_free(cm);
	free(cm->nspage);
	wo_free(cm);
	for (unsigned i = 0; i < cm->npe; i++)
		free(cm->pe[i].pdesc);
	alloc_free(cm);
	quiet_free(cm);
	icache_free(cm);
	cm->ms->obs = NULL;
	cm->ms->obs_ctx = NULL;
	cm->ms->ram_fast = true;
	memsys_ram_written(cm->ms, cm->ms->ram_base, cm->ms->ram_size);
	free(cm->pe);
	free(cm);
}
