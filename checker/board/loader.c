/* Loading an image as QEMU's -kernel does (hw/arm/boot.c):
 * - ELF: each PT_LOAD at its physical address, zero-filled to p_memsz;
 *   entry = e_entry.
 * - arm64 Linux Image (magic "ARM\x64" at 0x38): at RAM base + text_offset
 *   (0x80000 if image_size is 0, the pre-3.17 header); entry = load
 *   address.
 * - anything else: a raw binary at RAM base + 0x80000, entered there.
 * DTB placement: for Image/raw, QEMU's rule: RAM base + min(RAM/2,
 * 128 MiB), but not below the end of the image (image_size counts, so BSS
 * is never overlapped), aligned up to 2 MiB. For ELF: at the start of RAM
 * when the segments leave room there, else 2 MiB-aligned after the
 * highest segment. x0 = DTB address, x1..x3 = 0 in every case. */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/fileck.h"
#include "board/machine.h"

#define DTB_MAX         (64u << 10)
/* Linux Documentation/arch/arm64/booting.rst: the DTB "must not exceed 2
 * megabytes"; a given one gets room for the /chosen and /memory patches. */
#define DTB_FILE_MAX    (2u << 20)
#define DTB_SLACK       (4u << 10)
#define RAW_TEXT_OFFSET 0x80000ull
#define MiB             (1ull << 20)
#define MAX_IMAGE_FILE  (1ull << 30)

static int fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static bool in_ram(struct machine *m, uint64_t pa, uint64_t len)
{
	return machine_ram_ptr(m, pa, len) != NULL;
}

/* --dtb FILE, opened into a buffer with room for the patches. */
static int given_dtb(struct machine *m, uint8_t **out, size_t *len,
		     char *err, size_t n)
{
	const char *path = m->cfg.dtb_file;
	uint8_t *file = NULL, *buf;
	size_t flen = 0, size;
	int r = 0;

	if (read_regular(path, "--dtb ", DTB_FILE_MAX, &file, &flen, err, n) < 0)
		return -1;
	if (flen < sizeof(struct fdt_header) ||
	    (r = fdt_check_header(file)) < 0 || fdt_totalsize(file) > flen) {
		const char *why = flen < sizeof(struct fdt_header) ? "too short" :
				  r < 0 ? fdt_strerror(r) : "truncated";

		free(file);
		return fail(err, n, "--dtb %s: not a device tree blob (%s)",
			    path, why);
	}
	size = fdt_totalsize(file) + DTB_SLACK;
	if (size > DTB_FILE_MAX)
		size = DTB_FILE_MAX;
	buf = malloc(size);
	if (!buf) {
		free(file);
		return fail(err, n, "--dtb %s: out of memory", path);
	}
	r = fdt_open_into(file, buf, size);
	free(file);
	if (r >= 0)
		r = dtb_patch(m, buf, size);
	if (r < 0) {
		free(buf);
		return fail(err, n, "--dtb %s: cannot patch /memory and /chosen: %s",
			    path, fdt_strerror(r));
	}
	*out = buf;
	*len = fdt_totalsize(buf);
	return 0;
}

int loader_make_dtb(struct machine *m, uint8_t **out, size_t *len,
		    char *err, size_t n)
{
	uint8_t *buf = NULL;
	int r;

	if (m->cfg.dtb_file)
		return given_dtb(m, out, len, err, n);
	buf = malloc(DTB_MAX);
	if (!buf)
		return fail(err, n, "out of memory");
	r = dtb_build(m, buf, DTB_MAX);
	if (r < 0) {
		free(buf);
		return fail(err, n, "cannot build the device tree: %s",
			    fdt_strerror(r));
	}
	*out = buf;
	*len = DTB_MAX;
	return 0;
}

