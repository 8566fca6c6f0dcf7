// Two cache maintenance sites, then a spin long enough (about 4 x 10^7
// instructions) for checker/tests/run_audit_tests.sh to signal the audit
// or one of its runs while it runs. The MMU stays off, so suppressing
// either site makes no finding: both are "not shown necessary".
	.section .text.boot
	.globl _start
_start:
	adr	x1, line
	dc	civac, x1
	dsb	sy
	dc	cvac, x1
	dsb	sy
	ldr	x2, =20000000
1:	subs	x2, x2, #1
	b.ne	1b
	ldr	w0, =0x84000008		// SYSTEM_OFF
	hvc	#0
	b	.

	.balign	64			// in the text: no RWX data segment
line:	.quad	0
