// A timer that fires into a GIC that does not forward it: PE 0 arms the
// physical timer 2^40 ticks (about five hours) ahead but never enables
// its PPI, then waits in WFI. Guest time jumps to the deadline (stepping
// there one round at a time would take the host minutes), and once the
// timer has fired nothing can wake the PE any more: a deadlock. Expect
// exit 125 with the deadlock error.
#include "gic.h"
	.section .text.boot
	.globl _start
_start:
	mrs	x0, cntpct_el0
	mov	x1, #(1 << 40)
	add	x0, x0, x1
	msr	cntp_cval_el0, x0
	mov	x0, #1
	msr	cntp_ctl_el0, x0
	isb
park:	wfi
	b	park
