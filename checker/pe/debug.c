/* Self-hosted debug (Arm ARM DDI 0487 K.a, D2 "AArch64 Self-hosted
 * Debug"; sections below are named by title): the debug registers a
 * kernel's or kvm-unit-tests' debug code programs, Breakpoint, Watchpoint
 * and Software Step exceptions, the OS lock and the OS double lock.
 * Without EL3 and Secure state: SSC values that name Secure state never
 * match. Not implemented: linked breakpoints and watchpoints (BT 0b0001,
 * 0b0011, WT = 1), context matching other than the unlinked Context ID
 * match (BT 0b0010) on the one context-aware breakpoint, vector catch,
 * the DCC (MDCCSR_EL0, DBGDTR*_EL0 stay UNDEFINED), halting debug. */
#include "pe/debug.h"

#include "pe/exception.h"

#define ISS_DEBUG_FSC 0x22       /* IFSC/DFSC "Debug exception" */
#define OSLSR_OSLK    (1ull << 1)
#define BCR_E         1ull
#define CTX_BP        (DBG_NBP - 1)  /* CTX_CMPs = 0: the highest one */

/* ---- When debug exceptions are enabled ---- */

/* "Routing debug exceptions": to EL2 when EL2 is implemented and
 * HCR_EL2.TGE or MDCR_EL2.TDE is set, else EL1. */
static unsigned dbg_target_el(const struct cpu *c)
{
	if (cpu_has_el2(c) &&
	    ((c->sys.hcr_el2 & HCR_TGE) || (c->sys.mdcr_el2 & MDCR_TDE)))
		return 2;
	return 1;
}

/* The OS double lock holds ("The OS Double Lock"): OSDLR_EL1.DLK with
 * DBGPRCR_EL1.CORENPDRQ clear. */
static bool double_locked(const struct cpu *c)
{
	return (c->sys.osdlr_el1 & 1) && !(c->sys.dbgprcr_el1 & 1);
}

/* "The debug exception enable controls" (the pseudocode's
 * AArch64.GenerateDebugExceptionsFrom()): never with the OS lock or the
 * double lock; at the debug target EL only with MDSCR_EL1.KDE set and
 * the D mask clear; below it always; above it never. */
static bool enabled_from(const struct cpu *c, unsigned el, bool dmask)
{
	unsigned tel = dbg_target_el(c);

	if ((c->sys.oslsr_el1 & OSLSR_OSLK) || double_locked(c))
		return false;
	if (el == tel)
		return (c->sys.mdscr_el1 & MDSCR_KDE) && !dmask;
	return tel > el;
}

static bool enabled_here(const struct cpu *c)
{
	return enabled_from(c, c->el, c->daif & (1u << 9));
}

void dbg_update(struct cpu *c)
{
	const struct sysregs *s = &c->sys;
	bool open = !(s->oslsr_el1 & OSLSR_OSLK) && !double_locked(c);
	bool mde = open && (s->mdscr_el1 & MDSCR_MDE);
	bool bp = false, wp = false;

	for (unsigned i = 0; i < DBG_NBP; i++)
		bp |= mde && (s->dbgbcr[i] & BCR_E);
	for (unsigned i = 0; i < DBG_NWP; i++)
		wp |= mde && (s->dbgwcr[i] & BCR_E);
	/* The fetch cache would skip the breakpoint check: drop it. */
	if (bp != c->dbg_bp)
		cpu_ctx_changed(c);
	c->dbg_bp = bp;
	c->dbg_wp = wp;
	c->dbg_ss = open && (s->mdscr_el1 & MDSCR_SS);
	/* An instruction that turns step off is not stepped (SSAdvance()
	 * reads MDSCR_EL1.SS after it). */
	if (!c->dbg_ss)
		c->ss_armed = false;
}

/* Which ELs a breakpoint or watchpoint matches at, from its PMC (PAC),
 * HMC and SSC fields (tables "Summary of breakpoint HMC, SSC, and PMC
 * encodings" and the watchpoint one), Non-secure state, no EL3: SSC
 * 0b10 is Secure only; EL2 needs HMC and, with SSC 0b00, a PMC that
 * names EL1; EL1 and EL0 are PMC bits 0 and 1. */
