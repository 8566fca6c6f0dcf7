// The EL2 physical timer's IRQ taken at EL2 (--el2): PPI 26 through the
// GICv3, routed to EL2 by HCR_EL2.IMO (without it a physical IRQ targets
// EL1 and is not taken at EL2: Arm ARM D1, "Asynchronous exception
// types, routing, masking and priorities"). Expect "irq 26", exit 0
// (QEMU virt,gic-version=3,virtualization=on: the same, PSCI over SMC).
#include "gic.h"
#define TIMER_PPI 26

.macro timer_vectors
	msr	vbar_el2, x0
	mrs	x0, hcr_el2
	orr	x0, x0, #(1 << 4)	// IMO
	msr	hcr_el2, x0
.endm

.macro timer_arm
	mov	x0, #1000
	msr	cnthp_tval_el2, x0
	mov	x0, #1
	msr	cnthp_ctl_el2, x0
.endm

.macro timer_check
.endm

.macro timer_in_irq
	mov	x2, #0			// disable the timer
	msr	cnthp_ctl_el2, x2
.endm

.macro timer_off
	ldr	w0, =0x84000008
	smc	#0
.endm

#include "timer-body.h"
