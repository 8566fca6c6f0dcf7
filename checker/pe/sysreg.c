/* MRS/MSR (register) for the system registers this PE implements (Arm ARM
 * D17 "AArch64 System Register Descriptions"). Access rules: a register
 * of ELn read or written below ELn is UNDEFINED; unknown encodings,
 * _EL12/_EL02 aliases (no FEAT_VHE) and EL3 registers are UNDEFINED; EL0
 * accesses gated by a control bit trap with EC 0x18. Never a host abort.
 *
 * The ID registers advertise exactly what the machine implements: ARMv8.0
 * AArch64 at EL0/EL1 (EL2 with --el2), FP/AdvSIMD, CRC32, LSE atomics,
 * DC CVAP, 4 KiB granule, 40-bit PA, 16-bit ASIDs, with --el2 stage 2
 * with 8-bit VMIDs (ID_AA64MMFR1_EL1.VMIDBits = 0) and no FWB
 * (ID_AA64MMFR2_EL1.FWB = 0: both RAZ); no PAC, BTI, SVE, MTE,
 * PAN, VHE, PMU, AArch32; 6 breakpoints and 4 watchpoints (pe/debug.c);
 * the GICv3 system registers (ID_AA64PFR0_EL1.GIC) when the machine's GIC is a GICv3
 * (board/gicv3.c implements them). Fields as the Arm ARM (DDI 0487)
 * describes them under each register (ID_AA64PFR0_EL1 etc.); every
 * register not listed in sr_read is in the RAZ ID space. */
#include <stddef.h>
#include <string.h>

#include "pe/debug.h"
#include "pe/exception.h"
#include "pe/mmu.h"
#include "arch/walk_s2.h"

#define SR(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/* Identification values (see file comment). */
#define MIDR_VALUE   0x000fc0e0ull  /* implementer 0 (software), arch 0xf */
#define CTR_VALUE    0x8444c004ull  /* 64 B lines, PIPT I, IDC = DIC = 0 */
#define CLIDR_VALUE  0x0a200023ull  /* L1 I+D, L2 unified; LoUU/LoUIS 1, LoC 2 */
#define DCZID_BS     4              /* DC ZVA block: 2^4 words = 64 bytes */
#define PFR0_BASE    0x0000000000000011ull  /* EL0, EL1 AArch64 only, FP, AdvSIMD */
#define PFR0_EL2     (1ull << 8)            /* EL2: AArch64 only */
#define PFR0_GIC     (1ull << 24)           /* GIC: CPU interface sysregs v3/v4.0 */
#define ISAR0_VALUE  0x0000000000210000ull  /* Atomic = 2 (LSE), CRC32 = 1 */
#define ISAR1_VALUE  0x0000000000000001ull  /* DPB = 1 (DC CVAP) */
#define MMFR0_VALUE  0x000000000f000022ull  /* 4K only, 16-bit ASID, 40-bit PA */
/* DebugVer = 6 (Armv8.0 debug), BRPs = 5, WRPs = 3 (DBG_NBP, DBG_NWP
 * minus one), CTX_CMPs = 0 (one context-aware breakpoint, the highest:
 * pe/debug.c), DoubleLock = 0 (OSDLR_EL1 implemented); PMUVer = 0 (no
 * PMU), TraceVer = 0. */
#define DFR0_VALUE   (0x6ull | ((DBG_NBP - 1ull) << 12) | \
		      ((DBG_NWP - 1ull) << 20))

enum sr_result { SR_OK, SR_UNDEF, SR_TRAP1, SR_TRAP2 };

/* Lowest EL allowed by the op1 field (C5.3 "A64 System register
 * encodings"); -1 for encodings this PE does not implement at all. */
static int op1_min_el(unsigned op1)
{
	switch (op1) {
	case 0: case 1: case 2: return 1;
	case 3: return 0;
	case 4: return 2;
	default: return -1;   /* 5: _EL12/_EL02 (VHE), 6: EL3, 7: IMPDEF */
	}
}

static uint64_t machine_mpidr(const struct cpu *c, unsigned idx)
{
	/* QEMU virt (virt_cpu_mp_affinity): clusters of as many PEs as the
	 * GIC's target list holds, 8 for GICv2 and 16 for GICv3. Bit 31 is
	 * RES1. */
	unsigned n = c->plat && c->plat->gic_version == 2 ? 8 : 16;

	return (1ull << 31) | ((uint64_t)(idx / n) << 8) | (idx % n);
}

