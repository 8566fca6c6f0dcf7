/* Symbolisation of a small ELF (checker/tests/symtest.c, built for
 * aarch64 by findings.mk, path in SYMTEST_ELF) and disassembly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/disasm.h"
#include "report/symbols.h"

static struct symbols *sy;

static int setup(void **s)
{
	const char *path = getenv("SYMTEST_ELF");
	char err[300];

	(void)s;
	if (!path)
		path = "build/checker/tests/symtest.elf";
	sy = symbols_open(path, err, sizeof(err));
	if (!sy)
		fprintf(stderr, "%s\n", err);
	return sy ? 0 : -1;
}
static int teardown(void **s) { (void)s; symbols_close(sy); return 0; }

static void test_lookup(void **state)
{
	uint64_t a, b;
	struct sym_info si;

	(void)state;
	assert_true(symbols_find(sy, "sym_target", &a));
	assert_true(symbols_find(sy, "sym_start", &b));
	assert_true(a >= 0x40080000 && a < 0x40081000);
	/* Linked at its address (ET_EXEC): no bias whatever the load. */
	assert_int_equal(symbols_bias(sy, 0x40080000), 0);

	assert_true(symbols_lookup(sy, a, &si));
	assert_string_equal(si.name, "sym_target");
	assert_int_equal(si.offset, 0);
	assert_string_equal(si.file, "symtest.c");
	assert_int_equal(si.line, 6);           /* the opening brace (GCC) */

	/* Somewhere inside: the body's line 7. */
	bool seen7 = false;
	for (uint64_t x = a; x < b; x += 4) {
		assert_true(symbols_lookup(sy, x, &si));
		assert_string_equal(si.name, "sym_target");
		assert_int_equal(si.offset, x - a);
		seen7 |= si.line == 7;
	}
	assert_true(seen7);

	assert_true(symbols_lookup(sy, b + 4, &si));
	assert_string_equal(si.name, "sym_start");
	assert_int_equal(si.offset, 4);
	assert_true(si.line >= 16 && si.line <= 21);
	assert_null(si.call_file);

	/* Code of sym_inlined inside sym_start: its own line, and the line
	 * of the call in sym_start. */
	bool seen_inline = false;
	for (uint64_t x = b; symbols_lookup(sy, x, &si); x += 4) {
		if (si.line != 12)
			continue;
		assert_string_equal(si.name, "sym_start");
		assert_non_null(si.call_file);
		assert_string_equal(si.call_file, "symtest.c");
		assert_int_equal(si.call_line, 18);
		seen_inline = true;
	}
	assert_true(seen_inline);
	/* Outside the image: below it, and above its last section (the
	 * last label does not cover everything above it). */
	assert_false(symbols_lookup(sy, 0x10, &si));
	assert_null(si.name);
	assert_false(symbols_lookup(sy, 0x840080000, &si));
	assert_null(si.name);
}

static void test_disasm(void **state)
{
	char buf[64];

	(void)state;
	assert_true(disasm_a64(0xd503201f, 0, buf, sizeof(buf)));
	assert_string_equal(buf, "nop");
	assert_true(disasm_a64(0xf9400420, 0x40000000, buf, sizeof(buf)));
	assert_string_equal(buf, "ldr x0, [x1, #8]");
	assert_true(disasm_a64(0xd50b7e20, 0, buf, sizeof(buf)));
	assert_string_equal(buf, "dc civac, x0");
	assert_false(disasm_a64(0x00000000, 0, buf, sizeof(buf)));
	assert_string_equal(buf, ".inst 0x00000000");
}

static void test_elf_beside(void **state)
{
	char dir[] = "/tmp/test_symbols_XXXXXX";
	char bin[64], elf[64];
	char *p;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(bin, sizeof(bin), "%s/x.bin", dir);
	snprintf(elf, sizeof(elf), "%s/x.elf", dir);
	f = fopen(bin, "w");
	fputs("not an elf", f);
	fclose(f);
	assert_null(symbols_elf_beside(bin));   /* no x.elf yet */
	f = fopen(elf, "w");
	fputs("\177ELF", f);
	fclose(f);
	p = symbols_elf_beside(bin);
	assert_string_equal(p, elf);
	free(p);
	p = symbols_elf_beside(elf);            /* an ELF image is its own */
	assert_string_equal(p, elf);
	free(p);
	unlink(bin);
	unlink(elf);
	rmdir(dir);
}

