/* Data processing -- immediate (Arm ARM C4.1.2, op0 = 100x).
 * op1 = insn[25:23] selects: PC-rel addressing, add/subtract (immediate),
 * logical (immediate), move wide, bitfield, extract. */
#include "interp/exec.h"
#include "interp/exec_util.h"

/* Arm ARM "DecodeBitMasks" for logical immediates (immediate = TRUE).
 * Returns false for the reserved encodings. The element size is the
 * position of the highest set bit of N:NOT(imms); the element holds
 * S+1 ones rotated right by R and is replicated to 64 bits. */
bool decode_logical_imm(unsigned n, unsigned imms, unsigned immr,
			       uint64_t *out)
{
	unsigned v = n << 6 | (~imms & 0x3f);
	unsigned len, esize, levels, s, r;
	uint64_t elem;

	if (v == 0)
		return false;
	len = 31 - __builtin_clz(v);
	if (len < 1)
		return false;
	levels = (1u << len) - 1;
	s = imms & levels;
	r = immr & levels;
	if (s == levels)        /* all-ones element is not encodable */
		return false;
	esize = 1u << len;
	elem = ror_n(ones(s + 1), r, esize);
	/* Replicate: multiplying by 0x..010001 copies the element into
	 * every esize-bit lane. */
	if (esize < 64)
		elem *= ~0ull / ones(esize);
	*out = elem;
	return true;
}

static void pc_rel(struct cpu *c, uint32_t insn)
{
	uint64_t imm = BITS(insn, 23, 5) << 2 | BITS(insn, 30, 29);
	int64_t off = sext(imm, 21);
	uint64_t r;

	if (BIT(insn, 31))      /* ADRP: 4KB pages */
		r = (c->pc & ~0xfffull) + ((uint64_t)off << 12);
	else
		r = c->pc + off;
	wx(c, insn & 31, r);
	c->pc += 4;
}

/* sub = insn[30], s = insn[29]: constants in the executors below. */
static inline __attribute__((always_inline))
void add_sub_imm(struct cpu *c, uint32_t insn, unsigned sub, unsigned s)
{
	unsigned sf = BIT(insn, 31);
	uint64_t imm = BITS(insn, 21, 10);
	uint64_t a, r;
	uint32_t nzcv;

	if (BIT(insn, 22))
		imm <<= 12;
	a = rxsp(c, BITS(insn, 9, 5));
	if (s) {
		r = add_with_carry(a, sub ? ~imm : imm, sub, sf, &nzcv);
		c->nzcv = nzcv;
		wx(c, insn & 31, r);
	} else {
		r = trunc_sf(sub ? a - imm : a + imm, sf);
		wxsp(c, insn & 31, r);
	}
	c->pc += 4;
}

/* One executor per operation, as for the shifted-register logicals. */
static void add_imm(struct cpu *c, uint32_t insn) { add_sub_imm(c, insn, 0, 0); }
static void adds_imm(struct cpu *c, uint32_t insn) { add_sub_imm(c, insn, 0, 1); }
static void sub_imm(struct cpu *c, uint32_t insn) { add_sub_imm(c, insn, 1, 0); }
static void subs_imm(struct cpu *c, uint32_t insn) { add_sub_imm(c, insn, 1, 1); }

static void logical_imm(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), opc = BITS(insn, 30, 29);
	unsigned n = BIT(insn, 22);
	uint64_t imm, a, r;

	if ((!sf && n) ||
	    !decode_logical_imm(n, BITS(insn, 15, 10), BITS(insn, 21, 16), &imm)) {
		cpu_undef(c, insn);
		return;
	}
	a = rx(c, BITS(insn, 9, 5));
	switch (opc) {
	case 0: r = a & imm; break;     /* AND */
	case 1: r = a | imm; break;     /* ORR */
	case 2: r = a ^ imm; break;     /* EOR */
	default: r = a & imm; break;    /* ANDS */
	}
	r = trunc_sf(r, sf);
	if (opc == 3) {
		c->nzcv = logic_flags(r, sf);
		wx(c, insn & 31, r);
	} else {
		wxsp(c, insn & 31, r);
	}
	c->pc += 4;
}

