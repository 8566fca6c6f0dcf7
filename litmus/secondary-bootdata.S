// Rule: data a secondary PE reads with its MMU off (its boot arguments)
// must be cleaned to the PoC before PSCI CPU_ON (docs/boot-cache-maintenance.md
// "secondary-data"; the Zephyr SMP boot-parameter bug).
// smp: 2
// expect broken: stale-load may M
// expect fixed: none
// expect cause: not-cleaned stale-load: DC CVAC (or CIVAC) over the ranges,
//   then DSB, after the writes and before the non-cacheable read (before
//   the MMU or cache is turned off)
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	idmap_mmu_on
	adr	x9, boot_data
	ldr	x10, =0xb007da7a
	str	x10, [x9]               // cacheable
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range cvac
	dsb	sy
#endif
	mov	x0, #1                 // MPIDR affinity of PE 1
	mov	x1, #0
	bl	cpu_on
	cbnz	x0, bad
	mov	x0, #1
	bl	cpu_wait_off
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

/* The secondary, MMU off: reads its boot data, then turns itself off. */
	.globl	litmus_secondary
litmus_secondary:
	adr	x9, boot_data
	ldr	x10, [x9]               // Device load: memory only
	b	cpu_off

	.section .rodata
ok:	.asciz	"secondary-bootdata: secondary ran\n"

	.section .litmus_data, "aw"
	.balign	64
boot_data: .quad 0
