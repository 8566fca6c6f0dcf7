/* The flash banks (board/pflash.c): the Intel command set as QEMU's
 * pflash-cfi01 answers it for virt's 32-bit bank of two x16 devices, a
 * backing file written through, and fetches from flash (memsys). */
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine_fixture.h"

static struct pflash f;

static int setup(void **s)
{
	(void)s;
	pflash_init(&f);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	pflash_free(&f);
	return 0;
}

static void cmd(uint64_t off, uint32_t c)
{
	pflash_write(&f, off, 4, c);
}

static uint32_t rd(uint64_t off)
{
	return pflash_read(&f, off, 4);
}

static void test_erased_read_array(void **s)
{
	(void)s;
	/* Zeros, as QEMU's flash without a file. */
	assert_int_equal(rd(0), 0);
	assert_int_equal(pflash_read(&f, PFLASH_BANK_SIZE - 1, 1), 0);
	assert_null(f.data);     /* reading costs no memory */
}

/* CFI query (0x98): the table at word addresses, each device's byte on
 * its 16-bit lane. */
static void test_cfi_query(void **s)
{
	(void)s;
	cmd(0x55 * 4, 0x98);
	assert_int_equal(rd(0x10 * 4), 0x00510051);   /* 'Q' */
	assert_int_equal(rd(0x11 * 4), 0x00520052);   /* 'R' */
	assert_int_equal(rd(0x12 * 4), 0x00590059);   /* 'Y' */
	assert_int_equal(rd(0x13 * 4) & 0xffff, 0x01); /* Intel command set */
	assert_int_equal(rd(0x27 * 4) & 0xff, 25);    /* 32 MiB per device */
	assert_int_equal(rd(0x2d * 4) & 0xff, 0xff);  /* 256 blocks - 1 */
	assert_int_equal(rd(0x2e * 4) & 0xff, 0x00);
	assert_int_equal(rd(0x2f * 4) & 0xff, 0x00);  /* 128 KiB per device */
	assert_int_equal(rd(0x30 * 4) & 0xff, 0x02);
	assert_int_equal(pflash_read(&f, 0x10 * 4, 2), 0x0051);
	cmd(0, 0xff);
	assert_int_equal(rd(0x10 * 4), 0);
}

static void test_read_id(void **s)
{
	(void)s;
	cmd(0, 0x90);
	assert_int_equal(rd(0), 0x00890089);
	assert_int_equal(rd(4), 0x00180018);
	assert_int_equal(rd(8), 0);
	cmd(0, 0xff);
	assert_int_equal(rd(0), 0);
}

static void test_word_program(void **s)
{
	(void)s;
	cmd(0x100, 0x40);
	pflash_write(&f, 0x100, 4, 0x12345678);
	/* Status reads until read array; ready on both devices. */
	assert_int_equal(rd(0x100), 0x00800080);
	assert_int_equal(pflash_read(&f, 0x100, 2), 0x80);
	cmd(0, 0xff);
	assert_int_equal(rd(0x100), 0x12345678);
	assert_int_equal(pflash_read(&f, 0x100, 8), 0x12345678ull);
}

static void test_block_erase(void **s)
{
	(void)s;
	cmd(0x10, 0x40);
	pflash_write(&f, 0x10, 4, 0x55);
	cmd(PFLASH_SECTOR, 0x40);
	pflash_write(&f, PFLASH_SECTOR, 4, 0x66);
	cmd(0x20, 0x20);
	/* Nothing is erased before the confirm. */
	cmd(0, 0xff);
	assert_int_equal(rd(0x10), 0x55);
	cmd(0x20, 0x20);
	cmd(0x20, 0xd0);
	assert_int_equal(rd(0) & 0x80, 0x80);
	cmd(0, 0xff);
	assert_int_equal(rd(0x10), 0xffffffffu);      /* erased sector */
	assert_int_equal(rd(PFLASH_SECTOR), 0x66);     /* the next one kept */
}

static void test_erase_cancel_and_clear(void **s)
{
	(void)s;
	cmd(0, 0x40);
	pflash_write(&f, 0, 4, 0x1234);
	cmd(0, 0x20);
	cmd(0, 0x55);                        /* not the confirm: cancelled */
	assert_int_equal(rd(0), 0x1234);     /* ... in read-array mode */
	cmd(0, 0x70);
	assert_int_equal(rd(0), 0x00800080);
	cmd(0, 0x50);                        /* clear status: read array */
	assert_int_equal(rd(0), 0x1234);
	cmd(0, 0x70);
	assert_int_equal(rd(0), 0);
}

