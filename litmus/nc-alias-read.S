// Rule: a Normal Non-cacheable alias of cacheable memory reads memory,
// not the caches: what was stored through the Write-Back mapping must be
// cleaned to the PoC (DC CVAC, DSB) before it is read through the
// Non-cacheable one (Arm ARM DDI 0487 B2.8 "Mismatched memory
// attributes"; docs/model.md "Operations": the default, without
// --nc-may-hit). The store goes through the identity map (Write-Back),
// the load through an alias of RAM at VA 0x80000000 mapped Normal
// Non-cacheable, with the MMU on throughout.
// expect broken: stale-load may M
// expect fixed: none
// expect cause: not-cleaned stale-load: DC CVAC (or CIVAC) over the ranges,
//   then DSB, after the writes and before the non-cacheable read (before
//   the MMU or cache is turned off)
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	adrp	x0, idmap_l1
	ldr	x1, =RAM_ALIAS(ATTR_NC, 3)
	str	x1, [x0, #16]
	bl	tables_inval
	bl	mmu_enable
	adr	x9, value
	mov	x10, #0x42
	str	x10, [x9]               // Write-Back: may stay in a dirty line
#if FIXED
	dc	cvac, x9
#endif
	dsb	sy
	mov	x12, #ALIAS_OFF
	add	x12, x9, x12
	ldr	x10, [x12]              // Non-cacheable: memory only
	cmp	x10, #0x42
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"nc-alias-read: read the value\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
