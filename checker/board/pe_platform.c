/* The machine as its PEs see it (pe/platform.h): the PE calls up into the
 * board only through this table, so pe/ does not depend on board/. */
#include "board/machine.h"

static uint64_t plat_ticks(struct cpu *c)
{
	return machine_ticks(c->m, c);
}

/* QEMU virt's PSCI conduit is HVC, or SMC when EL2 is implemented
 * (hw/arm/virt.c, virt_init: psci_conduit). */
static bool plat_firmware_call(struct cpu *c, bool smc)
{
	struct machine *m = c->m;

	if (m->conduit != (smc ? PSCI_SMC : PSCI_HVC))
		return false;
	return psci_call(m, c);
}

static void plat_exception_taken(struct cpu *c, unsigned ec, uint64_t esr,
				 uint64_t from, uint64_t vector)
{
	machine_exception_taken(c->m, c, ec, esr, from, vector);
}

static uint8_t *plat_ram_page(struct cpu *c, uint64_t pa)
{
	return c->m->mem.ram_fast ? memsys_ram_ptr(&c->m->mem, pa, 4096) : NULL;
}

static bool plat_model_on(struct cpu *c)
{
	return c->m->model != NULL;
}

/* A CTL, CVAL or CNTVOFF write may assert or deassert a timer's PPI at
 * once, not only at the next round. */
static void plat_timer_changed(struct cpu *c)
{
	if (c->m->gic)
		gic_sync_timers(c->m->gic, machine_ticks(c->m, c));
}

static const struct pe_platform_ops plat_ops = {
	.ticks = plat_ticks,
	.firmware_call = plat_firmware_call,
	.exception_taken = plat_exception_taken,
	.ram_page = plat_ram_page,
	.model_on = plat_model_on,
	.timer_changed = plat_timer_changed,
};

/* The interrupt controller adds its hooks (gicv3.c: icc_access). */
void machine_plat_init(struct machine *m)
{
	m->plat_ops = plat_ops;
	m->plat = (struct pe_platform){
		.ops = &m->plat_ops,
		.pe = m->pe,
		.npe = m->npe,
		.el2 = m->cfg.el2,
		.trace = m->cfg.trace,
		.cnt_freq = CNT_FREQ,
		.gic_version = m->cfg.gic_version,
		.mem = &m->mem,
	};
}
