/* Per-CPU data, found through TPIDR_EL1. */
#ifndef GUEST_PERCPU_H
#define GUEST_PERCPU_H

#include "types.h"
#include "exceptions.h"

struct percpu {
	u64 el0_ksp;			/* must stay first: vectors.S */
	int cpu;
	u64 mpidr;
	bool online;
	void *stack;			/* secondaries: from the page allocator */
	u64 stack_base, stack_top;	/* the stack this CPU runs on */
	/* on_cpu work */
	void (*volatile work_fn)(void *);
	void *volatile work_arg;
	volatile bool work_done;
	exception_fn sync_handlers[2][64];	/* [from EL0][EC] */
	irq_handler_fn vector_handlers[VECTOR_MAX];
};

extern struct percpu percpu[NR_CPUS];

static inline struct percpu *this_cpu(void)
{
	u64 p;
	asm volatile("mrs %0, tpidr_el1" : "=r"(p));
	return (struct percpu *)p;
}

static inline int smp_processor_id(void)
{
	return this_cpu()->cpu;
}

#endif
