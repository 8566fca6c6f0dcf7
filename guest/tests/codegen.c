/* Code generation: instructions written at run time become executable
 * after DC CVAU, DSB ISH, IC IVAU, DSB ISH, ISB (sync_icache, which skips
 * what CTR_EL0.IDC/DIC say is unneeded); another CPU runs them after its
 * own ISB (Arm ARM B2.4.4 "Concurrent modification and execution of
 * instructions"). */
#include <libcflat.h>

#define CODE_ALIAS (1UL << 35)	/* RW and EL1-executable alias of one page */
#define ROUNDS 64

typedef u64 (*gen_fn)(void);
static u32 *code;

/* MOVZ X0, #imm; RET (Arm ARM C6.2 "MOVZ", "RET"). */
static void emit(u16 imm)
{
	code[0] = 0xd2800000u | ((u32)imm << 5);
	code[1] = 0xd65f03c0u;
	sync_icache((u64)code, (u64)(code + 2));	/* [BCM: codegen] */
}

static volatile int round_ready = -1, round_done = -1;
static volatile u64 remote_result[ROUNDS];

static void remote_runner(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		while (READ_ONCE(round_ready) < r)
			;
		/* The writer's DSB after IC IVAU completed the invalidation
		 * everywhere; this PE still needs a context synchronisation
		 * before it may fetch the new instructions. */
		isb();
		remote_result[r] = ((gen_fn)code)();
		dmb(ish);
		round_done = r;
	}
}

int main(void)
{
	report_prefix_push("codegen");
	u64 ctr = read_sysreg(ctr_el0);
	report_info("CTR_EL0 0x%lx: IDC %lu DIC %lu, D line %u, I line %u", ctr,
		    (ctr >> 28) & 1, (ctr >> 29) & 1, dcache_line_size(), icache_line_size());

	void *page = alloc_page();
	assert(page);
	mmu_map(&mmu_tables, CODE_ALIAS + (u64)page, (u64)page, PAGE_SIZE, PROT_NORMAL);
	isb();
	code = (u32 *)(CODE_ALIAS + (u64)page);

	int good = 0;
	for (int r = 0; r < ROUNDS; r++) {
		emit((u16)(0x1000 + r * 7));
		good += ((gen_fn)code)() == (u64)(0x1000 + r * 7);
	}
	report(good == ROUNDS, "local: %d of %d rewritten functions returned their new value",
	       good, ROUNDS);

	if (nr_cpus < 2) {
		report_skip("cross-CPU: needs -smp 2 or more");
		return report_summary();
	}
	on_cpu_async(1, remote_runner, NULL);
	good = 0;
	for (int r = 0; r < ROUNDS; r++) {
		emit((u16)(0x2000 + r * 13));
		dmb(ish);
		round_ready = r;
		while (READ_ONCE(round_done) < r)
			;
		dmb(ish);
		good += remote_result[r] == (u64)(0x2000 + r * 13);
	}
	cpu_wait(1);
	report(good == ROUNDS, "cross-CPU: CPU 1 ran %d of %d rewritten functions correctly",
	       good, ROUNDS);
	return report_summary();
}
