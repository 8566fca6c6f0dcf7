/* The last instructions of an image handing off to another (handoff.c):
 * with everything the next image needs already cleaned to the PoC, turn
 * the MMU off and branch with its arguments, touching no memory after
 * SCTLR.M = 0 (docs/boot-cache-maintenance.md "Turning the MMU off").
 * void handoff_jump(u64 entry, u64 a0, u64 a1, u64 a2, u64 a3, u64 sctlr) */
#include "asm.h"

ENTRY(handoff_jump)
	msr	sctlr_el1, x5
	isb
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	br	x16
ENDPROC(handoff_jump)
