/* Self-hosted debug at EL1: every breakpoint and watchpoint that
 * ID_AA64DFR0_EL1 advertises fires on its own address with the syndrome
 * the architecture gives it, the instruction or access it stopped runs
 * once the handler disarms it, the enable controls (PSTATE.D, MDSCR_EL1
 * MDE and KDE, the load/store selection; with argument "oslock" the OS
 * lock) keep it quiet, and software step stops before each instruction
 * of a sequence with the syndrome's ISV telling a stepped instruction
 * from the unmask that made it pending. Architecture: Arm ARM DDI 0487, D2 "AArch64 Self-hosted
 * Debug" ("The debug exception enable controls", "Breakpoint
 * exceptions", "Watchpoint exceptions", "Software Step exceptions"),
 * ESR_EL1's ISS encodings for those classes. */
#include "exceptions.h"
#include "libc.h"
#include "report.h"
#include "sysreg.h"

#define EC_BP_CUR  0x31
#define EC_SS_CUR  0x33
#define EC_WP_CUR  0x35
#define ISS_DEBUG  0x22		/* IFSC/DFSC: debug exception */
#define ISS_WNR    (1u << 6)
#define ISS_ISV    (1u << 24)

#define MDSCR_SS   (1u << 0)
#define MDSCR_KDE  (1u << 13)
#define MDSCR_MDE  (1u << 15)
#define SPSR_SS    (1u << 21)

/* DBGBCR: BAS = 0b1111 (an A64 instruction), PMC = EL1, enabled. */
#define BCR_EL1    (0xfu << 5 | 1u << 1 | 1u)
/* DBGWCR: all 8 bytes at DBGWVR, PMC = EL1, enabled; LSC 1 load, 2 store. */
#define WCR_EL1(lsc) (0xffu << 5 | (lsc) << 3 | 1u << 1 | 1u)
#define LSC_LOAD   1u
#define LSC_STORE  2u

/* The registers are named by the instruction: one accessor per n. */
#define DBG_CASE(n, reg) case n: write_sysreg(v, reg##n##_el1); break;
#define DBG_SWITCH(reg) switch (n) { \
	DBG_CASE(0, reg) DBG_CASE(1, reg) DBG_CASE(2, reg) DBG_CASE(3, reg) \
	DBG_CASE(4, reg) DBG_CASE(5, reg) DBG_CASE(6, reg) DBG_CASE(7, reg) \
	DBG_CASE(8, reg) DBG_CASE(9, reg) DBG_CASE(10, reg) DBG_CASE(11, reg) \
	DBG_CASE(12, reg) DBG_CASE(13, reg) DBG_CASE(14, reg) DBG_CASE(15, reg) \
	}

static void set_bcr(int n, u64 v) { DBG_SWITCH(dbgbcr) }
static void set_bvr(int n, u64 v) { DBG_SWITCH(dbgbvr) }
static void set_wcr(int n, u64 v) { DBG_SWITCH(dbgwcr) }
static void set_wvr(int n, u64 v) { DBG_SWITCH(dbgwvr) }

static int nbp, nwp;

static void disarm_all(void)
{
	for (int n = 0; n < nbp; n++)
		set_bcr(n, 0);
	for (int n = 0; n < nwp; n++)
		set_wcr(n, 0);
	isb();
}

/* Sixteen counted steps: f(x) = x + 16 when each ran exactly once. */
asm(".pushsection .text\n"
    ".globl dbg_adds\n"
    "dbg_adds:\n"
    ".rept 16\n"
    "	add x0, x0, #1\n"
    ".endr\n"
    "	ret\n"
    ".popsection\n");
extern u64 dbg_adds(u64);

/* Software step from the instruction after the DAIFClr (the handler
 * stops it before the DAIFSet). */
asm(".pushsection .text\n"
    ".globl dbg_stepped, dbg_stepped_first, dbg_stepped_last\n"
    "dbg_stepped:\n"
    "	msr daifclr, #8\n"
    "dbg_stepped_first:\n"
    "	add x0, x0, #1\n"
    "	add x0, x0, #1\n"
    "	add x0, x0, #1\n"
    "dbg_stepped_last:\n"
    "	msr daifset, #8\n"
    "	ret\n"
    ".popsection\n");
extern u64 dbg_stepped(u64);
extern char dbg_stepped_first[], dbg_stepped_last[];

#define MAX_HITS 8
static volatile int hits;
static volatile u64 hit_pc[MAX_HITS], hit_esr[MAX_HITS], hit_far[MAX_HITS];

static void record(struct pt_regs *regs, unsigned esr)
{
	if (hits < MAX_HITS) {
		hit_pc[hits] = regs->pc;
		hit_esr[hits] = esr;
		hit_far[hits] = read_sysreg(far_el1);
	}
	hits++;
}

/* Breakpoints and watchpoints: record, disarm, return to the instruction
 * (which now runs). */
static void bp_wp_handler(struct pt_regs *regs, unsigned esr)
{
	record(regs, esr);
	disarm_all();
}

/* Software step: record, and return in the active-not-pending state,
 * up to the last instruction of the sequence: there, step is turned off
 * (MDSCR_EL1.SS) and the DAIFSet runs unstepped. Whether the step after
 * a DAIFSet that masks it still stops is left alone: the Arm ARM's
 * pseudocode checks PSTATE.D before the next instruction (no stop),
 * QEMU 7.2 stops. */
static void ss_handler(struct pt_regs *regs, unsigned esr)
{
	record(regs, esr);
	if (regs->pc == (u64)dbg_stepped_last)
		write_sysreg(read_sysreg(mdscr_el1) & ~MDSCR_SS, mdscr_el1);
	else
		regs->pstate |= SPSR_SS;
}

static void debug_on(u64 mdscr)
{
	write_sysreg(0, oslar_el1);
	write_sysreg(mdscr, mdscr_el1);
	isb();
	asm volatile("msr daifclr, #8" ::: "memory");
}

static void debug_off(void)
{
	asm volatile("msr daifset, #8" ::: "memory");
	write_sysreg(0, mdscr_el1);
	disarm_all();
	hits = 0;
}

static void test_breakpoints(void)
{
	u64 fn = (u64)dbg_adds;
	bool all = true;

	for (int n = 0; n < nbp; n++) {
		set_bvr(n, fn + 4 * n);
		set_bcr(n, BCR_EL1);
		debug_on(MDSCR_MDE | MDSCR_KDE);
		u64 r = dbg_adds(0);
		bool ok = hits == 1 && hit_pc[0] == fn + 4 * n &&
			  hit_esr[0] == (EC_BP_CUR << 26 | 1u << 25 | ISS_DEBUG) &&
			  r == 16;
		if (!ok)
			report_info("breakpoint %d: %d hits, pc 0x%lx, ESR 0x%lx, result %lu",
				    n, hits, hit_pc[0], hit_esr[0], r);
		all &= ok;
		debug_off();
	}
	report(all, "each of the %d breakpoints stops before its instruction (EC 0x31), which then runs", nbp);

	/* The enable controls, one at a time. */
	set_bvr(0, fn);
	set_bcr(0, BCR_EL1);
	debug_on(MDSCR_MDE | MDSCR_KDE);
	asm volatile("msr daifset, #8" ::: "memory");
	dbg_adds(0);
	report(hits == 0, "not with PSTATE.D set");
	debug_off();

	set_bcr(0, BCR_EL1);
	debug_on(MDSCR_KDE);
	dbg_adds(0);
	report(hits == 0, "not without MDSCR_EL1.MDE");
	debug_off();

	set_bcr(0, BCR_EL1);
	debug_on(MDSCR_MDE);
	dbg_adds(0);
	report(hits == 0, "not at EL1 without MDSCR_EL1.KDE");
	debug_off();
}

/* The OS lock disables every debug exception but BRK ("The debug
 * exception enable controls"; the pseudocode's
 * AArch64.GenerateDebugExceptionsFrom() tests OSLSR_EL1.OSLK first).
 * QEMU 7.2's TCG does not: tests.cfg runs this on the checker only. */
static void test_os_lock(void)
{
	set_bvr(0, (u64)dbg_adds);
	set_bcr(0, BCR_EL1);
	debug_on(MDSCR_MDE | MDSCR_KDE);
	write_sysreg(1, oslar_el1);
	isb();
	u64 r = dbg_adds(0);
	report((read_sysreg(oslsr_el1) & 2) && hits == 0 && r == 16,
	       "no breakpoint with the OS lock set (%d hits)", hits);
	write_sysreg(0, oslar_el1);
	isb();
	r = dbg_adds(0);
	report(!(read_sysreg(oslsr_el1) & 2) && hits == 1,
	       "the same breakpoint once the OS lock is clear");
	debug_off();
}

