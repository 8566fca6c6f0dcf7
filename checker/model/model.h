/* Internal state of the cache model, shared by the files of checker/model/.
 *   lineset.c   configuration sets, transitions, memo (pure)
 *   cachemodel.c per-line states, the hooks, findings
 *   alloc.c     allocatability from live translations of every PE
 *   icache.c    per-PE instruction caches
 *   pending.c   effects pending until DSB / ISB (missing-barrier)
 *   cmodx.c     concurrent modification: the words whose stale values
 *               are all on the Arm ARM's list
 *   contract.c  the boot contracts
 *   nonshare.c  Non-shareable memory: each PE's private copies
 *   quiet.c     the data-load fast path's grants */
#ifndef CACHE_MODEL_H
#define CACHE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "model/cache.h"
#include "model/lineset.h"
#include "model/sink.h"

#define LINE 64ull
#define LINES_PER_PAGE 64u

/* A leaf translation found by walking a PE's tables: live while in the
 * tables, and after it left them until a covering TLBI completed (D8.13
 * "TLB maintenance requirements": entries may be cached until then). */
struct leaf {
	uint64_t va, pa, size;
	uint16_t asid;
	uint16_t vmid;          /* EL1&0 with stage 2 on: VMID + 1, else 0 */
	uint8_t regime, global, flags;
	uint8_t attr, sh;       /* MAIR byte and shareability */
	/* Not part of the translation (leaf_cmp ignores them): the
	 * descriptor it came from, for reports, and, once stale, when it
	 * left the tables (a TLBI issued before that cannot remove it). */
	uint64_t dpa;
	uint64_t born;
};
#define LF_C 1          /* Normal, inner or outer cacheable */
#define LF_X 2          /* executable at some EL of the regime */
#define LF_S2 4         /* a stage 2 leaf: va is the IPA */

struct leafvec {
	struct leaf *v;
	size_t n, cap;
};

/* System registers whose writes need context synchronisation (D19
 * "Synchronization requirements for AArch64 System registers"). */
enum snap_reg { SN_SCTLR1, SN_SCTLR2, SN_TTBR0_1, SN_TTBR1_1, SN_TCR1,
		SN_MAIR1, SN_TTBR0_2, SN_TCR2, SN_MAIR2, SN_HCR, SN_VTTBR,
		SN_VTCR, SN_N };

struct prange { uint64_t lo, hi; };     /* [lo, hi) line addresses */
#define MAX_PRANGE 32

struct ptlbi {
	uint8_t regime, scope, bcast;
	uint16_t asid;
	uint64_t va;
	uint64_t tick;          /* cm->tick when issued */
};

/* A store to a descriptor of a live table, not yet completed by a DSB
 * of the storing PE: until then a walk may read the old value. */
struct pdesc { uint64_t pa, old; };
#define MAX_PDESC 4096

/* A page the PE's fetch cache (pe/access.c, with its victims) may
 * serve without the model, direct-mapped by page: live while gen is the
 * PE's ctx_gen (any bump ends every page the fetch cache holds). */
#define FETCH_SLOTS 256
struct fetch_slot {
	uint64_t pg;                    /* ~0: none */
	uint64_t gen;
	uint32_t flags;                 /* LSF_QUIET_* its fetches need */
};

struct pe_model {
	/* values at the last context synchronisation event */
	uint64_t snap[SN_N];
	unsigned snap_el;
	bool ctx_reported;              /* one finding per unsynchronised write */
	/* CMOs issued and not yet completed by a DSB; IC invalidations not
	 * yet followed by DSB and ISB */
	struct prange pcmo[MAX_PRANGE];
	unsigned npcmo;
	struct prange pic[MAX_PRANGE];
	unsigned npic;
	bool pic_dsb;                   /* pic completed, waiting for ISB */
	bool pic_more;                  /* more lines than pic holds: irec.icpend */
	/* Another PE's IC invalidation dropped a stale copy from this PE's
	 * I-cache (irec.xpend): until its own context synchronisation
	 * after the issuers' DSBs (xwait: issuers not yet at theirs), it
	 * may still run what it fetched before (icache.c). */
	bool xany;
	uint64_t xwait;
	struct ptlbi *ptlbi;
	size_t nptlbi, capptlbi;
	bool tlbi_reported;             /* one finding per TLBI window */
	/* descriptor stores awaiting this PE's DSB; past MAX_PDESC the
	 * page-granular check below stands in (pdesc_over) */
	struct pdesc *pdesc;
	unsigned npdesc, cappdesc;
	bool pdesc_over;
	uint64_t dsb_clock;             /* cm->clock at its last DSB */
	uint64_t dmb_clock;             /* at its last DMB or DSB ordering stores */
	/* allocatability (alloc.c) */
	bool rewalk, rebits;
	uint64_t *dbits, *ibits, *iever; /* per RAM page */
	uint64_t win;                   /* MMU-off I=1 window: first page, or ~0 */
	/* fetch fast path: pages the PE may fetch from without the model */
	struct fetch_slot fslot[FETCH_SLOTS];
	uint64_t va;                    /* VA of the current data access */
	bool qnc;                       /* holds non-cacheable load grants (quiet.c) */
};

