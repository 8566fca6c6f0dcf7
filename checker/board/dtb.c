/* The device tree passed to the guest: exactly this machine, with QEMU
 * virt's node names, properties and values for the devices it has, so
 * that code written for QEMU finds the same things where it looks. The
 * reference is the tree QEMU 7.2 dumps (`-machine virt,dumpdtb=F -cpu
 * max`, hw/arm/virt.c create_fdt, fdt_add_*_nodes); checker/tests/
 * dtb_vs_qemu.sh compares the two. docs/machine.md lists what is left
 * out (flash, fw_cfg, virtio, PCIe, RTC, GPIO, PMU, ITS/v2m). */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "board/machine.h"

/* QEMU virt's memory map (hw/arm/virt.c base_memmap): the GIC. The
 * redistributor region is VIRT_GIC_REDIST's whole 0xf60000 (123 frames
 * of 128 KiB), which is what QEMU's tree gives whatever -smp is. */
#define GIC_DIST_BASE    0x08000000ull
#define GIC_DIST_SIZE    0x10000ull
#define GIC_CPU_BASE     0x08010000ull      /* GICv2 CPU interface */
#define GIC_CPU_SIZE     0x10000ull
#define GIC_REDIST_BASE  0x080a0000ull
#define GIC_REDIST_SIZE  0x00f60000ull

/* Interrupt specifiers (Linux Documentation/devicetree/bindings/
 * interrupt-controller/arm,gic.yaml and arm,gic-v3.yaml): type 0 = SPI,
 * 1 = PPI; flags 4 = level high; GICv2 PPIs also carry the CPU mask in
 * bits [15:8] (QEMU: GIC_FDT_IRQ_PPI_CPU_START). */
#define IRQ_SPI          0
#define IRQ_PPI          1
#define IRQ_LEVEL_HI     4
/* The generic timer's PPIs in QEMU's order (hw/arm/virt.h
 * ARCH_TIMER_*_IRQ): secure EL1, non-secure EL1, virtual, EL2. */
static const unsigned timer_ppis[] = { 13, 14, 11, 10 };
#define UART_SPI         1                  /* VIRT_UART in a15irqmap */
#define RTC_SPI          2                  /* VIRT_RTC in a15irqmap */

/* QEMU allocates phandles from 0x8000 as it creates nodes: the clock,
 * then the CPUs (last first), then the interrupt controller. */
#define CLK_PHANDLE      0x8000
#define CPU_PHANDLE(m, i) (0x8001 + (m)->npe - 1 - (i))
#define GIC_PHANDLE(m)   (0x8001 + (m)->npe)

/* Deterministic stand-ins for the random seeds QEMU puts in /chosen
 * (virt.c create_randomness): the same run twice is the same run. */
#define KASLR_SEED       0x636f686572656e74ull  /* "coherent" */
#define RNG_SEED_BYTES   32

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

static int prop_irq(void *fdt, const char *name, const unsigned *irq,
		    unsigned n, unsigned type, uint32_t flags)
{
	fdt32_t v[3 * 4];

	for (unsigned i = 0; i < n; i++) {
		v[3 * i] = cpu_to_fdt32(type);
		v[3 * i + 1] = cpu_to_fdt32(irq[i]);
		v[3 * i + 2] = cpu_to_fdt32(flags);
	}
	return fdt_property(fdt, name, v, 3 * n * sizeof(fdt32_t));
}

static void rng_seed(uint8_t *seed)
{
	/* A fixed xorshift stream: any fixed bytes would do. */
	uint64_t x = KASLR_SEED;

	for (unsigned i = 0; i < RNG_SEED_BYTES; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		seed[i] = x >> 56;
	}
}

static int gic_node(struct machine *m, void *fdt)
{
	uint64_t v3[4] = { GIC_DIST_BASE, GIC_DIST_SIZE, GIC_REDIST_BASE,
			   GIC_REDIST_SIZE };
	uint64_t v2[4] = { GIC_DIST_BASE, GIC_DIST_SIZE, GIC_CPU_BASE,
			   GIC_CPU_SIZE };
	const uint64_t *r = m->cfg.gic_version == 2 ? v2 : v3;
	fdt64_t reg[4];
	char name[32];
	int err;

	for (unsigned i = 0; i < 4; i++)
		reg[i] = cpu_to_fdt64(r[i]);
	snprintf(name, sizeof(name), "intc@%llx", GIC_DIST_BASE);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_cell(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_cell(fdt, "#address-cells", 2));
	TRY(fdt_property_cell(fdt, "#size-cells", 2));
	TRY(fdt_property(fdt, "ranges", NULL, 0));
	if (m->cfg.gic_version == 2) {
		TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic"));
	} else {
		TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
		TRY(fdt_property_cell(fdt, "#redistributor-regions", 1));
	}
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_cell(fdt, "phandle", GIC_PHANDLE(m)));
	return fdt_end_node(fdt);
}

