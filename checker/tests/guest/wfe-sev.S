// PE 1 sleeps in WFE until PE 0, after a long busy delay, sets a flag
// and sends SEV: a wait that another running PE ends is no deadlock.
// Expect "ok", exit 0.
	.section .text.boot
	.globl _start
_start:
	ldr	w0, =0xc4000003		// CPU_ON
	mov	x1, #1
	adr	x2, secondary
	mov	x3, #0
	hvc	#0
	cbnz	x0, fail
	mov	x7, #20000		// PE 1 reaches its WFE long before
1:	subs	x7, x7, #1
	b.ne	1b
	adr	x5, flag
	mov	w6, #1
	str	w6, [x5]
	dsb	ish
	sev
	adr	x5, done
2:	wfe				// until PE 1 answers with SEV
	ldr	w6, [x5]
	cbz	w6, 2b
	mov	x2, #0x09000000
	mov	w3, #'o'
	strb	w3, [x2]
	mov	w3, #'k'
	strb	w3, [x2]
	mov	w3, #'\n'
	strb	w3, [x2]
	ldr	w0, =0x84000008
	hvc	#0
fail:	b	.

secondary:
	adr	x5, flag
1:	wfe
	ldr	w6, [x5]
	cbz	w6, 1b
	adr	x5, done
	mov	w6, #1
	str	w6, [x5]
	dsb	ish
	sev
	ldr	w0, =0x84000002		// CPU_OFF
	hvc	#0
	b	.

	.balign	8
flag:	.word	0
done:	.word	0