void sysreg_reset(struct cpu *c, unsigned idx, bool el2)
{
	struct sysregs *s = &c->sys;

	*s = (struct sysregs){0};
	/* A reset changes the translation context: no fetch page survives. */
	c->fetch = (struct fetch_cache){0};
	memset(c->fvict, 0, sizeof(c->fvict));
	c->ctx_gen = 1;
	c->asid = 0;
	c->pstate_il = false;
	s->mpidr = machine_mpidr(c, idx);
	s->vpidr_el2 = MIDR_VALUE;
	s->vmpidr_el2 = s->mpidr;
	/* RES1 bits of SCTLR (v8.0: 29, 28, 23, 22, 20, 11), MMU and caches
	 * off, as QEMU resets them. */
	s->sctlr_el1 = 0x30c50838;
	s->sctlr_el2 = 0x30c50838;
	s->hcr_el2 = HCR_RW;    /* EL1 is AArch64-only: RW is RAO/WI */
	s->cptr_el2 = 0x33ff;   /* RES1 bits of CPTR_EL2 (E2H = 0) */
	s->oslsr_el1 = 0xa;     /* OS lock implemented and locked at reset */
	c->pstate_ss = false;
	c->ss_stepped = false;
	dbg_update(c);
	(void)el2;
}

static uint64_t ccsidr(uint64_t csselr)
{
	/* LineSize = log2(64) - 4, Associativity - 1, NumSets - 1. */
	switch (csselr & 0xf) {
	case 0: /* L1 D: 32 KiB, 4 ways */
	case 1: /* L1 I: 32 KiB, 4 ways */
		return 2 | (3 << 3) | (127ull << 13);
	case 2: /* L2 unified: 512 KiB, 16 ways */
		return 2 | (15 << 3) | (511ull << 13);
	default:
		return 0;
	}
}

/* ---- Generic timer (D11 "The Generic Timer in AArch64 state") ---- */

static uint64_t pe_ticks(struct cpu *c)
{
	return c->plat->ops->ticks(c);
}

static uint64_t cntvct(struct cpu *c)
{
	uint64_t off = cpu_has_el2(c) ? c->sys.cntvoff_el2 : 0;

	return pe_ticks(c) - off;
}

static uint64_t timer_ctl(uint64_t ctl, uint64_t cval, uint64_t now)
{
	ctl &= 3;
	if ((ctl & 1) && now >= cval)
		ctl |= 4;        /* ISTATUS */
	return ctl;
}

/* EL0/EL1 access rules for the counters and timers: CNTKCTL_EL1 for EL0
 * (traps to EL1), CNTHCTL_EL2.EL1PCTEN/EL1PCEN for the physical ones
 * (traps to EL2). */
static enum sr_result timer_access(struct cpu *c, bool phys, bool timer)
{
	uint64_t k = c->sys.cntkctl_el1, h = c->sys.cnthctl_el2;

	if (c->el == 0) {
		unsigned bit = timer ? (phys ? 9 : 8) : (phys ? 0 : 1);

		if (!((k >> bit) & 1))
			return SR_TRAP1;
	}
	if (c->el < 2 && phys && cpu_has_el2(c) &&
	    !((h >> (timer ? 1 : 0)) & 1))
		return SR_TRAP2;
	return SR_OK;
}

static void set_asid(struct cpu *c)
{
	c->asid = mmu_cur_asid(c);
	cpu_ctx_changed(c);
}

/* ---- Reads ---- */

static enum sr_result sr_read(struct cpu *c, unsigned key, uint64_t *v)
{
	struct sysregs *s = &c->sys;
	enum sr_result r;
	bool el2 = cpu_has_el2(c);

