// An SGI from PE 0 to PE 1 through the GICv2 (--gic-version=2): PE 1
// enables SGI 5 in its banked GICD_ISENABLER0, turns on its GICC and
// waits in WFI with IRQs unmasked; PE 0 sends the SGI with GICD_SGIR
// (CPUTargetList bit 1). PE 1's handler reads GICC_IAR (CPUID 0, INTID 5)
// and writes it back to GICC_EOIR. Registers: Arm IHI 0048B, GICD_* and GICC_*.
// Expect "sgi 5", exit 0, with --smp 2 (QEMU gic-version=2 -smp 2: the
// same).
#include "gic.h"
#define GICC		0x08010000

.macro sgi_dist_on
	mov	x1, #GICD
	mov	w2, #1			// GICD_CTLR.Enable
	str	w2, [x1]
.endm

.macro sgi_send
	mov	x1, #GICD
	ldr	w2, =(1 << 17) | 5	// CPUTargetList: PE 1; SGI 5
	str	w2, [x1, #0xf00]	// GICD_SGIR
.endm

.macro sgi_pe1_on
	mov	x1, #GICD
	mov	w2, #0x40
	strb	w2, [x1, #0x405]	// GICD_IPRIORITYR: SGI 5
	mov	w2, #(1 << 5)
	str	w2, [x1, #0x100]	// GICD_ISENABLER0 (banked)
	mov	x1, #GICC
	mov	w2, #0xf0
	str	w2, [x1, #0x4]		// GICC_PMR
	mov	w2, #1
	str	w2, [x1]		// GICC_CTLR.Enable
.endm

.macro sgi_ack
	mov	x2, #GICC
	ldr	w1, [x2, #0xc]		// GICC_IAR
	str	w1, [x2, #0x10]		// GICC_EOIR
.endm

#include "sgi-body.h"
