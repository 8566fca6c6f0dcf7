// Rule: a table walk is guaranteed to see a store to a descriptor only
// after a DSB of the storing PE (Arm ARM DDI 0487 K.a D8.2.8 "Ordering
// of memory accesses from translation table walks"): a new mapping used
// before that DSB may still translate through the old (invalid) entry.
// The fixed form has DSB and ISB between the store and the access, as
// Linux's set_pte for kernel mappings (docs/model.md
// "Translation tables and TLB maintenance").
// expect broken: missing-barrier
// expect fixed: none
// expect cause: missing-barrier missing-barrier: DSB ISHST after the descriptor store, then ISB, before the
//   access that walks it
#include "harness.h"

#define VA_NEW   0x48000000             // just past the identity map's RAM
#define BLOCK    ((1 << 10) | (3 << 8) | (ATTR_NORMAL << 2) | 1)

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adrp	x9, idmap_l2_ram
	add	x9, x9, #((VA_NEW - 0x40000000) >> 21) * 8
	ldr	x10, =(0x40000000 | BLOCK)      // an alias of the first block
	str	x10, [x9]
#if FIXED
	dsb	ishst
	isb
#endif
	ldr	x12, =VA_NEW
	ldr	x13, [x12]
	puts	ok
	litmus_exit 0

	.section .rodata
ok:	.asciz	"walk-before-dsb: read through the new mapping\n"