	switch (key) {
	/* Identification */
	case SR(3, 0, 0, 0, 0):
		*v = (el2 && c->el == 1) ? s->vpidr_el2 : MIDR_VALUE;
		return SR_OK;
	case SR(3, 0, 0, 0, 5):
		*v = (el2 && c->el == 1) ? s->vmpidr_el2 : s->mpidr;
		return SR_OK;
	case SR(3, 0, 0, 0, 6): *v = 0; return SR_OK;            /* REVIDR */
	case SR(3, 0, 0, 4, 0):                                   /* PFR0 */
		*v = PFR0_BASE | (el2 ? PFR0_EL2 : 0) |
		     (c->plat && c->plat->gicv3_sysregs ? PFR0_GIC : 0);
		return SR_OK;
	case SR(3, 0, 0, 5, 0): *v = DFR0_VALUE; return SR_OK;
	case SR(3, 0, 0, 6, 0): *v = ISAR0_VALUE; return SR_OK;
	case SR(3, 0, 0, 6, 1): *v = ISAR1_VALUE; return SR_OK;
	case SR(3, 0, 0, 7, 0): *v = MMFR0_VALUE; return SR_OK;
	case SR(3, 1, 0, 0, 0): *v = ccsidr(s->csselr_el1); return SR_OK;
	case SR(3, 1, 0, 0, 1): *v = CLIDR_VALUE; return SR_OK;
	case SR(3, 1, 0, 0, 7): *v = 0; return SR_OK;            /* AIDR */
	case SR(3, 2, 0, 0, 0): *v = s->csselr_el1; return SR_OK;
	case SR(3, 3, 0, 0, 1):                                   /* CTR_EL0 */
		if (c->el == 0 && !(s->sctlr_el1 & SCTLR_UCT))
			return SR_TRAP1;
		*v = CTR_VALUE;
		return SR_OK;
	case SR(3, 3, 0, 0, 7):                                   /* DCZID_EL0 */
		*v = DCZID_BS;
		if (c->el == 0 && !(s->sctlr_el1 & SCTLR_DZE))
			*v |= 1u << 4;                            /* DZP */
		return SR_OK;

	/* PSTATE and special-purpose registers (C5.2) */
	case SR(3, 0, 4, 2, 2): *v = (uint64_t)c->el << 2; return SR_OK;
	case SR(3, 0, 4, 2, 0): *v = c->spsel; return SR_OK;
	case SR(3, 3, 4, 2, 0): *v = c->nzcv & 0xf0000000u; return SR_OK;
	case SR(3, 3, 4, 2, 1):                                   /* DAIF */
		if (c->el == 0 && !(s->sctlr_el1 & SCTLR_UMA))
			return SR_TRAP1;
		*v = c->daif & 0x3c0;
		return SR_OK;
	case SR(3, 3, 4, 4, 0): *v = c->fpcr; return SR_OK;
	case SR(3, 3, 4, 4, 1): *v = c->fpsr; return SR_OK;
	case SR(3, 0, 4, 1, 0):                                   /* SP_EL0 */
		if (!c->spsel)
			return SR_UNDEF;
		*v = c->sp_el[0];
		return SR_OK;
	case SR(3, 4, 4, 1, 0): *v = c->sp_el[1]; return SR_OK;  /* SP_EL1 */
	case SR(3, 0, 4, 0, 0): *v = s->spsr_el1; return SR_OK;
	case SR(3, 0, 4, 0, 1): *v = s->elr_el1; return SR_OK;
	case SR(3, 4, 4, 0, 0): *v = s->spsr_el2; return SR_OK;
	case SR(3, 4, 4, 0, 1): *v = s->elr_el2; return SR_OK;

	/* EL1 */
	case SR(3, 0, 1, 0, 0): *v = s->sctlr_el1; return SR_OK;
	case SR(3, 0, 1, 0, 1): *v = s->actlr_el1; return SR_OK;
	case SR(3, 0, 1, 0, 2): *v = s->cpacr_el1; return SR_OK;
	case SR(3, 0, 2, 0, 0): *v = s->ttbr0_el1; return SR_OK;
	case SR(3, 0, 2, 0, 1): *v = s->ttbr1_el1; return SR_OK;
	case SR(3, 0, 2, 0, 2): *v = s->tcr_el1; return SR_OK;
	case SR(3, 0, 5, 1, 0): *v = s->afsr0_el1; return SR_OK;
	case SR(3, 0, 5, 1, 1): *v = s->afsr1_el1; return SR_OK;
	case SR(3, 0, 5, 2, 0): *v = s->esr_el1; return SR_OK;
	case SR(3, 0, 6, 0, 0): *v = s->far_el1; return SR_OK;
	case SR(3, 0, 7, 4, 0): *v = s->par_el1; return SR_OK;
	case SR(3, 0, 10, 2, 0): *v = s->mair_el1; return SR_OK;
	case SR(3, 0, 10, 3, 0): *v = s->amair_el1; return SR_OK;
	case SR(3, 0, 12, 0, 0): *v = s->vbar_el1; return SR_OK;
	case SR(3, 0, 12, 1, 0):                                  /* ISR_EL1 */
		*v = (c->irq_line ? 1u << 7 : 0) | (c->fiq_line ? 1u << 6 : 0);
		return SR_OK;
	case SR(3, 0, 13, 0, 1): *v = s->contextidr_el1; return SR_OK;
	case SR(3, 0, 13, 0, 4): *v = s->tpidr_el1; return SR_OK;
	case SR(3, 0, 14, 1, 0): *v = s->cntkctl_el1; return SR_OK;
	case SR(3, 3, 13, 0, 2): *v = s->tpidr_el0; return SR_OK;
	case SR(3, 3, 13, 0, 3): *v = s->tpidrro_el0; return SR_OK;

	/* Timer */
	case SR(3, 3, 14, 0, 0):                                  /* CNTFRQ */
		if (c->el == 0 && !(s->cntkctl_el1 & 3))
			return SR_TRAP1;
		*v = c->plat->cnt_freq;
		return SR_OK;
	case SR(3, 3, 14, 0, 1):                                  /* CNTPCT */
		if ((r = timer_access(c, true, false)) != SR_OK)
			return r;
		*v = pe_ticks(c);
		return SR_OK;
	case SR(3, 3, 14, 0, 2):                                  /* CNTVCT */
		if ((r = timer_access(c, false, false)) != SR_OK)
			return r;
		*v = cntvct(c);
		return SR_OK;
	case SR(3, 3, 14, 2, 0): case SR(3, 3, 14, 2, 1):
	case SR(3, 3, 14, 2, 2): {                                /* CNTP_* */
		uint64_t now = pe_ticks(c);

		if ((r = timer_access(c, true, true)) != SR_OK)
			return r;
		if ((key & 7) == 0)
			*v = (uint32_t)(s->cntp_cval_el0 - now);
		else if ((key & 7) == 1)
			*v = timer_ctl(s->cntp_ctl_el0, s->cntp_cval_el0, now);
		else
			*v = s->cntp_cval_el0;
		return SR_OK;
	}
	case SR(3, 3, 14, 3, 0): case SR(3, 3, 14, 3, 1):
	case SR(3, 3, 14, 3, 2): {                                /* CNTV_* */
		uint64_t now = cntvct(c);

		if ((r = timer_access(c, false, true)) != SR_OK)
			return r;
		if ((key & 7) == 0)
			*v = (uint32_t)(s->cntv_cval_el0 - now);
		else if ((key & 7) == 1)
			*v = timer_ctl(s->cntv_ctl_el0, s->cntv_cval_el0, now);
		else
			*v = s->cntv_cval_el0;
		return SR_OK;
	}
	case SR(3, 4, 14, 2, 0): case SR(3, 4, 14, 2, 1):
	case SR(3, 4, 14, 2, 2): {                                /* CNTHP_* */
		uint64_t now = pe_ticks(c);

		if ((key & 7) == 0)
			*v = (uint32_t)(s->cnthp_cval_el2 - now);
		else if ((key & 7) == 1)
			*v = timer_ctl(s->cnthp_ctl_el2, s->cnthp_cval_el2, now);
		else
			*v = s->cnthp_cval_el2;
		return SR_OK;
	}

	/* EL2 */
	case SR(3, 4, 0, 0, 0): *v = s->vpidr_el2; return SR_OK;
	case SR(3, 4, 0, 0, 5): *v = s->vmpidr_el2; return SR_OK;
	case SR(3, 4, 1, 0, 0): *v = s->sctlr_el2; return SR_OK;
	case SR(3, 4, 1, 0, 1): *v = s->actlr_el2; return SR_OK;
	case SR(3, 4, 1, 1, 0): *v = s->hcr_el2; return SR_OK;
	case SR(3, 4, 1, 1, 1): *v = s->mdcr_el2; return SR_OK;
	case SR(3, 4, 1, 1, 2): *v = s->cptr_el2; return SR_OK;
	case SR(3, 4, 1, 1, 3): *v = s->hstr_el2; return SR_OK;
	case SR(3, 4, 1, 1, 7): *v = 0; return SR_OK;            /* HACR */
	case SR(3, 4, 2, 0, 0): *v = s->ttbr0_el2; return SR_OK;
	case SR(3, 4, 2, 0, 2): *v = s->tcr_el2; return SR_OK;
	case SR(3, 4, 2, 1, 0): *v = s->vttbr_el2; return SR_OK;
	case SR(3, 4, 2, 1, 2): *v = s->vtcr_el2; return SR_OK;
	case SR(3, 4, 5, 1, 0): *v = s->afsr0_el2; return SR_OK;
	case SR(3, 4, 5, 1, 1): *v = s->afsr1_el2; return SR_OK;
	case SR(3, 4, 5, 2, 0): *v = s->esr_el2; return SR_OK;
	case SR(3, 4, 6, 0, 0): *v = s->far_el2; return SR_OK;
	case SR(3, 4, 6, 0, 4): *v = s->hpfar_el2; return SR_OK;
	case SR(3, 4, 10, 2, 0): *v = s->mair_el2; return SR_OK;
	case SR(3, 4, 10, 3, 0): *v = s->amair_el2; return SR_OK;
	case SR(3, 4, 12, 0, 0): *v = s->vbar_el2; return SR_OK;
	case SR(3, 4, 13, 0, 2): *v = s->tpidr_el2; return SR_OK;
	case SR(3, 4, 14, 0, 3): *v = s->cntvoff_el2; return SR_OK;
	case SR(3, 4, 14, 1, 0): *v = s->cnthctl_el2; return SR_OK;

	}

