/* Runs that can make no more progress, stopped at once with a machine
 * error instead of spinning to the instruction budget (which takes
 * minutes): every PE waiting with nothing to wake it (a deadlock), and a
 * PE that keeps taking the same exception on its own vector. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "board/machine.h"
#include "pe/exception.h"
#include "pe/timer.h"

/* " file.S:12 sym+0x1c" for a guest address, from the symbols of the
 * report layer when the front end attached them (m->describe_pc). */
static void machine_where(struct machine *m, uint64_t pc, char *buf,
			  size_t len)
{
	buf[0] = 0;
	if (m->describe_pc)
		m->describe_pc(m, pc, buf, len);
}

/* Can an interrupt wake PE c? WFI (and WFE) wake on an interrupt that is
 * pending for the PE, whatever PSTATE.DAIF says: one the GIC signals now
 * (its lines, gic.c), or one a timer of the PE will raise when guest time
 * reaches its deadline (guest time advances while every PE waits). A
 * timer that has fired without being forwarded, or an interrupt the GIC
 * holds back (disabled, masked by priority), changes only when a running
 * PE writes a register, and SGIs need a running PE to send them: neither
 * can wake anyone once every PE waits. */
static bool interrupt_possible(const struct cpu *c, uint64_t now)
{
	return c->irq_line || c->fiq_line ||
	       timer_next_deadline(c, now) != UINT64_MAX;
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

static bool can_wake(const struct cpu *c, uint64_t now)
{
	return interrupt_possible(c, now) ||
	       (c->wait_kind == WAIT_WFE && event_possible(c));
}

/* snprintf at *k of buf[len], *k kept at most len - 1: text past the
 * end is dropped, never written. */
static void __attribute__((format(printf, 4, 5)))
append(char *buf, size_t len, size_t *k, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*k + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *k, len - *k, fmt, ap);
	va_end(ap);
	if (n > 0)
		*k = *k + (size_t)n < len ? *k + (size_t)n : len - 1;
}

/* Two PEs the message can name together: both off, or waiting the same
 * way at the same pc. */
static bool same_state(const struct cpu *a, const struct cpu *b)
{
	if (a->powered != b->powered)
		return false;
	return !a->powered || (a->wait_kind == b->wait_kind && a->wait_pc == b->wait_pc);
}

/* "PE0,2-5,9" for the PEs from first on in PE first's state: one entry a
 * state, so 64 PEs idling in one loop take one line, not 64. Marks them
 * named. */
static void name_group(struct machine *m, unsigned first, bool *named,
		       char *buf, size_t len, size_t *kp)
{
	size_t k = *kp;
	unsigned i = first;

	append(buf, len, &k, "PE");
	while (i < m->npe) {
		unsigned j = i;

		while (j + 1 < m->npe && !named[j + 1] &&
		       same_state(&m->pe[j + 1], &m->pe[first]))
			j++;
		for (unsigned x = i; x <= j; x++)
			named[x] = true;
		append(buf, len, &k, i == first ? "%u" : ",%u", i);
		if (j > i)
			append(buf, len, &k, "-%u", j);
		for (i = j + 1; i < m->npe &&
		     (named[i] || !same_state(&m->pe[i], &m->pe[first])); i++)
			;
	}
	*kp = k;
}

bool machine_deadlocked(struct machine *m, char *why, size_t len)
{
	static const char *const wait_names[] = {
		[WAIT_WFI] = "WFI", [WAIT_WFE] = "WFE",
		[WAIT_SUSPEND] = "PSCI CPU_SUSPEND",
	};
	size_t k = 0;
	bool waiting = false, named[MAX_PES] = { false };
	uint64_t now = machine_ticks(m, NULL);

	/* First the cheap test that fails in almost every round. */
	for (unsigned i = 0; i < m->npe; i++) {
		const struct cpu *c = &m->pe[i];

		if (c->powered && (!c->wfi || can_wake(c, now)))
			return false;
		waiting |= c->powered;
	}
	if (!waiting)
		return false;   /* every PE off: the caller's own error */
	/* Complete for MAX_PES PEs at as many places: MACHINE_ERROR_MAX
	 * holds 64 entries of the longest state and place. */
	why[0] = 0;
	for (unsigned i = 0; i < m->npe; i++) {
		const struct cpu *c = &m->pe[i];
		char where[300];

		if (named[i])
			continue;
		if (k)
			append(why, len, &k, ", ");
		name_group(m, i, named, why, len, &k);
		if (c->powered) {
			machine_where(m, c->wait_pc, where, sizeof(where));
			append(why, len, &k, " %s at pc 0x%" PRIx64 "%s",
					      wait_names[c->wait_kind], c->wait_pc, where);
		} else {
			append(why, len, &k, " off");
		}
	}
	return true;
}

/* Further than this many ticks away (some 2^40 years at 62.5 MHz) a
 * deadline counts as never: the round count must not overflow. */
#define SKIP_MAX_TICKS (1ull << 60)

void machine_skip_idle(struct machine *m)
{
	uint64_t now = machine_ticks(m, NULL), next = UINT64_MAX, r;

	for (unsigned i = 0; i < m->npe; i++) {
		const struct cpu *c = &m->pe[i];
		uint64_t d;

		if (!c->powered)
			continue;
		/* A running PE, an interrupt being signalled, or a WFE that
		 * an event can end: guest time runs as usual. */
		if (!c->wfi || c->irq_line || c->fiq_line ||
		    (c->wait_kind == WAIT_WFE && event_possible(c)))
			return;
		d = timer_next_deadline(c, now);
		if (d < next)
			next = d;
	}
	if (next == UINT64_MAX || next - now > SKIP_MAX_TICKS)
		return;
	r = machine_round_at_tick(m, next);
	if (r > m->rounds)
		m->rounds = r;
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