static int place_dtb(struct machine *m, uint64_t pa, char *err, size_t n)
{
	uint8_t *buf = NULL;
	size_t len = 0;

	if (loader_make_dtb(m, &buf, &len, err, n) < 0)
		return -1;
	if (!in_ram(m, pa, len)) {
		free(buf);
		return fail(err, n, "no room for the device tree after the image");
	}
	memcpy(m->mem.ram + (pa - m->mem.ram_base), buf, len);
	memsys_ram_written(&m->mem, pa, len);
	m->dtb_pa = pa;
	m->dtb_size = len;
	free(buf);
	return 0;
}

/* Where QEMU's arm loader (hw/arm/boot.c) puts the initrd: RAM base +
 * min(RAM/2, 128 MiB), but not below the end of the image, page-aligned;
 * the DTB follows it, 2 MiB-aligned. Without an initrd the DTB goes
 * where the initrd would have started (2 MiB-aligned): dtb_pa is then
 * the caller's choice. */
static int place_initrd(struct machine *m, uint64_t image_end, uint64_t *dtb,
			char *err, size_t n)
{
	const char *path = m->cfg.initrd_file;
	uint64_t pa = m->mem.ram_base + (m->mem.ram_size / 2 < 128 * MiB ?
				     m->mem.ram_size / 2 : 128 * MiB);
	uint8_t *buf = NULL;
	size_t len = 0;

	if (!path)
		return 0;
	if (read_regular(path, "--initrd ", MAX_IMAGE_FILE, &buf, &len, err, n) < 0)
		return -1;
	if (pa < image_end)
		pa = image_end;
	pa = align_up(pa, 4096);
	if (!in_ram(m, pa, len)) {
		free(buf);
		return fail(err, n, "--initrd %s: %zu bytes at 0x%llx do "
			    "not fit in %llu MiB of RAM", path, len,
			    (unsigned long long)pa,
			    (unsigned long long)(m->mem.ram_size / MiB));
	}
	memcpy(m->mem.ram + (pa - m->mem.ram_base), buf, len);
	memsys_ram_written(&m->mem, pa, len);
	free(buf);
	m->initrd_pa = pa;
	m->initrd_size = len;
	*dtb = align_up(pa + len, 2 * MiB);
	return 0;
}

static int load_flat(struct machine *m, const uint8_t *data, size_t len,
		     uint64_t text_offset, uint64_t image_size, char *err,
		     size_t n)
{
	uint64_t load = m->mem.ram_base + text_offset, dtb;

	if (image_size < len)
		image_size = len;
	if (text_offset >= m->mem.ram_size || !in_ram(m, load, image_size))
		return fail(err, n, "image (%llu bytes at offset 0x%llx) does "
			    "not fit in %llu MiB of RAM",
			    (unsigned long long)image_size,
			    (unsigned long long)text_offset,
			    (unsigned long long)(m->mem.ram_size / MiB));
	memcpy(m->mem.ram + text_offset, data, len);
	memsys_ram_written(&m->mem, load, len);
	m->entry_pc = load;
	m->image_seg[0].pa = load;
	m->image_seg[0].len = image_size;
	m->nimage_segs = 1;
	dtb = m->mem.ram_base + (m->mem.ram_size / 2 < 128 * MiB
				 ? m->mem.ram_size / 2 : 128 * MiB);
	if (dtb < load + image_size)
		dtb = load + image_size;
	dtb = align_up(dtb, 2 * MiB);
	if (place_initrd(m, load + image_size, &dtb, err, n) < 0)
		return -1;
	return place_dtb(m, dtb, err, n);
}

