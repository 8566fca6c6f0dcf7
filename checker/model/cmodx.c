/* Concurrent modification and execution of instructions (docs/model.md
 * "Concurrent modification"; Arm ARM, DDI 0487, "Concurrent modification
 * and execution of instructions": B2.2.5 in recent issues, B2.6.5 in
 * issue A.a): when both the instruction before a modification and the
 * one after it are among B, BL, BRK, HVC, ISB, NOP, SMC and SVC, a PE
 * that executes the location without synchronisation behaves as if it
 * ran either the one originally fetched or the new one. A fetch that may
 * be stale is then not a finding but a note, provided every value the
 * fetch could return is on that list.
 *
 * The model keeps no old data (lineset.h), so which values a stale copy
 * may hold is tracked here, per 32-bit instruction word and kind of
 * fetch, from a point where the word was coherent for that kind (its RAM
 * value the only one such a fetch could return): a record says "since
 * then, every value of the word, that first one included, was on the
 * list, each written whole by one store". A store of anything else, of
 * part of the word, or by a device ends it. A word without a record is
 * reported as before. */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

/* Fetches of either kind read different copies (a non-cacheable one
 * reads memory, a cacheable one the PoU view): a word may be coherent for
 * one and not yet for the other, so each has its own record. */
enum { CK_C = 1, CK_NC = 2, CK_ALL = 3 };

struct cmodx_rec {
	uint64_t key;           /* word address | 1; 0 = empty slot */
	uint32_t first[2];      /* per kind: the value at its coherent point */
	uint8_t ok;             /* CK_*: every value since was on the list */
};

/* B and BL (immediate), BRK, HVC, SMC, SVC (any immediate), ISB (any
 * option: reserved options behave as SY), NOP (HINT #0 only: other hints
 * are other instructions, even where they execute as NOP). */
bool cmodx_listed(uint32_t insn)
{
	switch (insn & 0xfc000000u) {
	case 0x14000000u:       /* B imm26 */
	case 0x94000000u:       /* BL imm26 */
		return true;
	default:
		break;
	}
	switch (insn & 0xffe0001fu) {
	case 0xd4200000u:       /* BRK #imm16 */
	case 0xd4000001u:       /* SVC */
	case 0xd4000002u:       /* HVC */
	case 0xd4000003u:       /* SMC */
		return true;
	default:
		break;
	}
	return (insn & 0xfffff0ffu) == 0xd50330dfu ||  /* ISB */
	       insn == 0xd503201fu;                    /* NOP */
}

static uint64_t hash_word(uint64_t pa)
{
	pa *= 0x9e3779b97f4a7c15ull;
	return pa ^ (pa >> 31);
}

static struct cmodx_rec *slot(struct cachemodel *cm, uint64_t wpa)
{
	size_t mask = cm->ccap - 1;

	for (size_t h = hash_word(wpa) & mask;; h = (h + 1) & mask)
		if (cm->ctab[h].key == (wpa | 1) || !cm->ctab[h].key)
			return &cm->ctab[h];
}

static struct cmodx_rec *find(struct cachemodel *cm, uint64_t wpa)
{
	struct cmodx_rec *r;

	if (!cm->ccap || !bit_get(cm->cpage, (wpa - cm->base) >> 12))
		return NULL;
	r = slot(cm, wpa);
	return r->key ? r : NULL;
}

static void grow(struct cachemodel *cm)
{
	struct cmodx_rec *old = cm->ctab;
	size_t n = cm->ccap;

	cm->ccap = n ? 2 * n : 1024;
	cm->ctab = cm_alloc(cm, cm->ccap * sizeof(*cm->ctab));
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			*slot(cm, old[i].key & ~1ull) = old[i];
	if (old)
		cm->bytes -= n * sizeof(*old);
	free(old);
}

/* The fetch kinds (CK_*) for which no fetch of the word, by any PE, can
 * return anything but its RAM value: no copy such a fetch reads is stale
 * for those bytes (line_access's MK_FETCH: the PoU view for a cacheable
 * fetch; memory, or any copy with --nc-may-hit, for a non-cacheable one),
 * and no instruction cache that may hold the line lacks them (a
 * non-cacheable fetch may be held there too). */
