/* fw_cfg (board/fwcfg.c): the registers and the DMA interface of QEMU's
 * docs/specs/fw_cfg.rst, driven through the MMIO handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine_fixture.h"

#define REQ   0x40100000ull      /* a FWCfgDmaAccess */
#define BUF   0x40200000ull

static int setup(void **s)
{
	(void)s;
	fx_setup(2, false);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	fx_teardown();
	return 0;
}

static uint16_t be16(uint16_t v) { return __builtin_bswap16(v); }
static uint32_t be32(uint32_t v) { return __builtin_bswap32(v); }
static uint64_t be64(uint64_t v) { return __builtin_bswap64(v); }

static void select_key(uint16_t key)
{
	fwcfg_write(&fx, 8, 2, be16(key));
}

/* Write a request at REQ and start it with two 32-bit writes (high half
 * first, the low half starts it); returns the control word after. */
static uint32_t dma(uint32_t control, uint32_t len, uint64_t addr)
{
	uint8_t *p = machine_ram_ptr(&fx, REQ, 16);
	uint32_t c = be32(control), l = be32(len), r;
	uint64_t a = be64(addr);

	memcpy(p, &c, 4);
	memcpy(p + 4, &l, 4);
	memcpy(p + 8, &a, 8);
	fwcfg_write(&fx, 16, 4, be32(REQ >> 32));
	fwcfg_write(&fx, 20, 4, be32((uint32_t)REQ));
	memcpy(&r, p, 4);
	return be32(r);
}

static void test_signature_and_id(void **s)
{
	uint64_t sig;

	(void)s;
	select_key(FWCFG_SIGNATURE);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 0x554d4551);   /* "QEMU" */
	assert_int_equal(fwcfg_read(&fx, 0, 4), 0);            /* past the end */
	select_key(FWCFG_ID);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 3);            /* DMA too */
	select_key(FWCFG_NB_CPUS);
	assert_int_equal(fwcfg_read(&fx, 0, 2), 2);
	/* The DMA register reads "QEMU CFG" as a big-endian number. */
	sig = be64(fwcfg_read(&fx, 16, 8));
	assert_true(sig == 0x51454d5520434647ull);
	/* Byte reads advance one byte. */
	select_key(FWCFG_SIGNATURE);
	assert_int_equal(fwcfg_read(&fx, 0, 1), 'Q');
	assert_int_equal(fwcfg_read(&fx, 0, 1), 'E');
}

static void test_dma_read(void **s)
{
	static const char data[] = "kernel bytes";
	uint8_t *buf = machine_ram_ptr(&fx, BUF, 64);

	(void)s;
	assert_int_equal(fwcfg_add(&fx, FWCFG_KERNEL_DATA, data, sizeof(data)), 0);
	memset(buf, 0xaa, 64);
	assert_int_equal(dma(FWCFG_KERNEL_DATA << 16 | FWCFG_DMA_SELECT |
			     FWCFG_DMA_READ, 6, BUF), 0);
	assert_memory_equal(buf, "kernel", 6);
	assert_int_equal(buf[6], 0xaa);                /* exactly len bytes */
	/* Skip, then read on from the offset, zeros past the end. */
	assert_int_equal(dma(FWCFG_DMA_SKIP, 1, 0), 0);
	assert_int_equal(dma(FWCFG_DMA_READ, 10, BUF), 0);
	assert_memory_equal(buf, "bytes\0\0\0\0\0", 10);
	/* The address register is 0 after an operation. */
	assert_int_equal(fx.fwcfg.dma, 0);
}

static void test_dma_one_64bit_write(void **s)
{
	uint8_t *p = machine_ram_ptr(&fx, REQ, 16), *buf;
	uint32_t c = be32(FWCFG_SIGNATURE << 16 | FWCFG_DMA_SELECT |
			  FWCFG_DMA_READ), l = be32(4), r;
	uint64_t a = be64(BUF);

	(void)s;
	memcpy(p, &c, 4);
	memcpy(p + 4, &l, 4);
	memcpy(p + 8, &a, 8);
	fwcfg_write(&fx, 16, 8, be64(REQ));
	memcpy(&r, p, 4);
	assert_int_equal(r, 0);
	buf = machine_ram_ptr(&fx, BUF, 4);
	assert_memory_equal(buf, "QEMU", 4);
}

static void test_dma_errors(void **s)
{
	(void)s;
	/* Items are read-only. */
	assert_int_equal(dma(FWCFG_ID << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_WRITE,
			     4, BUF), FWCFG_DMA_ERROR);
	/* A destination outside RAM. */
	assert_int_equal(dma(FWCFG_ID << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_READ,
			     4, 0x1000), FWCFG_DMA_ERROR);
	/* A request outside RAM: nothing to do, no crash. */
	fwcfg_write(&fx, 16, 8, be64(0x08000000));
	assert_int_equal(fx.fwcfg.dma, 0);
}

static void test_file_dir_and_kernel(void **s)
{
	char path[] = "/tmp/test_fwcfg.XXXXXX", err[200];
	int fd = mkstemp(path);
	uint8_t *buf = machine_ram_ptr(&fx, BUF, 256);

	(void)s;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "IMG", 3), 3);
	close(fd);
	assert_int_equal(fwcfg_add_kernel(&fx, path, "console=ttyAMA0", err,
					  sizeof(err)), 0);
	unlink(path);
	select_key(FWCFG_KERNEL_SIZE);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 3);
	select_key(FWCFG_KERNEL_DATA);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 'I' | 'M' << 8 | 'G' << 16);
	select_key(FWCFG_CMDLINE_SIZE);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 16);
	/* The directory: a big-endian count, 64-byte entries. */
	assert_int_equal(fwcfg_add_file(&fx, "etc/test", "abc", 3), 0);
	assert_int_equal(dma(FWCFG_FILE_DIR << 16 | FWCFG_DMA_SELECT |
			     FWCFG_DMA_READ, 68, BUF), 0);
	assert_int_equal(buf[3], 1);
	assert_int_equal(buf[7], 3);                    /* size */
	assert_int_equal(buf[8] << 8 | buf[9], FWCFG_FILE_FIRST);
	assert_string_equal((char *)buf + 12, "etc/test");
	assert_int_equal(fwcfg_add_kernel(&fx, "/nonexistent/k", "", err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/k"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature_and_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_one_64bit_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dma_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_dir_and_kernel, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
