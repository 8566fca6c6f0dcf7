/* Fields of system registers the translation regime, the PE and the
 * cache model all read (Arm ARM D17 "AArch64 System Register
 * Descriptions"): the one statement of them. */
#ifndef CHECKER_ARCH_REGS_H
#define CHECKER_ARCH_REGS_H

#define SCTLR_M    (1ull << 0)
#define SCTLR_A    (1ull << 1)
#define SCTLR_C    (1ull << 2)
#define SCTLR_SA   (1ull << 3)
#define SCTLR_I    (1ull << 12)
#define SCTLR_DZE  (1ull << 14)
#define SCTLR_UCT  (1ull << 15)
#define SCTLR_WXN  (1ull << 19)
#define SCTLR_UCI  (1ull << 26)
#define SCTLR_UMA  (1ull << 9)
#define HCR_VM     (1ull << 0)
#define HCR_FMO    (1ull << 3)
#define HCR_IMO    (1ull << 4)
#define HCR_DC     (1ull << 12)
#define HCR_TSC    (1ull << 19)
#define HCR_TVM    (1ull << 26)
#define HCR_TGE    (1ull << 27)
#define HCR_TRVM   (1ull << 30)
#define HCR_RW     (1ull << 31)

/* The current ASID of the EL1&0 regime: TCR_EL1.A1 selects the TTBR
 * that holds it, TCR_EL1.AS its size (Arm ARM D8.15 "Translation
 * Lookaside Buffers", TCR_EL1). */
static inline unsigned long long tcr_el1_asid(unsigned long long tcr,
					      unsigned long long ttbr0,
					      unsigned long long ttbr1)
{
	unsigned long long asid = ((tcr >> 22) & 1 ? ttbr1 : ttbr0) >> 48;

	return (tcr >> 36) & 1 ? asid : asid & 0xff;
}

/* Shareability (SH) and MAIR attribute bytes. */
#define SH_NSH 0
#define SH_OSH 2
#define SH_ISH 3

#define MAIR_DEVICE_nGnRnE 0x00
#define MAIR_NORMAL_NC     0x44
#define MAIR_NORMAL_WT     0xaa
#define MAIR_NORMAL_WB     0xff

#endif
