/* The generated device tree, parsed back with libfdt. */
#include "machine_fixture.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

static uint8_t dtb[65536];

static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

static const char *str(const char *path, const char *prop, int *len)
{
	int off = fdt_path_offset(dtb, path);

	assert_true(off >= 0);
	return fdt_getprop(dtb, off, prop, len);
}

/* Properties are 4-byte aligned only: a 64-bit cell pair is read by parts. */
static uint64_t u64at(const fdt64_t *reg, unsigned i)
{
	fdt64_t v;

	memcpy(&v, reg + i, sizeof(v));
	return fdt64_to_cpu(v);
}

static void test_contents(void **state)
{
	const fdt64_t *reg;
	const fdt32_t *cell;
	const char *s;
	int len;

	(void)state;
	fx_setup(3, false);
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	assert_int_equal(fdt_check_header(dtb), 0);
	cell = (const fdt32_t *)str("/", "#address-cells", &len);
	assert_int_equal(fdt32_to_cpu(*cell), 2);
	reg = (const fdt64_t *)str("/memory@40000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(u64at(reg, 0), 0x40000000);
	assert_int_equal(u64at(reg, 1), 16 << 20);
	for (unsigned i = 0; i < 3; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		cell = (const fdt32_t *)str(path, "reg", &len);
		assert_int_equal(fdt32_to_cpu(*cell), i);
		assert_string_equal(str(path, "enable-method", &len), "psci");
	}
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@3") < 0);
	assert_string_equal(str("/psci", "method", &len), "hvc");
	s = str("/psci", "compatible", &len);
	assert_string_equal(s, "arm,psci-1.0");
	assert_string_equal(s + strlen(s) + 1, "arm,psci-0.2");
	assert_string_equal(str("/chosen", "bootargs", &len), "test");
	assert_string_equal(str("/chosen", "stdout-path", &len), "/pl011@9000000");
	s = str("/pl011@9000000", "compatible", &len);
	assert_string_equal(s, "arm,pl011");
	assert_string_equal(s + strlen(s) + 1, "arm,primecell");
	reg = (const fdt64_t *)str("/pl011@9000000", "reg", &len);
	assert_int_equal(u64at(reg, 0), 0x09000000);
	assert_string_equal(str("/timer", "compatible", &len), "arm,armv8-timer");
	assert_non_null(str("/timer", "always-on", &len));
}

static const fdt32_t *cells(const char *path, const char *prop, int n)
{
	int len;
	const fdt32_t *p = (const fdt32_t *)str(path, prop, &len);

	assert_non_null(p);
	assert_int_equal(len, n * 4);
	return p;
}

/* GICv3 (the default): QEMU virt's intc node, its phandle as the root's
 * interrupt-parent, the timer's four PPIs and the UART's SPI 1. */
static void test_interrupts_v3(void **state)
{
	static const uint32_t timer[12] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	const fdt32_t *c;
	const fdt64_t *reg;
	int len;

	(void)state;
	fx_setup(2, false);
	assert_int_equal(fx.cfg.gic_version, 3);
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	assert_string_equal(str("/intc@8000000", "compatible", &len), "arm,gic-v3");
	reg = (const fdt64_t *)str("/intc@8000000", "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(u64at(reg, 0), 0x08000000);
	assert_int_equal(u64at(reg, 1), 0x10000);
	assert_int_equal(u64at(reg, 2), 0x080a0000);
	assert_int_equal(u64at(reg, 3), 0xf60000);
	assert_int_equal(fdt32_to_cpu(*cells("/intc@8000000", "#interrupt-cells", 1)), 3);
	assert_non_null(str("/intc@8000000", "interrupt-controller", &len));
	/* 0x8000 the clock, 0x8001-2 the PEs, then the GIC: QEMU's order. */
	assert_int_equal(fdt32_to_cpu(*cells("/intc@8000000", "phandle", 1)), 0x8003);
	assert_int_equal(fdt32_to_cpu(*cells("/", "interrupt-parent", 1)), 0x8003);
	assert_int_equal(fdt_node_offset_by_phandle(dtb, 0x8003),
			 fdt_path_offset(dtb, "/intc@8000000"));
	c = cells("/timer", "interrupts", 12);
	for (unsigned i = 0; i < 12; i++)
		assert_int_equal(fdt32_to_cpu(c[i]), timer[i]);
	c = cells("/pl011@9000000", "interrupts", 3);
	assert_int_equal(fdt32_to_cpu(c[0]), 0);
	assert_int_equal(fdt32_to_cpu(c[1]), 1);
	assert_int_equal(fdt32_to_cpu(c[2]), 4);
	/* QEMU writes enable-method only when there is a PE to start. */
	assert_string_equal(str("/cpus/cpu@1", "enable-method", &len), "psci");
}

/* GICv2: the CPU interface instead of the redistributors; PPI flags
 * carry the mask of the PEs (bits [15:8]). */
static void test_interrupts_v2(void **state)
{
	struct machine_config cfg = { .smp = 3, .ram_mib = 16, .gic_version = 2 };
	const fdt32_t *c;
	const fdt64_t *reg;
	int len;

	(void)state;
	assert_int_equal(machine_init(&fx, &cfg), 0);
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	assert_string_equal(str("/intc@8000000", "compatible", &len),
			    "arm,cortex-a15-gic");
	assert_null(str("/intc@8000000", "#redistributor-regions", &len));
	reg = (const fdt64_t *)str("/intc@8000000", "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(u64at(reg, 2), 0x08010000);
	assert_int_equal(u64at(reg, 3), 0x10000);
	c = cells("/timer", "interrupts", 12);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(fdt32_to_cpu(c[3 * i + 2]), 0x704);
	/* No bootargs for an empty command line; one PE: no enable-method. */
	assert_null(str("/chosen", "bootargs", &len));
	assert_non_null(str("/cpus/cpu@0", "reg", &len));
}

/* The seeds are there and fixed: two builds are byte-identical. */
static void test_seeds_initrd(void **state)
{
	static uint8_t again[65536];
	const fdt32_t *c;
	int len;

	(void)state;
	fx_setup(1, false);
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	assert_null(str("/cpus/cpu@0", "enable-method", &len));
	assert_int_equal(dtb_build(&fx, again, sizeof(again)), 0);
	assert_memory_equal(dtb, again, fdt_totalsize(dtb));
	cells("/chosen", "kaslr-seed", 2);
	cells("/chosen", "rng-seed", 8);
	assert_null(str("/chosen", "linux,initrd-start", &len));
	fx.initrd_pa = 0x40800000;
	fx.initrd_size = 0x1234;
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	c = cells("/chosen", "linux,initrd-start", 1);
	assert_int_equal(fdt32_to_cpu(*c), 0x40800000);
	c = cells("/chosen", "linux,initrd-end", 1);
	assert_int_equal(fdt32_to_cpu(*c), 0x40801234);
}

/* --mem-nodes 2: two /memory nodes splitting the 16 MiB, each with its
 * numa-node-id, and the PEs in node 0 (QEMU virt with two equal -numa
 * nodes); one node (the default): no numa-node-id anywhere. */
static void test_mem_nodes(void **state)
{
	const fdt64_t *reg;
	const fdt32_t *c;
	int len;

	(void)state;
	fx_setup(2, false);
	fx.cfg.mem_nodes = 2;
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	reg = (const fdt64_t *)str("/memory@40000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(u64at(reg, 1), 8 << 20);
	reg = (const fdt64_t *)str("/memory@40800000", "reg", &len);
	assert_int_equal(u64at(reg, 0), 0x40800000);
	assert_int_equal(u64at(reg, 1), 8 << 20);
	c = cells("/memory@40800000", "numa-node-id", 1);
	assert_int_equal(fdt32_to_cpu(*c), 1);
	c = cells("/cpus/cpu@1", "numa-node-id", 1);
	assert_int_equal(fdt32_to_cpu(*c), 0);
	fx.cfg.mem_nodes = 0;
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	assert_true(fdt_path_offset(dtb, "/memory@40800000") < 0);
	assert_null(str("/memory@40000000", "numa-node-id", &len));
}

/* A given tree (--dtb): /memory is replaced by this RAM, /chosen gains
 * bootargs (and is made when missing); the rest is left alone. */
static void test_patch_given(void **state)
{
	static uint8_t given[4096];
	const fdt64_t *reg;
	int node, len;

	(void)state;
	fx_setup(1, false);
	fx.cfg.dtb_file = "given";
	assert_int_equal(fdt_create_empty_tree(given, sizeof(given)), 0);
	assert_int_equal(fdt_setprop_u32(given, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(given, 0, "#size-cells", 2), 0);
	node = fdt_add_subnode(given, 0, "memory@80000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop_string(given, node, "device_type", "memory"), 0);
	node = fdt_add_subnode(given, 0, "mine");
	assert_true(node >= 0);
	assert_int_equal(fdt_open_into(given, dtb, sizeof(dtb)), 0);
	assert_int_equal(dtb_patch(&fx, dtb, sizeof(dtb)), 0);
	assert_true(fdt_path_offset(dtb, "/memory@80000000") < 0);
	reg = (const fdt64_t *)str("/memory@40000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(u64at(reg, 1), 16 << 20);
	assert_string_equal(str("/chosen", "bootargs", &len), "test");
	assert_true(fdt_path_offset(dtb, "/mine") >= 0);
	/* Three address cells: refused, not misread. */
	assert_int_equal(fdt_setprop_u32(dtb, 0, "#address-cells", 3), 0);
	assert_true(dtb_patch(&fx, dtb, sizeof(dtb)) < 0);
}

static void test_el2_smc(void **state)
{
	int len;

	(void)state;
	fx_setup(1, true);
	assert_int_equal(dtb_build(&fx, dtb, sizeof(dtb)), 0);
	assert_string_equal(str("/psci", "method", &len), "smc");
	/* Too small a buffer: an error, not an overflow. */
	assert_true(dtb_build(&fx, dtb, 128) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_contents, teardown),
		cmocka_unit_test_teardown(test_el2_smc, teardown),
		cmocka_unit_test_teardown(test_interrupts_v3, teardown),
		cmocka_unit_test_teardown(test_interrupts_v2, teardown),
		cmocka_unit_test_teardown(test_seeds_initrd, teardown),
		cmocka_unit_test_teardown(test_patch_given, teardown),
		cmocka_unit_test_teardown(test_mem_nodes, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
