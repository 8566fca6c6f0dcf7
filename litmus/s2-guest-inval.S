// Rule: a guest that writes memory with its MMU off and then reads it
// through a cacheable mapping must invalidate it first (DC IVAC, DSB),
// as without a hypervisor: its writes are Device accesses that go to
// memory, while a line of the same memory may be in the caches, here
// allocated through the host's cacheable linear map, which stays live
// while the guest runs (docs/model.md "Allocatability", "Stage 2"; Arm
// ARM DDI 0487 K.a B2.8 "Mismatched memory attributes", D8.2.11 "The
// effects of disabling an address translation stage").
// el2: yes
// expect broken: stale-load may
// expect fixed: none
// expect cause: not-invalidated stale-load: DC IVAC over the ranges, then
//   DSB, after the writes and before the MMU enable
#include "harness.h"

/* Stage 2 1 GiB blocks, identity: devices (Device-nGnRE), RAM (Normal
 * WB, Inner Shareable); read/write, AF. */
#define S2_DEV_BLOCK    (0x00000000 | 1 | (0x1 << 2) | (3 << 6) | (1 << 10))
#define S2_RAM_BLOCK    (0x40000000 | 1 | S2_NORMAL_ISH)

	.text
/* Entered at EL1: the machine has no EL2. */
	litmus_needs_el2

	.globl	litmus_el2_main
litmus_el2_main:
	/* The identity map is the guest's stage 1 map too (IPA = PA). */
	el2_host_start
	/* The host reads the page through its cacheable map: a line. */
	adr	x9, value
	ldr	x11, [x9]
	adrp	x0, s2_l1
	ldr	x1, =S2_DEV_BLOCK
	str	x1, [x0]
	ldr	x1, =S2_RAM_BLOCK
	str	x1, [x0, #8]
	s2_tables_on
	ldr	x0, =(HCR_RW | HCR_VM)
	guest_prepare guest
	isb
	eret

/* The guest (EL1): write with the MMU off, then read it with the MMU on. */
guest:
	adr	x0, guest_vectors
	msr	vbar_el1, x0
	mov	x10, #0x1234
	str	x10, [x9]               // Device store: memory only
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range ivac
	dsb	sy
#endif
	bl	mmu_enable
	ldr	x11, [x9]               // cacheable: may hit the host's line
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1
host_exc:
	litmus_exit EXIT_EXCEPTION

	.ltorg
	vector_table el2_vectors
	vector_table guest_vectors

	.section .rodata
ok:	.asciz	"s2-guest-inval: read back\n"
noel2:	.asciz	"s2-guest-inval: needs EL2\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0

	.section .bss.tables, "aw", %nobits
	.balign	4096
s2_l1:	.skip	4096
