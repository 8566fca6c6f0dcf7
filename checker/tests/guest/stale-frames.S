// A stale load made and read three calls deep, each function with its
// AAPCS64 frame record (stp x29, x30 / mov x29, sp), as a compiler
// builds them with -fno-omit-frame-pointer: the root cause's backtraces
// of the first read and of the write that made it stale each list the
// three functions (backtrace_tests.sh). The MMU is turned on between the
// two calls, so the stack is written with it off only by frames that
// are gone before a cacheable read of it: one finding, the load.
#include "stale-load.h"
	.section .text.boot
	.globl _start
_start:
	adr	x0, stack_top
	mov	sp, x0
	mov	x29, #0			// the outermost frame: ends the chain
	bl	setup_outer
	bl	mmu_on
	bl	read_outer
	ldr	w0, =0x84000008		// SYSTEM_OFF
	hvc	#0
	b	.

	.text
	.type	setup_outer, %function
setup_outer:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	setup_inner
	ldp	x29, x30, [sp], #16
	ret

	.type	setup_inner, %function
setup_inner:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	adr	x9, value
	mov	x10, #0x5a
	str	x10, [x9]		// the store with the MMU off
	ldp	x29, x30, [sp], #16
	ret

	// STALE_SETUP's enable: the line of value cacheable, not invalidated
	.type	mmu_on, %function
mmu_on:
	mov	x0, #0xff00		// attr0 Device-nGnRnE, attr1 Normal WB
	msr	mair_el1, x0
	ldr	x0, =(25 | 1 << 8 | 1 << 10 | 3 << 12 | 2 << 32)
	msr	tcr_el1, x0
	adr	x0, l1
	msr	ttbr0_el1, x0
	isb
	ldr	x0, =(0x30d00800 | 1 | 1 << 2 | 1 << 12)	// M, C, I
	msr	sctlr_el1, x0
	isb
	ret

	.type	read_outer, %function
read_outer:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	read_inner
	ldp	x29, x30, [sp], #16
	ret

	.type	read_inner, %function
read_inner:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	adr	x9, value
	ldr	x11, [x9]		// the stale load
	ldp	x29, x30, [sp], #16
	ret

	STALE_DATA
	.balign	16
	.skip	4096
stack_top:
