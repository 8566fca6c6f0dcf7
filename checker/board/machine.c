/* The board and its scheduler. PEs run round-robin, each for a fixed
 * quantum of instructions per round, so a run is deterministic. Guest
 * time advances by a quantum's worth of instructions per round (at
 * cfg.guest_mips): the counter (CNTPCT) is the same on every PE within
 * a round. When every
 * PE waits for a timer, time jumps to its deadline (machine_skip_idle). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/machine.h"
#include "model/cache.h"
#include "pe/mmu.h"

/* The memory system calls a device with the dev it registered: here
 * the machine, which holds the devices' state. */
static uint64_t uart_read(void *dev, uint64_t off, unsigned size)
{
	return pl011_read(dev, off, size);
}

static void uart_write(void *dev, uint64_t off, unsigned size, uint64_t v)
{
	pl011_write(dev, off, size, v);
}

static uint64_t rtc_read(void *dev, uint64_t off, unsigned size)
{
	return pl031_read(dev, off, size);
}

static void rtc_write(void *dev, uint64_t off, unsigned size, uint64_t v)
{
	pl031_write(dev, off, size, v);
}

static uint64_t fwcfg_rd(void *dev, uint64_t off, unsigned size)
{
	return fwcfg_read(dev, off, size);
}

static void fwcfg_wr(void *dev, uint64_t off, unsigned size, uint64_t v)
{
	fwcfg_write(dev, off, size, v);
}

static uint64_t flash0_read(void *dev, uint64_t off, unsigned size)
{
	return pflash_read(&((struct machine *)dev)->flash[0], off, size);
}

static void flash0_write(void *dev, uint64_t off, unsigned size, uint64_t v)
{
	pflash_write(&((struct machine *)dev)->flash[0], off, size, v);
}

static uint64_t flash1_read(void *dev, uint64_t off, unsigned size)
{
	return pflash_read(&((struct machine *)dev)->flash[1], off, size);
}

static void flash1_write(void *dev, uint64_t off, unsigned size, uint64_t v)
{
	pflash_write(&((struct machine *)dev)->flash[1], off, size, v);
}

/* The flash banks (executable: firmware runs in place), the PL011, the
 * PL031, fw_cfg; then the GIC (machine_init); then the rest of the virt
 * board's device window, which is not modelled (ITS, GPIO, virtio-mmio):
 * RAZ/WI. The first range registered wins. */
static const struct mmio_range virt_mmio[] = {
	{ VIRT_FLASH_BASE, PFLASH_BANK_SIZE, NULL, flash0_read, flash0_write,
	  true },
	{ VIRT_FLASH_BASE + PFLASH_BANK_SIZE, PFLASH_BANK_SIZE, NULL,
	  flash1_read, flash1_write, true },
	{ VIRT_UART_BASE, VIRT_UART_SIZE, NULL, uart_read, uart_write, false },
	{ VIRT_RTC_BASE, VIRT_RTC_SIZE, NULL, rtc_read, rtc_write, false },
	{ VIRT_FWCFG_BASE, VIRT_FWCFG_SIZE, NULL, fwcfg_rd, fwcfg_wr, false },
};
static const struct mmio_range virt_raz = {
	VIRT_RAZ_BASE, VIRT_RAZ_END - VIRT_RAZ_BASE, NULL, NULL, NULL, false
};

volatile sig_atomic_t machine_stop_signal;

void machine_ram_slow(struct machine *m)
{
	for (unsigned i = 0; i < m->npe; i++)
		tlb_flush_all(&m->pe[i]);
}