static void move_wide(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), opc = BITS(insn, 30, 29);
	unsigned hw = BITS(insn, 22, 21), rd = insn & 31;
	uint64_t imm = (uint64_t)BITS(insn, 20, 5) << (hw * 16);
	uint64_t r;

	if (opc == 1 || (!sf && hw >= 2)) {
		cpu_undef(c, insn);
		return;
	}
	switch (opc) {
	case 0: r = ~imm; break;                                /* MOVN */
	case 2: r = imm; break;                                 /* MOVZ */
	default: r = (rx(c, rd) & ~(0xffffull << (hw * 16))) | imm; /* MOVK */
	}
	wx(c, rd, trunc_sf(r, sf));
	c->pc += 4;
}

/* SBFM/BFM/UBFM (Arm ARM C6.2 "SBFM", "BFM", "UBFM").
 * The architectural form is ROR(src, R) masked by DecodeBitMasks'
 * wmask/tmask; it reduces to moving one field:
 *  - imms >= immr (SBFX/UBFX/BFXIL, LSR, ASR, SXT*, UXT*): bits
 *    imms..immr of src go to bit 0;
 *  - imms < immr (SBFIZ/UBFIZ/BFI, LSL): bits imms..0 go to bit
 *    datasize - immr.
 * Shifting the field's top bit up to bit 63 and back down by the right
 * amount (arithmetically for SBFM) does both without branches; the same
 * shifts applied to all-ones give BFM the field's mask. */
static void bitfield(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), opc = BITS(insn, 30, 29);
	unsigned n = BIT(insn, 22), immr = BITS(insn, 21, 16);
	unsigned imms = BITS(insn, 15, 10), rd = insn & 31;
	unsigned shl, shr;
	uint64_t src, r;

	if (opc == 3 || n != sf || (!sf && ((immr | imms) & 0x20))) {
		cpu_undef(c, insn);
		return;
	}
	src = rx(c, BITS(insn, 9, 5));
	shl = 63 - imms;
	shr = shl + immr - (immr > imms ? (sf ? 64 : 32) : 0);
	switch (opc) {
	case 0:                                         /* SBFM */
		r = (uint64_t)((int64_t)(src << shl) >> shr);
		break;
	case 1: {                                       /* BFM */
		uint64_t mask = (~0ull << shl) >> shr;
		r = (rx(c, rd) & ~mask) | ((src << shl) >> shr);
		break;
	}
	default:                                        /* UBFM */
		r = (src << shl) >> shr;
		break;
	}
	wx(c, rd, trunc_sf(r, sf));
	c->pc += 4;
}

/* EXTR: the datasize bits at position lsb of Rn:Rm. */
static void extract(struct cpu *c, uint32_t insn)
{
	unsigned sf = BIT(insn, 31), n = BIT(insn, 22);
	unsigned lsb = BITS(insn, 15, 10);
	uint64_t hi, lo, r;

	if (BITS(insn, 30, 29) || BIT(insn, 21) || n != sf ||
	    (!sf && lsb >= 32)) {
		cpu_undef(c, insn);
		return;
	}
	hi = rx(c, BITS(insn, 9, 5));
	lo = rx(c, BITS(insn, 20, 16));
	if (sf) {
		r = lsb ? (lo >> lsb) | (hi << (64 - lsb)) : lo;
	} else {
		uint64_t cat = (uint64_t)(uint32_t)hi << 32 | (uint32_t)lo;
		r = (uint32_t)(cat >> lsb);
	}
	wx(c, insn & 31, r);
	c->pc += 4;
}

exec_fn *decode_dp_imm(uint32_t insn)
{
	switch (BITS(insn, 25, 23)) {
	case 0: case 1: return pc_rel;
	case 2: {
		static exec_fn *const add_sub[4] = {
			add_imm, adds_imm, sub_imm, subs_imm,
		};
		return add_sub[BITS(insn, 30, 29)];
	}
	case 3: return cpu_undef;       /* ADDG/SUBG (FEAT_MTE) */
	case 4: return logical_imm;
	case 5: return move_wide;
	case 6: return bitfield;
	default: return extract;
	}
}

void exec_dp_imm(struct cpu *c, uint32_t insn)
{
	decode_dp_imm(insn)(c, insn);
}
