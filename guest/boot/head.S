/* Image header and the first instructions of every PE.
 * Only what C cannot do lives here: the header, the EL2 -> EL1 drop, the
 * first stack, and the secondary's MMU enable from its boot data. */
#include "asm.h"

	.section .head.text, "ax"
/* arm64 Linux Image header (Linux Documentation/arm64/booting.rst), which
 * is also the DOS header of a PE/COFF image (pe_header.S): code0 is an
 * instruction whose first two bytes are "MZ" and that does nothing but set
 * the flags (CCMP, Arm ARM C6.2 "CCMP (immediate)"), so an Image loader
 * that jumps to offset 0 falls through to code1. */
	ccmp	x18, #0, #0xd, pl	// code0: "MZ" (0x5a4d), a flag-setting no-op
	b	primary_entry		// code1
	.quad	0			// text_offset: load at a 2 MiB aligned base
	.quad	_image_size		// image_size, BSS and boot stack included
	.quad	0xa			// flags: LE, 4 KiB pages, anywhere in RAM
	.quad	0			// res2
	/* res3, res4: filled in after linking by scripts/embed-checksum. */
	.globl	image_checksum
image_checksum:
	.quad	0			// checksum of bytes 0x40 .. image_checksum_end
	.quad	0			// image_checksum_end (file offset)
	.ascii	"ARM\x64"		// magic
	.long	__pe_header_offset	// res5: PE header offset (DOS e_lfanew)

	.text
/* x0 = DTB physical address, MMU and D-cache off (booting.rst). */
ENTRY(primary_entry)
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	bl	el2_to_el1
	bl	el1_cpu_init
	adr_l	x0, boot_stack_top
	mov	sp, x0
	mov	x29, xzr
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	b	boot_primary		// setup.c, does not return
ENDPROC(primary_entry)

/* If entered at EL2, make EL1 usable (AArch64, no traps of timers, FP or
 * ID registers) and return to the caller at EL1h with DAIF masked.
 * Touches no memory: we run with the MMU off and have no stack yet. */
ENTRY(el2_to_el1)
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	mov	x0, #(1 << 31)		// HCR_EL2.RW: EL1 is AArch64
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3		// EL1PCTEN | EL1PCEN
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #0x33ff		// CPTR_EL2: RES1 bits, no FP/SIMD trap
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	/* GICv3 system-register interface for EL1: entered at EL2, setting
	 * ICC_SRE_EL2.SRE and .Enable is ours to do (Linux booting.rst, "For
	 * systems with a GICv3 interrupt controller"; IHI 0069 ICC_SRE_EL2),
	 * and no virtual CPU interface (ICH_HCR_EL2.En = 0). Only if the PE
	 * has the interface (ID_AA64PFR0_EL1.GIC, bits 27:24): else both
	 * registers are UNDEFINED (a GICv2 machine). */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mrs	x0, S3_4_C12_C9_5	// ICC_SRE_EL2
	orr	x0, x0, #(1 << 0)	// SRE
	orr	x0, x0, #(1 << 3)	// Enable
	msr	S3_4_C12_C9_5, x0
	isb
	msr	S3_4_C12_C11_0, xzr	// ICH_HCR_EL2
2:
	adr	x0, el2_vectors
	msr	vbar_el2, x0
	mov	x0, #0x3c5		// EL1h, D A I F masked
	msr	spsr_el2, x0
	msr	elr_el2, x30
	isb
	eret
1:	ret
ENDPROC(el2_to_el1)

/* A known SCTLR_EL1 with M, C and I clear: the I-cache stays off until the
 * MMU is on, so no instruction line is allocated from pages we write with
 * the MMU off (docs/boot-cache-maintenance.md "The boot sequence", step 1). FP/SIMD enabled
 * because Debian's libfdt uses SIMD registers. */
ENTRY(el1_cpu_init)
	ldr	x0, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #(3 << 20)		// CPACR_EL1.FPEN: no FP/SIMD trap
	msr	cpacr_el1, x0
	isb
	ret
ENDPROC(el1_cpu_init)

/* PSCI CPU_ON entry point. x0 = physical address of this PE's
 * struct secondary_boot, which the primary cleaned to the PoC before
 * CPU_ON (docs/boot-cache-maintenance.md "secondary-data"):
 * the loads below are Device accesses and see only memory. */
ENTRY(secondary_entry)
	mov	x19, x0
	bl	el2_to_el1
	bl	el1_cpu_init
	ldr	x0, [x19, #SB_MAIR]
	msr	mair_el1, x0
	ldr	x0, [x19, #SB_TCR]
	msr	tcr_el1, x0
	ldr	x0, [x19, #SB_TTBR0]
	msr	ttbr0_el1, x0
	ldr	x0, [x19, #SB_VBAR]
	msr	vbar_el1, x0
	ldr	x0, [x19, #SB_TPIDR]
	msr	tpidr_el1, x0
	isb
	/* Drop any TLB entries left from before this boot (docs/boot-cache-maintenance.md "enable-tlbi").
	 * [BCM: enable-tlbi] */
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, [x19, #SB_SCTLR]
	msr	sctlr_el1, x0
	isb
	/* Only now the stack: it is touched cacheably from its first use. */
	ldr	x0, [x19, #SB_SP]
	mov	sp, x0
	mov	x29, xzr
	mov	x0, x19
	b	secondary_main		// smp.c
ENDPROC(secondary_entry)

/* Minimal EL2 vectors once we have dropped to EL1: HVC returns
 * NOT_SUPPORTED (-1) so probing is harmless, except HVC_SET_VECTORS
 * (x0 = 1, x1 = the physical address of new EL2 vectors), by which a test
 * takes EL2 back to run a hypervisor there (hyp.h; Linux's hyp-stub has
 * the same call under the same number, arch/arm64/kernel/hyp-stub.S).
 * Anything else is fatal and powers the machine off through PSCI (SMC,
 * the conduit at EL2) rather than hang. */
	.align	11
el2_vectors:
	.rept	8
	.align	7
	b	el2_fatal
	.endr
	.align	7			// lower EL, AArch64, synchronous
	mrs	x18, esr_el2
	lsr	x18, x18, #26
	cmp	x18, #0x16		// EC = HVC64
	b.ne	el2_fatal
	cmp	x0, #HVC_SET_VECTORS
	b.ne	1f
	msr	vbar_el2, x1		// used from the next exception on: ERET synchronises
	mov	x0, xzr
	eret
1:	mov	x0, #-1
	eret
	.rept	7
	.align	7
	b	el2_fatal
	.endr
el2_fatal:
	ldr	x0, =0x84000008		// PSCI SYSTEM_OFF
	smc	#0
	b	.

/* The boot stack: at the end of the image (inside image_size, so the
 * loader cleaned it to the PoC), in its own pages. */
	.section .bootmem, "aw", %nobits
	.p2align 12
	.globl	boot_stack
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl	boot_stack_top
boot_stack_top:
