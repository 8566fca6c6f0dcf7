/* Secondary CPU bring-up (docs/boot-cache-maintenance.md "Secondaries").
 * The secondary starts with its MMU off: every byte it reads before its
 * MMU is on (its struct secondary_boot) must be in memory at the PoC,
 * and the stack it will use cacheably must hold no stale lines. */
#include "smp.h"
#include "alloc.h"
#include "cpumask.h"
#include "asm-offsets.h"
#include "cache.h"
#include "devtree.h"
#include "libc.h"
#include "mmu.h"
#include "percpu.h"
#include "psci.h"
#include "sysreg.h"

#define STACK_ORDER 2			/* 16 KiB */

struct percpu percpu[NR_CPUS];
static struct secondary_boot boot_data[NR_CPUS];

extern char secondary_entry[], vectors[];

_Static_assert(__builtin_offsetof(struct secondary_boot, sp) == SB_SP, "sb");
_Static_assert(__builtin_offsetof(struct secondary_boot, mair) == SB_MAIR, "sb");
_Static_assert(__builtin_offsetof(struct secondary_boot, tcr) == SB_TCR, "sb");
_Static_assert(__builtin_offsetof(struct secondary_boot, ttbr0) == SB_TTBR0, "sb");
_Static_assert(__builtin_offsetof(struct secondary_boot, vbar) == SB_VBAR, "sb");
_Static_assert(__builtin_offsetof(struct secondary_boot, tpidr) == SB_TPIDR, "sb");
_Static_assert(__builtin_offsetof(struct secondary_boot, sctlr) == SB_SCTLR, "sb");
_Static_assert(__builtin_offsetof(struct percpu, el0_ksp) == PC_EL0_KSP, "percpu");

int nr_cpus;

/* One copy per CPU: two CPUs asking at once must not see each other's
 * half-built set. */
static cpumask_t present_masks[NR_CPUS], online_masks[NR_CPUS];

const cpumask_t *cpumask_present(void)
{
	cpumask_t *mine = &present_masks[smp_processor_id()];
	cpumask_setall(mine);
	return mine;
}

const cpumask_t *cpumask_online(void)
{
	cpumask_t *mine = &online_masks[smp_processor_id()];
	cpumask_clear(mine);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (READ_ONCE(percpu[cpu].online))
			cpumask_set_cpu(cpu, mine);
	return mine;
}

/* Every call that takes a CPU number indexes percpu[] with it: one out of
 * range is the caller's bug, named here rather than a wild access. */
static void check_cpu(const char *fn, int cpu)
{
	if (cpu >= 0 && cpu < nr_cpus)
		return;
	printf("%s: CPU %d does not exist: this machine has %d CPU%s (0 .. %d)\n",
	       fn, cpu, nr_cpus, nr_cpus == 1 ? "" : "s", nr_cpus - 1);
	abort();
}

bool cpu_online(int cpu)
{
	check_cpu("cpu_online", cpu);
	return READ_ONCE(percpu[cpu].online);
}

int mpidr_to_cpu(u64 mpidr)
{
	for (int i = 0; i < platform.nr_cpus; i++)
		if (platform.cpu_mpidr[i] == (mpidr & 0xff00ffffffUL))
			return i;
	return -1;
}

u64 secondary_entry_pa(void)
{
	return (u64)secondary_entry;	/* identity mapped */
}

static void __noreturn idle_loop(struct percpu *pc)
{
	for (;;) {
		while (!READ_ONCE(pc->work_fn))
			wfe();
		dmb(ish);
		pc->work_fn(pc->work_arg);
		pc->work_fn = NULL;
		dmb(ish);
		WRITE_ONCE(pc->work_done, true);
		sev();
	}
}

void __noreturn secondary_main(struct secondary_boot *sb);
void secondary_main(struct secondary_boot *sb)
{
	struct percpu *pc = this_cpu();
	(void)sb;
	dmb(ish);
	WRITE_ONCE(pc->online, true);
	sev();
	idle_loop(pc);
}

