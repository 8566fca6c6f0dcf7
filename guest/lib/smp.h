/* Secondary CPUs: started with PSCI CPU_ON on first use, then each waits
 * for work from on_cpu(). */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include "types.h"

/* What a secondary reads with its MMU off (head.S). Offsets: asm-offsets.h. */
struct secondary_boot {
	u64 sp, mair, tcr, ttbr0, vbar, tpidr, sctlr;
	u64 cpu;
} __aligned(64);

/* CPUs in the device tree (kvm-unit-tests' variable); set at boot. */
extern int nr_cpus;
bool cpu_online(int cpu);
/* Boot cpu if needed; 0 or a PSCI error. */
int smp_boot_cpu(int cpu);
void smp_boot_secondaries(void);
/* Run fn(arg) on cpu and wait for it to finish. */
void on_cpu(int cpu, void (*fn)(void *), void *arg);
/* Start fn(arg) on cpu without waiting. */
void on_cpu_async(int cpu, void (*fn)(void *), void *arg);
/* Wait for the work given to cpu to complete. */
void cpu_wait(int cpu);
/* Run fn(arg) on every CPU, this one included, and wait for all. */
void on_cpus(void (*fn)(void *), void *arg);
/* Called from the secondary's idle loop or a test: turn this CPU off
 * with PSCI CPU_OFF (does not return on success). */
void smp_cpu_off(void);
/* The per-CPU structure index of the CPU with this MPIDR, or -1. */
int mpidr_to_cpu(u64 mpidr);
/* Physical entry point for PSCI CPU_ON of our own secondaries. */
u64 secondary_entry_pa(void);

#endif
