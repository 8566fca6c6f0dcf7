// SVC and an undefined instruction taken to our own EL1 vectors; the
// handler prints ESR_EL1.EC as a letter ('A' + EC), skips the
// instruction and returns. Expect "V" (0x15) then "A" (0x00), exit 0.
	.section .text.boot
	.globl _start
_start:
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	svc	#0x15
	udf	#1
	mov	x2, #0x09000000
	mov	w3, #'\n'
	strb	w3, [x2]
	ldr	w0, =0x84000008
	hvc	#0
	b	.

	.balign	2048
vectors:
	.skip	0x200
	// current EL with SP_ELx, synchronous
	mrs	x4, esr_el1
	lsr	x4, x4, #26
	add	x4, x4, #'A'
	mov	x2, #0x09000000
	strb	w4, [x2]
	mrs	x5, elr_el1
	mrs	x6, esr_el1
	lsr	x6, x6, #26
	cmp	x6, #0x15		// SVC: ELR already points after it
	b.eq	1f
	add	x5, x5, #4
1:	msr	elr_el1, x5
	eret