static bool el_match(uint64_t ctl, unsigned el)
{
	unsigned pmc = (ctl >> 1) & 3, hmc = (ctl >> 13) & 1;
	unsigned ssc = (ctl >> 14) & 3;

	if (ssc == 2)
		return false;
	if (el == 2)
		return hmc && (ssc == 1 || (pmc & 1));
	return el == 1 ? pmc & 1 : (pmc >> 1) & 1;
}

/* Exception entry at the debug target EL, EC by where it comes from. */
static void take(struct cpu *c, unsigned ec_lower, uint32_t iss,
		 uint64_t far, bool far_valid)
{
	unsigned tel = dbg_target_el(c);

	exc_take(c, tel, tel == c->el ? ec_lower + 1 : ec_lower, iss, far,
		 far_valid, c->pc);
}

/* ---- Breakpoints ("Breakpoint exceptions") ---- */

static bool bp_matches(const struct cpu *c, unsigned n)
{
	uint64_t bcr = c->sys.dbgbcr[n], bvr = c->sys.dbgbvr[n];
	unsigned bt = (bcr >> 20) & 0xf, bas = (bcr >> 5) & 0xf;

	if (!(bcr & BCR_E) || !el_match(bcr, c->el))
		return false;
	switch (bt) {
	case 0:   /* unlinked instruction address match: VA[48:2]; BAS 0
		   * matches nothing, any other value the whole A64 word */
		return bas && !((bvr ^ c->pc) & 0x0001fffffffffffcull);
	case 2:   /* unlinked Context ID match, context-aware ones only */
		return n == CTX_BP &&
		       (uint32_t)bvr == (uint32_t)c->sys.contextidr_el1;
	default:  /* linked and VMID types: not implemented, never match */
		return false;
	}
}

bool dbg_check_bp(struct cpu *c)
{
	if (!(c->sys.mdscr_el1 & MDSCR_MDE) || !enabled_here(c))
		return true;
	for (unsigned n = 0; n < DBG_NBP; n++) {
		if (bp_matches(c, n)) {
			/* FAR is UNKNOWN for a breakpoint: not written. */
			take(c, EC_BP_LOWER, ISS_DEBUG_FSC, 0, false);
			return false;
		}
	}
	return true;
}

/* ---- Watchpoints ("Watchpoint exceptions") ---- */

/* Does any byte of [va, va + size) lie in watchpoint n's range? BAS
 * selects bytes of the doubleword at DBGWVR (of its upper word when
 * DBGWVR[2] is set, with BAS[3:0]); a non-zero MASK watches the 2^MASK
 * aligned bytes at DBGWVR instead, BAS ignored. */
static bool wp_covers(uint64_t wcr, uint64_t wvr, uint64_t va, unsigned size)
{
	unsigned mask = (wcr >> 24) & 0x1f, bas = (wcr >> 5) & 0xff;
	uint64_t addr = wvr & 0x0001fffffffffffcull;

	if (mask >= 3) {
		uint64_t lo = addr & ~((1ull << mask) - 1);
		uint64_t hi = lo + (1ull << mask) - 1;
		uint64_t a = va & 0x0001ffffffffffffull;

		return a <= hi && a + size - 1 >= lo;
	}
	if (addr & 4)
		bas = (bas & 0xf) << 4;
	for (unsigned i = 0; i < size; i++) {
		uint64_t b = (va + i) & 0x0001ffffffffffffull;

		if ((b & ~7ull) == (addr & ~7ull) && ((bas >> (b & 7)) & 1))
			return true;
	}
	return false;
}