int machine_init(struct machine *m, const struct machine_config *cfg)
{
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	/* Before any failure: machine_free() closes their files. */
	pflash_init(&m->flash[0]);
	pflash_init(&m->flash[1]);
	if (!m->cfg.quantum)
		m->cfg.quantum = 1000;
	if (!m->cfg.gic_version)
		m->cfg.gic_version = 3;
	if (m->cfg.gic_version != 2 && m->cfg.gic_version != 3)
		return -1;
	if (!m->cfg.guest_mips)
		m->cfg.guest_mips = DEFAULT_GUEST_MIPS;
	if (cfg->smp < 1 || cfg->smp > MAX_PES || cfg->ram_mib < 1 ||
	    cfg->ram_mib > 65536)
		return -1;
	m->mem.ram_base = VIRT_RAM_BASE;
	m->mem.ram_size = cfg->ram_mib << 20;
	m->mem.ram = calloc(1, m->mem.ram_size);
	m->npe = cfg->smp;
	m->pe = calloc(m->npe, sizeof(*m->pe));
	if (!m->mem.ram || !m->pe)
		goto fail;
	m->conduit = cfg->el2 ? PSCI_SMC : PSCI_HVC;
	memsys_pe_state_fn = mmu_pe_state;
	m->mem.ram_fast = true;
	if (fwcfg_init(m) < 0)
		goto fail;
	m->out_fd = STDOUT_FILENO;
	m->in_fd = -1;
	machine_plat_init(m);
	for (size_t i = 0; i < sizeof(virt_mmio) / sizeof(virt_mmio[0]); i++) {
		struct mmio_range r = virt_mmio[i];

		r.dev = m;
		memsys_add_mmio(&m->mem, &r);
	}
	if (m->cfg.gic_version == 3 ? gicv3_init(m) : gicv2_init(m))
		goto fail;
	memsys_add_mmio(&m->mem, &virt_raz);
	for (unsigned i = 0; i < m->npe; i++) {
		struct cpu *c = &m->pe[i];

		c->tlb = malloc(sizeof(struct tlb));
		if (!c->tlb)
			goto fail;
		c->id = i;
		c->m = m;
		c->plat = &m->plat;
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
	free(m->mem.ram);
	gic_free(m->gic);
	m->gic = NULL;
	pflash_free(&m->flash[0]);
	pflash_free(&m->flash[1]);
	fwcfg_free(m);
	m->pe = NULL;
	m->mem.ram = NULL;
}

int machine_attach_model(struct machine *m, const struct cache_opts *o)
{
	const struct cache_env e = {
		.mem = &m->mem, .pe = m->pe, .npe = m->npe,
		.pe_size = sizeof(struct cpu),
		.image = m->image_seg, .nimage = m->nimage_segs,
		.dtb = { m->dtb_pa, m->dtb_size },
		.initrd = { m->initrd_pa, m->initrd_size },
	};

	m->model = cache_attach(&e, o);
	if (!m->model)
		return -1;
	m->plat.model = m->model;
	/* The model cleared mem.ram_fast: the TLBs must no longer hand out
	 * host pointers that bypass it. */
	machine_ram_slow(m);
	return 0;
}

void machine_detach_model(struct machine *m)
{
	if (!m->model)
		return;
	cache_detach(m->model);
	m->model = NULL;
	m->plat.model = NULL;
}

uint64_t machine_ticks(struct machine *m, struct cpu *c)
{
	(void)c;
	/* rounds * quantum instructions take 1000 / mips ns each, and a
	 * tick is 10^9 / CNT_FREQ = 16 ns. */
	return (uint64_t)((__uint128_t)m->rounds * m->cfg.quantum *
			  CNT_FREQ / (m->cfg.guest_mips * 1000000u));
}

uint64_t machine_round_at_tick(const struct machine *m, uint64_t tick)
{
	__uint128_t den = (__uint128_t)m->cfg.quantum * CNT_FREQ;

	return (uint64_t)(((__uint128_t)tick * m->cfg.guest_mips * 1000000u +
			   den - 1) / den);
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
	c->plat = &m->plat;
	sysreg_reset(c, id, m->cfg.el2);
	tlb_flush_all(c);
	c->el = m->cfg.el2 ? 2 : 1;
	c->spsel = 1;
	c->daif = 0x3c0;
	c->pc = pc;
	c->x[0] = x0;
	c->powered = true;
	memsys_pe_start(&m->mem, c);
	/* The reset cleared its interrupt lines: signal what is pending. */
	if (m->gic)
		gic_update(m->gic);
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
	char why[MACHINE_ERROR_MAX - 64];

	while (!m->halted) {
		bool any = false;

		/* Guest time moved on: the timers' PPIs follow. */
		gic_sync_timers(m->gic, machine_ticks(m, NULL));
		for (unsigned i = 0; i < m->npe && !m->halted; i++) {
			struct cpu *c = &m->pe[i];
			uint64_t left = m->cfg.max_insns - m->insns_total;

			if (!c->powered)
				continue;
			any = true;
			/* WFE resumes every round (a spurious wake-up: its
			 * events are not all modelled). WFI and a PSCI suspend
			 * wait until the GIC signals an interrupt (gic.c). */
			if (c->wfi && c->wait_kind == WAIT_WFE)
				c->wfi = false;
			m->running = c;
			m->insns_total += cpu_run(c, left < q ? left : q);
			m->running = NULL;
			if (machine_stop_signal) {
				pl011_flush(m);
				return EXIT_SIGNAL + machine_stop_signal;
			}
			if (m->insns_total >= m->cfg.max_insns && !m->halted) {
				if (m->budget_quiet)
					return EXIT_BUDGET;
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
		if (!m->halted)
			machine_skip_idle(m);
	}
	pl011_flush(m);
	if (m->error[0])
		fprintf(stderr, "coherent: machine error: %s\n", m->error);
	return m->exit_code;
}
