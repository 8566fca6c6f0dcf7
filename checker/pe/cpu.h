/* pe/: one PE: registers, exceptions, translation and TLB, VA accesses.
 *
 * One arm64 PE: architectural state and the interface between the
 * instruction interpreter (interp/exec_*.c) and the rest of the machine
 * (system registers, exceptions, MMU, memory).
 *
 * Contract for every helper that can take an exception (memory accesses,
 * system instructions, FP access checks): it returns false after it has
 * already redirected the PE to the exception vector; the interpreter then
 * abandons the instruction without writing any register or advancing PC. */
#ifndef CHECKER_CPU_H
#define CHECKER_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/memsys.h"
#include "pe/platform.h"
#include "pe/sysreg.h"

struct machine;
struct tlb;

/* PSTATE.NZCV kept in bits 31..28 as in the NZCV register. */
#define NZCV_N (1u << 31)
#define NZCV_Z (1u << 30)
#define NZCV_C (1u << 29)
#define NZCV_V (1u << 28)

/* One-entry instruction fetch cache (access.c): host pointer of the page
 * at vpage, valid while gen == the PE's ctx_gen and el == its EL. Model
 * state, not architectural: kept beside the registers mem_fetch's fast
 * path reads (pc, el) so one or two cache lines serve it. */
struct fetch_cache {
	uint64_t vpage;
	const uint8_t *host;
	uint64_t gen;            /* the PE's ctx_gen when the entry was filled */
	uint64_t lines;          /* 64-byte lines of the page it serves:
				  * ~0 without the cache model */
	unsigned el;
	uint64_t ppage;          /* the page's PA and attributes: a page */
	struct memattr attr;     /* left for another is kept (fvict) */
};

/* Pages the fetch cache served before the current one, direct-mapped by
 * VA page: a branch back to one, with the same translation, context and
 * EL, skips the memory system's fetch hooks (access.c fetch_slow). */
#define FETCH_VICTIMS 32

struct cpu {
	/* id, el, pc, ctx_gen: first, as the memory system's observer reads
	 * them (mem/memsys.h struct pe_head). The fetch cache beside them. */
	union {
		struct pe_head head;
		struct { PE_HEAD_FIELDS };
	};
	struct fetch_cache fetch;
	uint64_t x[31];          /* X0..X30; register 31 is SP or XZR by context */
	uint32_t nzcv;
	unsigned spsel;          /* PSTATE.SP: 0 = SP_EL0, 1 = SP_ELx */
	uint32_t daif;           /* PSTATE.DAIF in bits 9..6 */
	bool pstate_il;          /* PSTATE.IL after an illegal exception return */
	bool pstate_ss;          /* PSTATE.SS: software step (pe/debug.c) */
	uint64_t sp_el[3];       /* SP_EL0, SP_EL1, SP_EL2 */

	struct tlb *tlb;         /* this PE's TLB (mmu.h) */
	uint16_t asid;           /* current EL1&0 ASID, kept by sysreg.c */

	__uint128_t v[32];       /* FP/SIMD registers */
	uint32_t fpcr, fpsr;

	struct sysregs sys;      /* owned by pe/sysreg.c */

	/* Local exclusive monitor (the global one lives in the machine). */
	bool excl_valid;
	uint64_t excl_pa;        /* granule-aligned physical address */

	/* The machine, opaque here: passed to memsys_*() and the model. */
	struct machine *m;
	struct pe_platform *plat;  /* everything else the PE needs from it */
	/* Interrupt inputs from the interrupt controller (board/), level
	 * sensitive; irq_poll asks the interpreter to check, before the next
	 * instruction, whether one is to be taken (cpu_irq_poll). */
	bool irq_line, fiq_line;
	bool irq_poll;
	/* Self-hosted debug armed (pe/debug.c keeps them): a breakpoint,
	 * a watchpoint, software step enabled in MDSCR_EL1 with the OS lock
	 * clear. Each is the one test its fast path makes (fetch cache,
	 * mem_read/mem_write, cpu_run); whether the debug exception is
	 * enabled at the current EL and PSTATE.D is decided behind them. */
	bool dbg_bp, dbg_wp, dbg_ss;
	/* Software step syndrome (ESR ISV, EX): the instruction before the
	 * step exception was stepped, and was a Load-Exclusive. */
	bool ss_stepped, ss_ex;
	bool ss_armed;           /* an instruction runs active-not-pending */
	unsigned ss_gen, ss_marks;  /* pstate_gen, excl_marks when it began */
	unsigned pstate_gen;     /* bumps at every exception entry and return */
	unsigned excl_marks;     /* bumps at every Load-Exclusive */
	uint64_t insns;          /* instructions retired */
	bool powered;            /* false until PSCI CPU_ON, after CPU_OFF */
	bool wfi;                /* waiting for an interrupt/event */
	enum { WAIT_WFI, WAIT_WFE, WAIT_SUSPEND } wait_kind;  /* when wfi */
	uint64_t wait_pc;        /* of that WFI, WFE or PSCI call */
	bool event;              /* event register for WFE/SEV */
	/* Exception-loop detection (machine_exception_taken): the last
	 * exception's vector and class, how many entries in a row were taken
	 * at the previous one's vector, and the round the run began. */
	uint64_t exc_vector;
	unsigned exc_ec;
	unsigned exc_repeats;
	uint64_t exc_repeat_round;
	struct fetch_cache fvict[FETCH_VICTIMS];
};

