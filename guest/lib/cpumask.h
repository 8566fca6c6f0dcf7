/* Sets of CPUs with kvm-unit-tests' cpumask API (its lib/cpumask.h and
 * arm asm/smp.h, read for the names): a cpumask_t, the calls on one CPU
 * of it or all, for_each_cpu, and the machine's present and online sets.
 * CPU numbers are ours (smp.h); one out of range is an abort. The calls
 * are not atomic: a set that several CPUs change needs a lock. */
#ifndef GUEST_CPUMASK_H
#define GUEST_CPUMASK_H

#include "libc.h"
#include "smp.h"

_Static_assert(NR_CPUS <= 64, "cpumask_t is one word");

typedef struct cpumask {
	u64 bits;
} cpumask_t;

static inline u64 cpumask_bit(int cpu)
{
	assert_msg(cpu >= 0 && cpu < nr_cpus, "CPU %d is not one of the %d", cpu, nr_cpus);
	return 1UL << cpu;
}

static inline void cpumask_set_cpu(int cpu, cpumask_t *m)    { m->bits |= cpumask_bit(cpu); }
static inline void cpumask_clear_cpu(int cpu, cpumask_t *m)  { m->bits &= ~cpumask_bit(cpu); }
static inline bool cpumask_test_cpu(int cpu, const cpumask_t *m)
{
	return m->bits & cpumask_bit(cpu);
}
static inline void cpumask_clear(cpumask_t *m)   { m->bits = 0; }
static inline void cpumask_setall(cpumask_t *m)  { m->bits = (1UL << nr_cpus) - 1; }
/* No libgcc: __builtin_popcount would call its __popcountdi2. */
static inline int cpumask_weight(const cpumask_t *m)
{
	int n = 0;
	for (u64 b = m->bits; b; b &= b - 1)
		n++;
	return n;
}
static inline bool cpumask_empty(const cpumask_t *m) { return !m->bits; }
static inline bool cpumask_full(const cpumask_t *m)  { return m->bits == (1UL << nr_cpus) - 1; }
static inline void cpumask_copy(cpumask_t *d, const cpumask_t *s) { *d = *s; }
static inline bool cpumask_equal(const cpumask_t *a, const cpumask_t *b)
{
	return a->bits == b->bits;
}
static inline void cpumask_and(cpumask_t *d, const cpumask_t *a, const cpumask_t *b)
{
	d->bits = a->bits & b->bits;
}
static inline void cpumask_or(cpumask_t *d, const cpumask_t *a, const cpumask_t *b)
{
	d->bits = a->bits | b->bits;
}
/* The lowest CPU of m above cpu, or nr_cpus. */
static inline int cpumask_next(int cpu, const cpumask_t *m)
{
	u64 above = cpu < 0 ? ~0UL : cpu >= 63 ? 0 : ~((2UL << cpu) - 1);
	u64 rest = m->bits & above;
	int next = rest ? __builtin_ctzl(rest) : nr_cpus;
	return next < nr_cpus ? next : nr_cpus;
}
#define for_each_cpu(cpu, m) \
	for ((cpu) = cpumask_next(-1, (m)); (cpu) < nr_cpus; (cpu) = cpumask_next((cpu), (m)))

/* Every CPU of the device tree, and those running now (as lvalues, so
 * &cpu_present_mask works as in kvm-unit-tests); computed on each use. */
const cpumask_t *cpumask_present(void);
const cpumask_t *cpumask_online(void);
#define cpu_present_mask (*cpumask_present())
#define cpu_online_mask  (*cpumask_online())
#define cpu_present(cpu) cpumask_test_cpu((cpu), &cpu_present_mask)
#define for_each_present_cpu(cpu) for_each_cpu((cpu), &cpu_present_mask)
#define for_each_online_cpu(cpu)  for_each_cpu((cpu), &cpu_online_mask)

#endif