	/* Remaining ID register space (op0 3, op1 0, CRn 0, CRm 1..7):
	 * reserved/unimplemented ID registers read as zero (D17.1.3). */
	if ((key >> 11) == ((3 << 3) | 0) && ((key >> 7) & 15) == 0 &&
	    ((key >> 3) & 15) >= 1 && ((key >> 3) & 15) <= 7) {
		*v = 0;
		return SR_OK;
	}
	return SR_UNDEF;
}

/* ---- Writes ---- */

static enum sr_result sr_write(struct cpu *c, unsigned key, uint64_t v)
{
	struct sysregs *s = &c->sys;
	enum sr_result r;

	switch (key) {
	case SR(3, 0, 4, 2, 0): c->spsel = v & 1; return SR_OK;
	case SR(3, 3, 4, 2, 0): c->nzcv = v & 0xf0000000u; return SR_OK;
	case SR(3, 3, 4, 2, 1):                                   /* DAIF */
		if (c->el == 0 && !(s->sctlr_el1 & SCTLR_UMA))
			return SR_TRAP1;
		c->daif = v & 0x3c0;
		return SR_OK;
	case SR(3, 3, 4, 4, 0): c->fpcr = v & 0x07ff9f00u; return SR_OK;
	case SR(3, 3, 4, 4, 1): c->fpsr = v & 0xf800009fu; return SR_OK;
	case SR(3, 0, 4, 1, 0):                                   /* SP_EL0 */
		if (!c->spsel)
			return SR_UNDEF;
		c->sp_el[0] = v;
		return SR_OK;
	case SR(3, 4, 4, 1, 0): c->sp_el[1] = v; return SR_OK;
	case SR(3, 0, 4, 0, 0): s->spsr_el1 = v; return SR_OK;
	case SR(3, 0, 4, 0, 1): s->elr_el1 = v; return SR_OK;
	case SR(3, 4, 4, 0, 0): s->spsr_el2 = v; return SR_OK;
	case SR(3, 4, 4, 0, 1): s->elr_el2 = v; return SR_OK;
	case SR(3, 2, 0, 0, 0): s->csselr_el1 = v & 0xf; return SR_OK;

	case SR(3, 0, 1, 0, 0): {                                 /* SCTLR_EL1 */
		/* EE/E0E are RES0: no big-endian support (MMFR0.BigEnd = 0). */
		uint64_t old = s->sctlr_el1;

		s->sctlr_el1 = v & ~(3ull << 24);
		if ((old ^ s->sctlr_el1) & SCTLR_M)
			tlb_drop_flat(c, REGIME_EL10);
		cpu_ctx_changed(c);
		return SR_OK;
	}
	case SR(3, 0, 1, 0, 1): s->actlr_el1 = v; return SR_OK;
	case SR(3, 0, 1, 0, 2):
		s->cpacr_el1 = v & ((3ull << 20) | (1ull << 28));
		return SR_OK;
	case SR(3, 0, 2, 0, 0): s->ttbr0_el1 = v; set_asid(c); return SR_OK;
	case SR(3, 0, 2, 0, 1): s->ttbr1_el1 = v; set_asid(c); return SR_OK;
	case SR(3, 0, 2, 0, 2): s->tcr_el1 = v; set_asid(c); return SR_OK;
	case SR(3, 0, 5, 1, 0): s->afsr0_el1 = v; return SR_OK;
	case SR(3, 0, 5, 1, 1): s->afsr1_el1 = v; return SR_OK;
	case SR(3, 0, 5, 2, 0): s->esr_el1 = v & 0xffffffffu; return SR_OK;
	case SR(3, 0, 6, 0, 0): s->far_el1 = v; return SR_OK;
	case SR(3, 0, 7, 4, 0): s->par_el1 = v; return SR_OK;
	case SR(3, 0, 10, 2, 0): s->mair_el1 = v; cpu_ctx_changed(c); return SR_OK;
	case SR(3, 0, 10, 3, 0): s->amair_el1 = v; return SR_OK;
	case SR(3, 0, 12, 0, 0): s->vbar_el1 = v & ~0x7ffull; return SR_OK;
	case SR(3, 0, 13, 0, 1): s->contextidr_el1 = v & 0xffffffffu; return SR_OK;
	case SR(3, 0, 13, 0, 4): s->tpidr_el1 = v; return SR_OK;
	case SR(3, 0, 14, 1, 0): s->cntkctl_el1 = v & 0x3ff; return SR_OK;
	case SR(3, 3, 13, 0, 2): s->tpidr_el0 = v; return SR_OK;
	case SR(3, 3, 13, 0, 3):                                  /* TPIDRRO */
		if (c->el == 0)
			return SR_UNDEF;
		s->tpidrro_el0 = v;
		return SR_OK;

	case SR(3, 3, 14, 0, 0):                                  /* CNTFRQ */
		/* Writable only at the highest implemented EL (EL3, absent):
		 * ignore writes where the register is accessible. */
		return c->el == 0 ? SR_UNDEF : SR_OK;
	case SR(3, 3, 14, 2, 0): case SR(3, 3, 14, 2, 1):
	case SR(3, 3, 14, 2, 2):                                  /* CNTP_* */
		if ((r = timer_access(c, true, true)) != SR_OK)
			return r;
		if ((key & 7) == 0)
			s->cntp_cval_el0 = pe_ticks(c) +
					   (int64_t)(int32_t)v;
		else if ((key & 7) == 1)
			s->cntp_ctl_el0 = v & 3;
		else
			s->cntp_cval_el0 = v;
		return SR_OK;
	case SR(3, 3, 14, 3, 0): case SR(3, 3, 14, 3, 1):
	case SR(3, 3, 14, 3, 2):                                  /* CNTV_* */
		if ((r = timer_access(c, false, true)) != SR_OK)
			return r;
		if ((key & 7) == 0)
			s->cntv_cval_el0 = cntvct(c) + (int64_t)(int32_t)v;
		else if ((key & 7) == 1)
			s->cntv_ctl_el0 = v & 3;
		else
			s->cntv_cval_el0 = v;
		return SR_OK;
	case SR(3, 4, 14, 2, 0):
		s->cnthp_cval_el2 = pe_ticks(c) + (int64_t)(int32_t)v;
		return SR_OK;
	case SR(3, 4, 14, 2, 1): s->cnthp_ctl_el2 = v & 3; return SR_OK;
	case SR(3, 4, 14, 2, 2): s->cnthp_cval_el2 = v; return SR_OK;

	/* EL2 */
	case SR(3, 4, 0, 0, 0): s->vpidr_el2 = v & 0xffffffffu; return SR_OK;
	case SR(3, 4, 0, 0, 5): s->vmpidr_el2 = v | (1ull << 31); return SR_OK;
	case SR(3, 4, 1, 0, 0): {
		uint64_t old = s->sctlr_el2;

		s->sctlr_el2 = v & ~(3ull << 24);
		if ((old ^ s->sctlr_el2) & SCTLR_M)
			tlb_drop_flat(c, REGIME_EL2);
		cpu_ctx_changed(c);
		return SR_OK;
	}
	case SR(3, 4, 1, 0, 1): s->actlr_el2 = v; return SR_OK;
	case SR(3, 4, 1, 1, 0): {                                 /* HCR_EL2 */
		/* RW is RAO/WI (AArch64-only EL1); E2H is RES0 (no VHE). */
		uint64_t old = s->hcr_el2;

		/* FWB (46) is RES0: FEAT_S2FWB is not implemented. */
		s->hcr_el2 = (v | HCR_RW) & ~(1ull << 34 | 1ull << 46);
		if ((old ^ s->hcr_el2) & HCR_DC)
			tlb_drop_flat(c, REGIME_EL10);
		/* Stage 2 on or off: the TLB is not tagged by VMID (mmu.h). */
		if (hcr_s2_on(old) != hcr_s2_on(s->hcr_el2))
			tlb_invalidate(c, REGIME_EL10, TLBI_ALL, 0, 0, false);
		cpu_ctx_changed(c);
		return SR_OK;
	}
	case SR(3, 4, 1, 1, 1): s->mdcr_el2 = v; return SR_OK;
	case SR(3, 4, 1, 1, 2): s->cptr_el2 = v | 0x33ff; return SR_OK;
	case SR(3, 4, 1, 1, 3): s->hstr_el2 = v; return SR_OK;
	case SR(3, 4, 1, 1, 7): return SR_OK;
	case SR(3, 4, 2, 0, 0): s->ttbr0_el2 = v; cpu_ctx_changed(c); return SR_OK;
	case SR(3, 4, 2, 0, 2): s->tcr_el2 = v; cpu_ctx_changed(c); return SR_OK;
	case SR(3, 4, 2, 1, 0): {                                 /* VTTBR_EL2 */
		uint64_t old = s->vttbr_el2;

		s->vttbr_el2 = v;
		if (VTTBR_VMID(old) != VTTBR_VMID(v))
			tlb_invalidate(c, REGIME_EL10, TLBI_ALL, 0, 0, false);
		cpu_ctx_changed(c);
		return SR_OK;
	}
	case SR(3, 4, 2, 1, 2):
		s->vtcr_el2 = v;
		cpu_ctx_changed(c);
		return SR_OK;
	case SR(3, 4, 5, 1, 0): s->afsr0_el2 = v; return SR_OK;
	case SR(3, 4, 5, 1, 1): s->afsr1_el2 = v; return SR_OK;
	case SR(3, 4, 5, 2, 0): s->esr_el2 = v & 0xffffffffu; return SR_OK;
	case SR(3, 4, 6, 0, 0): s->far_el2 = v; return SR_OK;
	case SR(3, 4, 6, 0, 4): s->hpfar_el2 = v; return SR_OK;
	case SR(3, 4, 10, 2, 0): s->mair_el2 = v; cpu_ctx_changed(c); return SR_OK;
	case SR(3, 4, 10, 3, 0): s->amair_el2 = v; return SR_OK;
	case SR(3, 4, 12, 0, 0): s->vbar_el2 = v & ~0x7ffull; return SR_OK;
	case SR(3, 4, 13, 0, 2): s->tpidr_el2 = v; return SR_OK;
	case SR(3, 4, 14, 0, 3): s->cntvoff_el2 = v; return SR_OK;
	case SR(3, 4, 14, 1, 0): s->cnthctl_el2 = v & 0x3ff; return SR_OK;

	}
	return SR_UNDEF;
}

