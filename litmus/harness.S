/* The litmus harness (harness.h): boots from the arm64 Image header
 * (QEMU -kernel, coherent run) at EL1 (dropping from EL2 if entered
 * there), MMU off, and provides the routines the litmus programs share:
 * console output on the PL011, power off, PSCI CPU_ON, a tiny identity
 * map (2 MiB blocks: RAM Normal Write-Back Inner Shareable, the UART
 * Device-nGnRnE) and MMU enable/disable. No stack anywhere (harness.h). */
#include "harness.h"

	.section .head, "ax"
	.globl	_start
_start:
	/* arm64 Image header (Linux Documentation/arm64/booting.rst). */
	b	entry                   // code0
	.long	0                       // code1
	.quad	0x80000                 // text_offset: RAM base + 512 KiB
	.quad	_image_size             // image_size, BSS included (harness.lds)
	.quad	0x2                     // flags: little-endian, 4 KiB pages
	.quad	0, 0, 0                 // res2..res4
	.ascii	"ARM\x64"               // magic
	.long	0                       // res5

/* A PSCI call: HVC, or SMC when EL2 is implemented (QEMU virt and
 * coherent then leave HVC to the hypervisor). Clobbers x6. */
.macro psci
	mrs	x6, id_aa64pfr0_el1
	ubfx	x6, x6, #8, #4
	cbz	x6, .Lhvc\@
	smc	#0
	b	.Lpsci\@
.Lhvc\@:
	hvc	#0
.Lpsci\@:
.endm

	.text
entry:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	el1
	/* A program with an EL2 part (harness.h "litmus_el2_main") starts
	 * there, MMU and caches off. */
	ldr	x0, =litmus_el2_main
	cbz	x0, 1f
	ldr	x1, =SCTLR_EL1_OFF
	msr	sctlr_el1, x1
	br	x0
1:
	/* EL2: AArch64 EL1, no traps we care about; eret to el1. */
	mov	x0, #(1 << 31)          // HCR_EL2.RW
	msr	hcr_el2, x0
	ldr	x0, =SCTLR_EL1_OFF
	msr	sctlr_el1, x0
	mov	x0, #0x3c5              // EL1h, DAIF masked
	msr	spsr_el2, x0
	adr	x0, el1
	msr	elr_el2, x0
	eret
el1:
	ldr	x0, =SCTLR_EL1_OFF      // M, C, I off, whatever the loader left
	msr	sctlr_el1, x0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	b	litmus_main

/* Secondary PEs started by cpu_on begin here: MMU off, vectors, then
 * the program's secondary entry (x0 = the context passed to cpu_on). */
	.globl	secondary_start
secondary_start:
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.eq	.                       // litmus SMP programs run at EL1
	ldr	x1, =SCTLR_EL1_OFF
	msr	sctlr_el1, x1
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	b	litmus_secondary

/* Programs without secondaries need not define one, nor an EL2 part. */
	.weak	litmus_el2_main
	.weak	litmus_secondary
litmus_secondary:
	b	cpu_off

/* x0 = NUL-terminated string. */
	.globl	uart_puts
uart_puts:
	mov	x1, #UART_BASE
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	strb	w2, [x1]
	b	1b
2:	ret

/* x0 = value: 16 hex digits. */
	.globl	uart_puthex
uart_puthex:
	mov	x1, #UART_BASE
	mov	x2, #60
1:	lsr	x3, x0, x2
	and	x3, x3, #15
	cmp	x3, #10
	add	x4, x3, #'0'
	add	x3, x3, #('a' - 10)
	csel	x3, x4, x3, lo
	strb	w3, [x1]
	subs	x2, x2, #4
	b.ge	1b
	ret

/* x0 = status (0..99): "EXIT: STATUS=n", then PSCI SYSTEM_OFF. */
	.globl	harness_exit
harness_exit:
	mov	x5, x0
	adr	x0, s_exit
	bl	uart_puts
	mov	x1, #UART_BASE
	mov	x2, #10
	udiv	x3, x5, x2
	msub	x4, x3, x2, x5          // ones
	cbz	x3, 1f
	add	x3, x3, #'0'
	strb	w3, [x1]
1:	add	x4, x4, #'0'
	strb	w4, [x1]
	mov	x4, #'\n'
	strb	w4, [x1]
	ldr	x0, =PSCI_SYS_OFF
	psci
	b	.

/* x0 = target MPIDR, x1 = context for the secondary (its x0). Returns
 * the PSCI status in x0. */
	.globl	cpu_on
cpu_on:
	mov	x3, x1
	mov	x1, x0
	adr	x2, secondary_start
	ldr	x0, =PSCI_CPU_ON
	psci
	ret

/* x0 = target MPIDR: wait until PSCI AFFINITY_INFO says it is off. */
	.globl	cpu_wait_off
cpu_wait_off:
	mov	x5, x0
1:	ldr	x0, =PSCI_AFF_INFO
	mov	x1, x5
	mov	x2, #0
	psci
	cmp	x0, #1                  // OFF
	b.ne	1b
	ret

	.globl	cpu_off
