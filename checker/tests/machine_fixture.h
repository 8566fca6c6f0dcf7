/* A small machine for the checker's unit tests: RAM at 0x40000000, a
 * PE at EL1 (or EL2) with everything at reset values, and helpers to
 * build system instructions and write memory. */
#ifndef CHECKER_TEST_FIXTURE_H
#define CHECKER_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "board/machine.h"
#include "mem/memsys.h"
#include "pe/mmu.h"
#include "pe/exception.h"

extern struct machine fx;

/* Fresh machine with smp PEs and 16 MiB of RAM; PE 0 powered at pc. */
struct cpu *fx_setup(unsigned smp, bool el2);
void fx_teardown(void);

void fx_w64(uint64_t pa, uint64_t v);
uint64_t fx_r64(uint64_t pa);
void fx_w32(uint64_t pa, uint32_t v);

/* MSR/MRS/SYS encodings (C5.1). */
static inline uint32_t sysinsn(unsigned l, unsigned op0, unsigned op1,
			       unsigned crn, unsigned crm, unsigned op2,
			       unsigned rt)
{
	return 0xd5000000u | l << 21 | op0 << 19 | op1 << 16 | crn << 12 |
	       crm << 8 | op2 << 5 | rt;
}
#define MRS(op0, op1, crn, crm, op2, rt) sysinsn(1, op0, op1, crn, crm, op2, rt)
#define MSR(op0, op1, crn, crm, op2, rt) sysinsn(0, op0, op1, crn, crm, op2, rt)

/* Execute one system instruction at the PE's pc; returns the new pc. */
uint64_t fx_sys(struct cpu *c, uint32_t insn);
/* MRS/MSR through the instruction path, asserting no exception. */
uint64_t fx_mrs(struct cpu *c, unsigned op0, unsigned op1, unsigned crn,
		unsigned crm, unsigned op2);
void fx_msr(struct cpu *c, unsigned op0, unsigned op1, unsigned crn,
	    unsigned crm, unsigned op2, uint64_t v);

#define FX_PC     0x40001000ull
#define FX_VBAR1  0x40010000ull
#define FX_VBAR2  0x40020000ull

static inline unsigned esr_ec(uint64_t esr) { return esr >> 26; }

#endif