/* The GIC CPU interface system registers (IHI 0069, the ICC_*
 * register descriptions): ICC_PMR_EL1, ICC_*_EL1 in CRn 12 (CRm 8, 9, 11,
 * 12) and ICC_SRE_EL2. The ICH_* (virtual interface) ones are not
 * implemented: UNDEFINED. */
static bool is_icc(unsigned key)
{
	unsigned crm = (key >> 3) & 15;

	if (key == SR(3, 0, 4, 6, 0) || key == SR(3, 4, 12, 9, 5))
		return true;
	/* ICC_* at op1 0; the EL2 virtual interface ICH_* at op1 4 (AP0R,
	 * AP1R, HCR..VMCR, LR0..7 in CRm 8, 9, 11, 12, 13). */
	if ((key & ~(15u << 3 | 7u)) == SR(3, 4, 12, 0, 0))
		return crm == 8 || crm == 9 || crm == 11 || crm == 12 ||
		       crm == 13;
	return (key & ~(15u << 3 | 7u)) == SR(3, 0, 12, 0, 0) &&
	       (crm == 8 || crm == 9 || crm == 11 || crm == 12);
}

static enum sr_result icc_access(struct cpu *c, unsigned key, bool read,
				 uint64_t *v)
{
	if (!c->plat || !c->plat->ops->icc_access)
		return SR_UNDEF;
	switch (c->plat->ops->icc_access(c, key, !read, v)) {
	case PE_SR_OK:    return SR_OK;
	case PE_SR_TRAP1: return SR_TRAP1;
	case PE_SR_TRAP2: return SR_TRAP2;
	default:          return SR_UNDEF;
	}
}