static int cpus_node(struct machine *m, void *fdt)
{
	char name[64];
	int err;

	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_cell(fdt, "#address-cells", 1));
	TRY(fdt_property_cell(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < m->npe; i++) {
		uint32_t aff = m->pe[i].sys.mpidr & 0xffffff;

		/* QEMU names the node by index, reg is the affinity. */
		snprintf(name, sizeof(name), "cpu@%u", i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		/* QEMU names -cpu max a Cortex-A57 here too. */
		TRY(fdt_property_string(fdt, "compatible", "arm,cortex-a57"));
		TRY(fdt_property_cell(fdt, "reg", aff));
		/* QEMU: only with more than one PE (virt.c fdt_add_cpu_nodes). */
		if (m->npe > 1)
			TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_property_cell(fdt, "phandle", CPU_PHANDLE(m, i)));
		/* QEMU's default CPU-to-node mapping with -numa but no
		 * cpus=: by socket, and its default -smp is one socket. */
		if (m->cfg.mem_nodes > 1)
			TRY(fdt_property_cell(fdt, "numa-node-id", 0));
		TRY(fdt_end_node(fdt));
	}
	/* One socket, one cluster, a core per PE: QEMU's default -smp
	 * topology (Linux Documentation/devicetree/bindings/cpu/cpu-topology). */
	TRY(fdt_begin_node(fdt, "cpu-map"));
	TRY(fdt_begin_node(fdt, "socket0"));
	TRY(fdt_begin_node(fdt, "cluster0"));
	for (unsigned i = 0; i < m->npe; i++) {
		snprintf(name, sizeof(name), "core%u", i);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_cell(fdt, "cpu", CPU_PHANDLE(m, i)));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_end_node(fdt));
	TRY(fdt_end_node(fdt));
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

/* The firmware-facing devices, as QEMU virt's create_flash(),
 * create_rtc() and create_fw_cfg() describe them (hw/arm/virt.c): both
 * flash banks in one cfi-flash node, the PL031, fw_cfg. */
