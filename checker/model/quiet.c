/* The data fast paths with the model on (cache.h cache_load_page and
 * cache_store_page, docs/model.md "Making it fast"): which lines of
 * which pages a PE's TLB entries may load from without calling the
 * model, which pages they may store to without translating, and when
 * those decisions end.
 *
 * A PE's TLB entry caches, per line of its page, "a load of this kind
 * (cacheable, non-cacheable) is quiet": line_access would return at
 * once, with no finding and the same set, and nothing around it
 * (cache_note_va's TLBI and system register checks, the pending-DC
 * check of a non-cacheable access) could report. For stores it caches
 * that cache_note_va would check nothing (the store goes to the model
 * as translated before, cache_store_direct), and per line "a store of
 * this kind (non-cacheable, Write-Through) of any bytes keeps the set"
 * (LSF_QUIET_STORE_*): the set is not computed; everything else the
 * store does (history event, cmodx, walk order, I-cache records) is
 * done as on the general path. Write-Back stores are granted no lines:
 * one keeps a chain only when its bytes are the chain's last age's.
 * The decisions hold while the PE's qgen (mem/memsys.h) stays the same.
 * The model bumps it when one of them may no longer hold:
 * - a line it was granted for loses a quiet flag (any change of its
 *   set: access, CMO, reclose, set/way);
 * - a TLBI is issued (until its DSB, accesses are checked against the
 *   translations it removes: pend_check_tlbi);
 * - the PE's first DC by VA since its last DSB, when it holds
 *   non-cacheable grants (pending_cmo_check);
 * - the PE starts.
 * The PE bumps it itself at every write of a system register the
 * model snapshots (pe/cpu.h cpu_ctx_changed), which also changes the
 * access's attributes. Grants are refused while such a write awaits
 * its context synchronisation or a TLBI its DSB.
 *
 * The granted lines are kept per page in a small open-addressed table
 * of the pages granted since the last bump (the bump empties it), so
 * a change of a line nobody was granted costs one probe. */
#include "model/model.h"

#include <stdlib.h>

#define QT_BITS 12
#define QT_SIZE (1u << QT_BITS)

struct qslot {
	uint64_t pg;
	uint64_t lines;         /* granted lines of the page */
	uint32_t epoch;         /* the slot is used iff == table's epoch */
};

struct quiet {
	struct qslot s[QT_SIZE];
	uint32_t epoch;
	unsigned n;
};

/* The flags a grant rests on. */
#define QUIET_DATA (LSF_QUIET_LOAD | LSF_QUIET_NC | LSF_QUIET_NCHIT | \
		    LSF_QUIET_STORE_NC | LSF_QUIET_STORE_WT)

void quiet_init(struct cachemodel *cm)
{
	cm->qt = cm_alloc(cm, sizeof(*cm->qt));
	cm->qt->epoch = 1;
}

void quiet_free(struct cachemodel *cm)
{
	free(cm->qt);
	cm->qt = NULL;
}

static unsigned qhash(uint64_t pg)
{
	return (unsigned)((pg * 0x9e3779b97f4a7c15ull) >> (64 - QT_BITS));
}

static struct qslot *qfind(struct quiet *q, uint64_t pg)
{
	for (unsigned h = qhash(pg);; h = (h + 1) & (QT_SIZE - 1)) {
		struct qslot *s = &q->s[h];

		if (s->epoch != q->epoch)
			return NULL;
		if (s->pg == pg)
			return s;
	}
}

/* Every PE's grants end. */
void quiet_lost(struct cachemodel *cm)
{
	for (unsigned i = 0; i < cm->npe; i++) {
		pe_quiet_changed(cm_pe(cm, i));
		cm->pe[i].qnc = false;
	}
	cm->qt->epoch++;
	cm->qt->n = 0;
}

/* PE c's grants end (its own state changed, not the lines'). */
void quiet_lost_pe(struct cachemodel *cm, struct cpu *c)
{
	pe_quiet_changed(c);
	cm->pe[pe_head(c)->id].qnc = false;
}