/* HCR_EL2.TVM (writes) and TRVM (reads): the EL1 virtual memory
 * control registers trap from EL1 to EL2 with EC 0x18 (Arm ARM DDI 0487
 * K.a, HCR_EL2.TVM, TRVM): SCTLR_EL1, TTBR0_EL1, TTBR1_EL1, TCR_EL1,
 * ESR_EL1, FAR_EL1, AFSR0_EL1, AFSR1_EL1, MAIR_EL1, AMAIR_EL1,
 * CONTEXTIDR_EL1. */
static bool tvm_trapped(const struct cpu *c, unsigned key, bool read)
{
	if (c->el != 1 || !cpu_has_el2(c) ||
	    !(c->sys.hcr_el2 & (read ? HCR_TRVM : HCR_TVM)))
		return false;
	switch (key) {
	case SR(3, 0, 1, 0, 0): case SR(3, 0, 2, 0, 0): case SR(3, 0, 2, 0, 1):
	case SR(3, 0, 2, 0, 2): case SR(3, 0, 5, 2, 0): case SR(3, 0, 6, 0, 0):
	case SR(3, 0, 5, 1, 0): case SR(3, 0, 5, 1, 1): case SR(3, 0, 10, 2, 0):
	case SR(3, 0, 10, 3, 0): case SR(3, 0, 13, 0, 1):
		return true;
	default:
		return false;
	}
}

