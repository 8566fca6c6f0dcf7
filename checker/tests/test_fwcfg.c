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

static void test_kernel(void **s)
{
	char path[] = "/tmp/test_fwcfg.XXXXXX", err[200];
	int fd = mkstemp(path);

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
	assert_int_equal(fwcfg_add_kernel(&fx, "/nonexistent/k", "", err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/k"));
}

/* The directory's entry i: {be32 size, be16 select, be16 0, name}. */
static const uint8_t *dir_entry(const uint8_t *dir, unsigned i)
{
	return dir + 4 + 64 * i;
}

static uint32_t read_dir(uint8_t *buf, uint32_t len)
{
	assert_int_equal(dma(FWCFG_FILE_DIR << 16 | FWCFG_DMA_SELECT |
			     FWCFG_DMA_READ, len, BUF), 0);
	return (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3];
}

/* QEMU 7.2 virt's files without ACPI, sorted by name, keys from 0x20 in
 * that order. */
static void test_default_directory(void **s)
{
	static const struct { const char *name; uint32_t len; } want[] = {
		{ "bios-geometry", 0 }, { "bootorder", 0 },
		{ "etc/boot-fail-wait", 4 }, { "etc/smbios/smbios-anchor", 24 },
		{ "etc/smbios/smbios-tables", 266 },
	};
	uint8_t *buf = machine_ram_ptr(&fx, BUF, 4 + 64 * 5);

	(void)s;
	assert_int_equal(read_dir(buf, 4 + 64 * 5), 5);
	for (unsigned i = 0; i < 5; i++) {
		const uint8_t *e = dir_entry(buf, i);

		assert_string_equal((const char *)e + 8, want[i].name);
		assert_int_equal(e[2] << 8 | e[3], want[i].len);
		assert_int_equal(e[4] << 8 | e[5], FWCFG_FILE_FIRST + i);
	}
	/* -boot reboot-timeout's default, -1, little-endian. */
	select_key(FWCFG_FILE_FIRST + 2);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 0xffffffff);
	/* -boot menu=off, as QEMU's default. */
	select_key(FWCFG_BOOT_MENU);
	assert_int_equal(fwcfg_read(&fx, 0, 2), 0);
}

/* A new file goes in at its place by name: the files after it move to
 * the next key, and a DMA read by the key the directory gives returns
 * the file's bytes. */
static void test_file_sorted_and_read(void **s)
{
	uint8_t *buf = machine_ram_ptr(&fx, BUF, 4 + 64 * 7);
	const uint8_t *e;
	uint16_t key;

	(void)s;
	assert_int_equal(fwcfg_add_file(&fx, "opt/z", "last", 4), 0);
	assert_int_equal(fwcfg_add_file(&fx, "aaa", "first", 5), 0);
	assert_int_equal(read_dir(buf, 4 + 64 * 7), 7);
	e = dir_entry(buf, 0);
	assert_string_equal((const char *)e + 8, "aaa");
	assert_int_equal(e[4] << 8 | e[5], FWCFG_FILE_FIRST);
	assert_string_equal((const char *)dir_entry(buf, 1) + 8, "bios-geometry");
	e = dir_entry(buf, 6);
	assert_string_equal((const char *)e + 8, "opt/z");
	key = e[4] << 8 | e[5];
	assert_int_equal(key, FWCFG_FILE_FIRST + 6);
	memset(buf, 0xaa, 8);
	assert_int_equal(dma((uint32_t)key << 16 | FWCFG_DMA_SELECT |
			     FWCFG_DMA_READ, 4, BUF), 0);
	assert_memory_equal(buf, "last", 4);
	assert_int_equal(buf[4], 0xaa);
	/* The same bytes through the data register. */
	select_key(FWCFG_FILE_FIRST);
	assert_int_equal(fwcfg_read(&fx, 0, 4), 'f' | 'i' << 8 | 'r' << 16 | 's' << 24);
	assert_non_null(fwcfg_find_file(&fx, "opt/z"));
	assert_null(fwcfg_find_file(&fx, "opt/y"));
	/* Refused: a name already there, empty, or without room for its
	 * NUL in the 56 bytes; a numeric item at a file key. */
	assert_int_equal(fwcfg_add_file(&fx, "aaa", "x", 1), -1);
	assert_int_equal(fwcfg_add_file(&fx, "", "x", 1), -1);
	assert_int_equal(fwcfg_add_file(&fx, "opt/0123456789012345678901234567890123456789012345678901",
					"x", 1), -1);
	assert_int_equal(fwcfg_add(&fx, FWCFG_FILE_FIRST + 1, "x", 1), -1);
	assert_int_equal(read_dir(buf, 4), 7);
}

/* A select of a key nothing has (QEMU: FW_CFG_INVALID) reads zeros
 * through both interfaces, and the DMA read is no error: QEMU's
 * fw_cfg_dma_transfer fills the buffer with zeros. */
static void test_select_missing(void **s)
{
	uint8_t *buf = machine_ram_ptr(&fx, BUF, 16);
	uint16_t past = FWCFG_FILE_FIRST + 5;   /* one past the files */

	(void)s;
	select_key(past);
	assert_int_equal(fwcfg_read(&fx, 0, 8), 0);
	memset(buf, 0xaa, 16);
	assert_int_equal(dma((uint32_t)past << 16 | FWCFG_DMA_SELECT |
			     FWCFG_DMA_READ, 8, BUF), 0);
	assert_memory_equal(buf, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(buf[8], 0xaa);
	memset(buf, 0xaa, 16);
	assert_int_equal(dma(0x7ff0u << 16 | FWCFG_DMA_SELECT | FWCFG_DMA_READ,
			     4, BUF), 0);
	assert_memory_equal(buf, "\0\0\0\0", 4);
}

/* -fw_cfg as QEMU parses it. */
static void test_user_files(void **s)
{
	char path[] = "/tmp/test_fwcfg.XXXXXX", spec[200], err[300];
	const struct fwcfg_file *f;
	int fd = mkstemp(path);

	(void)s;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "file\n", 5), 5);
	close(fd);
	/* The string without its NUL; the implied name= first. */
	assert_int_equal(fwcfg_add_user(&fx, "opt/s,string=abc", err, sizeof(err)), 0);
	f = fwcfg_find_file(&fx, "opt/s");
	assert_non_null(f);
	assert_int_equal(f->item.len, 3);
	assert_memory_equal(f->item.data, "abc", 3);
	snprintf(spec, sizeof(spec), "name=opt/f,file=%s", path);
	assert_int_equal(fwcfg_add_user(&fx, spec, err, sizeof(err)), 0);
	f = fwcfg_find_file(&fx, "opt/f");
	assert_non_null(f);
	assert_int_equal(f->item.len, 5);
	assert_memory_equal(f->item.data, "file\n", 5);
	unlink(path);
	/* QEMU's errors. */
	assert_int_equal(fwcfg_add_user(&fx, "opt/s,string=again", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "duplicate fw_cfg file name: opt/s"));
	assert_int_equal(fwcfg_add_user(&fx, "string=abc", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "name, plus exactly one of file, string"));
	assert_int_equal(fwcfg_add_user(&fx, "opt/b,string=a,file=/x", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exactly one of"));
	assert_int_equal(fwcfg_add_user(&fx, "opt/b", err, sizeof(err)), -1);
	assert_int_equal(fwcfg_add_user(&fx, "opt/b,colour=red", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Invalid parameter 'colour'"));
	assert_int_equal(fwcfg_add_user(&fx, "opt/0123456789012345678901234567890123456789012345678901,string=a",
					err, sizeof(err)), -1);
	assert_non_null(strstr(err, "name too long (max. 55 char)"));
	assert_int_equal(fwcfg_add_user(&fx, "opt/b,file=/nonexistent/f", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/f: cannot open"));
	assert_null(fwcfg_find_file(&fx, "opt/b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature_and_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_one_64bit_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dma_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_default_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_file_sorted_and_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_select_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_user_files, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
