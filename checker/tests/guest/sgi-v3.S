// An SGI from PE 0 to PE 1 through the GICv3: PE 1 enables SGI 5 in its
// redistributor, unmasks IRQs and waits in WFI; PE 0 sends it with
// ICC_SGI1R_EL1 (TargetList bit 1, Aff1..3 = 0). PE 1's handler records
// the INTID from ICC_IAR1_EL1 and ends it; PE 0 prints it. Expect "sgi 5",
// exit 0, with --smp 2 (QEMU -smp 2: the same).
#include "gic.h"

.macro sgi_dist_on
	gicv3_dist_on
.endm

.macro sgi_send
	mov	x0, #(5 << 24)		// INTID 5
	orr	x0, x0, #(1 << 1)	// TargetList: Aff0 = 1
	msr	icc_sgi1r_el1, x0
	isb
.endm

.macro sgi_pe1_on
	ldr	x20, =GICR(1)
	gicv3_cpu_on x20
	gicv3_private_on x20, 5, 0x40
.endm

.macro sgi_ack
	mrs	x1, icc_iar1_el1
	msr	icc_eoir1_el1, x1
.endm

#include "sgi-body.h"