bool sysreg_access(struct cpu *c, uint32_t insn)
{
	unsigned op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7;
	unsigned crn = (insn >> 12) & 15, crm = (insn >> 8) & 15;
	unsigned op2 = (insn >> 5) & 7, rt = insn & 31;
	bool read = (insn >> 21) & 1;
	unsigned key = SR(op0, op1, crn, crm, op2);
	int min_el = op1_min_el(op1);
	enum sr_result r;
	uint64_t v = 0;

	/* Debug registers (pe/debug.c): op1 0 at EL1; the EL0 ones (op1 3,
	 * the DCC) are not implemented: UNDEFINED. */
	if (op0 == 2 && op1 != 0)
		min_el = -1;
	if (min_el < 0 || c->el < (unsigned)min_el ||
	    (min_el == 2 && !cpu_has_el2(c))) {
		exc_undef(c);
		return false;
	}
	/* FPCR/FPSR are subject to the FP/SIMD access traps. */
	if (key == SR(3, 3, 4, 4, 0) || key == SR(3, 3, 4, 4, 1)) {
		if (!cpu_fp_check(c, insn))
			return false;
	}
	if (op0 == 2) {
		v = rt == 31 ? 0 : c->x[rt];
		switch (dbg_sysreg(c, op0, crn, crm, op2, read, &v)) {
		case DBG_SR_OK:    r = SR_OK; break;
		case DBG_SR_TRAP2: r = SR_TRAP2; break;
		default:           r = SR_UNDEF; break;
		}
		if (r == SR_OK && read && rt != 31)
			c->x[rt] = v;
	} else if (is_icc(key)) {
		v = rt == 31 ? 0 : c->x[rt];
		r = icc_access(c, key, read, &v);
		if (r == SR_OK && read && rt != 31)
			c->x[rt] = v;
	} else if (tvm_trapped(c, key, read)) {
		r = SR_TRAP2;
	} else if (read) {
		r = sr_read(c, key, &v);
		if (r == SR_OK && rt != 31)
			c->x[rt] = v;
	} else {
		r = sr_write(c, key, rt == 31 ? 0 : c->x[rt]);
		/* DAIF, HCR_EL2: an asserted interrupt may now be taken; the
		 * timers (CRn 14, CNTVOFF_EL2): their outputs may change. */
		if (r == SR_OK) {
			cpu_irq_recheck(c);
			if (crn == 14 && c->plat && c->plat->ops->timer_changed)
				c->plat->ops->timer_changed(c);
		}
	}
	switch (r) {
	case SR_OK:
		return true;
	case SR_TRAP1:
		exc_sysreg_trap(c, insn, exc_target_el(c));
		return false;
	case SR_TRAP2:
		exc_sysreg_trap(c, insn, 2);
		return false;
	default:
		exc_undef(c);
		return false;
	}
}
