/* The litmus harness's interface for the litmus programs (assembly,
 * preprocessed). A program defines litmus_main, entered at EL1 with the
 * MMU, D-cache and I-cache off and the exception vectors installed; it
 * ends with `litmus_exit N`. Harness routines are leaf functions called
 * with bl; they clobber x0-x7 and nothing else, and use no stack (so that
 * nothing is written behind a program's back: every store in a litmus
 * program is one it shows).
 *
 * Built twice: with FIXED=0 (the broken form) and FIXED=1 (the fixed
 * one). The expected verdicts are header lines of each program:
 *   // expect broken: KIND [may|always|any] [U|P|M|I], ... | none | exception
 *   // expect fixed: none
 *   // smp: N            (default 1)
 *   // status: N         the guest's exit status (default 0)
 * "exception" means the guest took a synchronous exception (the harness
 * prints it and exits with status 3) and the checker reported nothing.
 *
 * A program with the header line
 *   // el2: yes
 * runs with EL2 (coherent --el2, QEMU virtualization=on) and defines
 * litmus_el2_main, entered at EL2 with the MMU, D-cache and I-cache off,
 * SCTLR_EL1 off and no vectors: it is the host (its own VBAR_EL2, EL2
 * map with mmu_enable_el2) and starts its EL1 guest itself. */
#ifndef LITMUS_HARNESS_H
#define LITMUS_HARNESS_H

#define UART_BASE       0x09000000
#define PSCI_CPU_ON     0xc4000003
#define PSCI_AFF_INFO   0xc4000004
#define PSCI_CPU_OFF    0x84000002
#define PSCI_SYS_OFF    0x84000008

#define SCTLR_M         (1 << 0)
#define SCTLR_C         (1 << 2)
#define SCTLR_I         (1 << 12)
/* SCTLR_EL1 with M, C, I clear: the RES1 bits (Arm ARM D17.2.118). */
#define SCTLR_EL1_OFF   0x30d00800

/* MAIR_EL1 attribute indices of the identity map. */
#define ATTR_DEVICE     0       /* 0x00 Device-nGnRnE */
#define ATTR_NORMAL     1       /* 0xff Normal Write-Back */
#define ATTR_NC         2       /* 0x44 Normal Non-cacheable */
#define ATTR_WT         3       /* 0xaa Normal Write-Through, read-allocate */

/* A level-1 block (1 GiB) of the RAM at 0x40000000: attribute index
 * idx, shareability sh (0 Non-shareable, 2 Outer, 3 Inner), AF set.
 * Stored into idmap_l1[2] it maps VA 0x80000000 as an alias. */
#define RAM_ALIAS(idx, sh) (0x40000000 | (1 << 10) | ((sh) << 8) | ((idx) << 2) | 1)
#define ALIAS_OFF       0x40000000

#define EXIT_EXCEPTION  3

/* The EL2 programs' hypervisor controls. HCR_EL2: VM (stage 2 on), DC
 * (stage 1 off behaves as Normal WB), RW (EL1 is AArch64). */
#define HCR_VM          (1 << 0)
#define HCR_DC          (1 << 12)
#define HCR_RW          (1 << 31)
/* VTCR_EL2: T0SZ 32 (4 GiB IPA space, walks from level 1: SL0 = 1),
 * walks Inner/Outer WB-WA Inner Shareable, 4 KiB granule, 40-bit PA,
 * RES1 bit 31. */
#define VTCR            (32 | (1 << 6) | (1 << 8) | (1 << 10) | (3 << 12) | \
			 (2 << 16) | (1 << 31))
/* Stage 2 leaf attributes: MemAttr Normal WB (0xf), S2AP read/write,
 * Inner Shareable, AF (a block adds 1, a page 3, and its address). */
#define S2_NORMAL_ISH   ((0xf << 2) | (3 << 6) | (3 << 8) | (1 << 10))

#ifdef __ASSEMBLER__
/* Print the NUL-terminated string at label. */
.macro puts label
	adr	x0, \label
	bl	uart_puts
.endm

/* Print "EXIT: STATUS=n" and turn the system off (PSCI SYSTEM_OFF). */
.macro litmus_exit status
	mov	x0, #\status
	b	harness_exit
.endm

/* x0 = base, x1 = size: run "dc \op" over every 64-byte line. The
 * operation is written out at each use so that the program's text shows
 * every CMO; barriers are left to the program. Clobbers x0, x1. */
.macro dc_range op
	add	x1, x0, x1
	bic	x0, x0, #63
.Ldcr\@:
	dc	\op, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	.Ldcr\@
.endm

/* The same with "ic ivau". Clobbers x0, x1. */
.macro ic_range
	add	x1, x0, x1
	bic	x0, x0, #63
.Licr\@:
	ic	ivau, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	.Licr\@
.endm

/* The identity map built, its tables invalidated, the MMU and caches
 * on at EL1 (harness.S idmap_build, tables_inval, mmu_enable). */
.macro idmap_mmu_on
	bl	idmap_build
	bl	tables_inval
	bl	mmu_enable
.endm

/* The EL1 entry of a program that needs EL2: it prints the program's
 * string noel2 and fails. */
.macro litmus_needs_el2
	.globl	litmus_main
litmus_main:
	puts	noel2
	litmus_exit 1
.endm

/* The host's start at EL2: its vectors (the program's el2_vectors), the
 * identity map and its EL2 MMU on (mmu_enable_el2). */
.macro el2_host_start
	adr	x0, el2_vectors
	msr	vbar_el2, x0
	bl	idmap_build
	bl	tables_inval
	bl	mmu_enable_el2
.endm

/* x0 = the stage 2 level-1 table, its descriptors written: complete
 * them, then VTTBR_EL2 and VTCR_EL2. Clobbers x0. */
.macro s2_tables_on
	dsb	ish
	msr	vttbr_el2, x0
	ldr	x0, =VTCR
	msr	vtcr_el2, x0
.endm

/* x0 = HCR_EL2's value: set it, drop the stage 1 and 2 TLB entries of
 * the guest's VMID, then prepare the entry at label with the guest's
 * SCTLR_EL1 off (EL1h, DAIF masked). The program's ISB and ERET follow.
 * Clobbers x0. */
.macro guest_prepare label
	msr	hcr_el2, x0
	tlbi	vmalls12e1
	dsb	nsh
	ldr	x0, =SCTLR_EL1_OFF
	msr	sctlr_el1, x0
	mov	x0, #0x3c5              // EL1h, DAIF masked
	msr	spsr_el2, x0
	adr	x0, \label
	msr	elr_el2, x0
.endm

/* A vector table (VBAR_ELx) at name: a synchronous exception from a
 * lower EL (AArch64) goes to lower_sync, every other vector to host_exc. */
.macro vector_table name, lower_sync=host_exc
	.balign	2048
\name:
	.rept	8
	b	host_exc
	.balign	128
	.endr
	b	\lower_sync
	.balign	128
	.rept	7
	b	host_exc
	.balign	128
	.endr
.endm

/* Store the two instructions "movz x0, #imm; ret" at x9. Clobbers x10. */
.macro write_code imm
	ldr	w10, =(0xd2800000 | ((\imm) << 5))
	str	w10, [x9]
	ldr	w10, =0xd65f03c0
	str	w10, [x9, #4]
.endm
#endif

#endif
