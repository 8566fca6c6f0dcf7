/* The GIC's interrupt state (board/gic.c, gicv3.c) and IRQ/FIQ entry
 * (exception.c): priority selection, the running priority, PMR masking,
 * EOI and deactivation in both EOI modes, the timers' PPIs, the
 * distributor's registers through MMIO, and where an interrupt is taken
 * (vector offsets, PSTATE masking, HCR_EL2.IMO routing). */
#include "machine_fixture.h"

#include "board/gic.h"
#include "pe/timer.h"

/* ICC_* encodings (op0 3, op1 0, CRn 12 unless noted). */
#define IAR1(c)      fx_mrs(c, 3, 0, 12, 12, 0)
#define EOIR1(c, v)  fx_msr(c, 3, 0, 12, 12, 1, v)
#define HPPIR1(c)    fx_mrs(c, 3, 0, 12, 12, 2)
#define RPR(c)       fx_mrs(c, 3, 0, 12, 11, 3)
#define DIR(c, v)    fx_msr(c, 3, 0, 12, 11, 1, v)
#define CTLR(c, v)   fx_msr(c, 3, 0, 12, 12, 4, v)
#define PMR(c, v)    fx_msr(c, 3, 0, 4, 6, 0, v)
#define IGRPEN1(c, v) fx_msr(c, 3, 0, 12, 12, 7, v)
#define IAR0(c)      fx_mrs(c, 3, 0, 12, 8, 0)
#define IGRPEN0(c, v) fx_msr(c, 3, 0, 12, 12, 6, v)

static struct cpu *c;

static int setup1(void **s) { (void)s; c = fx_setup(1, false); return 0; }
static int setup_el2(void **s) { (void)s; c = fx_setup(1, true); return 0; }
static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

static void mmio_w32(uint64_t pa, uint32_t v)
{
	struct memattr dev = { 0, 0, 0 };

	assert_int_equal(memsys_access(&fx.mem, c, pa, 4, MK_STORE, dev, &v),
			 MEM_OK);
}

static uint32_t mmio_r32(uint64_t pa)
{
	struct memattr dev = { 0, 0, 0 };
	uint32_t v = 0;

	assert_int_equal(memsys_access(&fx.mem, c, pa, 4, MK_LOAD, dev, &v),
			 MEM_OK);
	return v;
}

/* An enabled, pending Group 1 SPI routed to PE 0 at priority prio. */
static void spi(unsigned intid, unsigned prio)
{
	struct gic_irq *i = gic_irq(fx.gic, 0, intid);

	i->group1 = true;
	i->enabled = true;
	i->edge = true;
	i->pending = true;
	i->prio = prio;
	i->route = 0;
}

/* Distributor Group 1 on, the PE's interface on with PMR 0xf0. */
static void cpu_on(void)
{
	mmio_w32(VIRT_GICD_BASE, 2);
	PMR(c, 0xf0);
	IGRPEN1(c, 1);
}

static void test_priority_selection(void **state)
{
	(void)state;
	cpu_on();
	spi(40, 0x80);
	spi(41, 0x40);
	spi(42, 0x40);          /* same priority: the lower INTID first */
	gic_update(fx.gic);
	assert_true(c->irq_line);
	assert_false(c->fiq_line);
	assert_int_equal(HPPIR1(c), 41);
	assert_int_equal(IAR1(c), 41);
	assert_int_equal(RPR(c), 0x40);
	/* Same group priority: 42 cannot preempt 41, nor 40. */
	assert_false(c->irq_line);
	assert_int_equal(IAR1(c), GIC_SPURIOUS);
	EOIR1(c, 41);
	assert_int_equal(RPR(c), 0xff);
	assert_false(gic_irq(fx.gic, 0, 41)->active);  /* EOImode 0 */
	assert_int_equal(IAR1(c), 42);
	EOIR1(c, 42);
	assert_int_equal(IAR1(c), 40);
	EOIR1(c, 40);
	assert_int_equal(IAR1(c), GIC_SPURIOUS);
	assert_false(c->irq_line);
}

static void test_preemption(void **state)
{
	(void)state;
	cpu_on();
	spi(40, 0x80);
	gic_update(fx.gic);
	assert_int_equal(IAR1(c), 40);
	/* A higher priority arrives while 40 is active: it preempts. */
	spi(50, 0x20);
	gic_update(fx.gic);
	assert_true(c->irq_line);
	assert_int_equal(IAR1(c), 50);
	assert_int_equal(RPR(c), 0x20);
	EOIR1(c, 50);
	assert_int_equal(RPR(c), 0x80);   /* back to 40's */
	EOIR1(c, 40);
	assert_int_equal(RPR(c), 0xff);
}