static void test_write_buffer(void **s)
{
	(void)s;
	cmd(0x200, 0xe8);
	assert_int_equal(rd(0x200) & 0x80, 0x80);
	cmd(0x200, 0x00010001);              /* two words (count - 1) */
	pflash_write(&f, 0x200, 4, 0xaabbccdd);
	pflash_write(&f, 0x204, 4, 0x11223344);
	cmd(0x200, 0xd0);
	assert_int_equal(rd(0x200) & 0xff, 0x80);
	cmd(0, 0xff);
	assert_int_equal(rd(0x200), 0xaabbccdd);
	assert_int_equal(rd(0x204), 0x11223344);
	assert_int_equal(rd(0x208), 0);
}

static void test_file_write_through(void **s)
{
	char path[] = "/tmp/test_pflash.XXXXXX";
	int fd = mkstemp(path);
	uint8_t init[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, back[8];
	char err[200];

	(void)s;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, init, 8), 8);
	assert_int_equal(pflash_load_file(&f, path, true, err, sizeof(err)), 0);
	assert_int_equal(rd(4), 0x08070605);
	assert_int_equal(rd(8), 0);                /* past the file: zeros */
	cmd(4, 0x40);
	pflash_write(&f, 4, 4, 0x0000beef);
	assert_int_equal(pread(fd, back, 8, 0), 8);
	assert_int_equal(back[4], 0xef);
	assert_int_equal(back[5], 0xbe);
	assert_int_equal(back[6], 0);
	assert_string_equal(f.err, "");
	close(fd);
	unlink(path);
	/* A file larger than the bank is refused, by name. */
	assert_int_equal(pflash_load_file(&f, "/nonexistent/x", true, err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x"));
}

/* The PE fetches from flash and walks tables in it through the memory
 * system; from the UART it cannot. */
static void test_fetch_from_flash(void **s)
{
	struct memattr a = { .mair = 0xff, .sh = 3 };
	uint32_t insn = 0;
	uint64_t desc = 0;
	struct cpu *c;

	(void)s;
	c = fx_setup(1, false);
	pflash_write(&fx.flash[0], 0, 4, 0x40);
	pflash_write(&fx.flash[0], 0, 4, 0xd503201f);   /* NOP */
	pflash_write(&fx.flash[0], 0, 4, 0xff);
	assert_int_equal(memsys_access(&fx.mem, c, 0, 4, MK_FETCH, a, &insn), MEM_OK);
	assert_int_equal(insn, 0xd503201f);
	/* Bank 1 is its own device. */
	assert_int_equal(memsys_access(&fx.mem, c, PFLASH_BANK_SIZE, 4, MK_FETCH, a,
				       &insn), MEM_OK);
	assert_int_equal(insn, 0);
	assert_int_equal(memsys_access(&fx.mem, c, VIRT_UART_BASE, 4, MK_FETCH, a,
				       &insn), MEM_EXT_ABORT);
	/* Table walks read flash too (edk2's page tables live there). */
	assert_int_equal(memsys_access(&fx.mem, c, 0, 8, MK_WALK, a, &desc),
			 MEM_OK);
	assert_int_equal(desc, 0xd503201f);
	assert_int_equal(memsys_access(&fx.mem, c, VIRT_UART_BASE, 8, MK_WALK,
				       a, &desc), MEM_EXT_ABORT);
	fx_teardown();
}

/* Property cells are only 4-byte aligned. */
static uint64_t cell64(const void *p, int i)
{
	fdt64_t v;

	memcpy(&v, (const uint8_t *)p + 8 * i, 8);
	return fdt64_to_cpu(v);
}

/* The device tree describes the firmware devices as QEMU virt does
 * (hw/arm/virt.c create_flash, create_rtc, create_fw_cfg). */
static void test_dtb_nodes(void **s)
{
	static uint8_t fdt[64 << 10];
	const void *reg;
	const fdt32_t *bw;
	int node, len;

	(void)s;
	fx_setup(1, false);
	assert_int_equal(dtb_build(&fx, fdt, sizeof(fdt)), 0);
	node = fdt_node_offset_by_compatible(fdt, -1, "cfi-flash");
	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 32);
	assert_true(cell64(reg, 0) == 0 &&
		    cell64(reg, 1) == PFLASH_BANK_SIZE &&
		    cell64(reg, 2) == PFLASH_BANK_SIZE &&
		    cell64(reg, 3) == PFLASH_BANK_SIZE);
	bw = fdt_getprop(fdt, node, "bank-width", &len);
	assert_int_equal(fdt32_to_cpu(*bw), 4);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_true(cell64(reg, 0) == VIRT_RTC_BASE);
	node = fdt_node_offset_by_compatible(fdt, -1, "qemu,fw-cfg-mmio");
	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_true(cell64(reg, 0) == VIRT_FWCFG_BASE &&
		    cell64(reg, 1) == 0x18);
	assert_non_null(fdt_getprop(fdt, node, "dma-coherent", &len));
	fx_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_erased_read_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cfi_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_word_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_cancel_and_clear,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_write_through, setup,
						teardown),
		cmocka_unit_test(test_fetch_from_flash),
		cmocka_unit_test(test_dtb_nodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