/* One line's instruction-cache state for every PE (icache.c). */
struct irec {
	uint64_t pa;
	uint64_t present, absent;       /* explicit, per PE bit */
	uint64_t icpend;                /* per PE bit: pending IC of a stale copy (pic_more) */
	uint64_t xpend;                 /* per PE bit: another PE's IC dropped its stale copy */
	uint64_t mask[];                /* per PE: stale bytes if present */
};

/* A page's records by line: one probe finds all of them (a fetch of a
 * new page looks at every line, cache_fetch_page). */
struct irec_page {
	uint64_t pg;
	struct irec *r[64];
};

struct cachemodel {
	struct memsys *ms;              /* the memory system it observes */
	struct cpu *cpu;                /* the PEs: cm_pe(cm, 0..npe) */
	size_t pe_size;
	unsigned npe;
	struct cache_opts o;            /* o.sink: where findings go */
	uint64_t base, npages, nwords;
	uint32_t **lines;               /* per page: NULL = every line pdef */
	uint32_t *pdef;
	uint8_t *dcount, *icount;       /* PEs allocating the page, data / inst */
	uint8_t *rclev;                 /* per page: reclose pending at this level */
	uint64_t *tpage;                /* pages read as tables by the walker */
	uint64_t *fetchpg;              /* pages some PE fast-fetches from */
	uint64_t *ipage;                /* pages with instruction-cache records */
	/* per 64 pages, made at their first store: their last stores, for
	 * the walk-ordering checks (walkorder.c) */
	struct wo_page **wopg;
	uint64_t clock;                 /* ticks at every store and DSB */
	uint64_t tick;                  /* ticks at every TLBI and table re-read */
	unsigned ntlbi;                 /* PEs with a TLBI awaiting its DSB */
	struct cpu *actor;              /* the PE of the hook being run */
	/* tables linked into live tables since the last re-read of the
	 * tables (not yet in any PE's copy), and their levels */
	uint64_t newtab[16];
	uint8_t newlvl[16];
	unsigned nnewtab;
	uint64_t *tmpd, *tmpi;
	struct pe_model *pe;
	struct irec **itab;
	size_t icap, in;
	struct irec_page **iptab;       /* the same records by page, for lookups */
	size_t ipcap, ipn;
	struct quiet *qt;               /* quiet.c's granted lines */
	uint64_t stores_kept;           /* stores not computed (tests) */
	struct cmodx_rec *ctab;         /* cmodx.c's words, open addressing */
	size_t ccap, cn;
	uint64_t *cpage;                /* pages with cmodx records */
	struct nsrec **nstab;           /* nonshare.c's lines, open addressing */
	size_t nscap, nsn;
	uint64_t *nspage;               /* pages with nonshare.c records */
	bool quiet;                     /* model's own walks: no modelling */
	bool any_rewalk;
	struct alloc_state *alloc;      /* alloc.c's tables and counters */
	uint64_t trace_line;            /* COHERENT_TRACE_LINE, or ~0 */
	size_t bytes;                   /* this model's own (per-RAM) allocations */
	size_t peak;                    /* highest bytes + ls_bytes() seen */
	uint64_t seq;
	struct cachemodel *next;        /* every attached model (set GC roots) */
};

static inline enum alloc_level page_level(const struct cachemodel *cm,
					  uint64_t pg)
{
	return cm->dcount[pg] ? AL_UP : cm->icount[pg] ? AL_P : AL_NONE;
}

static inline bool bit_get(const uint64_t *b, uint64_t i)
{
	return (b[i >> 6] >> (i & 63)) & 1;
}
static inline void bit_set(uint64_t *b, uint64_t i)
{
	b[i >> 6] |= 1ull << (i & 63);
}

