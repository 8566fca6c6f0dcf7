/* Generic timer access (Arm ARM DDI 0487, D11 "The Generic Timer in
 * AArch64 state", and the CNTV_*, CNTP_*, CNTHP_* register descriptions in
 * D17). A timer's condition is CVAL <= its counter; with ENABLE set the
 * condition shows in ISTATUS whatever IMASK says, and the interrupt (a
 * level-sensitive PPI) is asserted only while IMASK is clear. */
#include <libfdt.h>
#include "timer.h"
#include "devtree.h"
#include "libc.h"
#include "sysreg.h"

struct timer_state __timer_state;
static bool dt_done;

static const char *const names[TIMER_KINDS] = {
	"virtual", "physical", "EL2 physical",
};

const char *timer_name(enum timer_kind t)
{
	return t < TIMER_KINDS ? names[t] : "?";
}

/* #interrupt-cells of the node's interrupt parent (its own or an
 * ancestor's interrupt-parent property: the devicetree specification,
 * "Interrupts and Interrupt Mapping"). */
static int parent_cells(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
		const fdt32_t *ph = fdt_getprop(fdt, n, "interrupt-parent", NULL);
		if (!ph)
			continue;
		int ic = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
		const fdt32_t *c = ic < 0 ? NULL : fdt_getprop(fdt, ic, "#interrupt-cells", NULL);
		return c ? (int)fdt32_to_cpu(*c) : -1;
	}
	return -1;
}

/* The binding (Linux Documentation/devicetree/bindings/timer/
 * arm,arch_timer.yaml) lists the PPIs in this order: secure physical,
 * non-secure physical, virtual, hypervisor physical. With a GIC parent,
 * each is <type number flags>, type 1 = PPI, INTID = 16 + number. */
int timer_init(void)
{
	if (dt_done)
		return 0;
	const void *fdt = (const void *)platform.dtb_start;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv7-timer");
	if (node < 0) {
		printf("timer: no arm,armv8-timer node in the device tree\n");
		return -1;
	}
	int cells = parent_cells(fdt, node), len;
	const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);
	if (cells != 3 || !irqs || len < 3 * 3 * 4) {
		printf("timer: /timer interrupts unusable (%d cells per entry, %d bytes; want GIC 3-cell PPIs)\n",
		       cells, irqs ? len : 0);
		return -1;
	}
	int n = len / 12;
	static const int slot[TIMER_KINDS] = { 2, 1, 3 };
	for (int k = 0; k < TIMER_KINDS; k++) {
		if (slot[k] >= n)
			continue;
		const fdt32_t *e = irqs + 3 * slot[k];
		if (fdt32_to_cpu(e[0]) != 1) {
			printf("timer: the %s timer's interrupt is not a PPI (type %u)\n",
			       names[k], fdt32_to_cpu(e[0]));
			return -1;
		}
		u32 irq = 16 + fdt32_to_cpu(e[1]), flags = fdt32_to_cpu(e[2]);
		if (k == TIMER_VIRT)
			__timer_state.vtimer.irq = irq, __timer_state.vtimer.irq_flags = flags;
		else if (k == TIMER_PHYS)
			__timer_state.ptimer.irq = irq, __timer_state.ptimer.irq_flags = flags;
		else
			__timer_state.hptimer.irq = irq, __timer_state.hptimer.irq_flags = flags;
	}
	dt_done = true;
	return 0;
}

u32 timer_irq(enum timer_kind t)
{
	return t == TIMER_VIRT ? TIMER_VTIMER_IRQ : t == TIMER_PHYS ? TIMER_PTIMER_IRQ :
	       t == TIMER_HYP_PHYS ? TIMER_HPTIMER_IRQ : 0;
}

/* The EL1 timers are usable at EL1 once EL2 (if any) allowed the physical
 * one (CNTHCTL_EL2.EL1PCEN, set by head.S); CNTHP needs EL2. */
bool timer_usable(enum timer_kind t)
{
	return t == TIMER_HYP_PHYS ? current_el() == 2 : t < TIMER_KINDS;
}

static void need(enum timer_kind t)
{
	if (!timer_usable(t)) {
		printf("timer: the %s timer is not usable at EL%u\n", timer_name(t), current_el());
		abort();
	}
}

u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* The ISB keeps the counter read from being performed before the
 * instructions ahead of it (Arm ARM D11, "Reading the counter": reads of
 * CNTxCT_EL0 may be speculated). */
u64 read_cntvct(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

u64 read_cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

u64 timer_count(enum timer_kind t)
{
	return t == TIMER_VIRT ? read_cntvct() : read_cntpct();
}

u32 timer_get_ctl(enum timer_kind t)
{
	need(t);
	isb();
	return t == TIMER_VIRT ? read_sysreg(cntv_ctl_el0) :
	       t == TIMER_PHYS ? read_sysreg(cntp_ctl_el0) : read_sysreg(cnthp_ctl_el2);
}

void timer_set_ctl(enum timer_kind t, u32 ctl)
{
	need(t);
	if (t == TIMER_VIRT)
		write_sysreg(ctl, cntv_ctl_el0);
	else if (t == TIMER_PHYS)
		write_sysreg(ctl, cntp_ctl_el0);
	else
		write_sysreg(ctl, cnthp_ctl_el2);
	isb();
}

u64 timer_get_cval(enum timer_kind t)
{
	need(t);
	return t == TIMER_VIRT ? read_sysreg(cntv_cval_el0) :
	       t == TIMER_PHYS ? read_sysreg(cntp_cval_el0) : read_sysreg(cnthp_cval_el2);
}

void timer_set_cval(enum timer_kind t, u64 cval)
{
	need(t);
	if (t == TIMER_VIRT)
		write_sysreg(cval, cntv_cval_el0);
	else if (t == TIMER_PHYS)
		write_sysreg(cval, cntp_cval_el0);
	else
		write_sysreg(cval, cnthp_cval_el2);
	isb();
}

void timer_arm(enum timer_kind t, u64 ticks, bool masked)
{
	timer_set_cval(t, timer_count(t) + ticks);
	timer_set_ctl(t, ARCH_TIMER_CTL_ENABLE | (masked ? ARCH_TIMER_CTL_IMASK : 0));
}

void timer_stop(enum timer_kind t)
{
	timer_set_ctl(t, 0);
}

u64 us_to_ticks(u64 us)
{
	u64 f = timer_freq();
	return us / 1000000 * f + us % 1000000 * f / 1000000;
}

u64 ticks_to_us(u64 ticks)
{
	u64 f = timer_freq();
	return ticks / f * 1000000 + ticks % f * 1000000 / f;
}

void delay(u64 ticks)
{
	u64 end = read_cntvct() + ticks;
	while (read_cntvct() < end)
		;
}

void udelay(unsigned long us)
{
	delay(us_to_ticks(us));
}

void mdelay(unsigned long ms)
{
	while (ms--)
		udelay(1000);
}
