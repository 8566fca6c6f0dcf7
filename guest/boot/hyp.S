/* The hypervisor's EL2 side that C cannot do (lib/hyp.c): its vectors,
 * turning its MMU on, calls from the host's EL1, and the switch into and
 * out of the guest. The vector layout is the Arm ARM's (DDI 0487 K.a
 * "Exception vectors"): 0x000 current EL with SP_EL0, 0x200 current
 * EL with SP_ELx, 0x400 lower EL AArch64, 0x600 lower EL AArch32, each
 * sync, IRQ, FIQ, SError 0x80 apart. Two tables: the host's while EL1 is
 * the host, the guest's while the guest runs, so an entry knows whose
 * registers it holds without touching any. */
#include "asm.h"

.macro	bad_vector n
	.align	7
	mov	x3, #\n
	b	hyp_bad_exception
.endm

/* A guest exit: its x0 and x1 go on the EL2 stack (the host's, below the
 * frame hyp_guest_enter pushed), the reason into x1. */
.macro	guest_exit reason
	.align	7
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\reason
	b	hyp_guest_exit
.endm

	.text
	.align	11
	.globl	hyp_host_vectors
hyp_host_vectors:
	bad_vector 0
	bad_vector 1
	bad_vector 2
	bad_vector 3
	bad_vector 4
	bad_vector 5
	bad_vector 6
	bad_vector 7
	.align	7
	b	hyp_host_sync
	bad_vector 9
	bad_vector 10
	bad_vector 11
	bad_vector 12
	bad_vector 13
	bad_vector 14
	bad_vector 15

	.align	11
hyp_guest_vectors:
	bad_vector 0
	bad_vector 1
	bad_vector 2
	bad_vector 3
	bad_vector 4
	bad_vector 5
	bad_vector 6
	bad_vector 7
	guest_exit VCPU_EXIT_SYNC
	guest_exit VCPU_EXIT_IRQ
	guest_exit VCPU_EXIT_FIQ
	guest_exit VCPU_EXIT_SERROR
	bad_vector 12
	bad_vector 13
	bad_vector 14
	bad_vector 15

/* x3 = the vector's number; hyp_fatal (hyp.c) prints and powers off. */
hyp_bad_exception:
	mrs	x0, esr_el2
	mrs	x1, elr_el2
	mrs	x2, far_el2
	b	hyp_fatal

/* An exception from the host at EL1: only HVC is expected. x0 is
 * HYP_CALL_INIT or a function to call with x1; x0..x18 are the caller's
 * to lose (hyp_hvc is an ordinary call), x19..x30 are kept. */
hyp_host_sync:
	mrs	x17, esr_el2
	lsr	x17, x17, #ESR_EC_SHIFT
	cmp	x17, #ESR_EC_HVC64
	b.eq	1f
	mov	x3, #8
	b	hyp_bad_exception
