/* The device tree passed to the guest: exactly this machine, laid out
 * like QEMU virt's (node names, compatibles, PSCI method) so that guest
 * code written for QEMU finds the same things. No GIC node: interrupts
 * are not modelled. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "board/machine.h"

#define CLK_PHANDLE 0x8000

#define TRY(x) do { if ((err = (x)) < 0) return err; } while (0)

static int prop_u64x2(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int prop_strings(void *fdt, const char *name, const char *const *s,
			unsigned n)
{
	char buf[256];
	size_t len = 0;

	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(s[i]) + 1;

		if (len + l > sizeof(buf))
			return -FDT_ERR_NOSPACE;
		memcpy(buf + len, s[i], l);
		len += l;
	}
	return fdt_property(fdt, name, buf, len);
}

/* The firmware-facing devices, as QEMU virt's create_flash(),
 * create_rtc() and create_fw_cfg() describe them (hw/arm/virt.c): both
 * flash banks in one cfi-flash node, the PL031 without its interrupt (no
 * GIC here), fw_cfg. */
static int dtb_firmware_nodes(void *fdt)
{
	static const char *const rtc_compat[] = { "arm,pl031", "arm,primecell" };
	fdt64_t flash[4] = {
		cpu_to_fdt64(VIRT_FLASH_BASE), cpu_to_fdt64(PFLASH_BANK_SIZE),
		cpu_to_fdt64(VIRT_FLASH_BASE + PFLASH_BANK_SIZE),
		cpu_to_fdt64(PFLASH_BANK_SIZE) };
	int err;

	TRY(fdt_begin_node(fdt, "flash@0"));
	TRY(fdt_property_string(fdt, "compatible", "cfi-flash"));
	TRY(fdt_property(fdt, "reg", flash, sizeof(flash)));
	TRY(fdt_property_cell(fdt, "bank-width", PFLASH_BANK_WIDTH));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "pl031@9010000"));
	TRY(prop_strings(fdt, "compatible", rtc_compat, 2));
	TRY(prop_u64x2(fdt, "reg", VIRT_RTC_BASE, VIRT_RTC_SIZE));
	TRY(fdt_property_string(fdt, "clock-names", "apb_pclk"));
	TRY(fdt_property_cell(fdt, "clocks", CLK_PHANDLE));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "fw-cfg@9020000"));
	TRY(fdt_property_string(fdt, "compatible", "qemu,fw-cfg-mmio"));
	TRY(prop_u64x2(fdt, "reg", VIRT_FWCFG_BASE, VIRT_FWCFG_SIZE));
	TRY(fdt_property(fdt, "dma-coherent", NULL, 0));
	TRY(fdt_end_node(fdt));
	return 0;
}

int dtb_build(struct machine *m, void *fdt, size_t size)
{
	static const char *const psci_compat[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	static const char *const uart_compat[] = { "arm,pl011", "arm,primecell" };
	static const char *const clk_names[] = { "uartclk", "apb_pclk" };
	static const char *const timer_compat[] = {
		"arm,armv8-timer", "arm,armv7-timer" };
	char name[64];
	int err;

	TRY(fdt_create(fdt, size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(fdt, "model", "coherent virt"));
	TRY(fdt_property_cell(fdt, "#address-cells", 2));
	TRY(fdt_property_cell(fdt, "#size-cells", 2));

	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "bootargs", m->cfg.append ? m->cfg.append : ""));
	TRY(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	TRY(fdt_end_node(fdt));

	snprintf(name, sizeof(name), "memory@%llx",
		 (unsigned long long)m->ram_base);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_u64x2(fdt, "reg", m->ram_base, m->ram_size));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_cell(fdt, "#address-cells", 1));
	TRY(fdt_property_cell(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < m->npe; i++) {
		uint32_t aff = m->pe[i].sys.mpidr & 0xffffff;

		snprintf(name, sizeof(name), "cpu@%x", aff);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_cell(fdt, "reg", aff));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(prop_strings(fdt, "compatible", psci_compat, 3));
	TRY(fdt_property_string(fdt, "method",
				m->conduit == PSCI_SMC ? "smc" : "hvc"));
	TRY(fdt_property_cell(fdt, "cpu_suspend", 0xc4000001));
	TRY(fdt_property_cell(fdt, "cpu_off", 0x84000002));
	TRY(fdt_property_cell(fdt, "cpu_on", 0xc4000003));
	TRY(fdt_property_cell(fdt, "migrate", 0xc4000005));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_cell(fdt, "#clock-cells", 0));
	TRY(fdt_property_cell(fdt, "clock-frequency", 24000000));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_cell(fdt, "phandle", CLK_PHANDLE));
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "pl011@9000000"));
	TRY(prop_strings(fdt, "compatible", uart_compat, 2));
	TRY(prop_u64x2(fdt, "reg", VIRT_UART_BASE, VIRT_UART_SIZE));
	TRY(prop_strings(fdt, "clock-names", clk_names, 2));
	{
		fdt32_t clk[2] = { cpu_to_fdt32(CLK_PHANDLE),
				   cpu_to_fdt32(CLK_PHANDLE) };
		TRY(fdt_property(fdt, "clocks", clk, sizeof(clk)));
	}
	TRY(fdt_end_node(fdt));

	TRY(fdt_begin_node(fdt, "timer"));
	TRY(prop_strings(fdt, "compatible", timer_compat, 2));
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	TRY(fdt_end_node(fdt));

	TRY(dtb_firmware_nodes(fdt));
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	return 0;
}
