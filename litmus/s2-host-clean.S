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

/* Stage 2 page attributes: MemAttr Normal WB (0xf), S2AP read/write,
 * Inner Shareable, AF. */
#define S2_PAGE         (3 | S2_NORMAL_ISH)

	.text
/* Entered at EL1: the machine has no EL2. */
	litmus_needs_el2

	.globl	litmus_el2_main
litmus_el2_main:
	el2_host_start
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
	s2_tables_on
	ldr	x0, =(HCR_RW | HCR_VM)
	guest_prepare guest
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
	vector_table el2_vectors, host_sync

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
