/* Exceptions at EL1: tests install handlers per vector and exception
 * class; anything without a handler dumps the registers and a backtrace
 * and fails the test. */
#ifndef GUEST_EXCEPTIONS_H
#define GUEST_EXCEPTIONS_H

#include "types.h"

struct pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;		/* ELR_EL1: handlers move it to skip an instruction */
	u64 pstate;	/* SPSR_EL1 */
	u64 esr;
	u64 far;
};

/* Vector table entries (offset / 0x80). */
enum vector {
	EL1T_SYNC, EL1T_IRQ, EL1T_FIQ, EL1T_ERROR,
	EL1H_SYNC, EL1H_IRQ, EL1H_FIQ, EL1H_ERROR,
	EL0_SYNC_64, EL0_IRQ_64, EL0_FIQ_64, EL0_ERROR_64,
	EL0_SYNC_32, EL0_IRQ_32, EL0_FIQ_32, EL0_ERROR_32,
	VECTOR_MAX,
};

typedef void (*exception_fn)(struct pt_regs *regs, unsigned esr);
/* kvm-unit-tests' irq_handler_fn: the ESR means nothing for an IRQ. */
typedef void (*irq_handler_fn)(struct pt_regs *regs);

/* Handler for synchronous exceptions of class ec taken through vector v
 * (EL1H_SYNC or EL0_SYNC_64); NULL removes it. Per CPU. */
void install_exception_handler(enum vector v, unsigned ec, exception_fn fn);
/* Handler for the other vectors (IRQ, FIQ, SError). */
void install_irq_handler(enum vector v, irq_handler_fn fn);

static inline unsigned esr_ec(u64 esr)
{
	return (esr >> 26) & 0x3f;
}

/* Run fn(arg) at EL0 on a stack whose top is sp_top; returns fn's value. */
u64 run_el0(u64 (*fn)(u64), u64 arg, u64 sp_top);

void show_regs(struct pt_regs *regs);
void backtrace_from(u64 fp, u64 pc);

void exceptions_init(void);

#define backtrace_here() \
	backtrace_from((u64)__builtin_frame_address(0), (u64)__builtin_return_address(0))

#endif