bool dbg_check_wp(struct cpu *c, uint64_t va, unsigned size, bool store,
		  unsigned el_perm)
{
	if (!(c->sys.mdscr_el1 & MDSCR_MDE) || !enabled_here(c))
		return true;
	for (unsigned n = 0; n < DBG_NWP; n++) {
		uint64_t wcr = c->sys.dbgwcr[n];
		unsigned lsc = (wcr >> 3) & 3;

		if (!(wcr & BCR_E) || (wcr & (1ull << 20)) ||
		    !el_match(wcr, el_perm ? c->el : 0) ||
		    !(lsc & (store ? 2 : 1)) ||
		    !wp_covers(wcr, c->sys.dbgwvr[n], va, size))
			continue;
		/* ISS: DFSC "debug exception", WnR; FAR the access's
		 * address, within the watched range as the Arm ARM allows
		 * ("Watchpoint exceptions", FAR). */
		take(c, EC_WP_LOWER, ISS_DEBUG_FSC | (store ? 1u << 6 : 0),
		     va, true);
		return false;
	}
	return true;
}

/* ---- Software step ("Software Step exceptions": "The software step
 * state machine"). Inactive unless MDSCR_EL1.SS is set and debug
 * exceptions are enabled from the current EL; then PSTATE.SS = 1 is
 * active-not-pending (step one instruction), 0 active-pending (take the
 * exception before the next instruction). ---- */

static bool step_active(const struct cpu *c)
{
	return (c->sys.mdscr_el1 & MDSCR_SS) && enabled_here(c);
}

bool cpu_step_before(struct cpu *c)
{
	uint32_t iss = ISS_DEBUG_FSC;

	if (!step_active(c))
		return false;
	if (c->pstate_ss) {
		c->ss_armed = true;
		c->ss_gen = c->pstate_gen;
		c->ss_marks = c->excl_marks;
		return false;
	}
	/* ISV: the instruction before was stepped (EX valid), not a
	 * return into the active-pending state. */
	if (c->ss_stepped)
		iss |= (1u << 24) | (c->ss_ex ? 1u << 6 : 0);
	take(c, EC_SS_LOWER, iss, 0, false);
	return true;
}

/* EX: the stepped instruction was a Load-Exclusive (it marked the
 * monitor: access.c counts those). */
void cpu_step_finish(struct cpu *c)
{
	c->ss_armed = false;
	if (c->pstate_gen != c->ss_gen)
		return;
	c->pstate_ss = false;
	c->ss_stepped = true;
	c->ss_ex = c->excl_marks != c->ss_marks;
}

void dbg_ss_advance(struct cpu *c)
{
	if ((c->sys.mdscr_el1 & MDSCR_SS) && c->pstate_ss)
		c->pstate_ss = false;
}

bool dbg_eret_ss(const struct cpu *c, uint64_t spsr, unsigned dest_el)
{
	bool at_source = enabled_here(c);
	bool at_dest = enabled_from(c, dest_el, spsr & (1u << 9));

	return (c->sys.mdscr_el1 & MDSCR_SS) && !at_source && at_dest &&
	       (spsr & SPSR_SS);
}

/* ---- Registers (D19 "AArch64 System Register Descriptions", debug
 * registers; MDCR_EL2 for the traps to EL2) ---- */

/* MDCR_EL2.TDA, TDOSA, TDRA (and TDE, which sets all three) trap EL1
 * accesses to EL2. */
static bool trapped(const struct cpu *c, uint64_t bit)
{
	uint64_t mdcr = c->sys.mdcr_el2;

	return c->el == 1 && cpu_has_el2(c) &&
	       ((mdcr & bit) || (mdcr & MDCR_TDE));
}

#define DBGBCR_MASK 0x00ffe1e7ull   /* BT, LBN, SSC, HMC, BAS, PMC, E */
#define DBGWCR_MASK 0x1f1fffffull   /* MASK, WT, LBN, SSC, HMC, BAS, LSC, PAC, E */
#define MDSCR_MASK  0x0000f001ull   /* MDE, HDE, KDE, TDCC, SS */
/* DBGAUTHSTATUS_EL1: Non-secure invasive and non-invasive debug
 * implemented and enabled; Secure state not implemented. */
#define AUTHSTATUS  0x0full

static enum dbg_sr rw(uint64_t *reg, bool read, uint64_t *v, uint64_t mask)
{
	if (read)
		*v = *reg;
	else
		*reg = *v & mask;
	return DBG_SR_OK;
}

