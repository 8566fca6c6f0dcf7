// Rule: a hypervisor that changes a live stage 2 mapping to another
// output address must break before make: invalid entry, DSB, TLBI
// IPAS2E1IS of the IPA, DSB, TLBI VMALLE1IS (entries that combine both
// stages), DSB, then the new entry (Arm ARM DDI 0487 K.a D8.13.1 "Using
// break-before-make when updating translation table entries"; D8.13
// "TLB maintenance instructions" for IPAS2E1; KVM: kvm_tlb_flush_vmid_ipa,
// arch/arm64/kvm/hyp/nvhe/tlb.c). Without it the guest's TLB may still
// hold the old translation of the IPA while the new one is live.
// el2: yes
// expect broken: break-before-make
// expect fixed: none
// expect cause: break-before-make break-before-make: break-before-make: store an
//   invalid entry, DSB, TLBI covering the address, DSB, then the new
//   entry
#include "harness.h"

/* Stage 2 2 MiB block attributes: Normal WB, read/write, Inner Shareable. */
#define S2_BLOCK        (1 | S2_NORMAL_ISH)
#define IPA             0x46000000
#define PA_OLD          0x46000000
#define PA_NEW          0x46200000

	.text
/* Entered at EL1: the machine has no EL2. */
	litmus_needs_el2

	.globl	litmus_el2_main
litmus_el2_main:
	el2_host_start
	/* Two values the guest reads with its MMU off: cleaned to the PoC. */
	ldr	x9, =PA_OLD
	mov	x10, #1
	str	x10, [x9]
	ldr	x12, =PA_NEW
	mov	x10, #2
	str	x10, [x12]
	mov	x0, x9
	mov	x1, #8
	dc_range cvac
	mov	x0, x12
	mov	x1, #8
	dc_range cvac
	dsb	sy
	/* Stage 2: 1 GiB of 2 MiB identity blocks at IPA 0x40000000. */
	adrp	x0, s2_l1
	adrp	x1, s2_l2
	orr	x2, x1, #3
	str	x2, [x0, #8]
	ldr	x2, =(0x40000000 | S2_BLOCK)
	mov	x3, #64
1:	str	x2, [x1], #8
	add	x2, x2, #(1 << 21)
	subs	x3, x3, #1
	b.ne	1b
	s2_tables_on
	ldr	x0, =(HCR_RW | HCR_VM)
	guest_prepare guest
	mov	x20, #0                 // HVCs taken
	isb
	eret

/* The guest (EL1, MMU off): read the IPA twice, an HVC after each. */
guest:
	ldr	x11, [x9]
	hvc	#0
	ldr	x11, [x9]
	hvc	#0

host_sync:
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x16               // HVC
	b.ne	host_exc
	add	x20, x20, #1
	cmp	x20, #1
	b.ne	done
	/* Move the IPA's block to PA_NEW. */
	adrp	x1, s2_l2
	add	x1, x1, #(((IPA - 0x40000000) >> 21) * 8)
	ldr	x2, =(PA_NEW | S2_BLOCK)
#if FIXED
	str	xzr, [x1]
	dsb	ish
	ldr	x3, =(IPA >> 12)
	tlbi	ipas2e1is, x3
	dsb	ish
	tlbi	vmalle1is
	dsb	ish
#endif
	str	x2, [x1]
	dsb	ish
	isb
	eret
done:
	puts	ok
	litmus_exit 0
host_exc:
	litmus_exit EXIT_EXCEPTION

	.ltorg
	vector_table el2_vectors, host_sync

	.section .rodata
ok:	.asciz	"s2-bbm: done\n"
noel2:	.asciz	"s2-bbm: needs EL2\n"

	.section .bss.tables, "aw", %nobits
	.balign	4096
s2_l1:	.skip	4096
s2_l2:	.skip	4096
