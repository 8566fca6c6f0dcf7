/* The board and its scheduler. PEs run round-robin, each for a fixed
 * quantum of instructions per round, so a run is deterministic. Guest
 * time advances one nanosecond per instruction per round: the counter
 * (CNTPCT) is the same on every PE at the start of a round. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/machine.h"
#include "pe/mmu.h"

static uint64_t flash0_read(struct machine *m, uint64_t off, unsigned size)
{
	return pflash_read(&m->flash[0], off, size);
}

static void flash0_write(struct machine *m, uint64_t off, unsigned size,
			 uint64_t v)
{
	pflash_write(&m->flash[0], off, size, v);
}

static uint64_t flash1_read(struct machine *m, uint64_t off, unsigned size)
{
	return pflash_read(&m->flash[1], off, size);
}

static void flash1_write(struct machine *m, uint64_t off, unsigned size,
			 uint64_t v)
{
	pflash_write(&m->flash[1], off, size, v);
}

/* The flash banks (executable: firmware runs in place), the PL011, the
 * PL031, fw_cfg, then the rest of the virt board's device window, which
 * is not modelled (GIC, GPIO, virtio-mmio): RAZ/WI. */
static const struct mmio_range virt_mmio[] = {
	{ VIRT_FLASH_BASE, PFLASH_BANK_SIZE, flash0_read, flash0_write, true },
	{ VIRT_FLASH_BASE + PFLASH_BANK_SIZE, PFLASH_BANK_SIZE, flash1_read,
	  flash1_write, true },
	{ VIRT_UART_BASE, VIRT_UART_SIZE, pl011_read, pl011_write, false },
	{ VIRT_RTC_BASE, VIRT_RTC_SIZE, pl031_read, pl031_write, false },
	{ VIRT_FWCFG_BASE, VIRT_FWCFG_SIZE, fwcfg_read, fwcfg_write, false },
	{ VIRT_RAZ_BASE, VIRT_RAZ_END - VIRT_RAZ_BASE, NULL, NULL, false },
};

volatile sig_atomic_t machine_stop_signal;

int machine_init(struct machine *m, const struct machine_config *cfg)
{
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	/* Before any failure: machine_free() closes their files. */
	pflash_init(&m->flash[0]);
	pflash_init(&m->flash[1]);
	if (!m->cfg.quantum)
		m->cfg.quantum = 1000;
	if (cfg->smp < 1 || cfg->smp > MAX_PES || cfg->ram_mib < 1 ||
	    cfg->ram_mib > 65536)
		return -1;
	m->ram_base = VIRT_RAM_BASE;
	m->ram_size = cfg->ram_mib << 20;
	m->ram = calloc(1, m->ram_size);
	m->npe = cfg->smp;
	m->pe = calloc(m->npe, sizeof(*m->pe));
	if (!m->ram || !m->pe)
		goto fail;
	m->conduit = cfg->el2 ? PSCI_SMC : PSCI_HVC;
	m->ram_fast = true;
	if (fwcfg_init(m) < 0)
		goto fail;
	m->out_fd = STDOUT_FILENO;
	m->in_fd = -1;
	for (size_t i = 0; i < sizeof(virt_mmio) / sizeof(virt_mmio[0]); i++)
		memsys_add_mmio(m, &virt_mmio[i]);
	for (unsigned i = 0; i < m->npe; i++) {
		struct cpu *c = &m->pe[i];

		c->tlb = malloc(sizeof(struct tlb));
		if (!c->tlb)
			goto fail;
		c->id = i;
		c->m = m;
		sysreg_reset(c, i, cfg->el2);
		tlb_flush_all(c);
	}
	return 0;
fail:
	machine_free(m);
	return -1;
}

void machine_free(struct machine *m)
{
	for (unsigned i = 0; m->pe && i < m->npe; i++)
		free(m->pe[i].tlb);
	free(m->pe);
	free(m->ram);
	pflash_free(&m->flash[0]);
	pflash_free(&m->flash[1]);
	fwcfg_free(m);
	m->pe = NULL;
	m->ram = NULL;
}

uint64_t machine_ticks(struct machine *m, struct cpu *c)
{
	(void)c;
	return m->rounds * m->cfg.quantum / NS_PER_TICK;
}

struct cpu *machine_pe_by_mpidr(struct machine *m, uint64_t mpidr)
{
	/* Compare the affinity fields only (Aff3, Aff2..Aff0). */
	const uint64_t aff = 0xff00ffffffull;

	for (unsigned i = 0; i < m->npe; i++)
		if ((m->pe[i].sys.mpidr & aff) == (mpidr & aff))
			return &m->pe[i];
	return NULL;
}

/* Reset state as QEMU's boot code leaves it for a kernel or a PSCI
 * CPU_ON: MMU and caches off, DAIF masked, SP_ELx selected, at EL2 when
 * EL2 is implemented, else EL1. TLB contents are unknown after reset:
 * start empty. */
void machine_pe_start(struct machine *m, struct cpu *c, uint64_t pc,
		      uint64_t x0)
{
	struct tlb *tlb = c->tlb;
	int id = c->id;

	mem_clrex(c);
	memset(c, 0, sizeof(*c));
	c->tlb = tlb;
	c->id = id;
	c->m = m;
	sysreg_reset(c, id, m->cfg.el2);
	tlb_flush_all(c);
	c->el = m->cfg.el2 ? 2 : 1;
	c->spsel = 1;
	c->daif = 0x3c0;
	c->pc = pc;
	c->x[0] = x0;
	c->powered = true;
	memsys_pe_start(m, c);
}

void machine_halt(struct machine *m, int code)
{
	m->halted = true;
	m->exit_code = code;
	for (unsigned i = 0; i < m->npe; i++)
		m->pe[i].powered = false;
}

void machine_error(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->error, sizeof(m->error), fmt, ap);
	va_end(ap);
	machine_halt(m, EXIT_MACHINE);
}

int machine_run(struct machine *m)
{
	uint64_t q = m->cfg.quantum;
	char why[400];

	while (!m->halted) {
		bool any = false;

		for (unsigned i = 0; i < m->npe && !m->halted; i++) {
			struct cpu *c = &m->pe[i];
			uint64_t left = m->cfg.max_insns - m->insns_total;

			if (!c->powered)
				continue;
			any = true;
			/* WFI/WFE: nothing to wait for; resume next round. */
			c->wfi = false;
			m->insns_total += cpu_run(c, left < q ? left : q);
			if (machine_stop_signal) {
				pl011_flush(m);
				return EXIT_SIGNAL + machine_stop_signal;
			}
			if (m->insns_total >= m->cfg.max_insns && !m->halted) {
				pl011_flush(m);
				fprintf(stderr, "coherent: instruction budget of "
					"%llu exhausted\n",
					(unsigned long long)m->cfg.max_insns);
				return EXIT_BUDGET;
			}
		}
		if (!any && !m->halted)
			machine_error(m, "every PE is off and the system was "
				      "not turned off");
		/* Without this, waiting PEs would resume every round (a
		 * spurious wake-up) and spin to the budget: minutes. */
		else if (!m->halted && machine_deadlocked(m, why, sizeof(why)))
			machine_error(m, "deadlock: every PE is waiting (%s), "
				      "nothing can wake them", why);
		m->rounds++;
	}
	pl011_flush(m);
	if (m->error[0])
		fprintf(stderr, "coherent: machine error: %s\n", m->error);
	return m->exit_code;
}
