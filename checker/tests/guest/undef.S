// An undefined instruction with VBAR_EL1 = 0 (no vectors): the PE takes
// the exception to 0x200, where there is no memory, and keeps taking
// instruction aborts. The host must not abort: expect exit 124.
	.section .text.boot
	.globl _start
_start:
	udf	#0
