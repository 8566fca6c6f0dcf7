/* The PE's memory interface (cpu.h): data loads and stores, exclusives,
 * instruction fetch. Each access is translated (mmu.c), checked for
 * alignment (Arm ARM B2.5 "Alignment support") and then performed by
 * memsys_access(), except on the RAM fast path described in memsys.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/cache.h"
#include "pe/debug.h"
#include "pe/exception.h"
#include "mem/memsys.h"
#include "pe/mmu.h"

/* ---- Exclusive monitors (B2.9 "Synchronization and semaphores") ----
 * Reservation granule: 64 bytes (CTR_EL0.ERG = 4). */
#define ERG_MASK (~63ull)

void mem_clrex(struct cpu *c)
{
	if (c->excl_valid && c->plat && c->plat->excl_holders)
		c->plat->excl_holders--;
	c->excl_valid = false;
}

static void excl_mark(struct cpu *c, uint64_t pa)
{
	c->excl_marks++;
	if (!c->excl_valid)
		c->plat->excl_holders++;
	c->excl_valid = true;
	c->excl_pa = pa & ERG_MASK;
}

/* A store to a granule clears the other PEs' reservations on it (the
 * global monitor). */
static void excl_store(struct cpu *c, uint64_t pa, unsigned size)
{
	const struct pe_platform *p = c->plat;

	for (unsigned i = 0; i < p->npe; i++) {
		struct cpu *o = &p->pe[i];

		if (o != c && o->excl_valid &&
		    (o->excl_pa == (pa & ERG_MASK) ||
		     o->excl_pa == ((pa + size - 1) & ERG_MASK))) {
			/* Clearing a global monitor is a WFE wake-up event. */
			mem_clrex(o);
			o->event = true;
		}
	}
}

/* Stage 1 disabled or Normal with SCTLR.C = 0: data accesses are
 * Non-cacheable (D8.2.11); the TLB keeps the descriptor's attributes. */
static struct memattr data_attr(struct cpu *c, struct memattr a)
{
	uint64_t sctlr = c->el == 2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;

	if (a.s1 && !memattr_is_device(a) && !(sctlr & SCTLR_C))
		a.mair = MAIR_NORMAL_NC;
	return a;
}

static inline struct tlb_entry *tlb_hit(struct cpu *c, uint64_t va);

/* After a load through the model: the lines of the TLB entry's page it
 * lets the fast path serve until the PE's qgen changes (model/quiet.c). */
static void load_grant(struct cpu *c, uint64_t va, const struct translation *t)
{
	struct tlb_entry *e = tlb_hit(c, va);
	uint64_t lines;
	uint8_t *h;
	bool stale;

	if (!e || e->ppage != (t->pa & ~0xfffull))
		return;
	stale = e->qgen != c->qgen;
	h = cache_load_page(c->plat->model, c, t->pa, data_attr(c, t->attr),
			    stale, &lines);
	if (!h)
		return;
	e->qhost = h;
	e->qmask = stale ? lines : e->qmask | lines;
	if (stale) {
		e->smask = 0;
		e->spage = false;
	}
	e->qgen = c->qgen;
}

/* After a store through the model: the TLB entry's later stores may go
 * to the model directly until the PE's qgen changes (model/quiet.c). */
static void store_grant(struct cpu *c, uint64_t va, const struct translation *t)
{
	struct tlb_entry *e = tlb_hit(c, va);
	struct memattr a = data_attr(c, t->attr);
	uint64_t lines;
	uint8_t *h;

	if (!e || e->ppage != (t->pa & ~0xfffull))
		return;
	h = cache_store_page(c->plat->model, c, t->pa, a,
			     e->qgen != c->qgen || !e->spage, &lines);
	if (!h)
		return;
	/* qgen as it is now: the grant itself may have ended every grant
	 * (a full table) and still let the page take direct stores */
	if (e->qgen != c->qgen)
		e->qmask = 0;
	e->smask = e->qgen != c->qgen || !e->spage ? lines : e->smask | lines;
	e->qhost = h;
	e->spage = true;
	e->sattr = a;
	e->qgen = c->qgen;
}

