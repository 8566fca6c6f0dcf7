/* The boot contracts (docs/model.md "The state at entry"): what the
 * caches may hold when the image starts, i.e. what the platform the code
 * runs on promises. Named for where code runs:
 *   firmware  (alias loaded) image, DTB and initrd cleaned to the PoC
 *             (copies may be valid, all fresh); every other RAM line may
 *             hold a Dirty copy in U or P with memory stale in every byte:
 *             an earlier boot stage's data it never cleaned (TF-A
 *             invalidates its RW memory at entry for this reason: its
 *             BL2_INV_DCACHE build option, docs/model.md). QEMU, U-Boot.
 *   booting   (alias strict) the letter of Linux Documentation/arch/
 *             arm64/booting.rst: only the image is cleaned to the PoC;
 *             the DTB and initrd are like the rest of RAM.
 *   reset     (alias clean) caches empty: Arm's cores invalidate them at
 *             reset.
 *   kvm       caches clean at entry (KVM cleans a page to the PoC when it
 *             maps it at stage 2), and every line of guest RAM may be
 *             allocated at any time through the host's cacheable linear
 *             map, a live alias: a permanent data-side allocator.
 * Instruction caches: under every contract but reset each PE may hold
 * lines of the image, fresh ("no stale entries for the image"). */
#include <string.h>

#include "model/model.h"

static const char *const names[BOOT_NCONTRACTS] = {
	[BOOT_FIRMWARE] = "firmware", [BOOT_BOOTING] = "booting",
	[BOOT_RESET] = "reset", [BOOT_KVM] = "kvm",
};

const char *contract_name(enum boot_contract k)
{
	return (unsigned)k < BOOT_NCONTRACTS ? names[k] : "?";
}

int contract_parse(const char *name)
{
	static const struct { const char *alias; enum boot_contract k; } al[] = {
		{ "loaded", BOOT_FIRMWARE }, { "strict", BOOT_BOOTING },
		{ "clean", BOOT_RESET },
	};

	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		if (!strcmp(name, names[k]))
			return (int)k;
	for (unsigned i = 0; i < sizeof(al) / sizeof(al[0]); i++)
		if (!strcmp(name, al[i].alias))
			return (int)al[i].k;
	return -1;
}

const char *contract_assumption(enum boot_contract k, char copy)
{
	bool dirty = k == BOOT_FIRMWARE || k == BOOT_BOOTING;

	switch (copy) {
	case 'U':
	case 'P':
		if (dirty)
			return "a line outside the loaded image may be cached "
			       "at entry, left dirty by an earlier stage";
		if (k == BOOT_KVM)
			return "every line of guest RAM may be allocated at any "
			       "time through the host's cacheable alias";
		return NULL;
	case 'M':
		return dirty ? "a line outside the loaded image may be dirty "
			       "at entry and be written back over memory" : NULL;
	case 'I':
		return k != BOOT_RESET ? "each PE's I-cache may hold lines of "
					 "the image at entry" : NULL;
	default:
		return NULL;
	}
}

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
	enum boot_contract k = cm->o.contract;
	uint32_t rest;

	if (cm->o.midrun)
		/* Nothing cached, or dirty in P (hence U clean or invalid):
		 * firmware's code is coherent at the PoU, as its loader
		 * made it (UEFI 2.10 2.3.6: the firmware runs with the
		 * caches on and loads images executable). */
		rest = ls_make((struct lcfg[]){ dirty[0], dirty[2] }, 2, AL_NONE);
	else if (k == BOOT_RESET)
		rest = ls_make(&empty, 1, AL_NONE);
	else if (k == BOOT_KVM)
		rest = LS_FRESH;        /* clean fresh copies may be anywhere */
	else
		rest = ls_make(dirty, 3, AL_NONE);
	for (uint64_t pg = 0; pg < cm->npages; pg++) {
		cm->pdef[pg] = rest;
		/* The host's linear map counts as one more PE mapping every
		 * page cacheably, for the whole run: the counter never
		 * drops to zero, so every page stays at level UP. */
		if (k == BOOT_KVM)
			cm->dcount[pg] = 1;
	}
	if (k == BOOT_RESET)
		return;
	for (unsigned i = 0; i < e->nimage; i++)
		set_range(cm, e->image[i].pa, e->image[i].len, LS_FRESH, true);
	if (k != BOOT_BOOTING && e->dtb.len)
		set_range(cm, e->dtb.pa, e->dtb.len, LS_FRESH, false);
	/* The initrd is loaded data like the DTB (booting.rst: cleaned to
	 * the PoC by the loader). */
	if (k != BOOT_BOOTING && e->initrd.len)
		set_range(cm, e->initrd.pa, e->initrd.len, LS_FRESH, false);
	cm_event(cm, NULL, EV_BOOT, 0, k, 0, (struct memattr){ 0, 0, 0 });
}
