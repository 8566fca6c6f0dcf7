/* The boot contracts (docs/model.md "The state at entry"): what the
 * caches may hold when the image starts, i.e. what the loader promised.
 *   loaded  image and DTB cleaned to the PoC (copies may be valid, all
 *           fresh); every other RAM line may hold a Dirty copy in U or P
 *           with memory stale in every byte (an earlier boot stage's data
 *           it never cleaned). QEMU, KVM, U-Boot.
 *   strict  Linux Documentation/arm64/booting.rst: only the image is
 *           cleaned to the PoC; the DTB is like the rest of RAM.
 *   clean   caches empty (reset with cache invalidation).
 * Instruction caches: under loaded and strict every PE may hold lines of
 * the image, fresh ("no stale entries for the image"); under clean none. */
#include "model/model.h"

static void set_range(struct cachemodel *cm, uint64_t pa, uint64_t len,
		      uint32_t id, bool icache)
{
	uint64_t end = pa + len;

	if (pa < cm->base)
		pa = cm->base;
	if (end > cm->base + (cm->npages << 12))
		end = cm->base + (cm->npages << 12);
	for (uint64_t a = pa & ~(LINE - 1); a < end; a += LINE) {
		uint64_t pg = (a - cm->base) >> 12;

		if (!(a & 0xfff) && a + 4096 <= end && !cm->lines[pg]) {
			cm->pdef[pg] = id;
			a += 4096 - LINE;
		} else {
			line_set(cm, pg, (a >> 6) & 63, id);
		}
		if (icache)
			for (unsigned p = 0; p < cm->npe; p++)
				bit_set(cm->pe[p].iever, pg);
	}
}

void contract_apply(struct cachemodel *cm, const struct cache_env *e)
{
	struct lcfg empty = { 0 };
	struct lcfg dirty[3] = {
		{ 0 },                                          /* nothing cached */
		{ .us = CS_DIRTY, .m = ~0ull },                 /* dirty in U */
		{ .ps = CS_DIRTY, .m = ~0ull },                 /* dirty in P */
	};
	uint32_t rest;
	bool icache = cm->o.contract != BOOT_CLEAN;

	if (cm->o.contract == BOOT_CLEAN)
		rest = ls_make(&empty, 1, AL_NONE);
	else
		rest = ls_make(dirty, 3, AL_NONE);
	for (uint64_t pg = 0; pg < cm->npages; pg++)
		cm->pdef[pg] = rest;
	if (cm->o.contract == BOOT_CLEAN)
		return;
	for (unsigned i = 0; i < e->nimage; i++)
		set_range(cm, e->image[i].pa, e->image[i].len, LS_FRESH,
			  icache);
	if (cm->o.contract == BOOT_LOADED && e->dtb.len)
		set_range(cm, e->dtb.pa, e->dtb.len, LS_FRESH, false);
	/* The initrd is loaded data like the DTB (booting.rst: cleaned to
	 * the PoC by the loader). */
	if (cm->o.contract == BOOT_LOADED && e->initrd.len)
		set_range(cm, e->initrd.pa, e->initrd.len, LS_FRESH, false);
	cm_event(cm, NULL, EV_BOOT, 0, cm->o.contract, 0,
		 (struct memattr){ 0, 0, 0 });
}
