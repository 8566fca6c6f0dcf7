// Rule: a hypervisor whose linear map is a live cacheable alias of guest
// RAM must clean to the PoC (DC CVAC, DSB) what it wrote there before it
// maps the page at stage 2 for a guest that runs with its MMU off: the
// guest's loads are then Device accesses (stage 1 off; combined with a
// Normal stage 2 mapping the access stays Device: Arm ARM DDI 0487 K.a,
// "Combining the stage 1 and stage 2 attributes") and see memory only,
// while the host's store may still be only in a dirty cache line. KVM
// cleans each page it maps for such a guest (arch/arm64/kvm/mmu.c,
// clean_dcache_guest_page). The host maps the page on the guest's first
// touch (a stage 2 fault, HPFAR_EL2), as KVM does.
// el2: yes
// expect broken: stale-load may M
// expect fixed: none
// expect cause: host-not-cleaned stale-load: the host: DC CVAC (or CIVAC)
//   over the ranges, then DSB, after writing them and before mapping them
//   at stage 2 for the guest (or HCR_EL2.DC for a guest running with its
//   MMU off)
#include "harness.h"

#define HCR_VM          (1 << 0)
#define HCR_RW          (1 << 31)
/* VTCR_EL2: T0SZ 32 (4 GiB IPA space, walks from level 1: SL0 = 1),
 * walks Inner/Outer WB-WA Inner Shareable, 4 KiB granule, 40-bit PA,
 * RES1 bit 31. */
#define VTCR            (32 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | \
			 (2 << 16) | (1 << 31))
/* Stage 2 page attributes: MemAttr Normal WB (0xf), S2AP read/write,
 * Inner Shareable, AF. */
#define S2_PAGE         (3 | (0xf << 2) | (3 << 6) | (3 << 8) | (1 << 10))

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
	bl	idmap_build
	bl	tables_inval
	bl	mmu_enable_el2
	/* The host writes the guest's page through its cacheable map. */
	adr	x9, value
	mov	x10, #0x1234
	str	x10, [x9]
	/* Stage 2: the first 2 MiB of RAM page by page, identity, but for
	 * the guest's data page: that one is mapped when the guest first
	 * touches it, as KVM does. */
	adrp	x0, s2_l1
	adrp	x1, s2_l2
	orr	x2, x1, #3
	str	x2, [x0, #8]
	adrp	x3, s2_l3
	orr	x2, x3, #3
	str	x2, [x1]
	ldr	x2, =(0x40000000 | S2_PAGE)
	lsr	x4, x9, #12
	mov	x5, #512
1:	cmp	x4, x2, lsr #12
	b.eq	2f                      // the data page stays unmapped
	str	x2, [x3]
2:	add	x3, x3, #8
	add	x2, x2, #(1 << 12)
	subs	x5, x5, #1
	b.ne	1b
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

/* The guest (EL1, MMU off): read the page, then HVC back. */
guest:
	ldr	x11, [x9]               // Device load: memory only
	hvc	#0

/* The host: a stage 2 fault maps the page (the fixed form cleans it to
 * the PoC first) and returns to the load; the HVC ends the run. */
host_sync:
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x24               // data abort from the guest
	b.eq	host_fault
	cmp	x0, #0x16               // HVC
	b.ne	host_exc
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
host_fault:
	/* HPFAR_EL2.FIPA is IPA[47:12] in bits 43:4; FAR_EL2 the VA. */
	mrs	x0, hpfar_el2
	lsl	x0, x0, #8
	mrs	x1, far_el2
	cmp	x1, x9
	b.ne	bad
	bic	x1, x1, #0xfff
	cmp	x0, x1
	b.ne	bad
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range cvac
	dsb	sy
#endif
	adrp	x1, s2_l3
	lsr	x2, x9, #12
	and	x2, x2, #511
	bic	x3, x9, #0xfff          // value's page, identity
	ldr	x4, =S2_PAGE
	orr	x3, x3, x4
	str	x3, [x1, x2, lsl #3]
	dsb	ish
	eret
bad:	litmus_exit 1
host_exc:
	litmus_exit EXIT_EXCEPTION

	.ltorg
	.balign	2048
el2_vectors:
	.rept	8
	b	host_exc
	.balign	128
	.endr
	b	host_sync               // synchronous, lower EL (AArch64)
	.balign	128
	.rept	7
	b	host_exc
	.balign	128
	.endr

	.section .rodata
ok:	.asciz	"s2-host-clean: read back\n"
noel2:	.asciz	"s2-host-clean: needs EL2\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0

	.section .bss.tables, "aw", %nobits
	.balign	4096
s2_l1:	.skip	4096
s2_l2:	.skip	4096
s2_l3:	.skip	4096
