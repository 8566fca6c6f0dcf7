// Benchmark entry: stack, main(), then PSCI SYSTEM_OFF over HVC.
	.section .text.boot
	.globl _start
_start:
	adr	x0, stack_top
	mov	sp, x0
	bl	main
	ldr	w0, =0x84000008
	hvc	#0
	b	.

	.bss
	.balign	16
	.skip	16384
stack_top:
