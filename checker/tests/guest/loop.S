// Spins forever: expect exit 124 once --max-insns is used up.
	.section .text.boot
	.globl _start
_start:
	b	.
