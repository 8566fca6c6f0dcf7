/* Root causes: findings grouped by the maintenance that would remove
 * them (rootcause.h). The patterns follow the architectural facts in
 * docs/boot-cache-maintenance.md "Architectural facts": stage 1 off
 * makes data accesses Device, non-cacheable (Arm ARM DDI 0487 "Behavior
 * when stage 1 address translation is disabled"); a cacheable and a
 * non-cacheable alias are not coherent until maintenance (B2.8
 * "Mismatched memory attributes"); the PoC is where MMU-off accesses see
 * the data, the PoU where instruction fetches do. */
#include <stdlib.h>
#include <string.h>

#include "board/machine.h"
#include "report/rootcause.h"

/* Lines closer than this are one range: maintaining the few lines
 * between two touched ones costs nothing and gives one loop to write. */
#define RC_RANGE_GAP 4096

/* An event of a finding's record and its backtrace. */
struct ref {
	const struct event *e;
	const struct backtrace *bt;
};

static bool store_touches(const struct event *e, uint64_t mask)
{
	return e->kind == EV_STORE && (e->mask & mask);
}

/* The newest store that wrote stale bytes, of the attribute class asked
 * for (any class if any_attr): from the quoted history, else from the
 * search further back (findings.h store[]), else, unless exact, any
 * store of the class in the history (it holds only the last events). */
static struct ref stale_write(const struct finding_rec *r,
			      bool want_cacheable, bool any_attr, bool exact)
{
	struct ref deep = { NULL, NULL };

	for (size_t pass = 0; pass < (exact ? 2 : 3); pass++) {
		if (pass == 1) {
			for (int c = 0; c < 2; c++)
				if ((any_attr || c == want_cacheable) &&
				    r->have_store[c] &&
				    (!deep.e || r->store[c].seq > deep.e->seq))
					deep = (struct ref){ &r->store[c],
							     &r->store_bt[c] };
			if (deep.e)
				return deep;
			continue;
		}
		for (size_t i = r->nhist; i-- > 0;) {
			const struct event *e = &r->hist[i];

			if (e->kind != EV_STORE)
				continue;
			if (!any_attr &&
			    memattr_inner_cacheable(e->attr) != want_cacheable)
				continue;
			if (pass == 0 && !store_touches(e, r->f.stale_mask))
				continue;
			return (struct ref){ e, &r->hist_bt[i] };
		}
	}
	return deep;
}

static struct ref last_enable(const struct finding_rec *r)
{
	for (size_t i = r->nhist; i-- > 0;)
		if (r->hist[i].kind == EV_MMU_ON)
			return (struct ref){ &r->hist[i], &r->hist_bt[i] };
	return (struct ref){ NULL, NULL };
}

/* The cause of one finding, with the write and enable it rests on. */
static enum rc_cause classify(const struct finding_rec *r,
			      struct ref *write, struct ref *enable)
{
	const struct finding *f = &r->f;
	bool cacheable = memattr_inner_cacheable(f->attr);

