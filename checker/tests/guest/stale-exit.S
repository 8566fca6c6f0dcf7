// A stale load, then the line kvm-unit-tests prints for a passing test
// ("EXIT: STATUS=1", its exit code 0 as (code << 1) | 1) and SYSTEM_OFF:
// through the qemu-system-aarch64 front end the finding must still fail
// the run, which exits 0 like QEMU without it (cli_tests.sh).
#include "stale-load.h"
	.section .text.boot
	.globl _start
_start:
	STALE_SETUP
	ldr	x11, [x9]		// the stale load
	adr	x1, msg
	mov	x2, #0x09000000
1:	ldrb	w3, [x1], #1
	cbz	w3, 2f
	strb	w3, [x2]
	b	1b
2:	ldr	w0, =0x84000008		// SYSTEM_OFF
	hvc	#0
	b	.
msg:	.asciz	"EXIT: STATUS=1\n"

	STALE_DATA
