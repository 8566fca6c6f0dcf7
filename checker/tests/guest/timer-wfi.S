// WFI with a pending interrupt that PSTATE.I masks: the EL1 physical
// timer's PPI 30 is enabled in the GIC, IRQs stay masked (as at reset), so
// the interrupt is never taken, yet WFI must end once it is pending (Arm
// ARM "Wait for Interrupt"). The PE checks ISR_EL1.I and
// ICC_HPPIR1_EL1 after the WFI. Expect "T", exit 0 (QEMU: the same).
#include "gic.h"
	.section .text.boot
	.globl _start
_start:
	gicv3_dist_on
	ldr	x20, =GICR(0)
	gicv3_cpu_on x20
	gicv3_private_on x20, 30, 0x80
	mov	x0, #1000
	msr	cntp_tval_el0, x0
	mov	x0, #1			// ENABLE, IMASK clear
	msr	cntp_ctl_el0, x0
	isb
1:	wfi
	mrs	x0, isr_el1
	tbz	x0, #7, 1b		// ISR_EL1.I: an IRQ is pending
	mrs	x0, icc_hppir1_el1
	cmp	x0, #30
	b.ne	fail
	putc	'T'
	putc	'\n'
	system_off
fail:	putc	'F'
	putc	'\n'
	system_off
	b	.
