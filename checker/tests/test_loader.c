/* Image loading (loader.c): arm64 Image, ELF, raw, and bad inputs. */
#include "machine_fixture.h"

#include <elf.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[256];

static int setup(void **s) { (void)s; fx_setup(1, false); return 0; }
static int teardown(void **s) { (void)s; fx_teardown(); return 0; }

static uint8_t *image(size_t len, uint64_t text_offset, uint64_t image_size)
{
	uint8_t *b = calloc(1, len);

	memcpy(b + 8, &text_offset, 8);
	memcpy(b + 16, &image_size, 8);
	memcpy(b + 0x38, "ARM\x64", 4);
	b[64] = 0x5a;
	return b;
}

static void test_image(void **state)
{
	uint8_t *b = image(4096, 0x80000, 3 << 20);

	(void)state;
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), 0);
	assert_int_equal(fx.entry_pc, 0x40080000);
	assert_int_equal(fx_r64(0x40080040) & 0xff, 0x5a);
	/* 16 MiB RAM: DTB at base + 8 MiB (RAM/2), past image_size. */
	assert_int_equal(fx.dtb_pa, 0x40800000);
	assert_int_equal(fdt_check_header(machine_ram_ptr(&fx, fx.dtb_pa, 64)), 0);
	free(b);
}

static void test_image_dtb_after_bss(void **state)
{
	uint8_t *b = image(4096, 0x200000, 9 << 20);

	(void)state;
	/* image_size reaches past RAM/2: the DTB goes after it, 2 MiB
	 * aligned, never over the BSS. */
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), 0);
	assert_int_equal(fx.entry_pc, 0x40200000);
	assert_int_equal(fx.dtb_pa, 0x40c00000);
	free(b);
}

static void test_image_too_big(void **state)
{
	uint8_t *b = image(4096, 0x80000, 64 << 20);

	(void)state;
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not fit"));
	free(b);
	/* No room for the DTB after a 15.9 MiB image. */
	b = image(4096, 0x80000, (16 << 20) - 0x90000);
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	free(b);
	/* Absurd text_offset (overflow guard). */
	b = image(4096, ~0ull - 10, 4096);
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	free(b);
}

static void test_raw(void **state)
{
	uint8_t raw[16] = { 0x1f, 0x20, 0x03, 0xd5 };

	(void)state;
	assert_int_equal(loader_load(&fx, raw, sizeof(raw), err, sizeof(err)), 0);
	assert_int_equal(fx.entry_pc, 0x40080000);
	assert_int_equal(fx_r64(0x40080000) & 0xffffffff, 0xd503201f);
	assert_int_equal(loader_load(&fx, raw, 0, err, sizeof(err)), -1);
}

/* A minimal ELF: header, one PT_LOAD with 8 file bytes, 64 in memory. */
struct mini_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint8_t data[8];
};

static void mini_elf(struct mini_elf *e, uint64_t paddr)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_AARCH64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_entry = paddr + 4;
	e->eh.e_phoff = offsetof(struct mini_elf, ph);
	e->eh.e_ehsize = sizeof(Elf64_Ehdr);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 1;
	e->ph.p_type = PT_LOAD;
	e->ph.p_offset = offsetof(struct mini_elf, data);
	e->ph.p_vaddr = e->ph.p_paddr = paddr;
	e->ph.p_filesz = 8;
	e->ph.p_memsz = 64;
	memset(e->data, 0x77, 8);
}

static void test_elf(void **state)
{
	struct mini_elf e;

	(void)state;
	fx_w64(0x40100008, ~0ull);            /* must be zero-filled */
	mini_elf(&e, 0x40100000);
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), 0);
	assert_int_equal(fx.entry_pc, 0x40100004);
	assert_int_equal(fx_r64(0x40100000), 0x7777777777777777ull);
	assert_int_equal(fx_r64(0x40100008), 0);
	assert_int_equal(fx.dtb_pa, 0x40000000);   /* start of RAM is free */
	/* Loaded at the start of RAM: the DTB goes after it. */
	mini_elf(&e, 0x40000000);
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), 0);
	assert_int_equal(fx.dtb_pa, 0x40200000);
}

