/* The differential harness (see harness.h). */
#include "diff/harness.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "interp/exec.h"
#include "fake_machine.h"

/* unicorn 2.0 eventually crashes in tb_set_jmp_target after very many
 * block invalidations (unicorn issue #2048); a fresh engine every so
 * many cases avoids it. */
#define UC_RENEW 20000

static const struct diff_gen *const gen = &diff_gen;
static uint64_t rng_state;
static uc_engine *uc;
static int uc_intno;
static uint8_t *snap;      /* memory before the case, for reruns */
static uint8_t *ref_data;  /* unicorn's data window after a run */

uint64_t diff_rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned diff_rnd(unsigned n)
{
	return (unsigned)(diff_rnd64() % n);
}

uint8_t *diff_mem(uint64_t addr)
{
	return fake.mem + (addr - gen->ram);
}

void diff_load(uint64_t addr, const uint32_t *words, unsigned n)
{
	fake_load(addr, words, n);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	return p;
}

/* ---- unicorn ---- */

static void hook_intr(uc_engine *u, uint32_t intno, void *user)
{
	(void)user;
	uc_intno = (int)intno;
	uc_emu_stop(u);
}

static void uc_setup(void)
{
	uc_hook h;
	uint64_t cpacr = 3ull << 20; /* FPEN: no FP/SIMD traps */
	uc_err e = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc);

	/* Data accesses at EL1 with the MMU off are Device memory, which
	 * QEMU checks for alignment just like the architecture. */
	if (!e)
		e = uc_ctl_set_cpu_model(uc, gen->cpu_model);
	if (!e)
		e = uc_mem_map(uc, gen->ram, gen->ram_size, UC_PROT_ALL);
	if (!e)
		e = uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)hook_intr, NULL,
				1, 0);
	if (!e)
		e = uc_reg_write(uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
	if (e) {
		fprintf(stderr, "%s: unicorn: %s\n", gen->prog, uc_strerror(e));
		exit(2);
	}
}

/* X29 and X30 are not contiguous with X0..X28 in unicorn's numbering. */
static int uc_xreg(int i)
{
	return i == 29 ? UC_ARM64_REG_X29 : i == 30 ? UC_ARM64_REG_X30 :
	       UC_ARM64_REG_X0 + i;
}

static void uc_put(const struct diff_state *s)
{
	uint64_t nzcv = s->nzcv;

	for (int i = 0; i < 31; i++)
		uc_reg_write(uc, uc_xreg(i), &s->x[i]);
	uc_reg_write(uc, UC_ARM64_REG_SP, &s->sp);
	uc_reg_write(uc, UC_ARM64_REG_NZCV, &nzcv);
	uc_reg_write(uc, UC_ARM64_REG_PC, &s->pc);
	for (int i = 0; i < 32; i++)
		uc_reg_write(uc, UC_ARM64_REG_Q0 + i, &s->v[i]);
}

static void uc_get(struct diff_state *s)
{
	uint64_t nzcv;

	for (int i = 0; i < 31; i++)
		uc_reg_read(uc, uc_xreg(i), &s->x[i]);
	uc_reg_read(uc, UC_ARM64_REG_SP, &s->sp);
	uc_reg_read(uc, UC_ARM64_REG_NZCV, &nzcv);
	uc_reg_read(uc, UC_ARM64_REG_PC, &s->pc);
	for (int i = 0; i < 32; i++)
		uc_reg_read(uc, UC_ARM64_REG_Q0 + i, &s->v[i]);
	s->nzcv = (uint32_t)nzcv;
}

static void uc_exec(const struct diff_case *q, const struct diff_state *in,
		    struct diff_state *out, unsigned steps)
{
	uint64_t end = q->in.pc + 4 * q->len;
	unsigned count = steps ? steps : q->len + 1;
	uc_err e;