	*write = (struct ref){ NULL, NULL };
	*enable = (struct ref){ NULL, NULL };
	switch (f->kind) {
	case F_MISSING_BARRIER:
		return RC_BARRIER;
	case F_SET_WAY:
		return RC_SET_WAY;
	case F_BBM:
		return RC_BBM;
	case F_TABLE_LINK:
		return RC_TABLE_LINK;
	case F_NON_SHAREABLE:
		*write = stale_write(r, false, true, false);
		return RC_NON_SHAREABLE;
	default:
		break;
	}
	if (f->stale_copy == COPY_I) {
		*write = stale_write(r, false, true, false);
		/* Code stored around the caches (MMU off): a clean line of
		 * the old code at the PoU refills the I-cache after an IC
		 * alone, and DC CVAU leaves it: the data side needs DC IVAC
		 * too (U-Boot's relocation with its caches off). */
		if (write->e && write->e->kind == EV_STORE &&
		    !memattr_inner_cacheable(write->e->attr))
			return RC_NOT_INVALIDATED;
		return RC_NO_IC;
	}
	if (f->stale_copy == COPY_M) {
		/* Memory is stale: a dirty line may be written back over it,
		 * or the latest data is still in a cache. */
		*write = stale_write(r, true, false, false);
		/* The host (EL2) wrote it, its guest read it: the clean is
		 * the host's, before it maps the page at stage 2. */
		if (write->e && write->e->el == 2 && f->stage2)
			return RC_HOST_NOT_CLEANED;
		if (write->e)
			return RC_NOT_CLEANED;
		*write = stale_write(r, false, true, false);
		return RC_BOOT_DIRTY;
	}
	if ((f->stale_copy == COPY_U || f->stale_copy == COPY_P) && cacheable) {
		/* A cacheable read served an older cached copy: the newest
		 * data went around that cache, by a non-cacheable store (a
		 * cacheable one updates the copy it hits; another PE's
		 * through a Non-shareable mapping is F_NON_SHAREABLE). That
		 * holds when the store is older than every record of it. */
		*write = stale_write(r, false, false, false);
		if (write->e || !stale_write(r, true, false, true).e) {
			*enable = last_enable(r);
			return RC_NOT_INVALIDATED;
		}
	}
	*write = stale_write(r, false, true, false);
	return RC_OTHER;
}

struct member {
	size_t rc;		/* group index */
	uint64_t line;
};

static bool same_group(const struct root_cause *g, enum rc_cause c,
		       enum finding_kind k, const char *detail,
		       const struct event *enable)
{
	if (g->cause != c || g->kind != k)
		return false;
	if (c == RC_BARRIER &&
	    (!g->detail != !detail || (detail && strcmp(g->detail, detail))))
		return false;
	/* A finding without an enable in its history (a walk made by the
	 * enabling ISB itself, before the event is recorded; a history
	 * cut short) joins the group whatever its enable. */
	if (!g->have_enable || !enable)
		return true;
	return g->enable.pc == enable->pc && g->enable.pe == enable->pe;
}

static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	if (x->rc != y->rc)
		return x->rc < y->rc ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_rc(const void *a, const void *b)
{
	const struct root_cause *x = a, *y = b;

	if (x->nfind != y->nfind)
		return x->nfind > y->nfind ? -1 : 1;
	if (x->occurrences != y->occurrences)
		return x->occurrences > y->occurrences ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int add_ranges(struct root_cause *v, struct member *mem, size_t nm)
{
	qsort(mem, nm, sizeof(*mem), cmp_member);
	for (size_t i = 0; i < nm;) {
		struct root_cause *g = &v[mem[i].rc];
		size_t j = i;

		g->ranges = calloc(nm, sizeof(*g->ranges));
		if (!g->ranges)
			return -1;
		for (; j < nm && mem[j].rc == mem[i].rc; j++) {
			struct rc_range *last = g->nranges ?
				&g->ranges[g->nranges - 1] : NULL;
			uint64_t l = mem[j].line;

			if (last && l <= last->hi + RC_RANGE_GAP)
				last->hi = l + 64 > last->hi ? l + 64 : last->hi;
			else
				g->ranges[g->nranges++] = (struct rc_range){ l, l + 64 };
		}
		i = j;
	}
	return 0;
}

size_t rootcauses_build(struct machine *m, struct root_cause **out)
{
	size_t n = findings_count(m), ng = 0, nm = 0;
	struct root_cause *v = n ? calloc(n, sizeof(*v)) : NULL;
	struct member *mem = n ? calloc(n, sizeof(*mem)) : NULL;

	*out = NULL;
	if (!v || !mem)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct finding_rec *r = findings_get(m, i);
		struct ref w, e;
		enum rc_cause c = classify(r, &w, &e);
		size_t g;

		for (g = 0; g < ng; g++)
			if (same_group(&v[g], c, r->f.kind, r->f.detail, e.e))
				break;
		if (g == ng) {
			v[ng++] = (struct root_cause){
				.cause = c, .kind = r->f.kind,
				.detail = c == RC_BARRIER ? r->f.detail : NULL,
				.first = i,
			};
		}
		/* The first member with a known write gives the group's:
		 * the first read's may be older than its records. */
		if (!v[g].have_write && w.e) {
			v[g].have_write = true;
			v[g].write = *w.e;
			v[g].write_bt = *w.bt;
		}
		if (!v[g].have_enable && e.e) {
			v[g].have_enable = true;
			v[g].enable = *e.e;
			v[g].enable_bt = *e.bt;
		}
		v[g].nfind++;
		v[g].occurrences += r->count;
		if (r->f.size && v[g].nlines < RC_LINES) {
			size_t k = 0;

			while (k < v[g].nlines &&
			       (findings_get(m, v[g].line_first[k])->f.pa ^
				r->f.pa) >> 6)
				k++;
			if (k == v[g].nlines)
				v[g].line_first[v[g].nlines++] = i;
		}
		/* Operations without an access (set/way) have no line. */
		if (r->f.size)
			mem[nm++] = (struct member){ g, r->f.pa & ~63ull };
	}
	if (add_ranges(v, mem, nm) < 0)
		goto fail;
	free(mem);
	qsort(v, ng, sizeof(*v), cmp_rc);
	*out = v;
	return ng;
fail:
	rootcauses_free(v, ng);
	free(mem);
	return 0;
}