static void test_elf_malformed(void **state)
{
	struct mini_elf e;

	(void)state;
	/* Truncated header. */
	mini_elf(&e, 0x40100000);
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, 20, err, sizeof(err)), -1);
	/* Wrong machine. */
	e.eh.e_machine = EM_X86_64;
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "AArch64"));
	/* Segment outside the file. */
	mini_elf(&e, 0x40100000);
	e.ph.p_filesz = 1 << 20;
	e.ph.p_memsz = 1 << 20;
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), -1);
	/* Segment outside RAM. */
	mini_elf(&e, 0x10000000);
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "not in RAM"));
	/* Program headers past the end of the file. */
	mini_elf(&e, 0x40100000);
	e.eh.e_phoff = 1 << 20;
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), -1);
	/* 32-bit class. */
	mini_elf(&e, 0x40100000);
	e.eh.e_ident[EI_CLASS] = ELFCLASS32;
	assert_int_equal(loader_load(&fx, (uint8_t *)&e, sizeof(e), err,
				     sizeof(err)), -1);
}

static void test_file_errors(void **state)
{
	(void)state;
	assert_int_equal(loader_load_file(&fx, "/nonexistent/image", err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/image"));
	assert_int_equal(loader_load_file(&fx, "/", err, sizeof(err)), -1);
}

static const char *tmpfile_with(const char *name, const void *data, size_t len)
{
	static char path[4][64];
	static unsigned k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, sizeof(path[0]), "/tmp/test_loader.%d.%s", (int)getpid(), name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return p;
}

/* --initrd: where QEMU's loader puts it (RAM/2 from the base, past the
 * image, page-aligned), the DTB 2 MiB-aligned after it, both in /chosen. */
static void test_initrd(void **state)
{
	uint8_t *b = image(4096, 0x80000, 9 << 20), rd[5000];
	const fdt32_t *c;
	const uint8_t *dtb;
	int chosen;

	(void)state;
	memset(rd, 0xa5, sizeof(rd));
	fx.cfg.initrd_file = tmpfile_with("rd", rd, sizeof(rd));
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), 0);
	/* The image ends at 0x40980000 (image_size 9 MiB), above RAM/2. */
	assert_int_equal(fx.initrd_pa, 0x40980000);
	assert_int_equal(fx.initrd_size, sizeof(rd));
	assert_int_equal(fx_r64(0x40980000), 0xa5a5a5a5a5a5a5a5ull);
	assert_int_equal(fx.dtb_pa, 0x40a00000);
	dtb = machine_ram_ptr(&fx, fx.dtb_pa, 64);
	chosen = fdt_path_offset(dtb, "/chosen");
	c = fdt_getprop(dtb, chosen, "linux,initrd-start", NULL);
	assert_int_equal(fdt32_to_cpu(*c), 0x40980000);
	c = fdt_getprop(dtb, chosen, "linux,initrd-end", NULL);
	assert_int_equal(fdt32_to_cpu(*c), 0x40980000 + sizeof(rd));
	unlink(fx.cfg.initrd_file);
	/* Too large for the RAM left: an error naming the option and file. */
	fx.cfg.initrd_file = "/nonexistent/rd";
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--initrd /nonexistent/rd: cannot open"));
	free(b);
}

static void test_initrd_too_big(void **state)
{
	uint8_t *b = image(4096, 0x80000, 0), *rd = calloc(1, 9 << 20);

	(void)state;
	fx.cfg.initrd_file = tmpfile_with("big", rd, 9 << 20);
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--initrd "));
	assert_non_null(strstr(err, "do not fit in 16 MiB of RAM"));
	unlink(fx.cfg.initrd_file);
	free(rd);
	free(b);
}

/* --dtb: a blob is checked before it is used; one that is not, or is cut
 * short, is an error naming the file. */
static void test_given_dtb(void **state)
{
	uint8_t *b = image(4096, 0x80000, 0), tree[512], junk[64] = "junk";
	const uint8_t *dtb;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(tree, sizeof(tree)), 0);
	assert_int_equal(fdt_setprop_string(tree, 0, "model", "given"), 0);
	assert_int_equal(fdt_pack(tree), 0);
	fx.cfg.dtb_file = tmpfile_with("ok.dtb", tree, fdt_totalsize(tree));
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), 0);
	dtb = machine_ram_ptr(&fx, fx.dtb_pa, 64);
	assert_string_equal(fdt_getprop(dtb, 0, "model", NULL), "given");
	assert_true(fdt_path_offset(dtb, "/memory@40000000") >= 0);
	unlink(fx.cfg.dtb_file);
	fx.cfg.dtb_file = tmpfile_with("junk.dtb", junk, sizeof(junk));
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "junk.dtb: not a device tree blob"));
	unlink(fx.cfg.dtb_file);
	fx.cfg.dtb_file = tmpfile_with("cut.dtb", tree, fdt_totalsize(tree) - 8);
	assert_int_equal(loader_load(&fx, b, 4096, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cut.dtb: not a device tree blob (truncated)"));
	unlink(fx.cfg.dtb_file);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_image_dtb_after_bss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_image_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_given_dtb, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