int smp_boot_cpu(int cpu)
{
	check_cpu("smp_boot_cpu", cpu);
	struct percpu *pc = &percpu[cpu];
	struct secondary_boot *sb = &boot_data[cpu];

	if (cpu_online(cpu))
		return 0;
	/* A fresh stack each boot (a previous one may be in use by a CPU
	 * that was turned off mid-call): zeroed cacheably, then cleaned to
	 * the PoC so no dirty line of it can later be written back over what
	 * the secondary writes (docs/boot-cache-maintenance.md "Secondaries"). [BCM: secondary-stack] */
	if (!pc->stack) {
		pc->stack = alloc_pages(STACK_ORDER);
		if (!pc->stack)
			return PSCI_INTERNAL_FAILURE;
	}
	u64 stack_size = PAGE_SIZE << STACK_ORDER;
	memset(pc->stack, 0, stack_size);
	dcache_clean_poc((u64)pc->stack, (u64)pc->stack + stack_size);

	pc->stack_base = (u64)pc->stack;
	pc->stack_top = (u64)pc->stack + stack_size;
	pc->work_fn = NULL;
	pc->work_done = false;
	*sb = (struct secondary_boot){
		.sp = (u64)pc->stack + stack_size,
		.mair = read_sysreg(mair_el1),
		.tcr = read_sysreg(tcr_el1),
		.ttbr0 = read_sysreg(ttbr0_el1),
		.vbar = (u64)vectors,
		.tpidr = (u64)pc,
		.sctlr = read_sysreg(sctlr_el1),
		.cpu = cpu,
	};
	/* The secondary reads these with Device accesses: clean them to the
	 * PoC, and complete that (DSB inside) before CPU_ON. The per-CPU data
	 * it reads only after its MMU is on needs nothing. [BCM: secondary-data] */
	dcache_clean_poc((u64)sb, (u64)(sb + 1));

	long ret = psci_cpu_on(pc->mpidr, secondary_entry_pa(), (u64)sb);
	if (ret)
		return (int)ret;
	while (!cpu_online(cpu))
		wfe();
	dmb(ish);
	return 0;
}

void smp_boot_secondaries(void)
{
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		int ret = smp_boot_cpu(cpu);
		if (ret) {
			printf("CPU %d failed to boot: PSCI %d\n", cpu, ret);
			abort();
		}
	}
}

void on_cpu_async(int cpu, void (*fn)(void *), void *arg)
{
	check_cpu("on_cpu", cpu);
	struct percpu *pc = &percpu[cpu];
	assert_msg(cpu != smp_processor_id(), "on_cpu_async: CPU %d is the calling CPU", cpu);
	int ret = cpu_online(cpu) ? 0 : smp_boot_cpu(cpu);
	if (ret) {
		printf("on_cpu: CPU %d failed to boot: PSCI error %d\n", cpu, ret);
		abort();
	}
	while (READ_ONCE(pc->work_fn))	/* previous work still running */
		wfe();
	pc->work_done = false;
	pc->work_arg = arg;
	dmb(ish);
	WRITE_ONCE(pc->work_fn, fn);
	dsb(ish);
	sev();
}

void cpu_wait(int cpu)
{
	check_cpu("cpu_wait", cpu);
	while (!READ_ONCE(percpu[cpu].work_done))
		wfe();
	dmb(ish);
}

void on_cpu(int cpu, void (*fn)(void *), void *arg)
{
	check_cpu("on_cpu", cpu);
	if (cpu == smp_processor_id()) {
		fn(arg);
		return;
	}
	on_cpu_async(cpu, fn, arg);
	cpu_wait(cpu);
}

void on_cpus(void (*fn)(void *), void *arg)
{
	int me = smp_processor_id();
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != me)
			on_cpu_async(cpu, fn, arg);
	fn(arg);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != me)
			cpu_wait(cpu);
}

void smp_cpu_off(void)
{
	struct percpu *pc = this_cpu();
	dmb(ish);
	WRITE_ONCE(pc->online, false);
	dsb(ish);
	sev();
	psci_cpu_off();
	printf("CPU %d: PSCI CPU_OFF returned\n", pc->cpu);
	abort();
}