/* The host address of the instruction at c->pc when the fetch cache
 * serves it (access.c's fast path: same page, EL and translation context,
 * a line the cache model lets pass unchecked), else NULL: then only
 * mem_fetch() may fetch it. Inline for the interpreter's loop. */
static inline const uint8_t *cpu_fetch_cached(const struct cpu *c)
{
	const struct fetch_cache *f = &c->fetch;
	uint64_t pc = c->pc;

	if (__builtin_expect(((pc ^ f->vpage) & ~0xffcull) == 0 &&
			     ((f->lines >> ((pc >> 6) & 63)) & 1) &&
			     f->gen == c->ctx_gen && f->el == c->el, 1))
		return f->host + (pc & 0xfff);
	return 0;
}

/* Current stack pointer, selected by EL and PSTATE.SP. */
static inline uint64_t *cpu_sp(struct cpu *c)
{
	return c->spsel ? &c->sp_el[c->el] : &c->sp_el[0];
}

/* Translation-affecting state changed: drop cached fetch pages and the
 * loads the TLB serves past the cache model (a system register the
 * model checks for context synchronisation was written). */
static inline void cpu_ctx_changed(struct cpu *c)
{
	pe_ctx_changed(c);
	pe_quiet_changed(c);
}

/* Something that decides whether an asserted interrupt is taken changed
 * (PSTATE.DAIF, the EL, HCR_EL2, the lines): check before the next
 * instruction. */
static inline void cpu_irq_recheck(struct cpu *c)
{
	if (c->irq_line || c->fiq_line)
		c->irq_poll = true;
}

/* Take the IRQ or FIQ exception an asserted line asks for, when routing
 * and masking allow it (exception.c); clears irq_poll. */
void cpu_irq_poll(struct cpu *c);

/* Software step around one instruction (pe/debug.c; Arm ARM DDI 0487
 * K.a, D2 "AArch64 Self-hosted Debug", "Software Step exceptions"), for
 * cpu_run while c->dbg_ss. cpu_step_before: in the active-pending state
 * take the step exception and return true; in active-not-pending arm
 * the step (ss_armed) for the instruction about to run. cpu_step_finish,
 * before anything else happens to the PE: that instruction completed
 * without an exception entry or return, so it was stepped (pending). */
bool cpu_step_before(struct cpu *c);
void cpu_step_finish(struct cpu *c);

/* ---- Provided by the interpreter (interp/exec*.c) ---- */

/* Execute up to n instructions; returns how many retired (an instruction
 * that took an exception counts). Stops early when the PE stops running
 * (WFI, power off). */
uint64_t cpu_run(struct cpu *c, uint64_t n);

/* Execute exactly one instruction word already fetched from c->pc. */
void cpu_exec_one(struct cpu *c, uint32_t insn);

/* ---- Provided by the machine side ---- */

/* Memory access kinds. The low bits carry flags describing the access. */
enum acc_flags {
	ACC_LOAD      = 0,
	ACC_STORE     = 1u << 0,
	ACC_EXCL      = 1u << 1,  /* LDXR/STXR family */
	ACC_ACQREL    = 1u << 2,  /* acquire/release semantics */
	ACC_UNPRIV    = 1u << 3,  /* LDTR/STTR: checked as EL0 */
	ACC_ATOMIC    = 1u << 4,  /* part of an LSE read-modify-write */
	ACC_SIMD      = 1u << 5,  /* FP/SIMD register transfer */
};

/* Data load of size 1, 2, 4, 8 or 16 bytes at va, little-endian, into
 * out (zero-extended; 16-byte loads fill both halves of *out). */
bool mem_read(struct cpu *c, uint64_t va, unsigned size, __uint128_t *out,
	      unsigned flags);
bool mem_write(struct cpu *c, uint64_t va, unsigned size, __uint128_t val,
	       unsigned flags);
/* Store-exclusive: *status = 0 on success, 1 on failure (no write). */
bool mem_write_excl(struct cpu *c, uint64_t va, unsigned size,
		    __uint128_t val, uint32_t *status);
/* CLREX */
void mem_clrex(struct cpu *c);
/* Instruction fetch at c->pc. */
bool mem_fetch(struct cpu *c, uint32_t *insn);

/* System instruction space (op0:op1:CRn:CRm:op2 encodings with
 * bits 31..22 = 0b1101010100): MSR/MRS, SYS/SYSL (DC, IC, TLBI, AT),
 * hints (NOP, YIELD, WFI, WFE, SEV, PAC/BTI hints), barriers, CLREX,
 * MSR (immediate) to PSTATE fields. Advances PC itself on success. */
void exec_system(struct cpu *c, uint32_t insn);
/* Exception generation (bits 31..24 = 0b11010100): SVC, HVC, SMC, BRK, HLT. */
void exec_exception_gen(struct cpu *c, uint32_t insn);
/* ERET. */
void exec_eret(struct cpu *c);
/* An unallocated or unimplemented encoding: UNDEFINED exception. */
void cpu_undef(struct cpu *c, uint32_t insn);
/* Check CPACR_EL1.FPEN (and CPTR_EL2) before any FP/SIMD instruction;
 * false if the access trapped. */
bool cpu_fp_check(struct cpu *c, uint32_t insn);

#endif