static int load_elf(struct machine *m, const uint8_t *data, size_t len,
		    char *err, size_t n)
{
	Elf *e;
	GElf_Ehdr eh;
	size_t phnum;
	uint64_t lo = ~0ull, hi = 0;
	int r = -1;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(err, n, "libelf: %s", elf_errmsg(-1));
	e = elf_memory((char *)data, len);
	if (!e)
		return fail(err, n, "malformed ELF: %s", elf_errmsg(-1));
	if (!gelf_getehdr(e, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		fail(err, n, "not a 64-bit little-endian ELF");
		goto out;
	}
	if (eh.e_machine != EM_AARCH64 || eh.e_type != ET_EXEC) {
		fail(err, n, "not an AArch64 executable ELF");
		goto out;
	}
	if (elf_getphdrnum(e, &phnum) != 0) {
		fail(err, n, "malformed ELF: %s", elf_errmsg(-1));
		goto out;
	}
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, i, &ph)) {
			fail(err, n, "malformed ELF program header %zu", i);
			goto out;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset) {
			fail(err, n, "malformed ELF: segment %zu outside the file", i);
			goto out;
		}
		if (!in_ram(m, ph.p_paddr, ph.p_memsz)) {
			fail(err, n, "ELF segment %zu (0x%llx, %llu bytes) is "
			     "not in RAM", i, (unsigned long long)ph.p_paddr,
			     (unsigned long long)ph.p_memsz);
			goto out;
		}
		memcpy(m->mem.ram + (ph.p_paddr - m->mem.ram_base),
		       data + ph.p_offset, ph.p_filesz);
		memset(m->mem.ram + (ph.p_paddr - m->mem.ram_base) +
		       ph.p_filesz, 0,
		       ph.p_memsz - ph.p_filesz);
		memsys_ram_written(&m->mem, ph.p_paddr, ph.p_memsz);
		if (m->nimage_segs < MAX_IMAGE_SEGS) {
			m->image_seg[m->nimage_segs].pa = ph.p_paddr;
			m->image_seg[m->nimage_segs++].len = ph.p_memsz;
		}
		if (ph.p_paddr < lo)
			lo = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > hi)
			hi = ph.p_paddr + ph.p_memsz;
	}
	if (hi == 0) {
		fail(err, n, "ELF has no loadable segment");
		goto out;
	}
	m->entry_pc = eh.e_entry;
	{
		uint64_t dtb = lo >= m->mem.ram_base + DTB_MAX ? m->mem.ram_base :
			       align_up(hi, 2 * MiB);

		if (place_initrd(m, hi, &dtb, err, n) == 0)
			r = place_dtb(m, dtb, err, n);
	}
out:
	elf_end(e);
	return r;
}

int loader_load(struct machine *m, const uint8_t *data, size_t len,
		char *err, size_t errlen)
{
	if (len == 0)
		return fail(err, errlen, "empty image");
	if (len >= 4 && !memcmp(data, ELFMAG, SELFMAG))
		return load_elf(m, data, len, err, errlen);
	if (len >= 64 && !memcmp(data + 0x38, "ARM\x64", 4)) {
		uint64_t text_offset = le64(data + 8), size = le64(data + 16);

		if (size == 0)
			text_offset = RAW_TEXT_OFFSET;
		return load_flat(m, data, len, text_offset, size, err, errlen);
	}
	return load_flat(m, data, len, RAW_TEXT_OFFSET, len, err, errlen);
}

int loader_load_file(struct machine *m, const char *path, char *err,
		     size_t errlen)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if (read_regular(path, "", MAX_IMAGE_FILE, &buf, &len, err, errlen) < 0)
		return -1;
	r = loader_load(m, buf, len, err, errlen);
	free(buf);
	/* The --dtb and --initrd messages name their file. */
	if (r < 0 && strncmp(err, "--", 2)) {
		/* Prefix the file name to the loader's message. */
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, errlen, "%s: %s", path, tmp);
	}
	return r;
}

/* QEMU virt with -bios (hw/arm/virt.c virt_firmware_init, and
 * hw/arm/boot.c for a boot without a kernel): the firmware is the
 * content of flash bank 0, the PE starts at its first byte as from
 * reset, and the device tree is at the start of RAM, where QEMU puts it
 * for the firmware to find. */
int loader_load_bios(struct machine *m, const char *path, char *err,
		     size_t errlen)
{
	if (pflash_load_file(&m->flash[0], path, false, err, errlen) < 0)
		return -1;
	m->entry_pc = VIRT_FLASH_BASE;
	if (place_dtb(m, m->mem.ram_base, err, errlen) < 0) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, errlen, "%s: %s", path, tmp);
		return -1;
	}
	return 0;
}
