/* fw_cfg (see fwcfg.h). Registers: data at +0 (1 to 8 bytes, string
 * order: a read returns the item's next bytes as they lie in memory),
 * selector at +8 (16 bits, big-endian), DMA address at +16 (64 bits,
 * big-endian; a write of its low half at +20, or of all of it, starts a
 * transfer; reading it returns "QEMU CFG"). Every item is read-only: a
 * DMA write sets the error bit, as QEMU does for read-only items.
 *
 * The DMA transfers go straight to RAM, not through the cache model:
 * QEMU's device is cache-coherent (its device tree node says
 * dma-coherent), and the model has no coherent agent other than PEs. */
#include "board/fwcfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/fileck.h"
#include "board/machine.h"
#include "board/smbios.h"

#define REG_DATA  0x00
#define REG_SEL   0x08
#define REG_DMA   0x10

#define MAX_KERNEL (512u << 20)

static struct fwcfg_item *find(struct fwcfg *f, uint16_t key)
{
	if (key >= FWCFG_FILE_FIRST)
		return (unsigned)(key - FWCFG_FILE_FIRST) < f->nfiles ?
		       &f->file[key - FWCFG_FILE_FIRST].item : NULL;
	for (unsigned i = 0; i < f->nitems; i++)
		if (f->item[i].key == key)
			return &f->item[i];
	return NULL;
}

static void put_be(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = v >> (8 * (n - 1 - i));
}

static uint64_t get_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int fwcfg_add(struct machine *m, uint16_t key, const void *data, uint32_t len)
{
	struct fwcfg *f = &m->fwcfg;
	struct fwcfg_item *it = find(f, key);
	uint8_t *copy = malloc(len ? len : 1);

	/* File keys belong to the directory (fwcfg_add_file). */
	if (!copy || key >= FWCFG_FILE_FIRST ||
	    (!it && f->nitems == FWCFG_MAX_ITEMS)) {
		free(copy);
		return -1;
	}
	if (len)
		memcpy(copy, data, len);
	if (!it) {
		it = &f->item[f->nitems++];
		it->key = key;
	} else {
		free(it->data);
	}
	it->data = copy;
	it->len = len;
	return 0;
}

/* struct FWCfgFiles: a big-endian count, then 64-byte entries {be32
 * size, be16 select, be16 reserved, char name[56]}. */
static int write_dir(struct machine *m)
{
	struct fwcfg *f = &m->fwcfg;
	uint32_t len = 4 + 64 * f->nfiles;
	uint8_t *d = calloc(1, len);
	int r;

	if (!d)
		return -1;
	put_be(d, 4, f->nfiles);
	for (unsigned i = 0; i < f->nfiles; i++) {
		uint8_t *e = d + 4 + 64 * i;

		put_be(e, 4, f->file[i].item.len);
		put_be(e + 4, 2, FWCFG_FILE_FIRST + i);
		memcpy(e + 8, f->file[i].name, FWCFG_NAME_SIZE);
	}
	r = fwcfg_add(m, FWCFG_FILE_DIR, d, len);
	free(d);
	return r;
}

const struct fwcfg_file *fwcfg_find_file(const struct machine *m,
					 const char *name)
{
	for (unsigned i = 0; i < m->fwcfg.nfiles; i++)
		if (!strcmp(m->fwcfg.file[i].name, name))
			return &m->fwcfg.file[i];
	return NULL;
}

int fwcfg_add_file(struct machine *m, const char *name, const void *data,
		   uint32_t len)
{
	struct fwcfg *f = &m->fwcfg;
	unsigned at = f->nfiles;
	uint8_t *copy;

	if (!*name || strlen(name) >= FWCFG_NAME_SIZE ||
	    f->nfiles == FWCFG_MAX_FILES)
		return -1;
	for (unsigned i = 0; i < f->nfiles; i++) {
		int c = strcmp(name, f->file[i].name);

		if (!c)
			return -1;
		if (c < 0 && at == f->nfiles)
			at = i;
	}
	copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	if (len)
		memcpy(copy, data, len);
	memmove(&f->file[at + 1], &f->file[at],
		(f->nfiles - at) * sizeof(f->file[0]));
	memset(&f->file[at], 0, sizeof(f->file[0]));
	strcpy(f->file[at].name, name);
	f->file[at].item.data = copy;
	f->file[at].item.len = len;
	f->nfiles++;
	for (unsigned i = 0; i < f->nfiles; i++)
		f->file[i].item.key = FWCFG_FILE_FIRST + i;
	return write_dir(m);
}