static void test_pmr_masks(void **state)
{
	(void)state;
	cpu_on();
	spi(40, 0xf0);          /* not below the PMR */
	gic_update(fx.gic);
	assert_false(c->irq_line);
	assert_int_equal(IAR1(c), GIC_SPURIOUS);
	assert_int_equal(HPPIR1(c), 40);  /* still the highest pending */
	PMR(c, 0xf8);
	assert_true(c->irq_line);
	assert_int_equal(IAR1(c), 40);
}

static void test_eoimode1(void **state)
{
	(void)state;
	cpu_on();
	CTLR(c, 2);             /* EOImode: EOIR drops priority only */
	spi(40, 0x80);
	gic_update(fx.gic);
	assert_int_equal(IAR1(c), 40);
	EOIR1(c, 40);
	assert_int_equal(RPR(c), 0xff);
	assert_true(gic_irq(fx.gic, 0, 40)->active);
	/* Active: not signalled again even when pending again. */
	gic_irq(fx.gic, 0, 40)->pending = true;
	gic_update(fx.gic);
	assert_false(c->irq_line);
	DIR(c, 40);
	assert_false(gic_irq(fx.gic, 0, 40)->active);
	assert_true(c->irq_line);
}

static void test_group0_is_fiq(void **state)
{
	(void)state;
	cpu_on();
	mmio_w32(VIRT_GICD_BASE, 3);   /* both groups */
	spi(40, 0x80);
	gic_irq(fx.gic, 0, 40)->group1 = false;
	gic_update(fx.gic);
	assert_false(c->fiq_line);     /* ICC_IGRPEN0 still 0 */
	IGRPEN0(c, 1);
	assert_true(c->fiq_line);
	assert_false(c->irq_line);
	assert_int_equal(IAR1(c), GIC_SPURIOUS);
	assert_int_equal(IAR0(c), 40);
}

static void test_dist_registers(void **state)
{
	const uint64_t d = VIRT_GICD_BASE;

	(void)state;
	cpu_on();
	/* ID_AA64PFR0_EL1.GIC = 1: the system-register interface is there. */
	assert_int_equal(fx_mrs(c, 3, 0, 0, 4, 0) >> 24 & 0xf, 1);
	/* TYPER: ITLinesNumber 8 (288 INTIDs); PIDR2.ArchRev 3. */
	assert_int_equal(mmio_r32(d + 0x4) & 0x1f, 8);
	assert_int_equal(mmio_r32(d + 0xffe8) & 0xf0, 0x30);
	mmio_w32(d + 0x80 + 4 * (45 / 32), 1u << (45 % 32));   /* IGROUPR */
	mmio_w32(d + 0x400 + 44, 0x60u << 8);                  /* IPRIORITYR 45 */
	mmio_w32(d + 0x200 + 4, 1u << 13);                     /* ISPENDR 45 */
	assert_false(c->irq_line);                             /* disabled */
	mmio_w32(d + 0x100 + 4, 1u << 13);                     /* ISENABLER */
	assert_int_equal(mmio_r32(d + 0x100 + 4), 1u << 13);
	assert_true(c->irq_line);
	mmio_w32(d + 0x180 + 4, 1u << 13);                     /* ICENABLER */
	assert_false(c->irq_line);
	mmio_w32(d + 0x100 + 4, 1u << 13);
	assert_int_equal(IAR1(c), 45);
	assert_int_equal(mmio_r32(d + 0x300 + 4), 1u << 13);   /* ISACTIVER */
	/* Routed elsewhere (Aff0 = 1: no such PE): not signalled here. */
	EOIR1(c, 45);
	mmio_w32(d + 0x200 + 4, 1u << 13);
	assert_true(c->irq_line);
	mmio_w32(d + 0x6000 + 8 * 45, 1);                      /* IROUTER */
	assert_false(c->irq_line);
	/* Word 0 (SGIs, PPIs) is the redistributors' with ARE: RAZ/WI. */
	mmio_w32(d + 0x100, ~0u);
	assert_int_equal(mmio_r32(d + 0x100), 0);
}

