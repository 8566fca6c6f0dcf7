/* Barriers by kvm-unit-tests' and Linux's names (asm/barrier.h there):
 * mb/rmb/wmb order everything, DSB, also against devices; the smp_ forms
 * order Normal memory between CPUs, DMB over the inner shareable domain
 * (Arm ARM DDI 0487, B2.3 "Definition of the Arm memory model": DMB and
 * DSB, their domain and access-type arguments). */
#ifndef GUEST_BARRIER_H
#define GUEST_BARRIER_H

#include "sysreg.h"

#define mb()		dsb(sy)
#define rmb()		dsb(ld)
#define wmb()		dsb(st)
#define smp_mb()	dmb(ish)
#define smp_rmb()	dmb(ishld)
#define smp_wmb()	dmb(ishst)
/* A spin-wait's hint to the PE (YIELD, C6 "YIELD"). */
#define cpu_relax()	asm volatile("yield" ::: "memory")

#endif
