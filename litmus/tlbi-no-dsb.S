// Rule: a TLBI is complete only after a DSB of the issuing PE; until
// then the translation it removes may still be used (Arm ARM DDI 0487
// K.a D8.13 "TLB maintenance requirements", completion of TLB
// maintenance instructions; docs/model.md "Barriers and context
// synchronisation"). Here a block is unmapped (invalid entry, DSB, TLBI)
// and then read: the read must fault, and does only after the DSB. Both
// forms end in the harness's exception exit.
// expect broken: missing-barrier
// expect fixed: exception
// expect cause: missing-barrier missing-barrier: DSB (ISH for a broadcast TLBI) after the TLBI, then ISB,
//   before the first access through the changed translation
// status: 3
#include "harness.h"

#define VA_LAST  0x47e00000

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adrp	x9, idmap_l2_ram
	add	x9, x9, #((VA_LAST - 0x40000000) >> 21) * 8
	str	xzr, [x9]               // unmap
	dsb	ish
	ldr	x11, =(VA_LAST >> 12)
	tlbi	vae1, x11
#if FIXED
	dsb	ish
	isb
#endif
	ldr	x12, =VA_LAST
	ldr	x13, [x12]              // faults once the TLBI is complete
	puts	ok
	litmus_exit 0

	.section .rodata
ok:	.asciz	"tlbi-no-dsb: read through the removed mapping\n"