static void test_timer_ppi(void **state)
{
	uint64_t now = machine_ticks(&fx, c);
	struct gic_irq *ppi = gic_irq(fx.gic, 0, PPI_TIMER_VIRT);

	(void)state;
	cpu_on();
	ppi->group1 = true;
	ppi->enabled = true;
	ppi->prio = 0x80;
	c->sys.cntv_cval_el0 = now + 100;
	c->sys.cntv_ctl_el0 = 1;
	assert_int_equal(timer_next_deadline(c, now), now + 100);
	gic_sync_timers(fx.gic, now + 99);
	assert_false(c->irq_line);
	gic_sync_timers(fx.gic, now + 100);
	assert_true(c->irq_line);
	assert_int_equal(timer_next_deadline(c, now + 100), UINT64_MAX);
	/* Level-sensitive: acknowledged, it stays pending while asserted. */
	assert_int_equal(IAR1(c), PPI_TIMER_VIRT);
	assert_true(gic_is_pending(ppi));
	c->sys.cntv_ctl_el0 = 3;                 /* IMASK */
	gic_sync_timers(fx.gic, now + 100);
	assert_false(gic_is_pending(ppi));
	EOIR1(c, PPI_TIMER_VIRT);
	assert_false(c->irq_line);
}

/* Guest time: 1000 instructions per microsecond by default, a tick of
 * CNTFRQ (62.5 MHz) every 16; --guest-mips scales it. */
static void test_guest_time(void **state)
{
	(void)state;
	fx.rounds = 10;                            /* 10 * 1000 instructions */
	assert_int_equal(machine_ticks(&fx, c), 625);
	assert_int_equal(machine_round_at_tick(&fx, 625), 10);
	assert_int_equal(machine_round_at_tick(&fx, 626), 11);
	fx.cfg.guest_mips = 100;                   /* 10 ns per instruction */
	assert_int_equal(machine_ticks(&fx, c), 6250);
	assert_int_equal(machine_round_at_tick(&fx, 6250), 10);
	assert_int_equal(machine_round_at_tick(&fx, 6251), 11);
}

/* ---- IRQ entry ---- */

static void assert_line(void)
{
	c->irq_line = true;
	c->irq_poll = true;
}

static void test_irq_entry_el1(void **state)
{
	(void)state;
	c->daif = 0x3c0;
	assert_line();
	cpu_irq_poll(c);
	assert_int_equal(c->pc, FX_PC);          /* masked: not taken */
	c->daif = 0x340;                         /* I clear, F set */
	c->nzcv = NZCV_Z;
	assert_line();
	cpu_irq_poll(c);
	assert_int_equal(c->pc, FX_VBAR1 + 0x280);   /* current EL, SPx, IRQ */
	assert_int_equal(c->sys.elr_el1, FX_PC);     /* the next instruction */
	assert_int_equal(c->sys.spsr_el1, NZCV_Z | 0x340 | 0x5);
	assert_int_equal(c->daif, 0x3c0);
	/* From EL0, FIQ: lower EL, offset 0x400 + 0x100. */
	c->el = 0;
	c->spsel = 0;
	c->daif = 0;
	c->pc = FX_PC;
	c->irq_line = false;
	c->fiq_line = true;
	c->irq_poll = true;
	cpu_irq_poll(c);
	assert_int_equal(c->pc, FX_VBAR1 + 0x500);
	assert_int_equal(c->el, 1);
}

static void test_irq_routing_el2(void **state)
{
	(void)state;
	/* At EL2 with IMO clear the IRQ targets EL1, below: not taken. */
	c->el = 2;
	c->daif = 0;
	assert_line();
	cpu_irq_poll(c);
	assert_int_equal(c->pc, FX_PC);
	/* At EL1 with IMO set: to EL2 whatever PSTATE.I says. */
	c->el = 1;
	c->daif = 0x3c0;
	c->sys.hcr_el2 |= HCR_IMO;
	assert_line();
	cpu_irq_poll(c);
	assert_int_equal(c->el, 2);
	assert_int_equal(c->pc, FX_VBAR2 + 0x480);
	assert_int_equal(c->sys.elr_el2, FX_PC);
	/* At EL2 with IMO set: masked by PSTATE.I, taken once clear. */
	c->pc = FX_PC;
	assert_line();
	cpu_irq_poll(c);
	assert_int_equal(c->pc, FX_PC);
	fx_sys(c, 0xd50342ffu);                 /* MSR DAIFClr, #2 */
	assert_true(c->irq_poll);
	cpu_irq_poll(c);
	assert_int_equal(c->pc, FX_VBAR2 + 0x280);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_priority_selection, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_preemption, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_pmr_masks, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_eoimode1, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_group0_is_fiq, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_dist_registers, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_timer_ppi, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_guest_time, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_irq_entry_el1, setup1, teardown),
		cmocka_unit_test_setup_teardown(test_irq_routing_el2, setup_el2, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
