/* System register bit values, shared by C and assembly. */
#ifndef GUEST_SYSREG_BITS_H
#define GUEST_SYSREG_BITS_H

#ifdef __ASSEMBLY__
#define _UL(x) (x)
#else
#define _UL(x) (x##UL)
#endif

/* SCTLR_EL1 (Arm ARM D17.2 "SCTLR_EL1") */
#define SCTLR_M   (_UL(1) << 0)
#define SCTLR_A   (_UL(1) << 1)
#define SCTLR_C   (_UL(1) << 2)
#define SCTLR_SA  (_UL(1) << 3)
#define SCTLR_SA0 (_UL(1) << 4)
#define SCTLR_I   (_UL(1) << 12)
#define SCTLR_UCI (_UL(1) << 26)
/* RES1 bits of SCTLR_EL1 in Armv8.0 (11, 20, 22, 23, 28, 29), plus
 * nTWE/nTWI so EL0 may WFE/WFI, and UCT for CTR_EL0 at EL0. */
#define SCTLR_EL1_RES1 ((_UL(1) << 11) | (_UL(1) << 20) | (_UL(1) << 22) | \
			(_UL(1) << 23) | (_UL(1) << 28) | (_UL(1) << 29))
#define SCTLR_EL1_MMU_OFF (SCTLR_EL1_RES1 | SCTLR_SA | SCTLR_SA0 | \
			   (_UL(1) << 16) | (_UL(1) << 18) | (_UL(1) << 15))
#define SCTLR_EL1_MMU_ON  (SCTLR_EL1_MMU_OFF | SCTLR_M | SCTLR_C | SCTLR_I)

/* MAIR_EL1 attribute indices used in our descriptors. */
#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL        1
#define MT_NORMAL_NC     2
#define MT_DEVICE_nGnRE  3
#define MAIR_VALUE ((_UL(0x00) << (8 * MT_DEVICE_nGnRnE)) | \
		    (_UL(0xff) << (8 * MT_NORMAL)) |        \
		    (_UL(0x44) << (8 * MT_NORMAL_NC)) |     \
		    (_UL(0x04) << (8 * MT_DEVICE_nGnRE)))

/* TCR_EL1: 39-bit VA through TTBR0 (T0SZ = 25, walk from level 1), 4 KiB
 * granule, walks Inner/Outer Write-Back Write-Allocate Inner Shareable
 * (docs/boot-cache-maintenance.md "The boot sequence" step 6), TTBR1 walks disabled (EPD1), 40-bit IPS. */
#define TCR_T0SZ(x)   ((x) << 0)
#define TCR_IRGN0_WBWA (_UL(1) << 8)
#define TCR_ORGN0_WBWA (_UL(1) << 10)
#define TCR_SH0_INNER  (_UL(3) << 12)
#define TCR_TG0_4K     (_UL(0) << 14)
#define TCR_EPD1       (_UL(1) << 23)
#define TCR_IPS_40BIT  (_UL(2) << 32)
#define VA_BITS 39
#define TCR_VALUE (TCR_T0SZ(64 - VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
		   TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 | TCR_IPS_40BIT)

/* ESR_ELx exception classes (Arm ARM D17.2 "ESR_EL1") */
#define ESR_EC_SHIFT   26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_FP      0x07
#define ESR_EC_SVC64   0x15
#define ESR_EC_HVC64   0x16
#define ESR_EC_SMC64   0x17
#define ESR_EC_SYS64   0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_BRK64   0x3c
#define ESR_EC_MAX     0x3f

#endif
