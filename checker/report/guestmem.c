/* Side-effect-free reads of guest memory for reports and the audit: a
 * real access would go through memsys_access() and be checked by the
 * cache model, and a real translation would fill the TLB, changing what
 * the run does. The value read is RAM's, the latest written. */
#include <string.h>

#include "board/machine.h"
#include "pe/mmu.h"
#include "report/guestmem.h"

bool guest_peek(struct machine *m, const struct cpu *c, uint64_t va,
		void *buf, unsigned len)
{
	uint64_t pa = guest_peek_pa(c, va);
	const uint8_t *p;

	/* Within one page only: callers read words and frame records. */
	if ((va & 0xfff) + len > 0x1000)
		return false;
	p = machine_ram_ptr(m, pa, len);
	if (!p)
		return false;
	memcpy(buf, p, len);
	return true;
}
