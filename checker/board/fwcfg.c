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
#include <sys/stat.h>
#include <unistd.h>

#include "board/fileck.h"
#include "board/machine.h"

#define REG_DATA  0x00
#define REG_SEL   0x08
#define REG_DMA   0x10

#define MAX_KERNEL (512u << 20)

static struct fwcfg_item *find(struct fwcfg *f, uint16_t key)
{
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

	if (!copy || (!it && f->nitems == FWCFG_MAX_ITEMS)) {
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
int fwcfg_add_file(struct machine *m, const char *name, const void *data,
		   uint32_t len)
{
	struct fwcfg *f = &m->fwcfg;
	struct fwcfg_item *dir = find(f, FWCFG_FILE_DIR);
	uint16_t key = FWCFG_FILE_FIRST + f->nfiles;
	uint8_t *d;
	uint32_t n;

	if (!dir || f->nfiles == FWCFG_MAX_FILES || strlen(name) >= 56 ||
	    fwcfg_add(m, key, data, len) < 0)
		return -1;
	dir = find(f, FWCFG_FILE_DIR);
	n = f->nfiles + 1;
	d = calloc(1, 4 + 64 * n);
	if (!d)
		return -1;
	memcpy(d, dir->data, dir->len);
	put_be(d, 4, n);
	put_be(d + 4 + 64 * f->nfiles, 4, len);
	put_be(d + 4 + 64 * f->nfiles + 4, 2, key);
	memcpy(d + 4 + 64 * f->nfiles + 8, name, strlen(name));
	free(dir->data);
	dir->data = d;
	dir->len = 4 + 64 * n;
	f->nfiles = n;
	return 0;
}

int fwcfg_init(struct machine *m)
{
	/* ID: bit 0 the traditional interface, bit 1 DMA (little-endian). */
	static const uint8_t id[4] = { 3, 0, 0, 0 }, dir[4] = { 0 };
	uint8_t ncpu[2] = { m->npe & 0xff, m->npe >> 8 };

	memset(&m->fwcfg, 0, sizeof(m->fwcfg));
	if (fwcfg_add(m, FWCFG_SIGNATURE, "QEMU", 4) < 0 ||
	    fwcfg_add(m, FWCFG_ID, id, 4) < 0 ||
	    fwcfg_add(m, FWCFG_NB_CPUS, ncpu, 2) < 0 ||
	    fwcfg_add(m, FWCFG_FILE_DIR, dir, 4) < 0)
		return -1;
	return 0;
}

void fwcfg_free(struct machine *m)
{
	for (unsigned i = 0; i < m->fwcfg.nitems; i++)
		free(m->fwcfg.item[i].data);
	m->fwcfg.nitems = 0;
}

static int le32_item(struct machine *m, uint16_t key, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	return fwcfg_add(m, key, b, 4);
}

int fwcfg_add_kernel(struct machine *m, const char *path, const char *cmdline,
		     char *err, size_t errlen)
{
	int fd = open_regular(path, err, errlen);
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int r = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size > MAX_KERNEL) {
		snprintf(err, errlen, "%s: cannot stat, or larger than %u MiB",
			 path, MAX_KERNEL >> 20);
		close(fd);
		return -1;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, st.st_size - got);

		if (k <= 0)
			break;
		got += k;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size)
		snprintf(err, errlen, "%s: read error or out of memory", path);
	else if (le32_item(m, FWCFG_KERNEL_SIZE, got) < 0 ||
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

		if (dst)
			take(f, dst, len);
		else
			error = true;
	} else if (control & FWCFG_DMA_WRITE) {
		error = true;    /* every item is read-only */
	} else if (control & FWCFG_DMA_SKIP) {
		f->off += len;
	}
	put_be(d, 4, error ? FWCFG_DMA_ERROR : 0);
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
