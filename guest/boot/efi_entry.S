/* The assembly half of the EFI entry (efi.c): leave the firmware's MMU-on
 * world and join the Image entry path at primary_entry, as if a loader had
 * just jumped there. docs/boot-cache-maintenance.md "EFI entry".
 *
 * Entered at EL1, or at EL2 when the firmware runs there (QEMU
 * virtualization=on: edk2 keeps EL2 and starts applications at EL2, with
 * the EL2 MMU on). We turn off the MMU of the EL we are at and let
 * primary_entry do what it does for any EL2 entry (head.S el2_to_el1).
 * Nothing is written to memory here: we run from the firmware's map until
 * SCTLR.M = 0, and after that every store would be a Device access that
 * the common path does not know about. */
#include "asm.h"
#include "efi_magic.h"

/* SCTLR_EL2 with M, C, I clear and only the RES1 bits set (Arm ARM D17.2
 * "SCTLR_EL2", HCR_EL2.E2H == 0: bits 4, 5, 11, 16, 18, 22, 23, 28, 29):
 * the EL2 regime left as at reset, MMU and caches off, little-endian. */
#define SCTLR_EL2_MMU_OFF 0x30c50830

	.text
/* x0 = DTB, x1 = struct efi_handover; boot services exited, DAIF masked,
 * the image, DTB and handover cleaned to the PoC by efi.c. */
ENTRY(efi_takeover)
	mov	x19, x0
	mov	x20, x1

	/* The Image contract (Linux booting.rst "Caches, MMUs"): the I-cache
	 * holds no stale entries for the image. The firmware's loader had to
	 * make it so before running us; invalidating ourselves makes the
	 * common path independent of that. Local (IALLU): no other PE runs.
	 * Arm ARM D7.5.9 "Data and instruction barriers to cache and TLB
	 * maintenance instructions": DSB then ISB. [BCM: efi-icache] */
	ic	iallu
	dsb	nsh
	isb

	mrs	x2, CurrentEL
	cmp	x2, #(2 << 2)
	b.eq	2f

	/* EL1: M, C, I off; everything else primary_entry rewrites
	 * (el1_cpu_init). The ISB makes the next access untranslated (Arm
	 * ARM D8.2.11 "The effects of disabling a stage of address
	 * translation"); we keep executing at the same address because the
	 * firmware's map is 1:1 (UEFI 2.3.6 "AArch64 Platforms"). */
	mrs	x2, sctlr_el1
	bic	x2, x2, #SCTLR_M
	bic	x2, x2, #SCTLR_C
	bic	x2, x2, #SCTLR_I
	msr	sctlr_el1, x2
	isb
	/* The firmware's translations must not outlive its tables, which
	 * are now free memory: drop them (mmu_enable_with drops them again,
	 * [BCM: enable-tlbi]; this one is so that nothing stale exists at all
	 * once the firmware's tables can be overwritten). [BCM: efi-tlbi] */
	tlbi	vmalle1
	dsb	nsh
	isb
	b	3f

2:	/* EL2: the firmware's regime is the EL2 one (TTBR0_EL2). */
	ldr	x2, =SCTLR_EL2_MMU_OFF
	msr	sctlr_el2, x2
	isb
	/* As above, for the EL2 regime, which we never turn on again: no
	 * stale EL2 entry survives for whoever turns it on next.
	 * [BCM: efi-tlbi] */
	tlbi	alle2
	dsb	nsh
	isb

3:	/* The common path, with the Image entry's registers plus ours. */
	mov	x0, x19
	mov	x1, x20
	ldr	x2, =EFI_BOOT_MAGIC
	mov	x3, xzr
	b	primary_entry
ENDPROC(efi_takeover)