/* The general path: any size, alignment and flags. */
static bool access_slow(struct cpu *c, uint64_t va, unsigned size,
			uint8_t *buf, unsigned flags, bool store)
{
	uint64_t sctlr = c->el == 2 ? c->sys.sctlr_el2 : c->sys.sctlr_el1;
	unsigned el_perm = ((flags & ACC_UNPRIV) && c->el == 1) ? 0 : c->el;
	enum mmu_acc acc = store ? MMU_WRITE : MMU_READ;
	bool unaligned = (va & (size - 1)) != 0;
	bool model = c->plat->ops->model_on(c);
	struct translation t[2];
	unsigned n[2], parts = 1;

	/* Exclusives, atomics and acquire/release need natural alignment
	 * without FEAT_LSE2; SCTLR.A makes every access checked. */
	if (unaligned && ((flags & (ACC_EXCL | ACC_ATOMIC | ACC_ACQREL)) ||
			  (sctlr & SCTLR_A))) {
		exc_data_abort(c, va, FSC_ALIGNMENT, store, false);
		return false;
	}
	if (model)
		cache_note_va(c->plat->model, c, va, acc);
	n[0] = size;
	if ((va & 0xfff) + size > 0x1000) {
		n[0] = 0x1000 - (va & 0xfff);
		n[1] = size - n[0];
		parts = 2;
	}
	for (unsigned i = 0; i < parts; i++) {
		uint64_t a = i ? va + n[0] : va;

		if (!mmu_translate(c, a, acc, el_perm, &t[i])) {
			exc_data_abort(c, a, t[i].fsc, store, false);
			return false;
		}
		/* Unaligned accesses to Device memory fault (B2.5.2). */
		if (unaligned && memattr_is_device(t[i].attr)) {
			exc_data_abort(c, va, FSC_ALIGNMENT, store, false);
			return false;
		}
	}
	/* Watchpoints come after the translation faults (the pseudocode
	 * checks debug only on a translation without fault). */
	if (c->dbg_wp && !dbg_check_wp(c, va, size, store, el_perm))
		return false;
	for (unsigned i = 0; i < parts; i++) {
		uint8_t *p = buf + (i ? n[0] : 0);

		if (memsys_access(c->plat->mem, c, t[i].pa, n[i],
				  store ? MK_STORE : MK_LOAD,
				  data_attr(c, t[i].attr), p) != MEM_OK) {
			exc_data_abort(c, i ? va + n[0] : va, FSC_EXT_ABORT,
				       store, false);
			return false;
		}
		if (store && c->plat->excl_holders)
			excl_store(c, t[i].pa, n[i]);
	}
	if ((flags & ACC_EXCL) && !store)
		excl_mark(c, t[0].pa);
	if (model && parts == 1) {
		if (store)
			store_grant(c, va, &t[0]);
		else
			load_grant(c, va, &t[0]);
	}
	return true;
}

/* TLB hit for the current regime and ASID, or NULL. */
static inline struct tlb_entry *tlb_hit(struct cpu *c, uint64_t va)
{
	struct tlb_entry *e = &c->tlb->e[tlb_index(va)];

	if (e->vpage == (va & ~0xfffull) && e->regime == (c->el >> 1) &&
	    (e->global || e->asid == c->asid))
		return e;
	return NULL;
}

/* A store access_slow would translate to the entry's page (an aligned
 * one: within one line) and hand to the model. */