enum dbg_sr dbg_sysreg(struct cpu *c, unsigned op0, unsigned crn,
		       unsigned crm, unsigned op2, bool read, uint64_t *v)
{
	struct sysregs *s = &c->sys;
	enum dbg_sr r = DBG_SR_UNDEF;

	if (op0 != 2)
		return DBG_SR_NONE;
	if (crn == 0 && op2 >= 4) {                 /* DBGB/W VR/CR<n> */
		bool bp = op2 < 6;

		if (crm >= (bp ? DBG_NBP : DBG_NWP))
			return DBG_SR_UNDEF;
		if (trapped(c, MDCR_TDA))
			return DBG_SR_TRAP2;
		switch (op2) {
		case 4: r = rw(&s->dbgbvr[crm], read, v, ~0ull); break;
		case 5: r = rw(&s->dbgbcr[crm], read, v, DBGBCR_MASK); break;
		case 6: r = rw(&s->dbgwvr[crm], read, v, ~3ull); break;
		default: r = rw(&s->dbgwcr[crm], read, v, DBGWCR_MASK); break;
		}
	} else if (crn == 0 && op2 == 2 && crm == 2) {
		if (trapped(c, MDCR_TDA))
			return DBG_SR_TRAP2;
		r = rw(&s->mdscr_el1, read, v, MDSCR_MASK);
	} else if (crn == 0 && op2 == 0 && crm == 2) {
		if (trapped(c, MDCR_TDA))
			return DBG_SR_TRAP2;
		r = rw(&s->mdccint_el1, read, v, 3ull << 29);
	} else if (crn == 0 && op2 == 2 && (crm == 0 || crm == 3 || crm == 6)) {
		uint64_t *reg = crm == 0 ? &s->osdtrrx_el1 :
				crm == 3 ? &s->osdtrtx_el1 : &s->oseccr_el1;

		if (trapped(c, MDCR_TDA))
			return DBG_SR_TRAP2;
		r = rw(reg, read, v, 0xffffffffull);
	} else if (crn == 1 && op2 == 0 && crm == 0) {        /* MDRAR */
		if (!read)
			return DBG_SR_UNDEF;
		if (trapped(c, MDCR_TDRA))
			return DBG_SR_TRAP2;
		*v = 0;        /* ROMADDR not valid: no memory-mapped debug */
		r = DBG_SR_OK;
	} else if (crn == 1 && op2 == 4 &&
		   (crm == 0 || crm == 1 || crm == 3 || crm == 4)) {
		if ((crm == 0 && read) || (crm == 1 && !read))
			return DBG_SR_UNDEF;         /* OSLAR WO, OSLSR RO */
		if (trapped(c, MDCR_TDOSA))
			return DBG_SR_TRAP2;
		r = DBG_SR_OK;
		if (crm == 0)                         /* OSLAR: OSLK */
			s->oslsr_el1 = (s->oslsr_el1 & ~OSLSR_OSLK) |
				       ((*v & 1) << 1);
		else if (crm == 1)
			*v = s->oslsr_el1;
		else
			r = rw(crm == 3 ? &s->osdlr_el1 : &s->dbgprcr_el1,
			       read, v, 1);
	} else if (crn == 7 && op2 == 6 && (crm == 8 || crm == 9)) {
		if (trapped(c, MDCR_TDA))
			return DBG_SR_TRAP2;
		/* CoreSight's claim tags: SET reads which of the 8 are
		 * implemented, CLR reads them. */
		if (read)
			*v = crm == 8 ? 0xff : s->dbgclaim;
		else if (crm == 8)                    /* DBGCLAIMSET */
			s->dbgclaim |= *v & 0xff;
		else                                  /* DBGCLAIMCLR */
			s->dbgclaim &= ~(*v & 0xff);
		r = DBG_SR_OK;
	} else if (crn == 7 && op2 == 6 && crm == 14) {       /* AUTHSTATUS */
		if (!read)
			return DBG_SR_UNDEF;
		if (trapped(c, MDCR_TDA))
			return DBG_SR_TRAP2;
		*v = AUTHSTATUS;
		r = DBG_SR_OK;
	}
	if (r == DBG_SR_OK && !read)
		dbg_update(c);
	return r;
}
