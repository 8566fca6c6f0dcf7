// A lone PE waits for an interrupt that nothing can raise (no timer is
// armed, no interrupt controller): the machine must name the deadlock
// at once, not run to the instruction budget. Expect exit 125.
	.section .text.boot
	.globl _start
_start:
	mov	x2, #0x09000000
	mov	w3, #'W'
	strb	w3, [x2]
	mov	w3, #'\n'
	strb	w3, [x2]
park:	wfi
	b	park
