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
	assert_int_equal(fdt64_to_cpu(reg[0]), 0x40000000);
	assert_int_equal(fdt64_to_cpu(reg[1]), 16 << 20);
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
	assert_int_equal(fdt64_to_cpu(reg[0]), 0x09000000);
	assert_string_equal(str("/timer", "compatible", &len), "arm,armv8-timer");
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