void rootcauses_free(struct root_cause *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].ranges);
	free(v);
}

const char *rc_cause_name(enum rc_cause c)
{
	static const char *const n[] = {
		[RC_BOOT_DIRTY] = "boot-dirty",
		[RC_NOT_CLEANED] = "not-cleaned",
		[RC_HOST_NOT_CLEANED] = "host-not-cleaned",
		[RC_NOT_INVALIDATED] = "not-invalidated",
		[RC_NO_IC] = "no-ic-invalidate",
		[RC_BARRIER] = "missing-barrier",
		[RC_SET_WAY] = "set-way",
		[RC_BBM] = "break-before-make",
		[RC_TABLE_LINK] = "table-link-before-init",
		[RC_NON_SHAREABLE] = "non-shareable",
		[RC_OTHER] = "other",
	};

	return (unsigned)c < RC_CAUSE_MAX ? n[c] : "?";
}

const char *rc_cause_text(const struct root_cause *rc)
{
	switch (rc->cause) {
	case RC_BOOT_DIRTY:
		return "written and read with the MMU (or data cache) off, "
		       "never invalidated: a line the boot contract lets an "
		       "earlier stage leave dirty may be written back over "
		       "the data";
	case RC_NOT_CLEANED:
		return "written through a cacheable mapping and read "
		       "non-cacheably (MMU or data cache off, or another "
		       "observer) without a clean to the PoC";
	case RC_HOST_NOT_CLEANED:
		return "the host (EL2) wrote guest memory through its "
		       "cacheable mapping and the guest read it non-cacheably "
		       "(stage 1 off) without the host's clean to the PoC";
	case RC_NOT_INVALIDATED:
		return "written non-cacheably (MMU or data cache off) and "
		       "read cacheably without an invalidation: an older "
		       "cached copy may be served";
	case RC_NO_IC:
		return "instructions written and executed without "
		       "invalidating the instruction cache";
	case RC_BARRIER:
		return rc->detail ? rc->detail :
		       "an access depends on an effect not yet completed";
	case RC_SET_WAY:
		return "set/way maintenance used for coherency while other "
		       "PEs run with caches on: it acts on one PE's caches "
		       "only";
	case RC_BBM:
		return "a live translation table entry replaced by one with a "
		       "different output address, attributes or size while "
		       "the old one may still be in a TLB";
	case RC_TABLE_LINK:
		return "a table descriptor linked into live translation "
		       "tables before the stores that initialise the table it "
		       "points to were ordered before it by a barrier: a "
		       "speculative walk may read, and cache, the old contents";
	case RC_NON_SHAREABLE:
		return "data shared between PEs through a Non-shareable "
		       "cacheable mapping: the hardware need not keep their "
		       "copies coherent";
	default:
		return "stale data the other patterns do not explain: see "
		       "the findings (--verbose)";
	}
}

