// Rule: a write to SCTLR_EL1 takes effect for later instructions only
// after a context synchronisation event (ISB): until then whether fetches
// and walks use the new setting is not defined
// (docs/boot-cache-maintenance.md "The boot sequence" step 6;
// Arm ARM "Synchronization requirements for AArch64 System registers").
// expect broken: missing-barrier
// expect fixed: none
// expect cause: missing-barrier missing-barrier: ISB after the system register write, before the first
//   access it translates
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	bl	tables_inval
	tlbi	vmalle1
	dsb	nsh
	ldr	x0, =0x44ff00
	msr	mair_el1, x0
	ldr	x0, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32))
	msr	tcr_el1, x0
	adrp	x0, idmap_l1
	msr	ttbr0_el1, x0
	isb
	mrs	x0, sctlr_el1
	ldr	x1, =(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x0, x0, x1
	msr	sctlr_el1, x0
#if FIXED
	isb
#endif
	adr	x9, value
	ldr	x10, [x9]
	puts	ok
	litmus_exit 0

	.section .rodata
ok:	.asciz	"missing-isb-sctlr: MMU on\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
