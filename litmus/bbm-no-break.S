// Rule: a live valid descriptor replaced by one with a different output
// address (or attributes, or block size) needs break-before-make: the
// invalid entry, DSB, TLBI covering the address, DSB, then the new entry;
// otherwise the old translation may still be in a TLB, and both may be
// used (Arm ARM DDI 0487 K.a D8.13.1 "Using break-before-make when
// updating translation table entries"; docs/model.md "Translation tables and TLB maintenance").
// expect broken: break-before-make
// expect fixed: none
// expect cause: break-before-make break-before-make: break-before-make: store an
//   invalid entry, DSB, TLBI covering the address, DSB, then the new
//   entry
#include "harness.h"

#define VA_LAST  0x47e00000             // the identity map's last RAM block
#define NEW_OA   0x47c00000
#define BLOCK    ((1 << 10) | (3 << 8) | (ATTR_NORMAL << 2) | 1)

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adrp	x9, idmap_l2_ram
	add	x9, x9, #((VA_LAST - 0x40000000) >> 21) * 8
	ldr	x10, =(NEW_OA | BLOCK)
#if FIXED
	str	xzr, [x9]               // break
	dsb	ish
	ldr	x11, =(VA_LAST >> 12)
	tlbi	vae1, x11
	dsb	ish
#endif
	str	x10, [x9]               // make
	dsb	ish
	isb
	puts	ok
	litmus_exit 0

	.section .rodata
ok:	.asciz	"bbm-no-break: remapped\n"