static int dtb_firmware_nodes(void *fdt)
{
	static const char *const rtc_compat[] = { "arm,pl031", "arm,primecell" };
	const unsigned rtc_irq = RTC_SPI;
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
	/* Listed as QEMU lists it; the PL031 here never raises it (its
	 * alarm is not modelled: docs/machine.md). */
	TRY(prop_irq(fdt, "interrupts", &rtc_irq, 1, IRQ_SPI, IRQ_LEVEL_HI));
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
	const unsigned uart_irq = UART_SPI;
	uint32_t ppi_flags = IRQ_LEVEL_HI;
	uint8_t seed[RNG_SEED_BYTES];
	char name[64];
	int err;

	if (m->cfg.gic_version == 2)
		ppi_flags |= ((1u << (m->npe < 8 ? m->npe : 8)) - 1) << 8;
	TRY(fdt_create(fdt, size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_string(fdt, "model", "linux,dummy-virt"));
	TRY(fdt_property_cell(fdt, "#address-cells", 2));
	TRY(fdt_property_cell(fdt, "#size-cells", 2));
	TRY(fdt_property_cell(fdt, "interrupt-parent", GIC_PHANDLE(m)));

	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	TRY(fdt_property_u64(fdt, "kaslr-seed", KASLR_SEED));
	rng_seed(seed);
	TRY(fdt_property(fdt, "rng-seed", seed, sizeof(seed)));
	TRY(fdt_end_node(fdt));

	/* One /memory node per NUMA node, consecutive from the RAM base,
	 * each with its numa-node-id, as QEMU virt writes them for -numa
	 * (hw/arm/boot.c; seen in its dumpdtb output). */
	for (unsigned i = 0, n = m->cfg.mem_nodes > 1 ? m->cfg.mem_nodes : 1;
	     i < n; i++) {
		uint64_t part = m->mem.ram_size / n, base = m->mem.ram_base +
							    i * part;

		snprintf(name, sizeof(name), "memory@%llx",
			 (unsigned long long)base);
		TRY(fdt_begin_node(fdt, name));
		if (n > 1)
			TRY(fdt_property_cell(fdt, "numa-node-id", i));
		TRY(fdt_property_string(fdt, "device_type", "memory"));
		TRY(prop_u64x2(fdt, "reg", base,
			       i == n - 1 ? m->mem.ram_size - i * part : part));
		TRY(fdt_end_node(fdt));
	}

	TRY(cpus_node(m, fdt));

	TRY(fdt_begin_node(fdt, "psci"));
	TRY(prop_strings(fdt, "compatible", psci_compat, 3));
	TRY(fdt_property_string(fdt, "method",
				m->conduit == PSCI_SMC ? "smc" : "hvc"));
	TRY(fdt_property_cell(fdt, "cpu_suspend", 0xc4000001));
	TRY(fdt_property_cell(fdt, "cpu_off", 0x84000002));
	TRY(fdt_property_cell(fdt, "cpu_on", 0xc4000003));
	TRY(fdt_property_cell(fdt, "migrate", 0xc4000005));
	TRY(fdt_end_node(fdt));

	TRY(gic_node(m, fdt));

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
	TRY(prop_irq(fdt, "interrupts", &uart_irq, 1, IRQ_SPI, IRQ_LEVEL_HI));
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
	TRY(prop_irq(fdt, "interrupts", timer_ppis, 4, IRQ_PPI, ppi_flags));
	TRY(fdt_end_node(fdt));

	TRY(dtb_firmware_nodes(fdt));
	TRY(fdt_end_node(fdt));
	TRY(fdt_finish(fdt));
	/* bootargs and the initrd go in as for a given tree. */
	TRY(fdt_open_into(fdt, fdt, size));
	return dtb_patch(m, fdt, size);
}

/* A 32-bit cell when the value fits, as QEMU 7.2 writes initrd-start/end;
 * else 64 bits (both are valid: Linux reads either). */
static int set_addr(void *fdt, int node, const char *name, uint64_t v)
{
	if (v >> 32)
		return fdt_setprop_u64(fdt, node, name, v);
	return fdt_setprop_u32(fdt, node, name, (uint32_t)v);
}

static int root_cells(void *fdt, const char *name)
{
	const fdt32_t *p = fdt_getprop(fdt, 0, name, NULL);

	/* Devicetree spec 2.3.5: absent means 2 address cells, 1 size cell. */
	if (!p)
		return !strcmp(name, "#address-cells") ? 2 : 1;
	return fdt32_to_cpu(*p);
}

static int put_cells(fdt32_t *out, int cells, uint64_t v)
{
	if (cells == 1) {
		out[0] = cpu_to_fdt32((uint32_t)v);
		return v >> 32 ? -FDT_ERR_BADVALUE : 1;
	}
	out[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	out[1] = cpu_to_fdt32((uint32_t)v);
	return 2;
}

/* /memory for this RAM: the tree's memory nodes go (QEMU turns them into
 * NOPs) and one for the RAM replaces them. */
static int patch_memory(struct machine *m, void *fdt)
{
	int ac = root_cells(fdt, "#address-cells");
	int sc = root_cells(fdt, "#size-cells");
	fdt32_t reg[4];
	char name[64];
	int node, err, a, s;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	for (;;) {
		int found = -1;

		fdt_for_each_subnode(node, fdt, 0) {
			const char *n = fdt_get_name(fdt, node, NULL);

			if (n && (!strcmp(n, "memory") || !strncmp(n, "memory@", 7))) {
				found = node;
				break;
			}
		}
		if (found < 0)
			break;
		TRY(fdt_del_node(fdt, found));
	}
	snprintf(name, sizeof(name), "memory@%llx",
		 (unsigned long long)m->mem.ram_base);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
	if ((a = put_cells(reg, ac, m->mem.ram_base)) < 0 ||
	    (s = put_cells(reg + a, sc, m->mem.ram_size)) < 0)
		return -FDT_ERR_BADVALUE;
	return fdt_setprop(fdt, node, "reg", reg, (a + s) * sizeof(fdt32_t));
}

int dtb_patch(struct machine *m, void *fdt, size_t size)
{
	int chosen, err;

	(void)size;
	if (m->cfg.dtb_file)
		TRY(patch_memory(m, fdt));
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return chosen;
	/* QEMU (hw/arm/boot.c load_dtb) sets bootargs only for a non-empty
	 * -append, and the initrd's range only when there is one. */
	if (m->cfg.append && *m->cfg.append)
		TRY(fdt_setprop_string(fdt, chosen, "bootargs", m->cfg.append));
	if (m->initrd_size) {
		TRY(set_addr(fdt, chosen, "linux,initrd-start", m->initrd_pa));
		TRY(set_addr(fdt, chosen, "linux,initrd-end",
			     m->initrd_pa + m->initrd_size));
	}
	return 0;
}
