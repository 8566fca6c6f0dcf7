// Rule: once a table descriptor is stored into a live table, a walk,
// speculative ones included, may follow it at any time and cache what it
// reads; the stores that initialise the new table must be visible to
// walks first, which needs a DSB between them and the link (Arm ARM DDI
// 0487 K.a D8.2.8 "Ordering of memory accesses from translation table
// walks"; Linux arch/arm64/mm/mmu.c zeroes a new table and issues DSB
// ISHST before populating the entry; docs/model.md
// "Translation tables and TLB maintenance").
// expect broken: table-link-before-init
// expect fixed: none
// expect cause: table-link-before-init table-link-before-init: DSB ISHST (a DMB
//   ISHST at least) after initialising the new table and before the
//   store of the entry that links it in
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adrp	x9, newtab              // zero the new level-2 table
	mov	x10, #512
1:	str	xzr, [x9], #8
	subs	x10, x10, #1
	b.ne	1b
#if FIXED
	dsb	ishst
#endif
	adrp	x9, newtab
	orr	x10, x9, #3             // table descriptor
	adrp	x11, idmap_l1
	str	x10, [x11, #16]         // link it: VA 2..3 GiB
	dsb	ish
	isb
	puts	ok
	litmus_exit 0

	.section .rodata
ok:	.asciz	"table-link-early: linked\n"

	.section .litmus_data, "aw"
	.balign	4096
newtab:	.skip	4096