	/* Always pass a limit: unicorn 2.0 flushes its whole translation
	 * cache (about 1 GB of memset) whenever a run without one follows
	 * a run with one. Blocks are retranslated per single step so that
	 * they stop after one instruction. */
	if (steps)
		uc_ctl_remove_cache(uc, gen->ram, gen->ram + gen->ram_size);
	uc_put(in);
	uc_intno = -1;
	e = uc_emu_start(uc, in->pc, end, 0, count);
	uc_get(out);
	uc_mem_read(uc, gen->data, ref_data, gen->data_size);
	/* A branch out of the mapped memory faults only when the next
	 * instruction is fetched, which a single step does not do. */
	if (count == 1 && e == UC_ERR_FETCH_UNMAPPED)
		e = UC_ERR_OK;
	out->exc = e == UC_ERR_READ_UNMAPPED || e == UC_ERR_WRITE_UNMAPPED ?
		   DIFF_EXC_DABORT :
		   e || uc_intno >= 0 ? DIFF_EXC_OTHER : DIFF_EXC_NONE;
}

static void print_states(const struct diff_state *in,
			 const struct diff_state *a,
			 const struct diff_state *b);

/* ---- the checker's interpreter ---- */

static void our_start(struct cpu *c, const struct diff_state *in)
{
	fake_cpu_init(c);
	memcpy(c->x, in->x, sizeof(c->x));
	c->sp_el[1] = in->sp;
	c->nzcv = in->nzcv;
	memcpy(c->v, in->v, sizeof(c->v));
	c->pc = in->pc;
	fake_fetch_page(c);
	fake_reset_exc();
}

static void our_state(const struct cpu *c, struct diff_state *out)
{
	memcpy(out->x, c->x, sizeof(out->x));
	out->sp = c->sp_el[1];
	out->nzcv = c->nzcv;
	memcpy(out->v, c->v, sizeof(out->v));
	out->pc = c->pc;
	out->exc = !fake.nexc ? DIFF_EXC_NONE :
		   fake.exc == FAKE_EXC_DABORT ? DIFF_EXC_DABORT :
		   DIFF_EXC_OTHER;
}

/* The case one instruction per cpu_run() call, stopping at its end or
 * at an exception as unicorn does; without steps, the same number of
 * instructions again in one call, which runs them as chained blocks
 * (interp/exec_block.c), and that must end in the same state and
 * memory. */
static void our_exec(struct cpu *c, const struct diff_case *q,
		     const struct diff_state *in, struct diff_state *out,
		     unsigned steps)
{
	static uint8_t *mem1;
	uint64_t end = q->in.pc + 4 * q->len;
	struct diff_state again;
	unsigned n = 0;
	uint64_t ran;

	our_start(c, in);
	for (unsigned i = 0; i < (steps ? steps : q->len); i++) {
		if (c->pc == end || fake.nexc)
			break;
		cpu_run(c, 1);
		n++;
	}
	our_state(c, out);
	if (steps || n < 2)
		return;
	if (!mem1)
		mem1 = xmalloc(gen->ram_size);
	memcpy(mem1, fake.mem, gen->ram_size);
	memcpy(fake.mem, snap, gen->ram_size);
	our_start(c, in);
	ran = cpu_run(c, n);
	our_state(c, &again);
	if (ran != n || memcmp(again.x, out->x, sizeof(out->x)) ||
	    again.sp != out->sp || again.pc != out->pc ||
	    again.nzcv != out->nzcv ||
	    memcmp(again.v, out->v, sizeof(out->v)) || again.exc != out->exc ||
	    memcmp(mem1, fake.mem, gen->ram_size)) {
		printf("MISMATCH: %u instructions in one cpu_run() call "
		       "(%" PRIu64 " retired) end unlike one per call\n", n, ran);
		for (unsigned i = 0; i < q->len; i++)
			printf("  [%2u] %08x\n", i, q->insn[i]);
		print_states(in, &again, out);
		exit(1);
	}
}

static const uint8_t *our_data(void)
{
	return diff_mem(gen->data);
}

