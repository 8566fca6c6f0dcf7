// The virtual timer's IRQ taken at EL1 through the GICv3: one second of
// guest time (CNTFRQ_EL0 ticks) ahead, with the PE in WFI meanwhile (the
// checker skips the idle time; 10^9 instructions' worth would exceed the
// test's budget). The handler acknowledges PPI 27 (ICC_IAR1_EL1), checks
// the running priority, masks the timer (IMASK) and ends the interrupt
// (ICC_EOIR1_EL1). Expect "irq 27", exit 0 (QEMU: the same).
#include "gic.h"
#define TIMER_PPI 27

.macro timer_vectors
	msr	vbar_el1, x0
.endm

.macro timer_arm
	mrs	x0, cntfrq_el0
	msr	cntv_tval_el0, x0
	mov	x0, #1
	msr	cntv_ctl_el0, x0
.endm

.macro timer_check
	mrs	x0, icc_rpr_el1		// idle again after the EOI
	cmp	x0, #0xff
	b.ne	fail
.endm

.macro timer_in_irq
	mrs	x2, icc_rpr_el1		// the acknowledged priority
	cmp	x2, #0x80
	b.ne	fail
	mov	x2, #3			// ENABLE, IMASK: deassert the PPI
	msr	cntv_ctl_el0, x2
.endm

.macro timer_off
	system_off
.endm

#include "timer-body.h"