static volatile u64 watched[16] __attribute__((aligned(64)));

static void test_watchpoints(void)
{
	bool all = true;

	for (int n = 0; n < nwp; n++) {
		volatile u64 *p = &watched[2 * n];

		set_wvr(n, (u64)p);
		set_wcr(n, WCR_EL1(LSC_STORE));
		debug_on(MDSCR_MDE | MDSCR_KDE);
		*p = 0x1000 + n;
		bool ok = hits == 1 && hit_far[0] == (u64)p &&
			  hit_esr[0] == (EC_WP_CUR << 26 | 1u << 25 | ISS_WNR | ISS_DEBUG) &&
			  *p == 0x1000u + n;
		if (!ok)
			report_info("watchpoint %d: %d hits, FAR 0x%lx, ESR 0x%lx, value 0x%lx",
				    n, hits, hit_far[0], hit_esr[0], *p);
		all &= ok;
		debug_off();
	}
	report(all, "each of the %d watchpoints stops a store (EC 0x35, WnR, FAR), which then completes", nwp);

	volatile u64 *p = &watched[1];
	set_wvr(0, (u64)p);
	set_wcr(0, WCR_EL1(LSC_STORE));
	debug_on(MDSCR_MDE | MDSCR_KDE);
	u64 v = *p;
	watched[0] = 1;		/* the doubleword beside it */
	report(hits == 0, "a store watchpoint ignores loads and other doublewords");
	debug_off();

	set_wcr(0, WCR_EL1(LSC_LOAD));
	debug_on(MDSCR_MDE | MDSCR_KDE);
	v += *p;
	report(hits == 1 && hit_far[0] == (u64)p &&
	       hit_esr[0] == (EC_WP_CUR << 26 | 1u << 25 | ISS_DEBUG),
	       "a load watchpoint stops a load (WnR = 0)");
	debug_off();
	(void)v;
}

static void test_step(void)
{
	u64 first = (u64)dbg_stepped_first;
	bool seq = true;

	write_sysreg(0, oslar_el1);
	asm volatile("msr daifset, #8" ::: "memory");
	write_sysreg(MDSCR_KDE | MDSCR_SS, mdscr_el1);
	isb();
	u64 r = dbg_stepped(0);
	write_sysreg(0, mdscr_el1);
	isb();

	for (int i = 0; i < hits && i < MAX_HITS; i++)
		report_info("step %d: pc 0x%lx (first + %ld), ESR 0x%lx", i, hit_pc[i],
			    (long)(hit_pc[i] - first), hit_esr[i]);
	for (int i = 0; i < 4; i++)
		seq &= hits > i && hit_pc[i] == first + 4 * i &&
		       (hit_esr[i] >> 26) == EC_SS_CUR &&
		       (hit_esr[i] & 0x3f) == ISS_DEBUG;
	report(hits == 4 && seq && first + 12 == (u64)dbg_stepped_last && r == 3,
	       "software step stops before each instruction of the sequence (%d stops)",
	       hits);
	report(hits == 4 && !(hit_esr[0] & ISS_ISV) && (hit_esr[1] & ISS_ISV) &&
	       (hit_esr[3] & ISS_ISV),
	       "ISV: 0 on entering active-pending by the unmask, 1 after a stepped instruction");
	hits = 0;
}

int main(int argc, char **argv)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	report_prefix_push("debug");
	nbp = ((dfr0 >> 12) & 0xf) + 1;
	nwp = ((dfr0 >> 20) & 0xf) + 1;
	report_info("ID_AA64DFR0_EL1 0x%lx: %d breakpoints, %d watchpoints", dfr0, nbp, nwp);
	report((dfr0 & 0xf) >= 6, "DebugVer: Armv8 debug");

	install_exception_handler(EL1H_SYNC, EC_BP_CUR, bp_wp_handler);
	install_exception_handler(EL1H_SYNC, EC_WP_CUR, bp_wp_handler);
	install_exception_handler(EL1H_SYNC, EC_SS_CUR, ss_handler);
	debug_off();

	if (argc > 1 && !strcmp(argv[1], "oslock")) {
		test_os_lock();
	} else {
		test_breakpoints();
		test_watchpoints();
		test_step();
	}

	debug_off();
	return report_summary();
}
