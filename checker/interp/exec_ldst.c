/* A64 "Loads and Stores" (Arm ARM C4.1.4): op0 = insn[28:25] = x1x0.
 *
 * Decode is a switch on insn[29:28] (the class), then bit 24 / bit 21 /
 * insn[11:10] (the addressing form), then size:opc. Every form ends in the
 * same few transfer routines, which follow the exception contract of
 * cpu.h: an access helper returning false has already taken the exception,
 * so no register (base writeback included) is written and PC is left
 * alone. Registers are written only after every access of the instruction
 * succeeded.
 *
 * CONSTRAINED UNPREDICTABLE choices (Arm ARM K1.2 "Constraints on
 * UNPREDICTABLE behaviors"), made once here:
 *  - load with writeback, Rn == Rt: the loaded value wins (Rt is written
 *    after the base);
 *  - store with writeback, Rn == Rt: the value stored is the register's
 *    value before writeback;
 *  - LDP Rt == Rt2: Rt2's value wins;
 *  - STXR/STXP with Rs == Rt/Rt2/Rn: executes normally (reads first);
 *  - CASP with odd Rs or Rt: UNDEFINED.
 * A store pair is two accesses; if the second faults the first may have
 * been written, which the architecture allows (memory touched by a
 * faulting multi-access store is UNKNOWN, Arm ARM B2.2.1). */
#include "arch/bits.h"
#include "interp/exec.h"

/* The cold groups stay out of line so that exec_ldst() itself, which
 * inlines the single-register forms, needs no big stack frame. */
#define COLD __attribute__((noinline, cold))
#define OUTLINE __attribute__((noinline))


static inline uint64_t lowmask(unsigned bytes)
{
	return bytes >= 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

/* ---- single register, integer and FP/SIMD ---- */

/* What size:opc means for an integer single-register access (C6.2 LDR,
 * LDRB, LDRSB, ..., indexed [opc][size]). */
enum { K_ST, K_LDZ, K_LDS64, K_LDS32, K_PRFM, K_UND };
static const unsigned char int_kind[4][4] = {
	{ K_ST, K_ST, K_ST, K_ST },
	{ K_LDZ, K_LDZ, K_LDZ, K_LDZ },
	{ K_LDS64, K_LDS64, K_LDS64, K_PRFM },
	{ K_LDS32, K_LDS32, K_UND, K_UND },
};

/* FP/SIMD single register: scale = opc<1>:size, 0..4 (B..Q). */
static inline unsigned fp_scale(uint32_t insn)
{
	return (BITS(insn, 23, 23) << 2) | BITS(insn, 31, 30);
}

/* The access size log2 of a single-register form, for offset scaling. */
static inline unsigned single_scale(uint32_t insn)
{
	return BIT(insn, 26) ? fp_scale(insn) : BITS(insn, 31, 30);
}

static COLD void single_fp(struct cpu *c, uint32_t insn, uint64_t va, bool wb,
		      uint64_t wbva, unsigned flags)
{
	unsigned scale = fp_scale(insn), rt = BITS(insn, 4, 0);

	if (scale > 4) {
		cpu_undef(c, insn);
		return;
	}
	if (!cpu_fp_check(c, insn))
		return;
	flags |= ACC_SIMD;
	if (BIT(insn, 22)) {
		__uint128_t v;

		if (!mem_read(c, va, 1u << scale, &v, flags))
			return;
		c->v[rt] = v; /* zero-extended: upper bits of Vt cleared */
	} else if (!mem_write(c, va, 1u << scale, c->v[rt],
			      flags | ACC_STORE)) {
		return;
	}
	if (wb)
		wxsp(c, BITS(insn, 9, 5), wbva);
	c->pc += 4;
}

/* Extend a loaded value as size:opc say (opc 01: zero, 10: sign to 64,
 * 11: sign to 32). Derived from insn alone, so that nothing but the
 * cpu and the instruction word has to survive the memory call. */
static inline uint64_t load_extend(uint32_t insn, uint64_t v)
{
	unsigned sh = 64 - (8u << BITS(insn, 31, 30));

	if (BITS(insn, 23, 22) == 1)
		return v;
	v = (uint64_t)((int64_t)(v << sh) >> sh);
	return BITS(insn, 23, 22) == 3 ? (uint32_t)v : v;
}

/* One integer or SIMD&FP register to or from va; wb: then write wbva to
 * Rn. Inlined into each addressing form, where wb and flags are
 * constants. */
static inline __attribute__((always_inline)) void
single(struct cpu *c, uint32_t insn, uint64_t va, bool wb, uint64_t wbva,
       unsigned flags, bool prfm_ok)
{
	unsigned kind;
	__uint128_t v;

	if (BIT(insn, 26)) {
		single_fp(c, insn, va, wb, wbva, flags);
		return;
	}
	kind = int_kind[BITS(insn, 23, 22)][BITS(insn, 31, 30)];
	if (kind == K_ST) {
		if (!mem_write(c, va, 1u << BITS(insn, 31, 30),
			       rx(c, BITS(insn, 4, 0)), flags | ACC_STORE))
			return;
		if (wb)
			wxsp(c, BITS(insn, 9, 5), wbva);
		c->pc += 4;
		return;
	}
	if (__builtin_expect(kind >= K_PRFM, 0)) {
		/* PRFM is a hint: no access, no fault, nothing the cache
		 * model must see (a prefetch never makes data stale). */
		if (kind == K_PRFM && prfm_ok)
			c->pc += 4;
		else
			cpu_undef(c, insn);
		return;
	}
	if (!mem_read(c, va, 1u << BITS(insn, 31, 30), &v, flags))
		return;
	if (wb)
		wxsp(c, BITS(insn, 9, 5), wbva);
	wx(c, BITS(insn, 4, 0), load_extend(insn, (uint64_t)v));
	c->pc += 4;
}

/* LDR (literal), LDRSW (literal), PRFM (literal), LDR S/D/Q (literal). */
static OUTLINE void load_literal(struct cpu *c, uint32_t insn)
{
	unsigned opc = BITS(insn, 31, 30), rt = BITS(insn, 4, 0);
	uint64_t va = c->pc + ((uint64_t)sext(BITS(insn, 23, 5), 19) << 2);
	__uint128_t v;

	if (BIT(insn, 26)) {
		if (opc == 3) {
			cpu_undef(c, insn);
			return;
		}
		if (!cpu_fp_check(c, insn) ||
		    !mem_read(c, va, 4u << opc, &v, ACC_SIMD))
			return;
		c->v[rt] = v;
		c->pc += 4;
		return;
	}
	if (opc == 3) { /* PRFM */
		c->pc += 4;
		return;
	}
	if (!mem_read(c, va, opc == 1 ? 8 : 4, &v, ACC_LOAD))
		return;
	wx(c, rt, opc == 2 ? (uint64_t)sext((uint64_t)v, 32) : (uint64_t)v);
	c->pc += 4;
}

/* Register offset: Rn + extend(Rm) << (S ? scale : 0). */
static OUTLINE void reg_offset(struct cpu *c, uint32_t insn)
{
	unsigned option = BITS(insn, 15, 13);
	uint64_t m = rx(c, BITS(insn, 20, 16));

	if (!(option & 2)) { /* only UXTW, LSL/UXTX, SXTW, SXTX exist */
		cpu_undef(c, insn);
		return;
	}
	if (option == 2)
		m = (uint32_t)m;
	else if (option == 6)
		m = (uint64_t)sext(m, 32);
	if (BIT(insn, 12))
		m <<= single_scale(insn);
	single(c, insn, rxsp(c, BITS(insn, 9, 5)) + m, false, 0, ACC_LOAD, true);
}

/* ---- pairs: LDP/STP/LDNP/STNP/LDPSW, integer and FP/SIMD ---- */

static OUTLINE void pair(struct cpu *c, uint32_t insn)
{
	unsigned opc = BITS(insn, 31, 30), mode = BITS(insn, 24, 23);
	unsigned rt = BITS(insn, 4, 0), rt2 = BITS(insn, 14, 10);
	unsigned rn = BITS(insn, 9, 5), load = BIT(insn, 22);
	bool simd = BIT(insn, 26);
	unsigned scale, flags = simd ? ACC_SIMD : 0;
	uint64_t base, va;
	__uint128_t a, b;

	if (opc == 3 ||
	    (!simd && opc == 1 && (!load || mode == 0))) {
		/* opc 11 is unallocated; V=0 opc=01 is STGP (MTE, not
		 * implemented) or LDNP with LDPSW size (unallocated). */
		cpu_undef(c, insn);
		return;
	}
	scale = simd ? 2 + opc : 2 + (opc >> 1);
	if (simd && !cpu_fp_check(c, insn))
		return;
	base = rxsp(c, rn);
	va = mode == 1 ? base : base + ((uint64_t)sext(BITS(insn, 21, 15), 7) << scale);
	if (load) {
		if (!mem_read(c, va, 1u << scale, &a, flags) ||
		    !mem_read(c, va + (1u << scale), 1u << scale, &b, flags))
			return;
	} else {
		if (simd) {
			a = c->v[rt];
			b = c->v[rt2];
		} else {
			a = rx(c, rt);
			b = rx(c, rt2);
		}
		if (!mem_write(c, va, 1u << scale, a, flags | ACC_STORE) ||
		    !mem_write(c, va + (1u << scale), 1u << scale, b,
			       flags | ACC_STORE))
			return;
	}
	if (mode & 1) /* post-index (01) and pre-index (11) write back */
		wxsp(c, rn, base + ((uint64_t)sext(BITS(insn, 21, 15), 7) << scale));
	if (load) {
		if (simd) {
			c->v[rt] = a;
			c->v[rt2] = b;
		} else if (opc == 1) { /* LDPSW */
			wx(c, rt, (uint64_t)sext((uint64_t)a, 32));
			wx(c, rt2, (uint64_t)sext((uint64_t)b, 32));
		} else {
			wx(c, rt, (uint64_t)a);
			wx(c, rt2, (uint64_t)b);
		}
	}
	c->pc += 4;
}

/* ---- exclusives, load-acquire/store-release, CAS, CASP ----
 * size 001000 o2 L o1 Rs o0 Rt2 Rn Rt (C4.1.4 "Load/store exclusive pair",
 * "Load/store exclusive register", "Load/store ordered", "Compare and
 * swap", "Compare and swap pair"). */

static COLD void exclusive_ordered(struct cpu *c, uint32_t insn)
{
	unsigned size = BITS(insn, 31, 30), load = BIT(insn, 22);
	unsigned rs = BITS(insn, 20, 16), rt2 = BITS(insn, 14, 10);
	unsigned rt = BITS(insn, 4, 0), o0 = BIT(insn, 15);
	unsigned bytes = 1u << size;
	uint64_t va = rxsp(c, BITS(insn, 9, 5)), mask = lowmask(bytes);
	__uint128_t v, cmp, nv;
	uint32_t status;

	switch (BITS(insn, 23, 23) << 1 | BIT(insn, 21)) {
	case 0: /* LDXR/LDAXR, STXR/STLXR */
		if (load) {
			if (!mem_read(c, va, bytes, &v,
				      ACC_EXCL | (o0 ? ACC_ACQREL : 0)))
				return;
			wx(c, rt, (uint64_t)v);
		} else {
			if (!mem_write_excl(c, va, bytes, rx(c, rt), &status))
				return;
			wx(c, rs, status);
		}
		break;
	case 1:
		if (size >= 2) {
			/* LDXP/LDAXP, STXP/STLXP: one single-copy-atomic
			 * access of both registers (B2.2.1). */
			unsigned half = 4u << (size & 1);

			if (load) {
				if (!mem_read(c, va, 2 * half, &v,
					      ACC_EXCL |
						      (o0 ? ACC_ACQREL : 0)))
					return;
				wx(c, rt, (uint64_t)v & lowmask(half));
				wx(c, rt2, (uint64_t)(v >> (8 * half)));
			} else {
				v = (rx(c, rt) & lowmask(half)) |
				    ((__uint128_t)(rx(c, rt2) & lowmask(half))
				     << (8 * half));
				if (!mem_write_excl(c, va, 2 * half, v, &status))
					return;
				wx(c, rs, status);
			}
		} else {
			/* CASP/CASPA/CASPL/CASPAL: Rs, Rt even. */
			unsigned half = 4u << size;
			unsigned fl = ACC_ATOMIC |
				      (load || o0 ? ACC_ACQREL : 0);

			if (((rs | rt) & 1) || rt2 != 31) {
				cpu_undef(c, insn);
				return;
			}
			cmp = (rx(c, rs) & lowmask(half)) |
			      ((__uint128_t)(rx(c, rs + 1) & lowmask(half))
			       << (8 * half));
			nv = (rx(c, rt) & lowmask(half)) |
			     ((__uint128_t)(rx(c, rt + 1) & lowmask(half))
			      << (8 * half));
			if (!mem_read(c, va, 2 * half, &v, fl))
				return;
			if (v == cmp &&
			    !mem_write(c, va, 2 * half, nv, fl | ACC_STORE))
				return;
			wx(c, rs, (uint64_t)v & lowmask(half));
			wx(c, rs + 1, (uint64_t)(v >> (8 * half)));
		}
		break;
	case 2: /* LDAR/STLR (o0=1), LDLAR/STLLR (o0=0) */
		if (load) {
			if (!mem_read(c, va, bytes, &v, ACC_ACQREL))
				return;
			wx(c, rt, (uint64_t)v);
		} else if (!mem_write(c, va, bytes, rx(c, rt),
				      ACC_STORE | ACC_ACQREL)) {
			return;
		}
		break;
	default: { /* CAS/CASA/CASL/CASAL, all sizes */
		unsigned fl = ACC_ATOMIC | (load || o0 ? ACC_ACQREL : 0);

		if (rt2 != 31) { /* the class is only allocated with 11111 */
			cpu_undef(c, insn);
			return;
		}
		if (!mem_read(c, va, bytes, &v, fl))
			return;
		/* A failed compare writes nothing (C6.2 CAS). */
		if ((uint64_t)v == (rx(c, rs) & mask) &&
		    !mem_write(c, va, bytes, rx(c, rt) & mask, fl | ACC_STORE))
			return;
		wx(c, rs, (uint64_t)v);
		break;
	}
	}
	c->pc += 4;
}

/* ---- LSE atomic memory operations, SWP, LDAPR ----
 * size 111 V 00 A R 1 Rs o3 opc 00 Rn Rt (C4.1.4 "Atomic memory
 * operations"). An RMW is a read then a write with no other PE in
 * between: PEs are interleaved at instruction granularity. */

static COLD void atomic_op(struct cpu *c, uint32_t insn)
{
	unsigned size = BITS(insn, 31, 30), bytes = 1u << size;
	unsigned a = BIT(insn, 23), r = BIT(insn, 22);
	unsigned rs = BITS(insn, 20, 16), rt = BITS(insn, 4, 0);
	unsigned op = BITS(insn, 15, 12); /* o3:opc */
	unsigned fl = ACC_ATOMIC | (a || r ? ACC_ACQREL : 0);
	uint64_t va = rxsp(c, BITS(insn, 9, 5)), mask = lowmask(bytes);
	uint64_t old, s, nv, bits = 8 * bytes;
	__uint128_t v;

	if (BIT(insn, 26)) {
		cpu_undef(c, insn);
		return;
	}
	if (op == 12) { /* LDAPR: A=1 R=0 Rs=11111 */
		if (!a || r || rs != 31) {
			cpu_undef(c, insn);
			return;
		}
		if (!mem_read(c, va, bytes, &v, ACC_ACQREL))
			return;
		wx(c, rt, (uint64_t)v);
		c->pc += 4;
		return;
	}
	if (op > 8) { /* ST64B, LD64B, ...: not implemented */
		cpu_undef(c, insn);
		return;
	}
	if (!mem_read(c, va, bytes, &v, fl))
		return;
	old = (uint64_t)v;
	s = rx(c, rs) & mask;
	switch (op) {
	case 0: nv = old + s; break;                       /* LDADD */
	case 1: nv = old & ~s; break;                      /* LDCLR */
	case 2: nv = old ^ s; break;                       /* LDEOR */
	case 3: nv = old | s; break;                       /* LDSET */
	case 4: /* LDSMAX */
		nv = (int64_t)(uint64_t)sext(old, bits) > (int64_t)(uint64_t)sext(s, bits) ? old : s;
		break;
	case 5: /* LDSMIN */
		nv = (int64_t)(uint64_t)sext(old, bits) < (int64_t)(uint64_t)sext(s, bits) ? old : s;
		break;
	case 6: nv = old > s ? old : s; break;             /* LDUMAX */
	case 7: nv = old < s ? old : s; break;             /* LDUMIN */
	default: nv = s; break;                            /* SWP */
	}
	if (!mem_write(c, va, bytes, nv & mask, fl | ACC_STORE))
		return;
	wx(c, rt, old);
	c->pc += 4;
}

/* ---- Advanced SIMD load/store structures (LD1..LD4, ST1..ST4, LD1R..) */

static inline uint64_t lane_get(__uint128_t v, unsigned esz, unsigned i)
{
	return (uint64_t)(v >> (i << (esz + 3))) & lowmask(1u << esz);
}

static inline __uint128_t lane_set(__uint128_t v, unsigned esz, unsigned i,
				   uint64_t x)
{
	unsigned sh = i << (esz + 3);
	__uint128_t m = (__uint128_t)lowmask(1u << esz) << sh;

	return (v & ~m) | (((__uint128_t)x << sh) & m);
}

/* Post-index amount: Rm, or the bytes transferred when Rm is 31. */
static inline void struct_wb(struct cpu *c, uint32_t insn, uint64_t base,
			     uint64_t total)
{
	unsigned rm = BITS(insn, 20, 16);

	if (BIT(insn, 23))
		wxsp(c, BITS(insn, 9, 5),
		     base + (rm == 31 ? total : c->x[rm]));
}

/* C4.1.4 "Advanced SIMD load/store multiple structures" (+ post-index):
 * 0 Q 0011000 L 000000 opcode size Rn Rt. */
static COLD void simd_multiple(struct cpu *c, uint32_t insn)
{
	static const unsigned char rpt_selem[16] = {
		[0x0] = 0x14, [0x2] = 0x41, [0x4] = 0x13, [0x6] = 0x31,
		[0x7] = 0x11, [0x8] = 0x12, [0xa] = 0x21,
	};
	unsigned q = BIT(insn, 30), load = BIT(insn, 22);
	unsigned esz = BITS(insn, 11, 10), rt = BITS(insn, 4, 0);
	unsigned rs = rpt_selem[BITS(insn, 15, 12)];
	unsigned rpt = rs >> 4, selem = rs & 15, nregs = rpt * selem;
	unsigned elems = (8u << q) >> esz, ebytes = 1u << esz;
	unsigned regbytes = 8u << q, flags = ACC_SIMD | (load ? 0 : ACC_STORE);
	uint64_t base, va;
	__uint128_t t[4];

	if (!rs || (esz == 3 && !q && selem > 1) || BIT(insn, 21) ||
	    (!BIT(insn, 23) && BITS(insn, 20, 16))) {
		cpu_undef(c, insn);
		return;
	}
	if (!cpu_fp_check(c, insn))
		return;
	base = va = rxsp(c, BITS(insn, 9, 5));
	for (unsigned i = 0; i < nregs; i++)
		t[i] = load ? 0 : c->v[(rt + i) & 31];
	for (unsigned r = 0; r < rpt; r++) {
		/* LD1/ST1 of an aligned whole register: one access; the
		 * elements are contiguous and no alignment check differs. */
		if (selem == 1 && !(va & (regbytes - 1))) {
			__uint128_t x;

			if (load) {
				if (!mem_read(c, va, regbytes, &x, flags))
					return;
				t[r] = x;
			} else if (!mem_write(c, va, regbytes, t[r], flags)) {
				return;
			}
			va += regbytes;
			continue;
		}
		for (unsigned e = 0; e < elems; e++) {
			for (unsigned s = 0; s < selem; s++) {
				unsigned i = r + s;
				__uint128_t x;

				if (load) {
					if (!mem_read(c, va, ebytes, &x, flags))
						return;
					t[i] = lane_set(t[i], esz, e,
							(uint64_t)x);
				} else if (!mem_write(c, va, ebytes,
						      lane_get(t[i], esz, e),
						      flags)) {
					return;
				}
				va += ebytes;
			}
		}
	}
	struct_wb(c, insn, base, va - base);
	if (load)
		for (unsigned i = 0; i < nregs; i++)
			c->v[(rt + i) & 31] = t[i];
	c->pc += 4;
}

/* C4.1.4 "Advanced SIMD load/store single structure" (+ post-index):
 * 0 Q 0011010 L R 00000 opcode S size Rn Rt; LD1R..LD4R replicate. */
static COLD void simd_single(struct cpu *c, uint32_t insn)
{
	unsigned q = BIT(insn, 30), load = BIT(insn, 22);
	unsigned opcode = BITS(insn, 15, 13), s = BIT(insn, 12);
	unsigned size = BITS(insn, 11, 10), rt = BITS(insn, 4, 0);
	unsigned selem = ((opcode & 1) << 1 | BIT(insn, 21)) + 1;
	unsigned esz = opcode >> 1, index = 0;
	unsigned flags = ACC_SIMD | (load ? 0 : ACC_STORE);
	bool replicate = false, ok = true;
	uint64_t base, va;
	__uint128_t t[4];

	switch (esz) {
	case 0:
		index = q << 3 | s << 2 | size;
		break;
	case 1:
		ok = !(size & 1);
		index = q << 2 | s << 1 | size >> 1;
		break;
	case 2:
		if (size == 0) {
			index = q << 1 | s;
		} else {
			ok = size == 1 && !s;
			esz = 3;
			index = q;
		}
		break;
	default:
		ok = load && !s;
		replicate = true;
		esz = size;
		break;
	}
	if (!ok || (!BIT(insn, 23) && BITS(insn, 20, 16))) {
		cpu_undef(c, insn);
		return;
	}
	if (!cpu_fp_check(c, insn))
		return;
	base = va = rxsp(c, BITS(insn, 9, 5));
	for (unsigned i = 0; i < selem; i++) {
		__uint128_t x;
		unsigned r = (rt + i) & 31;

		if (!load) {
			if (!mem_write(c, va, 1u << esz,
				       lane_get(c->v[r], esz, index), flags))
				return;
		} else {
			if (!mem_read(c, va, 1u << esz, &x, flags))
				return;
			if (replicate) {
				unsigned n = (8u << q) >> esz;

				t[i] = 0;
				for (unsigned e = 0; e < n; e++)
					t[i] = lane_set(t[i], esz, e,
							(uint64_t)x);
			} else {
				t[i] = lane_set(c->v[r], esz, index,
						(uint64_t)x);
			}
		}
		va += 1u << esz;
	}
	struct_wb(c, insn, base, va - base);
	if (load)
		for (unsigned i = 0; i < selem; i++)
			c->v[(rt + i) & 31] = t[i];
	c->pc += 4;
}

/* ---- the single-register addressing forms ----
 * Each is its own out-of-line function so that exec_ldst() is a plain
 * dispatcher of tail calls with no stack frame, and each form's frame
 * holds only what survives its one memory call. */

/* LDR/STR (unsigned immediate): the most frequent form. */
static OUTLINE void ldst_uimm(struct cpu *c, uint32_t insn)
{
	/* Integer LDR (zero-extending) and STR, V = 0 and opc<1> = 0, need
	 * neither the size:opc table nor an extension. */
	if (!(insn & 0x04800000u)) {
		unsigned size = BITS(insn, 31, 30);
		uint64_t va = rxsp(c, BITS(insn, 9, 5)) +
			      ((uint64_t)BITS(insn, 21, 10) << size);
		__uint128_t v;

		if (BIT(insn, 22)) {
			if (!mem_read(c, va, 1u << size, &v, ACC_LOAD))
				return;
			wx(c, BITS(insn, 4, 0), (uint64_t)v);
		} else if (!mem_write(c, va, 1u << size, rx(c, BITS(insn, 4, 0)),
				      ACC_STORE)) {
			return;
		}
		c->pc += 4;
		return;
	}
	single(c, insn,
	       rxsp(c, BITS(insn, 9, 5)) +
		       ((uint64_t)BITS(insn, 21, 10) << single_scale(insn)),
	       false, 0, ACC_LOAD, true);
}

/* LDUR/STUR (and PRFUM), post-index, LDTR/STTR, pre-index:
 * size 111 V 00 opc 0 imm9 form Rn Rt. */
static OUTLINE void ldst_imm9(struct cpu *c, uint32_t insn)
{
	uint64_t base = rxsp(c, BITS(insn, 9, 5));
	uint64_t off = (uint64_t)sext(BITS(insn, 20, 12), 9);

	switch (BITS(insn, 11, 10)) {
	case 0: /* LDUR/STUR, PRFUM */
		single(c, insn, base + off, false, 0, ACC_LOAD, true);
		return;
	case 1: /* post-index */
		single(c, insn, base, true, base + off, ACC_LOAD, false);
		return;
	case 2: /* LDTR/STTR family: integer only */
		if (BIT(insn, 26))
			cpu_undef(c, insn);
		else
			single(c, insn, base + off, false, 0, ACC_UNPRIV,
			       false);
		return;
	default: /* pre-index */
		single(c, insn, base + off, true, base + off, ACC_LOAD, false);
		return;
	}
}

/* LDAPUR/STLUR (RCpc, unscaled): size 011001 opc 0 imm9 00 Rn Rt; the
 * same size:opc table as LDUR, without PRFM. */
static COLD void ldst_rcpc_imm9(struct cpu *c, uint32_t insn)
{
	if (BIT(insn, 26) || BIT(insn, 21) || BITS(insn, 11, 10)) {
		cpu_undef(c, insn);
		return;
	}
	single(c, insn, rxsp(c, BITS(insn, 9, 5)) + (uint64_t)sext(BITS(insn, 20, 12), 9),
	       false, 0, ACC_ACQREL, false);
}

/* ---- top-level decode of the group ---- */

void exec_ldst(struct cpu *c, uint32_t insn)
{
	switch (BITS(insn, 29, 28)) {
	case 3:
		if (BIT(insn, 24)) {
			ldst_uimm(c, insn);
		} else if (!BIT(insn, 21)) {
			ldst_imm9(c, insn);
		} else if (BITS(insn, 11, 10) == 2) {
			reg_offset(c, insn);
		} else if (BITS(insn, 11, 10) == 0) {
			atomic_op(c, insn);
		} else {
			/* LDRAA/LDRAB: no pointer authentication */
			cpu_undef(c, insn);
		}
		return;
	case 2:
		pair(c, insn);
		return;
	case 1:
		if (!BIT(insn, 24))
			load_literal(c, insn);
		else
			ldst_rcpc_imm9(c, insn);
		return;
	default: /* 0 */
		if (!BIT(insn, 26)) {
			if (BIT(insn, 24))
				cpu_undef(c, insn); /* RCpc3, MTE, ... */
			else
				exclusive_ordered(c, insn);
		} else if (BIT(insn, 31)) {
			cpu_undef(c, insn);
		} else if (BIT(insn, 24)) {
			simd_single(c, insn);
		} else {
			simd_multiple(c, insn);
		}
		return;
	}
}
