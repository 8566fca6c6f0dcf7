// Prints through the PL011, reports status 0, then PSCI SYSTEM_OFF.
// Expect: output "hello from coherent", exit 0.
	.section .text.boot
	.globl _start
_start:
	adr	x1, msg
	mov	x2, #0x09000000
1:	ldrb	w3, [x1], #1
	cbz	w3, 2f
	strb	w3, [x2]
	b	1b
2:	movz	w0, #0x0008
	movk	w0, #0x8400, lsl #16	// SYSTEM_OFF
	hvc	#0
	b	.
msg:	.asciz	"hello from coherent\nEXIT: STATUS=0\n"
