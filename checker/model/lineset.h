/* Interned configuration sets of one 64-byte line and memoised
 * transitions on them (docs/model.md "Components of a line";
 * docs/model.md "Making it fast").
 *
 * A configuration is the state of the data-side copies of a line: U (the
 * caches inside the Point of Unification, every PE's L1D together), P
 * (caches between PoU and PoC) and M (memory at the PoC). Each copy is
 * described by a stale mask: bit i set = byte i differs from the latest
 * value (RAM holds the latest values, so no old data is stored).
 *
 * A line's state is a set of configurations, closed under the background
 * transitions (write-back, eviction, speculative allocation at the line's
 * allocation level). Sets are hash-consed: a state is a 32-bit id; id 0
 * (LS_FRESH) is "every copy fresh and clean". Operations are memoised:
 * (id, op, alloc level, byte mask) -> (id, verdict).
 *
 * A run of cacheable stores from a quiet set is kept symbolic: a store
 * chain (docs/model.md "Store chains"), an id naming (the set before,
 * the store's bytes), with no closure. Operations that need the
 * configurations compute the exact set once. COHERENT_EXACT_CHECK=1
 * computes the exact sets alongside and aborts on any difference. */
#ifndef CACHE_LINESET_H
#define CACHE_LINESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cstate { CS_INV = 0, CS_CLEAN = 1, CS_DIRTY = 2 };

struct lcfg {
	uint64_t u, p, m;       /* stale masks (0 for an Invalid copy) */
	uint8_t us, ps;         /* enum cstate of U and P */
	uint8_t pad[6];         /* zero: configurations are compared as bytes */
};

/* What may allocate the line (docs/model.md "Allocatability"): nothing;
 * the instruction side only (P, through instruction fetches); the data
 * side (U and P). */
enum alloc_level { AL_NONE = 0, AL_P = 1, AL_UP = 2 };

enum ls_op {
	/* reads: verdict says whether the served copy may be stale */
	LS_LOAD_C,      /* cacheable load or walk: U, else P, else M */
	LS_LOAD_NC,     /* non-cacheable/Device load or walk: M */
	LS_LOAD_NCHIT,  /* --nc-may-hit: any valid U or P, or M */
	LS_FETCH_C,     /* cacheable fetch from the PoU view: P, else M */
	/* writes */
	LS_STORE_C,
	LS_STORE_NC,
	LS_STORE_WT,    /* Write-Through at both levels: every copy and M */
	/* maintenance by VA (Arm ARM D7.4 "Cache support", C5.3) */
	LS_CVAU, LS_CVAC, LS_CIVAC, LS_IVAC,
	/* set/way on the issuing PE's level-1 caches (U) or outer ones (P) */
	LS_CSW_U, LS_CISW_U, LS_ISW_U, LS_CSW_P, LS_CISW_P, LS_ISW_P,
	/* nothing but the closure at the given level */
	LS_CLOSE,
	/* LS_STORE_C whose result id equals the input id iff the set did
	 * not change (a store chain's id always changes: it is not compared
	 * with the set before). For callers that act on a change of the set
	 * (an I-cache refill). */
	LS_STORE_CX,
	LS_NOPS
};

enum copy { CP_U, CP_P, CP_M, CP_NONE };

enum verdict { V_FRESH = 0, V_MAY = 1, V_ALWAYS = 2 };

struct ls_result {
	uint32_t id;            /* the state after the operation */
	uint8_t verdict;        /* enum verdict, reads only */
	uint8_t copy;           /* enum copy that served stale bytes */
	uint64_t stale;         /* bytes that may be read stale */
};

#define LS_FRESH 0u             /* {U,P in {Invalid, Clean fresh}, M fresh} */

/* Per-set properties, computed at interning. */
#define LSF_QUIET_LOAD  1u      /* cacheable load: no finding, same id */
#define LSF_QUIET_FETCH 2u      /* cacheable fetch: likewise */
#define LSF_QUIET_NC    4u      /* non-cacheable load: likewise */
#define LSF_QUIET_NCHIT 8u      /* non-cacheable load, --nc-may-hit */
/* A store of any bytes keeps every configuration (none is a chain). */
#define LSF_QUIET_STORE_NC 16u  /* non-cacheable or Device store */
#define LSF_QUIET_STORE_WT 32u  /* Write-Through store */

void ls_init(void);
/* Apply op on bytes mask of a line in state id at allocation level al. */
struct ls_result ls_apply(uint32_t id, enum ls_op op, uint64_t mask,
			  enum alloc_level al);
static inline uint32_t ls_step(uint32_t id, enum ls_op op, uint64_t mask,
			       enum alloc_level al)
{
	return ls_apply(id, op, mask, al).id;
}
/* Intern the closure (at level al) of an explicit list of configurations. */
uint32_t ls_make(const struct lcfg *c, size_t n, enum alloc_level al);
uint32_t ls_flags(uint32_t id);
/* Union of the PoU-view masks (P if valid, else M) over the set: what an
 * instruction cache allocating now may copy. */
uint64_t ls_pou_union(uint32_t id);
/* STALE_COPY bits (model/sink.h) of U, P and M: which may be stale in
 * some configuration of the set. */
unsigned ls_stale_copies(uint32_t id);
/* Read access to a set (tests, reports). */
size_t ls_size(uint32_t id);
const struct lcfg *ls_cfgs(uint32_t id);
/* Collect the sets nothing refers to: ls_gc_begin, ls_gc_mark on every
 * id still held (LS_FRESH is always kept), ls_gc_end. Ids not marked
 * are then invalid and may be reused. keep_recent: also keep the sets
 * operations produced since the last collection. */
void ls_gc_begin(bool keep_recent);
void ls_gc_mark(uint32_t id);
void ls_gc_end(void);
/* The collection policy (lineset.c): when the sets have outgrown the
 * budget, collect, calling roots(arg) to ls_gc_mark every id still held.
 * Called after every operation that may create sets. */
typedef void ls_roots_fn(void *arg);
void ls_gc_maybe(ls_roots_fn *roots, void *arg);
unsigned long ls_gc_runs(void);        /* collections so far (tests) */
/* Raise the budget's floor to bytes (never lowers it: the sets are
 * shared by every model). */
void ls_gc_floor(size_t bytes);
/* Bytes of memory the sets and memo tables use (for the bench). */
size_t ls_bytes(void);
size_t ls_count(void);         /* sets alive */
/* The exactness check (COHERENT_EXACT_CHECK=1 at ls_init): tests turn it
 * on and off. Chains created, exact sets computed for them (tests). */
void ls_set_exact_check(bool on);
bool ls_exact_check(void);
unsigned long ls_chains_made(void);
unsigned long ls_chains_expanded(void);

#endif