static bool same(const struct diff_state *a, const struct diff_state *b)
{
	if (a->exc != b->exc)
		return false;
	if (a->exc && !gen->cmp_after_exc)
		return true;
	/* After an exception PC is where each side's entry put it. */
	return !memcmp(a->x, b->x, sizeof(a->x)) && a->sp == b->sp &&
	       a->nzcv == b->nzcv && !memcmp(a->v, b->v, sizeof(a->v)) &&
	       !memcmp(our_data(), ref_data, gen->data_size) &&
	       (a->exc || a->pc == b->pc);
}

/* Both sides' memory back to its state before the case. */
static void restore_mem(void)
{
	memcpy(fake.mem, snap, gen->ram_size);
	uc_mem_write(uc, gen->ram, snap, gen->ram_size);
	/* The whole mapping: branches leave translated blocks anywhere in
	 * it, e.g. at this case's end address, where a stale block would
	 * run past the stop address. */
	uc_ctl_remove_cache(uc, gen->ram, gen->ram + gen->ram_size);
}

/* ---- reporting ---- */

static void print_insn(unsigned i, uint32_t w, const char *name)
{
	printf("  [%2u] %08x  %-18s sf=%u op=%u%u Rd=%u Rn=%u Rm=%u "
	       "imm[21:10]=%#x [15:10]=%u\n",
	       i, w, name ? name : "?", w >> 31, (w >> 30) & 1, (w >> 29) & 1,
	       w & 31, (w >> 5) & 31, (w >> 16) & 31, (w >> 10) & 0xfff,
	       (w >> 10) & 63);
}

static const char *mark(bool differ)
{
	return differ ? "  <--" : "";
}

static void print_states(const struct diff_state *in,
			 const struct diff_state *a,
			 const struct diff_state *b)
{
	unsigned shown = 0;

	printf("  %-7s %-18s %-18s %-18s\n", "", "before", "coherent",
	       "unicorn");
	for (int i = 0; i < 31; i++)
		printf("  x%-6d %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64
		       "%s\n", i, in->x[i], a->x[i], b->x[i],
		       mark(a->x[i] != b->x[i]));
	printf("  %-7s %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "%s\n",
	       "sp", in->sp, a->sp, b->sp, mark(a->sp != b->sp));
	printf("  %-7s %016" PRIx64 "   %016" PRIx64 "   %016" PRIx64 "%s\n",
	       "pc", in->pc, a->pc, b->pc, mark(a->pc != b->pc));
	printf("  %-7s %08x           %08x           %08x%s\n", "nzcv",
	       in->nzcv, a->nzcv, b->nzcv, mark(a->nzcv != b->nzcv));
	printf("  %-7s %-18d %-18d %-18d%s\n", "exc", in->exc, a->exc, b->exc,
	       mark(a->exc != b->exc));
	for (int i = 0; i < 32; i++)
		if (a->v[i] != b->v[i] || a->v[i] != in->v[i])
			printf("  v%-6d %016" PRIx64 "%016" PRIx64
			       " ours %016" PRIx64 "%016" PRIx64
			       " ref %016" PRIx64 "%016" PRIx64 "%s\n", i,
			       (uint64_t)(in->v[i] >> 64), (uint64_t)in->v[i],
			       (uint64_t)(a->v[i] >> 64), (uint64_t)a->v[i],
			       (uint64_t)(b->v[i] >> 64), (uint64_t)b->v[i],
			       mark(a->v[i] != b->v[i]));
	for (uint64_t o = 0; o < gen->data_size; o++)
		if (our_data()[o] != ref_data[o] && shown++ < 64)
			printf("  mem %#" PRIx64 ": ours %02x ref %02x\n",
			       gen->data + o, our_data()[o], ref_data[o]);
	if (shown > 64)
		printf("  (%u bytes differ)\n", shown);
}

/* Step both sides one instruction at a time to find and show the
 * first instruction whose effects differ. */
