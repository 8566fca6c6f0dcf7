// Rule: data written with the MMU off must be invalidated to the PoC
// before it is read through a cacheable mapping (docs/boot-cache-maintenance.md
// "boot-inval"), however long ago it was written.
// kvm-unit-tests' start zeroes its BSS and stack with the MMU off, then
// maps its RAM a page and a TLBI at a time before the MMU enable: by the
// cacheable read the store is older than the event history keeps (line
// and PE rings, report/history.c). The root cause is still derived, from
// the stale cached copy a cacheable read was served: the newest data went
// around the cache, so only a non-cacheable store can have made it.
// expect broken: stale-load may
// expect fixed: none
// expect cause: not-invalidated stale-load: DC IVAC over the ranges, then
//   DSB, after the writes and before the MMU enable
#include "harness.h"

/* More stores than the line ring holds (2^18), more TLBIs than the PE
 * ring (2^12). */
#define FLOOD_STORES	(1 << 19)
#define FLOOD_TLBIS	(1 << 13)

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	bl	tables_inval
	/* The write, MMU off. */
	adr	x9, value
	mov	x10, #0x5a5a
	str	x10, [x9]
#if FIXED
	dmb	sy                      // order the store before the DC
	mov	x0, x9
	mov	x1, #8
	dc_range ivac
	dsb	sy
#endif
	/* Everything after it that the history records, on other lines. */
	adr	x12, scratch
	mov	x13, #FLOOD_STORES
1:	str	x13, [x12]
	subs	x13, x13, #1
	b.ne	1b
	mov	x13, #FLOOD_TLBIS
2:	tlbi	vmalle1
	subs	x13, x13, #1
	b.ne	2b
	dsb	sy
	bl	mmu_enable
	/* The read, cacheable. */
	ldr	x11, [x9]
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"mmuoff-write-unrecorded: read back\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
	.balign	64
scratch: .quad	0
