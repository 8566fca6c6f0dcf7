/* libFuzzer harness: random instruction words executed on a PE with RAM
 * (at EL0, EL1 or EL2, MMU off or on with an identity map), must never
 * crash the host. The input is: one control byte, then instruction
 * words placed at the entry point; a few register seeds follow. */
#include <string.h>

#include "board/machine.h"

static struct machine m;
static bool ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine_config cfg = { .smp = 2, .ram_mib = 1, .max_insns = 256,
				      .quantum = 64 };
	uint8_t ctl;
	struct cpu *c;
	size_t n;

	if (size < 5)
		return 0;
	ctl = data[0];
	cfg.el2 = ctl & 1;
	if (ready)
		machine_free(&m);
	if (machine_init(&m, &cfg) < 0)
		return 0;
	ready = true;
	m.out_fd = -1;                          /* console output dropped */
	n = (size - 1) & ~3ul;
	if (n > 4096)
		n = 4096;
	memcpy(m.mem.ram + 0x1000, data + 1, n);
	c = &m.pe[0];
	machine_pe_start(&m, c, m.mem.ram_base + 0x1000, 0);
	for (unsigned i = 0; i < 31; i++)
		c->x[i] = m.mem.ram_base + 0x2000 + i * 8;
	c->sys.vbar_el1 = c->sys.vbar_el2 = m.mem.ram_base + 0x800;
	if (ctl & 2) {
		/* Identity map of the first GiB of RAM by a level 1 block. */
		uint64_t l1 = m.mem.ram_base + 0x3000;
		uint64_t d = m.mem.ram_base | 0x701 | 1 << 6;

		memcpy(m.mem.ram + 0x3000 + 8, &d, 8);
		c->sys.mair_el1 = c->sys.mair_el2 = 0xff;
		c->sys.tcr_el1 = 25 | 2ull << 32;
		c->sys.tcr_el2 = 25 | 2ull << 16;
		c->sys.ttbr0_el1 = c->sys.ttbr0_el2 = l1;
		c->sys.sctlr_el1 |= SCTLR_M;
		c->sys.sctlr_el2 |= SCTLR_M;
	}
	if (ctl & 4) {
		c->el = ctl & 1 ? 1 : 0;
		c->sys.cpacr_el1 = 3 << 20;
	}
	machine_run(&m);
	return 0;
}
