// GIC set-up for the guest programs (the GICv3 macros; sgi-v2.S uses
// GICD, putc and system_off only), at QEMU virt's addresses
// (hw/arm/virt.c base_memmap: distributor 0x08000000, redistributors from
// 0x080a0000, 128 KiB each: RD_base then SGI_base). Register offsets from
// Arm IHI 0069, the GICD_*, GICR_*, ICC_* register descriptions. The macros use
// x9..x11.
#define GICD		0x08000000
#define GICR(n)		(0x080a0000 + (n) * 0x20000)
#define UART		0x09000000

// Print one character on the PL011.
.macro putc ch
	mov	x9, #UART
	mov	w10, #\ch
	strb	w10, [x9]
.endm

// PSCI SYSTEM_OFF (HVC: QEMU virt without virtualization=on).
.macro system_off
	ldr	w0, =0x84000008
	hvc	#0
.endm

// GICD_CTLR: ARE and EnableGrp1 (one security state: bit 1).
.macro gicv3_dist_on
	mov	x9, #GICD
	mov	w10, #0x12
	str	w10, [x9]
.endm

// This PE's CPU interface, its redistributor's base in \rd: clear
// GICR_WAKER.ProcessorSleep and wait for ChildrenAsleep to clear, then
// ICC_SRE_EL1.SRE, ICC_PMR_EL1 = 0xf0, ICC_IGRPEN1_EL1 = 1.
.macro gicv3_cpu_on rd
	ldr	w10, [\rd, #0x14]
	bic	w10, w10, #2
	str	w10, [\rd, #0x14]
1:	ldr	w10, [\rd, #0x14]
	tbnz	w10, #2, 1b
	mrs	x10, icc_sre_el1
	orr	x10, x10, #1
	msr	icc_sre_el1, x10
	isb
	mov	x10, #0xf0
	msr	icc_pmr_el1, x10
	mov	x10, #1
	msr	icc_igrpen1_el1, x10
	isb
.endm

// SGI or PPI \intid of the redistributor at \rd: Group 1, priority
// \prio, enabled (GICR_IGROUPR0, GICR_IPRIORITYR, GICR_ISENABLER0).
.macro gicv3_private_on rd, intid, prio
	add	x11, \rd, #0x10000
	ldr	w10, [x11, #0x80]
	orr	w10, w10, #(1 << \intid)
	str	w10, [x11, #0x80]
	mov	w10, #\prio
	strb	w10, [x11, #(0x400 + \intid)]
	mov	w10, #(1 << \intid)
	str	w10, [x11, #0x100]
.endm
