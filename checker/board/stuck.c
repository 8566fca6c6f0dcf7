/* Runs that can make no more progress, stopped at once with a machine
 * error instead of spinning to the instruction budget (which takes
 * minutes): every PE waiting with nothing to wake it (a deadlock), and a
 * PE that keeps taking the same exception on its own vector. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board/machine.h"
#include "pe/exception.h"

/* " file.S:12 sym+0x1c" for a guest address, from the symbols of the
 * report layer when the front end attached them (m->describe_pc). */
static void machine_where(struct machine *m, uint64_t pc, char *buf,
			  size_t len)
{
	buf[0] = 0;
	if (m->describe_pc)
		m->describe_pc(m, pc, buf, len);
}

/* CNTx_CTL: ENABLE set and IMASK clear. The timer's interrupt will be
 * asserted once the count reaches CVAL, and guest time advances while
 * every PE waits, so a wake-up can become pending. */
static bool timer_armed(uint64_t ctl)
{
	return (ctl & 3) == 1;
}

/* Can an interrupt wake PE c? WFI (and WFE) wake on an interrupt that is
 * pending for the PE, whatever PSTATE.DAIF says. No interrupt controller
 * is modelled yet, so the only sources are the PE's own timers, counted
 * conservatively as soon as they are armed. When a GIC is added, this is
 * where its pending (or pending-to-be: armed timers routed through it)
 * interrupts for this PE must be taken into account. SGIs need a running
 * PE to send them, so they cannot appear once every PE waits. */
static bool interrupt_possible(const struct cpu *c)
{
	const struct sysregs *s = &c->sys;

	if (timer_armed(s->cntp_ctl_el0) || timer_armed(s->cntv_ctl_el0))
		return true;
	return cpu_has_el2(c) && timer_armed(s->cnthp_ctl_el2);
}

/* WFE also wakes on an event: one already in the event register (set by
 * a SEV, a cleared global monitor, an exception return, after this WFE
 * began), or the generic timer's event stream (CNTKCTL_EL1.EVNTEN,
 * CNTHCTL_EL2.EVNTEN). */
static bool event_possible(const struct cpu *c)
{
	if (c->event || (c->sys.cntkctl_el1 & (1u << 2)))
		return true;
	return cpu_has_el2(c) && (c->sys.cnthctl_el2 & (1u << 2));
}

static bool can_wake(const struct cpu *c)
{
	return interrupt_possible(c) ||
	       (c->wait_kind == WAIT_WFE && event_possible(c));
}

bool machine_deadlocked(struct machine *m, char *why, size_t len)
{
	static const char *const wait_names[] = {
		[WAIT_WFI] = "WFI", [WAIT_WFE] = "WFE",
		[WAIT_SUSPEND] = "PSCI CPU_SUSPEND",
	};
	size_t k = 0;
	bool waiting = false;

	/* First the cheap test that fails in almost every round. */
	for (unsigned i = 0; i < m->npe; i++) {
		const struct cpu *c = &m->pe[i];

		if (c->powered && (!c->wfi || can_wake(c)))
			return false;
		waiting |= c->powered;
	}
	if (!waiting)
		return false;   /* every PE off: the caller's own error */
	why[0] = 0;
	for (unsigned i = 0; i < m->npe && k < len; i++) {
		const struct cpu *c = &m->pe[i];
		char where[300];
		int n;

		if (c->powered) {
			machine_where(m, c->wait_pc, where, sizeof(where));
			n = snprintf(why + k, len - k, "%sPE%u %s at pc 0x%" PRIx64
				     "%s", k ? ", " : "", i,
				     wait_names[c->wait_kind], c->wait_pc,
				     where);
		} else {
			n = snprintf(why + k, len - k, "%sPE%u off", k ? ", " : "",
				     i);
		}
		if (n < 0)
			break;
		k += (size_t)n;
	}
	return true;
}

/* An exception taken at the vector of the previous one, of the same class
 * and to the same vector: the handler's first instruction raised the very
 * exception that entered it (its fetch faults, it is UNDEFINED, ...), and
 * each entry rewrites ELR/SPSR/ESR/FAR with the same values, so it would
 * repeat for ever. A few repeats (not one: a handler may legitimately
 * fault once) and a round boundary (so every other PE has had a quantum
 * in which to repair the vector or its mapping) make it certain. */
#define EXC_LOOP_REPEATS 16

void machine_exception_taken(struct machine *m, struct cpu *c, unsigned ec,
			     uint64_t esr, uint64_t from, uint64_t vector)
{
	char where[300];

	if (from == c->exc_vector && vector == c->exc_vector &&
	    ec == c->exc_ec) {
		c->exc_repeats++;
	} else {
		c->exc_repeats = 0;
		c->exc_repeat_round = m->rounds;
	}
	c->exc_vector = vector;
	c->exc_ec = ec;
	if (c->exc_repeats < EXC_LOOP_REPEATS || m->rounds == c->exc_repeat_round)
		return;
	machine_where(m, vector, where, sizeof(where));
	machine_error(m, "exception loop: PE%d keeps taking %s (EC 0x%02x, "
		      "ESR 0x%08" PRIx64 ") at its own vector 0x%" PRIx64 "%s "
		      "(EL%u); the handler never runs (is VBAR_EL%u valid, "
		      "mapped, executable code?)", c->id, exc_class_name(ec),
		      ec, esr, vector, where, c->el, c->el);
}
