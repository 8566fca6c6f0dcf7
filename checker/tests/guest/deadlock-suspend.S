// A lone PE idles in PSCI CPU_SUSPEND with no wake-up source: a deadlock
// like WFI's. Expect exit 125 naming the PSCI call.
	.section .text.boot
	.globl _start
_start:
	ldr	w0, =0xc4000001		// CPU_SUSPEND (64-bit), standby
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	hvc	#0
	b	_start
