// Rule: never use DC ZVA with the MMU off: with M = 0 data accesses are
// Device, and DC ZVA to Device memory takes an alignment fault
// (docs/boot-cache-maintenance.md "Architectural facts" fact 6;
// Arm ARM DC ZVA). The verdict for the broken form
// is the guest's exception, not a finding: the harness's vector reports
// it and exits with status 3. The fixed form zeroes with the MMU on.
// expect broken: exception
// expect fixed: none
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build
	bl	tables_inval
#if FIXED
	bl	mmu_enable
#endif
	adr	x9, zbuf
	dc	zva, x9
	ldr	x10, [x9]
	cbnz	x10, bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"dczva-mmuoff: zeroed\n"

	/* 2 KiB aligned: the largest DC ZVA block. */
	.section .litmus_data, "aw"
	.balign	2048
zbuf:	.fill	2048, 1, 0x11