static void store_direct(struct cpu *c, struct tlb_entry *e, uint64_t va,
			 unsigned size, void *buf)
{
	uint64_t pa = e->ppage | (va & 0xfff);

	/* COHERENT_EXACT_CHECK: the translation access_slow would make */
	if (cache_exact_check()) {
		struct translation t;
		struct memattr a;

		if (!mmu_translate(c, va, MMU_WRITE, c->el, &t) || t.pa != pa ||
		    (a = data_attr(c, t.attr)).mair != e->sattr.mair ||
		    a.sh != e->sattr.sh || a.s1 != e->sattr.s1) {
			fprintf(stderr, "coherent: COHERENT_EXACT_CHECK: a "
				"direct store at %#llx differs from its "
				"translation\n", (unsigned long long)va);
			abort();
		}
	}
	memsys_stats.access[MK_STORE]++;
	cache_store_direct(c->plat->model, c, va, pa, size, e->sattr, buf,
			   (e->smask >> ((va >> 6) & 63)) & 1);
	if (c->plat->excl_holders)
		excl_store(c, pa, size);
}

#define FAST_FLAGS_OK(f) (!((f) & (ACC_EXCL | ACC_UNPRIV)))
/* An armed watchpoint sends every access to access_slow, which checks. */
#define FAST_OK(c, va, size, f) \
	(!((va) & ((size) - 1)) && FAST_FLAGS_OK(f) && !(c)->dbg_wp)

bool mem_read(struct cpu *c, uint64_t va, unsigned size, __uint128_t *out,
	      unsigned flags)
{
	struct tlb_entry *e;
	unsigned need = c->el ? PERM_R1 : PERM_R0;

	*out = 0;
	if (__builtin_expect(FAST_OK(c, va, size, flags), 1) &&
	    (e = tlb_hit(c, va)) && (e->perm & need)) {
		if (e->host) {
			memcpy(out, e->host + (va & 0xfff), size);
			return true;
		}
		/* a line the cache model let pass (load_grant) */
		if (((e->qmask >> ((va >> 6) & 63)) & 1) && e->qgen == c->qgen) {
			memcpy(out, e->qhost + (va & 0xfff), size);
			return true;
		}
	}
	return access_slow(c, va, size, (uint8_t *)out, flags, false);
}

bool mem_write(struct cpu *c, uint64_t va, unsigned size, __uint128_t val,
	       unsigned flags)
{
	struct tlb_entry *e;
	unsigned need = c->el ? PERM_W1 : PERM_W0;

	if (__builtin_expect(FAST_OK(c, va, size, flags), 1) &&
	    (e = tlb_hit(c, va)) && (e->perm & need)) {
		if (e->host) {
			memcpy(e->host + (va & 0xfff), &val, size);
			if (c->plat->excl_holders)
				excl_store(c, e->ppage | (va & 0xfff), size);
			return true;
		}
		/* a page the cache model let pass (store_grant) */
		if (e->spage && e->qgen == c->qgen) {
			store_direct(c, e, va, size, &val);
			return true;
		}
	}
	return access_slow(c, va, size, (uint8_t *)&val, flags, true);
}

bool mem_write_excl(struct cpu *c, uint64_t va, unsigned size,
		    __uint128_t val, uint32_t *status)
{
	struct translation t;
	unsigned el = c->el;

	/* Alignment and translation faults are taken whether or not the
	 * monitor would let the store happen. */
	if (va & (size - 1)) {
		exc_data_abort(c, va, FSC_ALIGNMENT, true, false);
		return false;
	}
	if (!mmu_translate(c, va, MMU_WRITE, el, &t)) {
		exc_data_abort(c, va, t.fsc, true, false);
		return false;
	}
	if (!c->excl_valid || c->excl_pa != (t.pa & ERG_MASK)) {
		mem_clrex(c);
		*status = 1;
		return true;
	}
	mem_clrex(c);
	if (!access_slow(c, va, size, (uint8_t *)&val, ACC_EXCL, true))
		return false;
	*status = 0;
	return true;
}

/* The fetch cache's page is left for another: keep it among the
 * victims while it is valid. */
static void fetch_keep(struct cpu *c)
{
	if (c->fetch.host && c->fetch.gen == c->ctx_gen)
		c->fvict[(c->fetch.vpage >> 12) % FETCH_VICTIMS] = c->fetch;
}

