/* Image loading (loader.c): arm64 Image, ELF, raw, and bad inputs. */
#include "machine_fixture.h"

#include <elf.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
