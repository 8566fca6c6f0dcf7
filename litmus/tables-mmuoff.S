// Rule: translation tables written with the MMU off must be invalidated
// to the PoC before the MMU is turned on with cacheable walks (TCR
// IRGN/ORGN Write-Back): the walker may hit a stale clean line of the
// old contents (docs/boot-cache-maintenance.md "boot-inval" and
// docs/boot-cache-maintenance.md "Architectural facts" fact 8; Linux
// __create_page_tables).
// expect broken: stale-walk may
// expect fixed: none
// expect cause: not-invalidated stale-walk: DC IVAC over the tables, then
//   DSB, after writing them with the MMU off and before the MMU enable
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	bl	idmap_build             // Device stores, MMU off
#if FIXED
	bl	tables_inval
#endif
	bl	mmu_enable              // walks are cacheable from here
	adr	x9, value
	ldr	x10, [x9]
	puts	ok
	litmus_exit 0

	.section .rodata
ok:	.asciz	"tables-mmuoff: MMU on\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0