static const char *elf_path(const char *var, const char *dflt)
{
	const char *p = getenv(var);

	return p ? p : dflt;
}

/* An ELF without .symtab (stripped) has no symbols, and reading it must
 * not sort a NULL array (UBSan: qsort's base is nonnull). */
static void test_stripped(void **state)
{
	const char *path = elf_path("SYMTEST_STRIPPED_ELF",
				    "build/checker/tests/symtest-stripped.elf");
	struct symbols *y;
	struct sym_info si;
	uint64_t a;
	char err[300];

	(void)state;
	y = symbols_open(path, err, sizeof(err));
	if (!y)
		fail_msg("%s", err);
	assert_false(symbols_find(y, "sym_target", &a));
	assert_false(symbols_lookup(y, 0x40080000, &si));
	assert_null(si.name);
	symbols_close(y);
}

/* The symtest ELF's own PT_LOAD bytes, as the image a loader put in RAM. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return buf;
}

static void test_check_image(void **state)
{
	const char *path = elf_path("SYMTEST_ELF", "build/checker/tests/symtest.elf");
	size_t len;
	uint8_t *file = read_file(path, &len);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	const Elf64_Phdr *ph = NULL;
	struct sym_region r;
	uint8_t *copy;
	char err[300];

	(void)state;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = (const Elf64_Phdr *)(file + eh->e_phoff) + i;

		if (p->p_type == PT_LOAD && p->p_filesz && (p->p_flags & PF_X)) {
			ph = p;
			break;
		}
	}
	assert_non_null(ph);
	copy = malloc(ph->p_filesz);
	memcpy(copy, file + ph->p_offset, ph->p_filesz);
	r = (struct sym_region){ ph->p_vaddr, ph->p_filesz, copy };

	/* Its own bytes: a match; also when the image covers only part. */
	assert_int_equal(symbols_check_image(sy, 0, &r, 1, err, sizeof(err)), 0);
	r.len = 16;
	assert_int_equal(symbols_check_image(sy, 0, &r, 1, err, sizeof(err)), 0);
	r.len = ph->p_filesz;
	/* One byte changed: which one is said. */
	copy[ph->p_filesz - 1] ^= 1;
	assert_int_equal(symbols_check_image(sy, 0, &r, 1, err, sizeof(err)), -1);
	char want[64];
	snprintf(want, sizeof(want), "at 0x%llx",
		 (unsigned long long)(ph->p_vaddr + ph->p_filesz - 1));
	assert_non_null(strstr(err, want));
	copy[ph->p_filesz - 1] ^= 1;
	/* Elsewhere (a bias that puts the ELF off the image): no overlap is
	 * no match either. */
	assert_int_equal(symbols_check_image(sy, 0x10000000, &r, 1, err,
					     sizeof(err)), -1);
	assert_non_null(strstr(err, "none of its segments"));
	assert_int_equal(symbols_check_image(sy, 0, &r, 0, err, sizeof(err)), -1);
	free(copy);
	free(file);
}

/* Not an AArch64 ELF: the test program itself (on an arm64 host this
 * would not hold, and the case says so instead of passing). */
static void test_foreign(void **state)
{
	char err[300];
	struct symbols *y;

	(void)state;
#if defined(__aarch64__)
	skip();
#endif
	y = symbols_open("/proc/self/exe", err, sizeof(err));
	assert_null(y);
	assert_non_null(strstr(err, "not an AArch64 ELF"));
	/* Not a regular file: refused before any read (a FIFO would block). */
	y = symbols_open("/dev/null", err, sizeof(err));
	assert_null(y);
	assert_non_null(strstr(err, "not a regular file (a character device)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_disasm),
		cmocka_unit_test(test_elf_beside),
		cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_check_image),
		cmocka_unit_test(test_foreign),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
