// Rule: data read with the MMU off must be in memory. A store through a
// Write-Back mapping may stay in a dirty cache line and needs DC CVAC and
// a DSB first; a store through a Write-Through mapping reaches memory by
// itself once complete (a DSB) (Arm ARM DDI 0487 "Normal memory",
// Write-Through Cacheable: a completed write is visible to observers
// outside the cache level without cache maintenance; docs/model.md
// "Operations"). The store goes through an alias of RAM at VA 0x80000000,
// Write-Back in the broken form, Write-Through in the fixed one.
// expect broken: stale-load may M
// expect fixed: none
// expect cause: not-cleaned stale-load: DC CVAC (or CIVAC) over the ranges,
//   then DSB, after the writes and before the non-cacheable read (before
//   the MMU or cache is turned off)
#include "harness.h"

#if FIXED
#define STORE_ATTR ATTR_WT
#else
#define STORE_ATTR ATTR_NORMAL
#endif

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	adrp	x0, idmap_l1
	ldr	x1, =RAM_ALIAS(STORE_ATTR, 3)
	str	x1, [x0, #16]
	bl	tables_inval
	bl	mmu_enable
	adr	x9, value
	ldr	x10, [x9]               // the line may be in the caches
	mov	x12, #ALIAS_OFF
	add	x12, x9, x12
	mov	x10, #0x42
	str	x10, [x12]              // through the alias
	dsb	sy
	bl	mmu_disable
	ldr	x10, [x9]               // Device load: memory only
	cmp	x10, #0x42
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"wt-store-mmuoff-read: read the value\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
