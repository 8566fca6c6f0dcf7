/* The one header a test needs, as kvm-unit-tests' tests start with
 * #include <libcflat.h>: the framework's whole test-facing API. A test
 * written against kvm-unit-tests' arm API builds with this one include in
 * place of its <libcflat.h>, <asm/smp.h>, <asm/psci.h>, ... (README.md
 * "Writing a test"; differences are listed there). */
#ifndef GUEST_LIBCFLAT_H
#define GUEST_LIBCFLAT_H

#include "types.h"
#include "libc.h"		/* printf, assert, assert_msg, string, malloc */
#include "report.h"
#include "alloc.h"		/* page allocator */
#include "barrier.h"
#include "cache.h"
#include "cpumask.h"
#include "devtree.h"
#include "env.h"		/* getenv, errata */
#include "exceptions.h"
#include "mmu.h"
#include "percpu.h"
#include "psci.h"
#include "setup.h"
#include "smp.h"
#include "spinlock.h"
#include "sysreg.h"

#include "gic.h"
#include "io.h"
#include "irq.h"
#include "timer.h"

/* kvm-unit-tests' names for what this framework spells differently. */
#define ALIGN(x, a)	ALIGN_UP(x, a)
#define IS_ALIGNED(x, a) (((x) & ((u64)(a) - 1)) == 0)
#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#endif
#define SZ_4K		(1UL << 12)
#define SZ_64K		(1UL << 16)
#define SZ_1M		(1UL << 20)
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef unsigned long ulong;
#define dump_stack() backtrace_here()
#define GICC_INT_SPURIOUS GIC_SPURIOUS

#endif
