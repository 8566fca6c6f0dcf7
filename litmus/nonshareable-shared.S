// Rule: data two PEs share must be mapped shareable by both (or be
// cleaned to the PoC by the writer and invalidated by the reader around
// each exchange): Non-shareable Normal memory is coherent only for the
// PE that accesses it, so each PE may keep a private copy the other
// never sees (Arm ARM DDI 0487 B2.7 "Memory types and attributes",
// Shareable and Non-shareable Normal memory; docs/model.md
// "Non-shareable memory"). Both PEs reach the buffer through an alias of
// RAM at VA 0x80000000, Non-shareable (SH = 0b00) in the broken form and
// Inner Shareable (0b11) in the fixed one; the flag is in the Inner
// Shareable identity map.
// smp: 2
// expect broken: non-shareable may M
// expect fixed: none
// expect cause: non-shareable non-shareable: map the shared data Inner
//   Shareable (SH = 0b11), or clean it to the PoC on the writer and
//   invalidate it on the reader (DC CVAC, DC IVAC by each PE, then DSB)
//   around every exchange
#include "harness.h"

#if FIXED
#define SHARE 3
#else
#define SHARE 0
#endif

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	adrp	x0, idmap_l1
	ldr	x1, =RAM_ALIAS(ATTR_NORMAL, SHARE)
	str	x1, [x0, #16]
	bl	tables_inval
	bl	mmu_enable
	mov	x0, #1                  // MPIDR affinity of PE 1
	mov	x1, #0
	bl	cpu_on
	cbnz	x0, bad
	adr	x9, buf
	mov	x12, #ALIAS_OFF
	add	x12, x9, x12
	mov	x10, #0x42
	str	x10, [x12]              // the data, through the alias
	dmb	ish
	adr	x11, flags
	mov	x10, #1
	str	x10, [x11]              // then the flag
	mov	x0, #1
	bl	cpu_wait_off
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

/* PE 1: MMU on, wait for the flag, read the data through the alias. */
	.globl	litmus_secondary
litmus_secondary:
	bl	mmu_enable
	adr	x11, flags
1:	ldr	x10, [x11]
	cbz	x10, 1b
	dmb	ish
	adr	x9, buf
	mov	x12, #ALIAS_OFF
	add	x12, x9, x12
	ldr	x10, [x12]
	str	x10, [x11, #8]
	b	cpu_off

	.section .rodata
ok:	.asciz	"nonshareable-shared: PE 1 read the buffer\n"

	.section .litmus_data, "aw"
	.balign	64
buf:	.quad	0
	.balign	64
flags:	.quad	0, 0