/* A fetch from a page the fetch cache left, translated again (the walk,
 * if the TLB lost it, is the memory system's as for any fetch) to the
 * same page and attributes, in the same context and EL, of a line it
 * served: what made that line's fetches skip the memory system's hooks
 * still holds (the model bumps ctx_gen, or ends the page, on any change
 * that could change their verdict), so the page becomes the fetch
 * cache's again. Not with the cache model and stage 1 off: there the
 * model's fetch hook moves the PE's instruction-allocation window with
 * the PC (docs/model.md "Allocatability"). */
static bool fetch_revisit(struct cpu *c, uint64_t pc,
			  const struct translation *t, uint32_t *insn)
{
	struct fetch_cache *v = &c->fvict[(pc >> 12) % FETCH_VICTIMS], f;

	if (v->vpage != (pc & ~0xfffull) || !v->host || v->gen != c->ctx_gen ||
	    v->el != c->el || !((v->lines >> ((pc >> 6) & 63)) & 1) ||
	    v->ppage != (t->pa & ~0xfffull) || v->attr.mair != t->attr.mair ||
	    v->attr.sh != t->attr.sh || v->attr.s1 != t->attr.s1 ||
	    (!t->attr.s1 && c->plat->ops->model_on(c)) || c->plat->trace ||
	    c->dbg_bp)
		return false;
	f = *v;
	v->host = NULL;
	fetch_keep(c);
	c->fetch = f;
	memcpy(insn, f.host + (pc & 0xfff), 4);
	return true;
}

static bool fetch_slow(struct cpu *c, uint32_t *insn)
{
	bool model = c->plat->ops->model_on(c);
	struct translation t;
	uint64_t pc = c->pc;
	uint64_t lines = ~0ull;

	if (c->pstate_il) {
		exc_illegal_state(c);
		return false;
	}
	if (pc & 3) {
		exc_pc_align(c);
		return false;
	}
	if (model)
		cache_note_va(c->plat->model, c, pc, MMU_EXEC);
	if (!mmu_translate(c, pc, MMU_EXEC, c->el, &t)) {
		exc_insn_abort(c, pc, t.fsc);
		return false;
	}
	/* Breakpoints, likewise after the translation faults. */
	if (c->dbg_bp && !dbg_check_bp(c))
		return false;
	if (fetch_revisit(c, pc, &t, insn))
		return true;
	if (memsys_access(c->plat->mem, c, t.pa, 4, MK_FETCH, t.attr, insn) !=
	    MEM_OK) {
		exc_insn_abort(c, pc, FSC_EXT_ABORT);
		return false;
	}
	if (c->plat->trace)
		fprintf(stderr, "pe%d EL%u %016llx %08x\n", c->id, c->el,
			(unsigned long long)pc, *insn);
	/* No fetch cache while a breakpoint is armed: each fetch comes
	 * here to be checked. */
	else if (c->dbg_bp)
		;
	else if (t.host || (model &&
			      (t.host = cache_fetch_page(c->plat->model, c,
							 t.pa, t.attr, &lines)))) {
		/* Remember the page for the next fetches (memsys.h); with the
		 * cache model, only the lines it says need no checks. */
		if (c->fetch.vpage == (pc & ~0xfffull) &&
		    c->fetch.host == t.host &&
		    c->fetch.gen == c->ctx_gen && c->fetch.el == c->el)
			lines |= c->fetch.lines;
		else
			fetch_keep(c);
		c->fetch.lines = lines;
		c->fetch.vpage = pc & ~0xfffull;
		c->fetch.host = t.host;
		c->fetch.gen = c->ctx_gen;
		c->fetch.el = c->el;
		c->fetch.ppage = t.pa & ~0xfffull;
		c->fetch.attr = t.attr;
	}
	return true;
}

bool mem_fetch(struct cpu *c, uint32_t *insn)
{
	const uint8_t *p = cpu_fetch_cached(c);

	if (__builtin_expect(p != 0, 1)) {
		memcpy(insn, p, 4);
		return true;
	}
	return fetch_slow(c, insn);
}
