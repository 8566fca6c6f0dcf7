// Run with --el2: starts at EL2, drops to EL1 with ERET, checks
// CurrentEL, HVC back to EL2 (EC 0x16 in ESR_EL2), then PSCI over SMC.
// Expect "EL2 EL1 HVC", exit 0.
	.section .text.boot
	.globl _start
_start:
	mov	x2, #0x09000000
	mrs	x0, CurrentEL
	cmp	x0, #8
	b.ne	fail
	adr	x1, m_el2
	bl	puts
	adr	x0, vectors
	msr	vbar_el2, x0
	mov	x0, #(1 << 31)		// HCR_EL2.RW
	msr	hcr_el2, x0
	mov	x0, #0x3c5		// EL1h, DAIF masked
	msr	spsr_el2, x0
	adr	x0, at_el1
	msr	elr_el2, x0
	eret
at_el1:
	mrs	x0, CurrentEL
	cmp	x0, #4
	b.ne	fail
	adr	x1, m_el1
	bl	puts
	hvc	#0x99
fail:	b	.

back_at_el2:
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x16
	b.ne	fail
	adr	x1, m_hvc
	bl	puts
	ldr	w0, =0x84000008
	smc	#0
	b	.

puts:	ldrb	w3, [x1], #1
	cbz	w3, 1f
	strb	w3, [x2]
	b	puts
1:	ret

m_el2:	.asciz	"EL2 "
m_el1:	.asciz	"EL1 "
m_hvc:	.asciz	"HVC\n"

	.balign	2048
vectors:
	.skip	0x400
	b	back_at_el2		// lower EL, AArch64, synchronous
