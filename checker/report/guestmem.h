/* Side-effect-free reads of guest memory (guestmem.c). */
#ifndef CHECKER_GUESTMEM_H
#define CHECKER_GUESTMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "pe/cpu.h"
#include "pe/mmu.h"

struct machine;

/* The PA at which guest_peek() reads va for PE c: through the PE's TLB
 * entry for the page if it has one, else the identity map the guests
 * use. It depends on nothing but that entry and c's EL. */
static inline uint64_t guest_peek_pa(const struct cpu *c, uint64_t va)
{
	if (c && c->tlb) {
		const struct tlb_entry *e = &c->tlb->e[tlb_index(va)];
		enum regime r = c->el == 2 ? REGIME_EL2 : REGIME_EL10;

		if (e->vpage == (va & ~0xfffull) && e->regime == r)
			return e->ppage | (va & 0xfff);
	}
	return va;
}

/* Read guest memory at va as PE c sees it, without side effects on the
 * model or the TLB (reports, audit), at guest_peek_pa(c, va). */
bool guest_peek(struct machine *m, const struct cpu *c, uint64_t va,
		void *buf, unsigned len);

#endif