1:	cmp	x0, #HYP_CALL_INIT
	b.eq	hyp_el2_mmu_on
	stp	x29, x30, [sp, #-32]!
	/* The function may run a guest, whose exits overwrite these. */
	mrs	x16, elr_el2
	mrs	x17, spsr_el2
	stp	x16, x17, [sp, #16]
	mov	x29, xzr
	mov	x16, x0
	mov	x0, x1
	blr	x16
	ldp	x16, x17, [sp, #16]
	msr	elr_el2, x16
	msr	spsr_el2, x17
	ldp	x29, x30, [sp], #32
	eret

/* HYP_CALL_INIT: x1 = TTBR0_EL2, x2 = TCR_EL2, x3 = MAIR_EL2,
 * x4 = SCTLR_EL2, x5 = the EL2 stack. The EL2 MMU is off: touch no
 * memory until it is on (data accesses would be Device and see only the
 * PoC, not what the host wrote cacheably). */
ENTRY(hyp_el2_mmu_on)
	mov	sp, x5
	msr	mair_el2, x3
	msr	tcr_el2, x2
	msr	ttbr0_el2, x1
	/* VMID 0 for the host's EL1&0 regime from now on, as Linux's
	 * init_el2_state (__init_el2_stage2) does: the reset value of
	 * VTTBR_EL2 is UNKNOWN and guests get other VMIDs. */
	msr	vttbr_el2, xzr
	isb
	/* The EL2 TLB may hold entries from before this boot (the firmware
	 * ran at EL2 with its MMU on; a TLB's contents at reset are UNKNOWN),
	 * and so may VMID 0's EL1&0 entries, which the host uses from the ERET
	 * below: invalidate both before the first walk. Local: no other PE
	 * uses this EL2 or VMID 0 here yet. DSB NSH completes them, ISB
	 * before SCTLR_EL2.M (Arm ARM DDI 0487 K.a D8.13 "TLB maintenance
	 * requirements"; Linux __cpu_setup, TF-A enable_mmu_direct_el2).
	 * [BCM: hyp-enable-tlbi] */
	tlbi	alle2
	tlbi	vmalls12e1
	dsb	nsh
	isb
	msr	sctlr_el2, x4
	isb
	mov	x0, xzr
	eret
ENDPROC(hyp_el2_mmu_on)

/* u64 hyp_guest_enter(struct vcpu *vcpu), at EL2: the host's callee-saved
 * registers go on its stack, their place into vcpu->host_sp; TPIDR_EL2
 * points the exit path at vcpu. */
ENTRY(hyp_guest_enter)
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x1, sp
	str	x1, [x0, #VCPU_HOST_SP]
	msr	tpidr_el2, x0
	/* Taken exceptions use VBAR_EL2 once a context synchronization event
	 * (the ERET) has passed. */
	adr_l	x1, hyp_guest_vectors
	msr	vbar_el2, x1
	ldp	x1, x2, [x0, #VCPU_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #VCPU_X0 + 16]
	ldp	x4, x5, [x0, #VCPU_X0 + 32]
	ldp	x6, x7, [x0, #VCPU_X0 + 48]
	ldp	x8, x9, [x0, #VCPU_X0 + 64]
	ldp	x10, x11, [x0, #VCPU_X0 + 80]
	ldp	x12, x13, [x0, #VCPU_X0 + 96]
	ldp	x14, x15, [x0, #VCPU_X0 + 112]
	ldp	x16, x17, [x0, #VCPU_X0 + 128]
	ldp	x18, x19, [x0, #VCPU_X0 + 144]
	ldp	x20, x21, [x0, #VCPU_X0 + 160]
	ldp	x22, x23, [x0, #VCPU_X0 + 176]
	ldp	x24, x25, [x0, #VCPU_X0 + 192]
	ldp	x26, x27, [x0, #VCPU_X0 + 208]
	ldp	x28, x29, [x0, #VCPU_X0 + 224]
	ldr	x30, [x0, #VCPU_X0 + 240]
	ldp	x0, x1, [x0, #VCPU_X0]
	eret
ENDPROC(hyp_guest_enter)

/* From guest_exit: x1 = reason, the guest's x0, x1 on the stack. */
hyp_guest_exit:
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #VCPU_X0 + 16]
	stp	x4, x5, [x0, #VCPU_X0 + 32]
	stp	x6, x7, [x0, #VCPU_X0 + 48]
	stp	x8, x9, [x0, #VCPU_X0 + 64]
	stp	x10, x11, [x0, #VCPU_X0 + 80]
	stp	x12, x13, [x0, #VCPU_X0 + 96]
	stp	x14, x15, [x0, #VCPU_X0 + 112]
	stp	x16, x17, [x0, #VCPU_X0 + 128]
	stp	x18, x19, [x0, #VCPU_X0 + 144]
	stp	x20, x21, [x0, #VCPU_X0 + 160]
	stp	x22, x23, [x0, #VCPU_X0 + 176]
	stp	x24, x25, [x0, #VCPU_X0 + 192]
	stp	x26, x27, [x0, #VCPU_X0 + 208]
	stp	x28, x29, [x0, #VCPU_X0 + 224]
	str	x30, [x0, #VCPU_X0 + 240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #VCPU_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #VCPU_ESR]
	mrs	x2, hpfar_el2
	str	x2, [x0, #VCPU_HPFAR]
	/* Back to the host's vectors before any exception the host's C code
	 * could take at EL2. */
	adr_l	x2, hyp_host_vectors
	msr	vbar_el2, x2
	isb
	ldr	x2, [x0, #VCPU_HOST_SP]
	mov	sp, x2
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/* u64 hyp_hvc(x0, ..., x5) from EL1: HVC #0 with those registers, x0 back. */
ENTRY(hyp_hvc)
	hvc	#0
	ret
ENDPROC(hyp_hvc)
