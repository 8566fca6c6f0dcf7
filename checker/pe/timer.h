/* The PE's generic timers as interrupt sources (Arm ARM DDI 0487,
 * D11 "The Generic Timer in AArch64 state", its timers): each
 * timer's output is asserted while ENABLE = 1, IMASK = 0 and its
 * condition (count >= CVAL) holds. The registers themselves are sysreg.c's. */
#ifndef CHECKER_TIMER_H
#define CHECKER_TIMER_H

#include <stdint.h>

struct cpu;

/* The timers, by the bit each has in timer_outputs()'s mask. */
enum pe_timer { TIMER_EL1_PHYS, TIMER_EL1_VIRT, TIMER_EL2_PHYS, TIMER_COUNT };

/* Which timer outputs are asserted when the physical count is now. */
unsigned timer_outputs(const struct cpu *c, uint64_t now);
/* The earliest physical count after now at which an output that is not
 * asserted now becomes asserted (its timer enabled and unmasked), or
 * UINT64_MAX when none will without a register write. */
uint64_t timer_next_deadline(const struct cpu *c, uint64_t now);

#endif
