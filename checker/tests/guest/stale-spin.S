// A stale load, then a console line without its newline, then spins
// forever: a run stopped by a signal must still report the finding and
// print the partial line (cli_tests.sh). The store is made with the MMU
// off (Device, to memory) and read back through a cacheable mapping
// with no invalidation in between (stale-load.h).
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
2:	b	2b
msg:	.asciz	"line one\npartial"

	STALE_DATA