static void report(struct cpu *c, const struct diff_case *q,
		   const struct diff_state *final_ours,
		   const struct diff_state *final_ref, uint64_t seed, uint64_t k)
{
	struct diff_state a = q->in, ours, ref;

	printf("MISMATCH seed=%" PRIu64 " %s=%" PRIu64 " (rerun: %s --seed %"
	       PRIu64 " %s %" PRIu64 ")\n", seed, gen->case_opt + 2, k,
	       gen->prog, seed, gen->case_opt, k);
	for (unsigned i = 0; i < q->len; i++)
		print_insn(i, q->insn[i], q->name[i]);
	printf("final states:\n");
	print_states(&q->in, final_ours, final_ref);
	if (q->len < 2)
		return;
	/* Single steps lose the exclusive monitor in between (each starts
	 * a fresh PE), so an LDXR/STXR pair may differ where it did not. */
	restore_mem();
	for (unsigned step = 0; step < q->len; step++) {
		our_exec(c, q, &a, &ours, 1);
		uc_exec(q, &a, &ref, 1);
		if (!same(&ours, &ref)) {
			unsigned i = (unsigned)((a.pc - q->in.pc) / 4);

			printf("first difference at step %u, instruction:\n",
			       step);
			if (i < q->len)
				print_insn(i, q->insn[i], q->name[i]);
			print_states(&a, &ours, &ref);
			return;
		}
		a = ours;
		if (a.exc || a.pc == q->in.pc + 4 * q->len)
			break;
	}
	printf("(single-stepping did not reproduce it)\n");
}

/* ---- main loop ---- */

static uint64_t number(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "%s: %s wants a whole number, not '%s'\n",
			gen->prog, opt, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, count = gen->default_count, only = UINT64_MAX;
	struct cpu *c = calloc(1, sizeof(*c));
	bool verbose = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = number(argv[i], argv[i + 1]);
			i++;
		} else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
			count = number(argv[i], argv[i + 1]);
			i++;
		} else if (!strcmp(argv[i], gen->case_opt) && i + 1 < argc) {
			only = number(argv[i], argv[i + 1]);
			i++;
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else {
			fprintf(stderr, "usage: %s [--seed S] [--count N] "
				"[%s K] [--verbose]\n", argv[0],
				gen->case_opt);
			return 2;
		}
	}
	if (!c) {
		perror("calloc");
		return 2;
	}
	snap = xmalloc(gen->ram_size);
	ref_data = xmalloc(gen->data_size);
	fake_alloc(gen->ram, gen->ram_size);
	uc_setup();

	uint64_t first = only == UINT64_MAX ? 0 : only;
	uint64_t last = only == UINT64_MAX ? count : only + 1;
	for (uint64_t k = first; k < last; k++) {
		struct diff_case q;
		struct diff_state ours, ref;

		if (k != first && (k - first) % UC_RENEW == 0) {
			uc_close(uc);
			uc_setup();
		}
		rng_state = seed * 0x100000001b3ull ^
			    (k * 0x9e3779b97f4a7c15ull);
		memset(&q, 0, sizeof(q));
		gen->make(&q, k);
		memcpy(snap, fake.mem, gen->ram_size);
		restore_mem();
		if (verbose) {
			printf("%s %" PRIu64 "\n", gen->case_opt + 2, k);
			for (unsigned i = 0; i < q.len; i++)
				print_insn(i, q.insn[i], q.name[i]);
			fflush(stdout);
		}
		uc_exec(&q, &q.in, &ref, q.steps);
		our_exec(c, &q, &q.in, &ours, q.steps);
		if (verbose)
			printf("  exc coherent %d unicorn %d\n", ours.exc,
			       ref.exc);
		if (gen->judge(&q, &ours, &ref, same(&ours, &ref)) ==
		    DIFF_MISMATCH) {
			report(c, &q, &ours, &ref, seed, k);
			return 1;
		}
	}
	rc = gen->summary(seed, last - first);
	uc_close(uc);
	fake_free();
	free(snap);
	free(ref_data);
	free(c);
	return rc;
}