void page_settle(struct cachemodel *cm, uint64_t pg);

/* A line's set, after its page's pending reclose (page_reclose). */
static inline uint32_t line_id(struct cachemodel *cm, uint64_t pg,
			       unsigned li)
{
	if (cm->rclev[pg])
		page_settle(cm, pg);
	return cm->lines[pg] ? cm->lines[pg][li] : cm->pdef[pg];
}

/* cachemodel.c */
void *cm_alloc(struct cachemodel *cm, size_t n);
void line_set(struct cachemodel *cm, uint64_t pg, unsigned li, uint32_t id);
void page_touched(struct cachemodel *cm, uint64_t pg);
void page_reclose(struct cachemodel *cm, uint64_t pg, enum alloc_level al);
void cm_event(struct cachemodel *cm, struct cpu *c, enum event_kind k,
	      uint64_t pa, uint32_t detail, uint64_t mask, struct memattr a);
void cm_finding(struct cachemodel *cm, struct cpu *c, enum finding_kind k,
		bool always, uint64_t va, uint64_t pa, unsigned size,
		enum mem_kind acc, struct memattr attr, enum copy_id cp,
		uint64_t smask, const char *detail);

/* alloc.c */
void alloc_init(struct cachemodel *cm);
void alloc_free(struct cachemodel *cm);
void alloc_sync(struct cachemodel *cm);
void alloc_pe_reset(struct cachemodel *cm, struct cpu *c);
void alloc_tlbi_complete(struct cachemodel *cm, struct cpu *c);
void alloc_fetch_window(struct cachemodel *cm, struct cpu *c, uint64_t pg);
/* A store to line lpa of a page the walker read as a table; seen: by a
 * PE the model follows (the walk is redone at the next synchronisation
 * point), else only noted for then. */
void alloc_table_store(struct cachemodel *cm, uint64_t lpa, bool seen);
/* Does the incremental state match a walk from scratch (tests)? */
bool alloc_check(struct cachemodel *cm);

/* icache.c */
struct irec *irec_get(struct cachemodel *cm, uint64_t lpa, bool create);
/* The lines of page pg whose record gives PE p stale bytes. */
uint64_t icache_stale_lines(struct cachemodel *cm, uint64_t pg, unsigned p);
bool icache_present(struct cachemodel *cm, unsigned p, uint64_t pg,
		    const struct irec *r);
void icache_store(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
		  uint64_t mask);
void icache_refill(struct cachemodel *cm, uint64_t lpa, uint64_t pg,
		   uint32_t id);
void icache_inval_line(struct cachemodel *cm, uint64_t lpa);
void icache_inval_all(struct cachemodel *cm, unsigned p);
void icache_page_allocatable(struct cachemodel *cm, unsigned p, uint64_t pg);
void icache_free(struct cachemodel *cm);
/* Another PE's invalidation (PE from) of r's line, before it is applied;
 * the same for every line (IC IALLUIS); from's DSB; a PE's context
 * synchronisation; may PE p's fetch of lpa run what it fetched before? */
void icache_cross_inval(struct cachemodel *cm, unsigned from, struct irec *r);
void icache_cross_inval_all(struct cachemodel *cm, unsigned from);
void icache_cross_dsb(struct cachemodel *cm, unsigned from);
void icache_cross_sync(struct cachemodel *cm, unsigned p);
bool icache_cross_pending(struct cachemodel *cm, unsigned p, uint64_t lpa);

/* pending.c */
void pend_snapshot(struct cachemodel *cm, struct cpu *c);
bool pend_sysreg_differs(struct cachemodel *cm, struct cpu *c);
void pend_check_ctx(struct cachemodel *cm, struct cpu *c, uint64_t va,
		    enum mmu_acc acc, enum mem_kind kind);
void pend_add(struct prange *r, unsigned *n, uint64_t lpa);
bool pend_has(const struct prange *r, unsigned n, uint64_t lpa);
bool icache_line_stale(struct cachemodel *cm, uint64_t lpa);
void icache_pend(struct pe_model *pe, unsigned p, struct irec *r);
void icache_mark_stale(struct cachemodel *cm, struct pe_model *pe, unsigned p,
		       int whose);
bool icache_pending(struct cachemodel *cm, struct pe_model *pe, unsigned p,
		    uint64_t lpa);
