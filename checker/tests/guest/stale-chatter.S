// A stale load (as stale-spin.S) at the label weird_name, then prints
// "tick" lines forever: for a run whose stdout is closed (SIGPIPE), and
// for symbol names with control characters (cli_tests.sh renames
// weird_name in a copy of the ELF).
#include "stale-load.h"
	.section .text.boot
	.globl _start
_start:
	STALE_SETUP
	.globl	weird_name
	.type	weird_name, %function
weird_name:
	ldr	x11, [x9]		// the stale load
	mov	x2, #0x09000000
0:	adr	x1, msg
1:	ldrb	w3, [x1], #1
	cbz	w3, 0b
	strb	w3, [x2]
	b	1b
	.size	weird_name, . - weird_name
msg:	.asciz	"tick\n"

	STALE_DATA
