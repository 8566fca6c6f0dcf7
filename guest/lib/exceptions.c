/* The C side of the vectors (vectors.S). */
#include "exceptions.h"
#include "asm-offsets.h"
#include "libc.h"
#include "percpu.h"
#include "report.h"
#include "sysreg.h"

extern char vectors[];
extern char _text[], _etext[];
void el0_return(u64 ksp, u64 ret) __noreturn;

_Static_assert(__builtin_offsetof(struct pt_regs, sp) == S_SP, "pt_regs");
_Static_assert(__builtin_offsetof(struct pt_regs, pc) == S_PC, "pt_regs");
_Static_assert(__builtin_offsetof(struct pt_regs, esr) == S_ESR, "pt_regs");
_Static_assert(sizeof(struct pt_regs) == S_FRAME, "pt_regs");

void exceptions_init(void)
{
	write_sysreg((u64)vectors, vbar_el1);
	isb();
}

void install_exception_handler(enum vector v, unsigned ec, exception_fn fn)
{
	struct percpu *pc = this_cpu();
	if (v == EL1H_SYNC)
		pc->sync_handlers[0][ec & ESR_EC_MAX] = fn;
	else if (v == EL0_SYNC_64)
		pc->sync_handlers[1][ec & ESR_EC_MAX] = fn;
	else
		assert(!"install_exception_handler: not a synchronous vector");
}

void install_irq_handler(enum vector v, irq_handler_fn fn)
{
	assert(v < VECTOR_MAX);
	this_cpu()->vector_handlers[v] = fn;
}

static const char *const vector_names[VECTOR_MAX] = {
	"el1t_sync", "el1t_irq", "el1t_fiq", "el1t_error",
	"el1h_sync", "el1h_irq", "el1h_fiq", "el1h_error",
	"el0_sync_64", "el0_irq_64", "el0_fiq_64", "el0_error_64",
	"el0_sync_32", "el0_irq_32", "el0_fiq_32", "el0_error_32",
};

static bool in_image_text(u64 pc)
{
	return pc >= (u64)_text && pc < (u64)_etext;
}

/* Frame records (AAPCS64 6.2.3): x29 points at {previous x29, x30}. The
 * image is built with frame pointers. Addresses are also printed relative
 * to the image so `addr2line -e build/guest/X.elf` resolves them. */
void backtrace_from(u64 fp, u64 pc)
{
	printf("Backtrace:\n");
	printf("  #0 pc 0x%lx (image+0x%lx)\n", pc, pc - (u64)_text);
	for (int depth = 1; depth < 16 && fp && !(fp & 7); depth++) {
		u64 *frame = (u64 *)fp;
		u64 lr = frame[1];
		if (!in_image_text(lr))
			break;
		printf("  #%d pc 0x%lx (image+0x%lx)\n", depth, lr - 4, lr - 4 - (u64)_text);
		if (frame[0] <= fp)	/* frames move up the stack */
			break;
		fp = frame[0];
	}
}

void show_regs(struct pt_regs *regs)
{
	for (int i = 0; i < 31; i += 2)
		printf(i < 30 ? "  x%-2d %016lx  x%-2d %016lx\n" : "  x%-2d %016lx\n",
		       i, regs->regs[i], i + 1, i < 30 ? regs->regs[i + 1] : 0);
	printf("  sp  %016lx  pc  %016lx (image+0x%lx)\n", regs->sp, regs->pc,
	       regs->pc - (u64)_text);
	printf("  pstate %08lx  esr %08lx (ec 0x%02x)  far %016lx\n",
	       regs->pstate, regs->esr, esr_ec(regs->esr), regs->far);
}

static void __noreturn unhandled(struct pt_regs *regs, unsigned vector)
{
	printf("\nUnhandled exception: %s on CPU %d, ec 0x%02x\n",
	       vector < VECTOR_MAX ? vector_names[vector] : "?", smp_processor_id(),
	       esr_ec(regs->esr));
	show_regs(regs);
	backtrace_from(regs->regs[29], regs->pc);
	report(false, "no unexpected exception");
	exit(report_summary());
}

void do_exception(struct pt_regs *regs, unsigned vector)
{
	struct percpu *pc = this_cpu();
	unsigned ec = esr_ec(regs->esr);

	if (vector == EL0_SYNC_64 && ec == ESR_EC_SVC64 &&
	    (regs->esr & 0xffff) == EL0_EXIT_SVC)
		el0_return(pc->el0_ksp, regs->regs[0]);

	if (vector != EL1H_SYNC && vector != EL0_SYNC_64) {
		irq_handler_fn irq_fn = vector < VECTOR_MAX ? pc->vector_handlers[vector] : NULL;
		if (!irq_fn)
			unhandled(regs, vector);
		irq_fn(regs);
		return;
	}
	exception_fn fn = pc->sync_handlers[vector == EL0_SYNC_64][ec];
	if (!fn)
		unhandled(regs, vector);
	fn(regs, (unsigned)regs->esr);
}
