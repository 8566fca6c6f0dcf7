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

#define HCR_VM          (1 << 0)
#define HCR_RW          (1 << 31)
/* VTCR_EL2: T0SZ 32, start level 1 (SL0 1), walks WB-WA Inner Shareable,
 * 4 KiB granule, 40-bit PA, RES1 bit 31. */
#define VTCR            (32 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | \
			 (2 << 16) | (1 << 31))
/* Stage 2 1 GiB blocks, identity: devices (Device-nGnRE), RAM (Normal
 * WB, Inner Shareable); read/write, AF. */
#define S2_DEV_BLOCK    (0x00000000 | 1 | (0x1 << 2) | (3 << 6) | (1 << 10))
#define S2_RAM_BLOCK    (0x40000000 | 1 | (0xf << 2) | (3 << 6) | (3 << 8) | (1 << 10))

	.text
/* Entered at EL1: the machine has no EL2. */
	.globl	litmus_main
litmus_main:
	puts	noel2
	litmus_exit 1

	.globl	litmus_el2_main
litmus_el2_main:
	adr	x0, el2_vectors
	msr	vbar_el2, x0
	bl	idmap_build             // the guest's stage 1 map too (IPA = PA)
	bl	tables_inval
	bl	mmu_enable_el2
	/* The host reads the page through its cacheable map: a line. */
	adr	x9, value
	ldr	x11, [x9]
	adrp	x0, s2_l1
	ldr	x1, =S2_DEV_BLOCK
	str	x1, [x0]
	ldr	x1, =S2_RAM_BLOCK
	str	x1, [x0, #8]
	dsb	ish
	msr	vttbr_el2, x0
	ldr	x0, =VTCR
	msr	vtcr_el2, x0
	ldr	x0, =(HCR_RW | HCR_VM)
	msr	hcr_el2, x0
	tlbi	vmalls12e1
	dsb	nsh
	ldr	x0, =SCTLR_EL1_OFF
	msr	sctlr_el1, x0
	mov	x0, #0x3c5              // EL1h, DAIF masked
	msr	spsr_el2, x0
	adr	x0, guest
	msr	elr_el2, x0
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
	.balign	2048
el2_vectors:
	.rept	16
	b	host_exc
	.balign	128
	.endr
guest_vectors:
	.rept	16
	b	host_exc
	.balign	128
	.endr

	.section .rodata
ok:	.asciz	"s2-guest-inval: read back\n"
noel2:	.asciz	"s2-guest-inval: needs EL2\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0

	.section .bss.tables, "aw", %nobits
	.balign	4096
s2_l1:	.skip	4096
