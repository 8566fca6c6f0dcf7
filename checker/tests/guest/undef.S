// An undefined instruction with VBAR_EL1 = 0 (no vectors): the PE takes
// the exception to 0x200, where there is no memory, and keeps taking
// instruction aborts there. The host must neither abort nor spin to the
// budget: expect the exception loop named as a machine error, exit 125.
	.section .text.boot
	.globl _start
_start:
	udf	#0