void icache_pending_done(struct cachemodel *cm, struct pe_model *pe, unsigned p);
void pend_tlbi(struct cachemodel *cm, struct cpu *c, enum regime r,
	       enum tlbi_scope s, uint64_t va, uint16_t asid, bool bcast);

/* cmodx.c */
bool cmodx_listed(uint32_t insn);
/* A store of size bytes at pa, buf over ram (RAM at pa, not yet written). */
void cmodx_store_bytes(struct cachemodel *cm, uint64_t pa, unsigned size,
		       const uint8_t *ram, const uint8_t *buf);
/* A store the model does not follow (no PE: a device): the words it
 * touches lose their records. */
void cmodx_unseen_store(struct cachemodel *cm, uint64_t pa, unsigned size);
/* May a possibly stale fetch of size bytes at pa (cacheable or not),
 * now holding now, be a note instead of a finding? *first: the value the
 * word held when its record began (an instruction before the
 * modification). */
bool cmodx_allows(struct cachemodel *cm, uint64_t pa, unsigned size,
		  bool cacheable, uint32_t now, uint32_t *first);
void cmodx_free(struct cachemodel *cm);

/* walkorder.c: stores to tables and walks that read them before a DSB */
void wo_free(struct cachemodel *cm);
void wo_store(struct cachemodel *cm, struct cpu *c, uint64_t pa,
	      unsigned size, struct memattr attr, const uint8_t *old,
	      const uint8_t *now);
void wo_walk(struct cachemodel *cm, struct cpu *c, uint64_t va, uint64_t pa,
	     struct memattr attr);
void wo_dsb(struct cachemodel *cm, struct cpu *c);
void wo_dmb(struct cachemodel *cm, struct cpu *c);
/* The level of the live table holding pa in some PE's tables, or -1. */
int alloc_table_level(struct cachemodel *cm, uint64_t pa);
/* A live translation of c for va that a TLBI awaiting its DSB removes
 * (alloc.c): true and *l set when there is one. */
bool alloc_tlbi_dying(struct cachemodel *cm, struct cpu *c, uint64_t va,
		      struct leaf *l);
void pend_check_tlbi(struct cachemodel *cm, struct cpu *c, uint64_t va,
		     enum mmu_acc acc, enum mem_kind kind);

/* nonshare.c: Non-shareable private copies of each PE */
bool ns_attr(struct memattr a);
/* A load or store of bytes mask of line lpa (reported: the configuration
 * sets already gave this read a finding). */
void ns_access(struct cachemodel *cm, struct cpu *c, uint64_t lpa,
	       uint64_t mask, enum mem_kind kind, bool cacheable,
	       bool reported, uint64_t va, uint64_t pa, unsigned size,
	       struct memattr attr);
void ns_cmo(struct cachemodel *cm, struct cpu *c, enum cmo_op op,
	    uint64_t lpa, struct memattr attr);
void ns_free(struct cachemodel *cm);

/* quiet.c: the data fast paths (cache_load_page, cache_store_page) */
void quiet_init(struct cachemodel *cm);
void quiet_free(struct cachemodel *cm);
/* Every PE's grants end; PE c's grants end. */
void quiet_lost(struct cachemodel *cm);
void quiet_lost_pe(struct cachemodel *cm, struct cpu *c);
/* Line li of page pg goes from set old to set now. */
void quiet_line_changed(struct cachemodel *cm, uint64_t pg, unsigned li,
			uint32_t old, uint32_t now);
/* Was some line of page pg granted since the last bump? */
bool quiet_page_granted(const struct cachemodel *cm, uint64_t pg);

/* Write-Back at neither cache level: a cacheable store reaches memory
 * (cachemodel.c). */
bool cm_store_wt(struct memattr a);

/* Cacheable at either level (the fast paths and the model agree). */
static inline bool cm_cacheable(struct memattr a)
{
	return memattr_inner_cacheable(a) || memattr_outer_cacheable(a);
}

/* contract.c */
void contract_apply(struct cachemodel *cm, const struct cache_env *e);

/* PE i: struct cpu is opaque to the model (its head is mem/memsys.h
 * struct pe_head), so the stride comes from the board. */
static inline struct cpu *cm_pe(const struct cachemodel *cm, unsigned i)
{
	return (struct cpu *)(void *)((char *)cm->cpu + (size_t)i * cm->pe_size);
}

#endif
