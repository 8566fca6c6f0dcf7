/* Spinlocks on the exclusive monitor (LDAXR/STXR), so they need no LSE.
 *
 * With the MMU on the lock word is Normal cacheable and the local and
 * global monitors make this correct. With the MMU off it is a Device
 * access: exclusives there need a global monitor for Device memory, which
 * QEMU's virt and the checker provide (Arm ARM B2.9.5 "Load-Exclusive and
 * Store-Exclusive instruction usage restrictions"). A lock shared between a
 * PE with the MMU on and one with it off would be a mismatched-attribute
 * alias; the framework never does that. */
#ifndef GUEST_SPINLOCK_H
#define GUEST_SPINLOCK_H

#include "types.h"

struct spinlock {
	u32 v;
};

static inline void spin_lock(struct spinlock *l)
{
	u32 tmp, fail;
	asm volatile(
	"	sevl\n"
	"1:	wfe\n"
	"2:	ldaxr	%w0, [%2]\n"
	"	cbnz	%w0, 1b\n"
	"	stxr	%w1, %w3, [%2]\n"
	"	cbnz	%w1, 2b\n"
	: "=&r"(tmp), "=&r"(fail)
	: "r"(&l->v), "r"(1)
	: "memory");
}

static inline void spin_unlock(struct spinlock *l)
{
	/* STLR clears the other PEs' monitors: their WFE wakes up. */
	asm volatile("stlr wzr, [%0]" : : "r"(&l->v) : "memory");
}

#endif