cpu_off:
	ldr	x0, =PSCI_CPU_OFF
	psci
	b	.

/* Build the identity map in idmap_l1/l2 (BSS). Written with whatever
 * SCTLR the caller has: with the MMU off these are Device stores, and the
 * caller must invalidate the tables (tables_inval) before a cacheable
 * walk can read them, which is what the "tables" litmus is about. */
	.globl	idmap_build
idmap_build:
	adrp	x0, idmap_l1
	adrp	x1, idmap_l2_dev
	orr	x2, x1, #3              // table descriptor
	str	x2, [x0]                // 0..1 GiB: devices
	adrp	x1, idmap_l2_ram
	orr	x2, x1, #3
	str	x2, [x0, #8]            // 1..2 GiB: RAM
	/* UART: one 2 MiB Device block, execute-never. */
	adrp	x1, idmap_l2_dev
	ldr	x2, =(UART_BASE | (1 << 10) | (ATTR_DEVICE << 2) | 1 | (3 << 53))
	str	x2, [x1, #((UART_BASE >> 21) * 8)]
	/* RAM 0x40000000..0x48000000: 64 blocks, Normal WB, Inner Shareable. */
	adrp	x1, idmap_l2_ram
	ldr	x2, =(0x40000000 | (1 << 10) | (3 << 8) | (ATTR_NORMAL << 2) | 1)
	mov	x3, #64
1:	str	x2, [x1], #8
	add	x2, x2, #(1 << 21)
	subs	x3, x3, #1
	b.ne	1b
	ret

/* Invalidate the tables to the PoC after writing them with the MMU off
 * (docs/boot-cache-maintenance.md "boot-inval"): DMB SY orders the
 * stores, DSB SY completes. */
	.globl	tables_inval
tables_inval:
	dmb	sy
	adrp	x0, idmap_l1
	adrp	x1, idmap_end
	sub	x1, x1, x0
	dc_range ivac
	dsb	sy
	ret

/* TLBI, MAIR, TCR (T0SZ 25: 39-bit VA from level 1; walks Inner/Outer
 * WB-WA Inner Shareable; TTBR1 walks off; 40-bit PA), TTBR0, ISB, then
 * SCTLR.M|C|I, ISB. */
	.globl	mmu_enable
mmu_enable:
	tlbi	vmalle1
	dsb	nsh
	ldr	x0, =0xaa44ff00         // idx0 Device, idx1 WB, idx2 NC, idx3 WT
	msr	mair_el1, x0
	ldr	x0, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32))
	msr	tcr_el1, x0
	adrp	x0, idmap_l1
	msr	ttbr0_el1, x0
	isb
	mrs	x0, sctlr_el1
	ldr	x1, =(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	ret

/* The same identity map for the EL2 regime (AP[1] and nG are ignored
 * there): TLBI ALLE2, MAIR_EL2, TCR_EL2 (T0SZ 25, walks WB-WA Inner
 * Shareable, 40-bit PA, RES1 bits 31 and 23), TTBR0_EL2, ISB, then
 * SCTLR_EL2.M|C|I, ISB. */
	.globl	mmu_enable_el2
mmu_enable_el2:
	tlbi	alle2
	dsb	nsh
	ldr	x0, =0x44ff00
	msr	mair_el2, x0
	ldr	x0, =(25 | (1 << 8) | (1 << 10) | (3 << 12) | (2 << 16) | (1 << 23) | (1 << 31))
	msr	tcr_el2, x0
	adrp	x0, idmap_l1
	msr	ttbr0_el2, x0
	isb
	mrs	x0, sctlr_el2
	ldr	x1, =(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x0, x0, x1
	msr	sctlr_el2, x0
	isb
	ret

/* Clear SCTLR.M, C and I; ISB. */
	.globl	mmu_disable
mmu_disable:
	mrs	x0, sctlr_el1
	ldr	x1, =(SCTLR_M | SCTLR_C | SCTLR_I)
	bic	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	ret

/* Any exception: report it and exit with EXIT_EXCEPTION. */
exc:
	adr	x0, s_exc
	bl	uart_puts
	mrs	x0, esr_el1
	bl	uart_puthex
	adr	x0, s_elr
	bl	uart_puts
	mrs	x0, elr_el1
	bl	uart_puthex
	adr	x0, s_nl
	bl	uart_puts
	mov	x0, #EXIT_EXCEPTION
	b	harness_exit

	.ltorg

	.balign	2048
vectors:
	.rept	16
	b	exc
	.balign	128
	.endr

	.section .rodata
s_exit:	.asciz	"EXIT: STATUS="
s_exc:	.asciz	"EXCEPTION ESR="
s_elr:	.asciz	" ELR="
s_nl:	.asciz	"\n"

	/* The identity map: three page-aligned tables, alone in their
	 * pages so that invalidating them touches nothing else. */
	.section .bss.tables, "aw", %nobits
	.balign	4096
	.globl	idmap_l1, idmap_l2_dev, idmap_l2_ram, idmap_end
idmap_l1:	.skip	4096
idmap_l2_dev:	.skip	4096
idmap_l2_ram:	.skip	4096
idmap_end:
