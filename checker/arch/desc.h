/* Stage 1 translation-table descriptors for the 4 KiB granule (Arm ARM
 * D8.3 "Translation table descriptor formats") and the walk geometry a
 * TxSZ gives: the one statement of the layout, read by the one walker
 * (arch/walk.h) and written by the tests (tests/test_mmu.c). */
#ifndef CHECKER_ARCH_DESC_H
#define CHECKER_ARCH_DESC_H

#include <stdbool.h>
#include <stdint.h>

#define DESC_VALID       (1ull << 0)
#define DESC_TABLE       (1ull << 1)   /* table at levels 0-2, page at 3 */
#define DESC_AF          (1ull << 10)
#define DESC_NG          (1ull << 11)
#define DESC_PXN         (1ull << 53)
#define DESC_UXN         (1ull << 54)  /* XN in the EL2 regime */
#define DESC_PXNTABLE    (1ull << 59)
#define DESC_XNTABLE     (1ull << 60)
#define DESC_OA_MASK     0x0000fffffffff000ull  /* OA[47:12] */
#define TTBR_BADDR_MASK  0x0000fffffffffffeull

/* Fields: DESC_x(v) builds, DESC_GET_x(d) reads. */
#define DESC_ATTRIDX(i)      ((uint64_t)(i) << 2)
#define DESC_AP(x)           ((uint64_t)(x) << 6)
#define DESC_SH(x)           ((uint64_t)(x) << 8)
#define DESC_GET_ATTRIDX(d)  ((unsigned)((d) >> 2) & 7)
#define DESC_GET_AP(d)       ((unsigned)((d) >> 6) & 3)
#define DESC_GET_SH(d)       ((unsigned)((d) >> 8) & 3)
#define DESC_GET_APTABLE(d)  ((unsigned)((d) >> 61) & 3)

enum desc_kind { DK_INVALID, DK_TABLE, DK_LEAF, DK_RESERVED };

/* Block at level 0 and the level-3 encoding 0b01 are reserved. */
static inline enum desc_kind desc_kind(uint64_t d, unsigned level)
{
	if (!(d & DESC_VALID))
		return DK_INVALID;
	if (level < 3 && (d & DESC_TABLE))
		return DK_TABLE;
	if (level == 0 || (level == 3 && !(d & DESC_TABLE)))
		return DK_RESERVED;
	return DK_LEAF;
}

/* VA bits a descriptor at level resolves below it: 12 + 9 per level. */
static inline unsigned desc_shift(unsigned level)
{
	return 12 + 9 * (3 - level);
}

/* The walk a TxSZ field gives: VA size, start level, entries of the
 * start table and the TTBR bits that address it. Out-of-range TxSZ
 * values are treated as the nearest supported one (D8.2.6), as QEMU
 * does; only the 4 KiB granule exists (MMFR0.TGran16/64 say so). */
struct ttw_geom {
	unsigned vabits, start;
	uint64_t nent, base_mask;
	bool bad;               /* a stage 2 start level that cannot work */
};

static inline struct ttw_geom ttw_geometry(unsigned tsz)
{
	struct ttw_geom g;
	uint64_t tsize;

	if (tsz < 16)
		tsz = 16;
	if (tsz > 39)
		tsz = 39;
	g.vabits = 64 - tsz;
	g.start = 4 - (g.vabits - 12 + 8) / 9;
	g.nent = 1ull << (g.vabits - desc_shift(g.start));
	tsize = g.nent * 8 < 64 ? 64 : g.nent * 8;
	g.base_mask = TTBR_BADDR_MASK & ~(tsize - 1);
	g.bad = false;
	return g;
}

/* The stage 2 walk VTCR_EL2 gives (4 KiB granule): SL0 names the start
 * level (0: level 2, 1: level 1, 2: level 0), T0SZ the IPA size; the
 * start level may be up to 16 concatenated tables (Arm ARM DDI 0487 K.a
 * D8.2 "Translation process", "Concatenating translation tables" and
 * VTCR_EL2.SL0). A start level the IPA size cannot use (fewer than one
 * entry, more than 16 tables, SL0 = 3) is bad: every walk faults. */
static inline struct ttw_geom ttw_geometry_s2(unsigned t0sz, unsigned sl0)
{
	struct ttw_geom g;
	uint64_t tsize;
	unsigned bits;

	if (t0sz < 16)
		t0sz = 16;
	if (t0sz > 39)
		t0sz = 39;
	g.vabits = 64 - t0sz;
	g.start = sl0 <= 2 ? 2 - sl0 : 2;
	g.bad = sl0 > 2 || g.vabits <= desc_shift(g.start) ||
		g.vabits - desc_shift(g.start) > 13;
	bits = g.bad ? 9 : g.vabits - desc_shift(g.start);
	g.nent = 1ull << bits;
	tsize = g.nent * 8 < 64 ? 64 : g.nent * 8;
	g.base_mask = TTBR_BADDR_MASK & ~(tsize - 1);
	return g;
}

#endif