static void grant(struct cachemodel *cm, uint64_t pg, uint64_t lines)
{
	struct quiet *q = cm->qt;
	unsigned h;

	if (!lines)
		return;
	for (h = qhash(pg);; h = (h + 1) & (QT_SIZE - 1)) {
		struct qslot *s = &q->s[h];

		if (s->epoch != q->epoch)
			break;
		if (s->pg == pg) {
			s->lines |= lines;
			return;
		}
	}
	/* Half full: start again rather than probe long chains. */
	if (q->n >= QT_SIZE / 2) {
		quiet_lost(cm);
		return;
	}
	q->s[h] = (struct qslot){ pg, lines, q->epoch };
	q->n++;
}

void quiet_line_changed(struct cachemodel *cm, uint64_t pg, unsigned li,
			uint32_t old, uint32_t now)
{
	struct qslot *s;

	if (!cm->qt->n || old == now)
		return;
	s = qfind(cm->qt, pg);
	if (s && ((s->lines >> li) & 1) &&
	    (ls_flags(old) & ~ls_flags(now) & QUIET_DATA))
		quiet_lost(cm);
}

bool quiet_page_granted(const struct cachemodel *cm, uint64_t pg)
{
	return cm->qt->n && qfind(cm->qt, pg);
}

/* The lines of pa's page (every line if page, else pa's) whose set has
 * flag; NULL when the fast path may not serve the kind of access the
 * flag is for (see the top of this file). dc: the access is a
 * non-cacheable one whose check the PE's DCs awaiting a DSB change
 * (pending_cmo_check, not done on the fast path). */
static uint8_t *page_grant(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			   struct memattr attr, bool cacheable, bool dc,
			   uint32_t flag, bool page, uint64_t *lines)
{
	struct pe_model *pe = &cm->pe[pe_head(c)->id];
	uint64_t pg, m = 0;

	*lines = 0;
	if (pa < cm->base || (pa - cm->base) >> 12 >= cm->npages ||
	    cm->ntlbi || (dc && pe->npcmo))
		return NULL;
	pg = (pa - cm->base) >> 12;
	/* Non-shareable private copies are outside the sets (nonshare.c) */
	if ((cacheable && attr.sh == SH_NSH) || bit_get(cm->nspage, pg))
		return NULL;
	if (cm->rclev[pg])
		page_settle(cm, pg);
	if (!page) {
		if (ls_flags(line_id(cm, pg, (pa >> 6) & 63)) & flag)
			m = 1ull << ((pa >> 6) & 63);
	} else if (!cm->lines[pg]) {
		if (ls_flags(cm->pdef[pg]) & flag)
			m = ~0ull;
	} else {
		for (unsigned li = 0; li < LINES_PER_PAGE; li++)
			if (ls_flags(cm->lines[pg][li]) & flag)
				m |= 1ull << li;
	}
	/* the register comparison last: most refusals are lines */
	if (!m || pend_sysreg_differs(cm, c))
		return NULL;
	if (dc)
		pe->qnc = true;
	grant(cm, pg, m);
	/* a full table ended every grant, this one too */
	if (!cm->qt->n)
		return NULL;
	*lines = m;
	return cm->ms->ram + (pg << 12);
}

uint8_t *cache_load_page(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			 struct memattr attr, bool page, uint64_t *lines)
{
	bool cacheable = cm_cacheable(attr);
	uint32_t flag = cacheable ? LSF_QUIET_LOAD : cm->o.nc_may_hit
		? LSF_QUIET_NCHIT : LSF_QUIET_NC;

	return page_grant(cm, c, pa, attr, cacheable, !cacheable, flag, page,
			  lines);
}

uint8_t *cache_store_page(struct cachemodel *cm, struct cpu *c, uint64_t pa,
			  struct memattr attr, bool page, uint64_t *lines)
{
	bool cacheable = cm_cacheable(attr);
	uint64_t pg;

	*lines = 0;
	/* A direct store skips only what cache_note_va checks. */
	if (pa < cm->base || (pa - cm->base) >> 12 >= cm->npages ||
	    cm->ntlbi || pend_sysreg_differs(cm, c))
		return NULL;
	pg = (pa - cm->base) >> 12;
	/* A Write-Back store keeps a chain only when its bytes are those
	 * of the chain's last age (lineset.c chain_store): a property of
	 * the store, not of the line. */
	if (!cacheable || cm_store_wt(attr))
		page_grant(cm, c, pa, attr, cacheable, false,
			   cacheable ? LSF_QUIET_STORE_WT : LSF_QUIET_STORE_NC,
			   page, lines);
	return cm->ms->ram + (pg << 12);
}