/* The barrier each of the model's missing-barrier details asks for, by
 * the start of the detail (model/pending.c, cachemodel.c, walkorder.c).
 * The rules: a CMO or TLBI is complete only after a DSB of the issuing
 * PE, an IC invalidation's effect on fetches needs a context
 * synchronisation after that DSB (DDI 0487 K.a B2.4.4, D8.13), a system
 * register write is seen by later translations only after an ISB; a
 * walk sees a descriptor store only after a DSB (docs/model.md
 * "Barriers and context synchronisation", "Translation tables and TLB
 * maintenance"). */
static const char *barrier_fix(const char *detail)
{
	static const struct {
		const char *prefix, *fix;
	} fixes[] = {
		{ "no DSB and ISB between IC invalidation",
		  "DSB ISH (NSH for IC IALLU) after the IC invalidation, then "
		  "ISB, before the first fetch of the ranges" },
		{ "no ISB on this PE after another PE's IC",
		  "ISB on this PE after the other PE's IC invalidation and "
		  "DSB ISH, before it executes the ranges" },
		{ "no DSB between cache maintenance",
		  "DSB after the DC by VA over the ranges and before the "
		  "non-cacheable access" },
		{ "no DSB between a TLBI",
		  "DSB (ISH for a broadcast TLBI) after the TLBI, then ISB, "
		  "before the first access through the changed translation" },
		{ "no DSB between a store to a translation table",
		  "DSB ISHST after the descriptor store, then ISB, before the "
		  "access that walks it" },
		{ "no ISB (context synchronisation)",
		  "ISB after the system register write, before the first "
		  "access it translates" },
	};

	for (size_t i = 0; detail && i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (!strncmp(detail, fixes[i].prefix, strlen(fixes[i].prefix)))
			return fixes[i].fix;
	return "the barrier the detail names, between the operation and "
	       "the access";
}

const char *rc_fix_text(const struct root_cause *rc)
{
	bool walk = rc->kind == F_STALE_WALK, fetch = rc->kind == F_STALE_FETCH;

	switch (rc->cause) {
	case RC_BOOT_DIRTY:
		return "DC IVAC over the ranges, then DSB, at entry before "
		       "the first write with the MMU off";
	case RC_NOT_CLEANED:
		return fetch ? "DC CVAU over the ranges, then DSB ISH, after "
			       "the writes and before the IC invalidation" :
		       "DC CVAC (or CIVAC) over the ranges, then DSB, after "
		       "the writes and before the non-cacheable read (before "
		       "the MMU or cache is turned off)";
	case RC_HOST_NOT_CLEANED:
		return "the host: DC CVAC (or CIVAC) over the ranges, then "
		       "DSB, after writing them and before mapping them at "
		       "stage 2 for the guest (or HCR_EL2.DC for a guest "
		       "running with its MMU off)";
	case RC_NOT_INVALIDATED:
		return walk ? "DC IVAC over the tables, then DSB, after "
			      "writing them with the MMU off and before the "
			      "MMU enable" :
		       fetch ? "IC IVAU (and DC IVAC) over the ranges, then "
			       "DSB and ISB, after the writes and before the "
			       "MMU or I-cache enable" :
		       "DC IVAC over the ranges, then DSB, after the writes "
		       "and before the MMU enable";
	case RC_NO_IC:
		return "DC CVAU, DSB ISH, IC IVAU over the ranges, DSB ISH, "
		       "ISB after the writes and before the first execution";
	case RC_BARRIER:
		return barrier_fix(rc->detail);
	case RC_SET_WAY:
		return "maintenance by VA (DC CIVAC over the ranges) instead "
		       "of by set/way";
	case RC_BBM:
		return "break-before-make: store an invalid entry, DSB, TLBI "
		       "covering the address, DSB, then the new entry";
	case RC_TABLE_LINK:
		return "DSB ISHST (a DMB ISHST at least) after initialising "
		       "the new table and before the store of the entry that "
		       "links it in";
	case RC_NON_SHAREABLE:
		return "map the shared data Inner Shareable (SH = 0b11), or "
		       "clean it to the PoC on the writer and invalidate it "
		       "on the reader (DC CVAC, DC IVAC by each PE, then "
		       "DSB) around every exchange";
	default:
		return "none derived: read the findings (--verbose)";
	}
}