int fwcfg_init(struct machine *m)
{
	/* ID: bit 0 the traditional interface, bit 1 DMA (little-endian). */
	static const uint8_t id[4] = { 3, 0, 0, 0 }, zero[16] = { 0 };
	uint8_t ncpu[2] = { m->npe & 0xff, m->npe >> 8 };

	memset(&m->fwcfg, 0, sizeof(m->fwcfg));
	/* What QEMU 7.2 virt adds with acpi=off (its fw_cfg trace events),
	 * SMBIOS included (smbios.c; edk2's SmbiosPlatformDxe installs
	 * the tables, DetectSmbiosVersionLib reads the anchor). edk2's
	 * QemuBootOrderLib reads the boot menu item and "bootorder", empty
	 * meaning no device has a bootindex; etc/boot-fail-wait (-boot
	 * reboot-timeout, -1: none) and bios-geometry are SeaBIOS's, there
	 * so that the directory lists what QEMU's does. */
	if (fwcfg_add(m, FWCFG_SIGNATURE, "QEMU", 4) < 0 ||
	    fwcfg_add(m, FWCFG_ID, id, 4) < 0 ||
	    fwcfg_add(m, FWCFG_UUID, zero, 16) < 0 ||
	    fwcfg_add(m, FWCFG_NOGRAPHIC, zero, 2) < 0 ||
	    fwcfg_add(m, FWCFG_BOOT_MENU, zero, 2) < 0 ||
	    fwcfg_add(m, FWCFG_NB_CPUS, ncpu, 2) < 0 ||
	    write_dir(m) < 0 ||
	    fwcfg_add_file(m, "bootorder", "", 0) < 0 ||
	    fwcfg_add_file(m, "bios-geometry", "", 0) < 0 ||
	    fwcfg_add_file(m, "etc/boot-fail-wait", "\xff\xff\xff\xff", 4) < 0 ||
	    smbios_add_fwcfg(m) < 0)
		return -1;
	return 0;
}

void fwcfg_free(struct machine *m)
{
	for (unsigned i = 0; i < m->fwcfg.nitems; i++)
		free(m->fwcfg.item[i].data);
	for (unsigned i = 0; i < m->fwcfg.nfiles; i++)
		free(m->fwcfg.file[i].item.data);
	m->fwcfg.nitems = m->fwcfg.nfiles = 0;
}

static int le32_item(struct machine *m, uint16_t key, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	return fwcfg_add(m, key, b, 4);
}

int fwcfg_add_kernel(struct machine *m, const char *path, const char *cmdline,
		     char *err, size_t errlen)
{
	uint8_t *buf;
	size_t got;
	int r = -1;

	if (read_regular(path, "", MAX_KERNEL, &buf, &got, err, errlen) < 0)
		return -1;
	if (le32_item(m, FWCFG_KERNEL_SIZE, got) < 0 ||
	    fwcfg_add(m, FWCFG_KERNEL_DATA, buf, got) < 0 ||
	    le32_item(m, FWCFG_CMDLINE_SIZE, strlen(cmdline) + 1) < 0 ||
	    fwcfg_add(m, FWCFG_CMDLINE_DATA, cmdline, strlen(cmdline) + 1) < 0)
		snprintf(err, errlen, "%s: out of host memory for fw_cfg", path);
	else
		r = 0;
	free(buf);
	return r;
}

static void select_key(struct fwcfg *f, uint16_t key)
{
	f->sel = key;
	f->off = 0;
}

/* Bytes of the selected item from its offset on; 0 past its end. */
static void take(struct fwcfg *f, uint8_t *out, uint32_t n)
{
	struct fwcfg_item *it = find(f, f->sel);

	for (uint32_t i = 0; i < n; i++, f->off++)
		out[i] = it && f->off < it->len ? it->data[f->off] : 0;
}

static void dma_run(struct machine *m, uint64_t pa)
{
	struct fwcfg *f = &m->fwcfg;
	uint8_t *d = machine_ram_ptr(m, pa, 16);
	uint32_t control, len;
	uint64_t addr;
	bool error = false;

	if (!d)
		return;          /* nowhere to read the request or report */
	control = get_be(d, 4);
	len = get_be(d + 4, 4);
	addr = get_be(d + 8, 8);
	if (control & FWCFG_DMA_SELECT)
		select_key(f, control >> 16);
	if (control & FWCFG_DMA_READ) {
		uint8_t *dst = machine_ram_ptr(m, addr, len);

		if (dst) {
			take(f, dst, len);
			memsys_ram_written(&m->mem, addr, len);
		} else
			error = true;
	} else if (control & FWCFG_DMA_WRITE) {
		error = true;    /* every item is read-only */
	} else if (control & FWCFG_DMA_SKIP) {
		f->off += len;
	}
	put_be(d, 4, error ? FWCFG_DMA_ERROR : 0);
	memsys_ram_written(&m->mem, pa, 4);
}

uint64_t fwcfg_read(struct machine *m, uint64_t off, unsigned size)
{
	struct fwcfg *f = &m->fwcfg;
	uint8_t b[8] = { 0 };
	uint64_t v = 0;

	if (off < REG_SEL && off + size <= REG_SEL) {
		take(f, b, size);
	} else if (off >= REG_DMA && off + size <= REG_DMA + 8) {
		static const char sig[8] = "QEMU CFG";

		memcpy(b, sig + (off - REG_DMA), size);
	}
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

void fwcfg_write(struct machine *m, uint64_t off, unsigned size, uint64_t v)
{
	struct fwcfg *f = &m->fwcfg;
	uint8_t b[8];

	for (unsigned i = 0; i < size; i++)
		b[i] = v >> (8 * i);
	if (off == REG_SEL && size == 2) {
		select_key(f, get_be(b, 2));
	} else if (off == REG_DMA && size == 8) {
		f->dma = 0;
		dma_run(m, get_be(b, 8));
	} else if (off == REG_DMA && size == 4) {
		f->dma = get_be(b, 4) << 32;
	} else if (off == REG_DMA + 4 && size == 4) {
		uint64_t pa = f->dma | get_be(b, 4);

		f->dma = 0;
		dma_run(m, pa);
	}
	/* Data writes are ignored (QEMU 2.4 on). */
}