static unsigned word_coherent(struct cachemodel *cm, uint64_t wpa)
{
	uint64_t lpa = wpa & ~(LINE - 1), pg = (lpa - cm->base) >> 12;
	uint64_t mask = 0xfull << (wpa & (LINE - 1));
	uint32_t id = line_id(cm, pg, (lpa >> 6) & 63);
	enum alloc_level al = page_level(cm, pg);
	struct irec *ir = irec_get(cm, lpa, false);
	unsigned k = 0;

	for (unsigned p = 0; ir && p < cm->npe; p++)
		if ((ir->mask[p] & mask) && icache_present(cm, p, pg, ir))
			return 0;
	if (ls_apply(id, LS_FETCH_C, mask, al).verdict == V_FRESH)
		k |= CK_C;
	if (ls_apply(id, cm->o.nc_may_hit ? LS_LOAD_NCHIT : LS_LOAD_NC, mask,
		     al).verdict == V_FRESH)
		k |= CK_NC;
	return k;
}

static void word_store(struct cachemodel *cm, uint64_t wpa, uint32_t old,
		       uint32_t now, bool whole)
{
	struct cmodx_rec *r = find(cm, wpa);
	unsigned k;

	if (!whole || !cmodx_listed(now)) {
		if (r)
			r->ok = 0;
		return;
	}
	if ((r && r->ok == CK_ALL) || !cmodx_listed(old))
		return;
	/* A kind starts from here only if the word is coherent for it now:
	 * then the value it held is the only one a stale copy could serve
	 * later. */
	k = word_coherent(cm, wpa) & ~(r ? r->ok : 0);
	if (!k)
		return;
	if (!r) {
		if ((cm->cn + 1) * 2 > cm->ccap)
			grow(cm);
		r = slot(cm, wpa);
		r->key = wpa | 1;
		cm->cn++;
		bit_set(cm->cpage, (wpa - cm->base) >> 12);
	}
	for (unsigned i = 0; i < 2; i++)
		if (k >> i & 1)
			r->first[i] = old;
	r->ok |= k;
}

void cmodx_store_bytes(struct cachemodel *cm, uint64_t pa, unsigned size,
		       const uint8_t *ram, const uint8_t *buf)
{
	for (uint64_t w = pa & ~3ull; w < pa + size; w += 4) {
		bool whole = w >= pa && w + 4 <= pa + size;
		uint32_t old, now, m = 0, nb = 0;

		/* the word's bytes around the store are RAM's: ram is pa's
		 * byte, and a word never crosses RAM's aligned ends */
		memcpy(&old, ram - (pa - w), 4);
		if (whole) {
			memcpy(&now, buf + (w - pa), 4);
		} else {
			/* merged in a register: bytes stored one by one and
			 * read back as a word stall the host's load */
			for (unsigned i = 0; i < 4; i++)
				if (w + i >= pa && w + i < pa + size) {
					m |= 0xffu << (8 * i);
					nb |= (uint32_t)buf[w + i - pa] << (8 * i);
				}
			now = (old & ~m) | nb;
		}
		word_store(cm, w, old, now, whole);
	}
}

void cmodx_unseen_store(struct cachemodel *cm, uint64_t pa, unsigned size)
{
	for (uint64_t w = pa & ~3ull; w < pa + size; w += 4) {
		struct cmodx_rec *r = find(cm, w);

		if (r)
			r->ok = 0;
	}
}

bool cmodx_allows(struct cachemodel *cm, uint64_t pa, unsigned size,
		  bool cacheable, uint32_t now, uint32_t *first)
{
	unsigned k = cacheable ? CK_C : CK_NC;
	struct cmodx_rec *r;

	if (size != 4 || (pa & 3) || !cmodx_listed(now))
		return false;
	r = find(cm, pa);
	if (!r || !(r->ok & k))
		return false;
	*first = r->first[k >> 1];
	return true;
}

void cmodx_free(struct cachemodel *cm)
{
	free(cm->ctab);
	cm->ctab = NULL;
	cm->ccap = cm->cn = 0;
}
