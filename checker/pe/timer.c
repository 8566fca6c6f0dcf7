/* Timer outputs and deadlines (timer.h). The virtual timer compares CVAL
 * with the virtual count, physical count - CNTVOFF_EL2 (Arm ARM DDI 0487,
 * "The Generic Timer in AArch64 state", the virtual counter); CNTVOFF is 0 where EL2 is not implemented. */
#include "pe/timer.h"

#include <stdbool.h>

#include "pe/cpu.h"
#include "pe/exception.h"

#define CTL_ENABLE 1u
#define CTL_IMASK  2u

static uint64_t voff(const struct cpu *c)
{
	return cpu_has_el2(c) ? c->sys.cntvoff_el2 : 0;
}

/* CTL and CVAL of timer t, and the offset of its count from the
 * physical one. False when t does not exist on this PE. */
static bool timer_regs(const struct cpu *c, unsigned t, uint64_t *ctl,
		      uint64_t *cval, uint64_t *off)
{
	const struct sysregs *s = &c->sys;

	*off = 0;
	switch (t) {
	case TIMER_EL1_PHYS:
		*ctl = s->cntp_ctl_el0;
		*cval = s->cntp_cval_el0;
		return true;
	case TIMER_EL1_VIRT:
		*ctl = s->cntv_ctl_el0;
		*cval = s->cntv_cval_el0;
		*off = voff(c);
		return true;
	case TIMER_EL2_PHYS:
		*ctl = s->cnthp_ctl_el2;
		*cval = s->cnthp_cval_el2;
		return cpu_has_el2(c);
	default:
		return false;
	}
}

unsigned timer_outputs(const struct cpu *c, uint64_t now)
{
	unsigned out = 0;

	for (unsigned t = 0; t < TIMER_COUNT; t++) {
		uint64_t ctl, cval, off;

		if (timer_regs(c, t, &ctl, &cval, &off) &&
		    (ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE &&
		    now - off >= cval)
			out |= 1u << t;
	}
	return out;
}

uint64_t timer_next_deadline(const struct cpu *c, uint64_t now)
{
	uint64_t best = UINT64_MAX;

	for (unsigned t = 0; t < TIMER_COUNT; t++) {
		uint64_t ctl, cval, off, at;

		if (!timer_regs(c, t, &ctl, &cval, &off) ||
		    (ctl & (CTL_ENABLE | CTL_IMASK)) != CTL_ENABLE ||
		    now - off >= cval)
			continue;
		/* The physical count at which count - off reaches CVAL. */
		at = cval + off;
		if (at > now && at < best)
			best = at;
	}
	return best;
}
