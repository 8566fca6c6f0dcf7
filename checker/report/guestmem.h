/* Side-effect-free reads of guest memory (guestmem.c). */
#ifndef CHECKER_GUESTMEM_H
#define CHECKER_GUESTMEM_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct cpu;

/* Read guest memory at va as PE c sees it, without side effects on the
 * model or the TLB (reports, audit): the PE's TLB entry for the page if
 * it has one, else the identity map the guests use. */
bool guest_peek(struct machine *m, const struct cpu *c, uint64_t va,
		void *buf, unsigned len);

#endif
