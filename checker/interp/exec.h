/* interp/: the A64 interpreter; sees only the PE's interface (pe/cpu.h).
 *
 * Internal interface between the interpreter's decode groups.
 * Arm ARM C4.1 "A64 instruction set encoding": op0 = insn[28:25]. */
#ifndef CHECKER_EXEC_H
#define CHECKER_EXEC_H

#include "pe/cpu.h"

/* Register 31 reads as zero and ignores writes ... */
static inline uint64_t rx(struct cpu *c, unsigned r)
{
	return r == 31 ? 0 : c->x[r];
}
static inline void wx(struct cpu *c, unsigned r, uint64_t v)
{
	if (r != 31)
		c->x[r] = v;
}
/* ... or, in the encodings that say so, is the stack pointer. */
static inline uint64_t rxsp(struct cpu *c, unsigned r)
{
	return r == 31 ? *cpu_sp(c) : c->x[r];
}
static inline void wxsp(struct cpu *c, unsigned r, uint64_t v)
{
	if (r == 31)
		*cpu_sp(c) = v;
	else
		c->x[r] = v;
}

/* One instruction's executor. Each executes one instruction: on success
 * it advances c->pc (or branches); on an exception it leaves c->pc as the
 * exception entry set it. An encoding none implements: cpu_undef(). */
typedef void exec_fn(struct cpu *c, uint32_t insn);

/* Decode: the executor of an instruction word. A pure function of the
 * word (no PE state is read), so cpu_run may cache it keyed by the word
 * alone. Each group decodes its own op0 values. */
exec_fn *exec_decode(uint32_t insn);
exec_fn *decode_dp_imm(uint32_t insn);     /* op0 = 100x */
exec_fn *decode_branch_sys(uint32_t insn); /* op0 = 101x */
exec_fn *decode_dp_reg(uint32_t insn);     /* op0 = x101 */

/* Arm ARM "DecodeBitMasks" for logical immediates (exec_dp_imm.c):
 * false for the reserved encodings. */
bool decode_logical_imm(unsigned n, unsigned imms, unsigned immr,
			uint64_t *out);

/* Decode groups executed whole (decode and execute in one call). */
void exec_dp_imm(struct cpu *c, uint32_t insn);   /* op0 = 100x */
void exec_branch_sys(struct cpu *c, uint32_t insn); /* op0 = 101x */
void exec_ldst(struct cpu *c, uint32_t insn);     /* op0 = x1x0 */
void exec_dp_reg(struct cpu *c, uint32_t insn);   /* op0 = x101 */
void exec_fp(struct cpu *c, uint32_t insn);       /* op0 = x111 */

/* Scalar FP arithmetic (exec_fparith.c), called by exec_fp: each
 * returns false for an encoding outside its classes. */
bool exec_fp_int(struct cpu *c, uint32_t insn);
bool exec_fparith(struct cpu *c, uint32_t insn);

/* Condition codes (shared by B.cond, CSEL, CCMP, FCSEL ...). */
bool cond_holds(uint32_t nzcv, unsigned cond);

#endif
