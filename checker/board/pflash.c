/* CFI flash, Intel command set (see pflash.h). The command state machine
 * follows QEMU's hw/block/pflash_cfi01.c: a command byte written
 * anywhere in the bank selects what reads return (array data, the
 * status register, the identifier codes or the CFI query table);
 * program and erase complete at once, so the status register reads
 * ready (SR.7) as soon as they are issued. Each of the bank's two
 * 16-bit devices answers a status, ID or query read on its half of the
 * 32-bit bus, so those answers appear twice in a 4-byte read. */
#include "board/pflash.h"

#include "board/fileck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SR_READY       0x80      /* write state machine ready */
#define SR_ERASE_ERR   0x20
#define SR_PROG_ERR    0x10

#define NDEV           (PFLASH_BANK_WIDTH / PFLASH_DEV_WIDTH)
#define DEV_SECTOR     (PFLASH_SECTOR / NDEV)
#define NSECTORS       (PFLASH_BANK_SIZE / PFLASH_SECTOR)
#define CFI_LEN        0x52

/* The CFI query table of one device (JEDEC JESD68, "CFI"), with the
 * values QEMU gives a 64 MiB bank of two x16 devices. */
static uint8_t cfi_table[CFI_LEN];

static void cfi_fill(void)
{
	static const uint8_t head[] = {
		[0x10] = 'Q', 'R', 'Y',
		[0x13] = 0x01, 0x00,     /* Intel/Sharp extended command set */
		[0x15] = 0x31, 0x00,     /* primary extended table at 0x31 */
		[0x1b] = 0x45, 0x55,     /* Vcc 4.5 .. 5.5 V */
		[0x1f] = 0x07, 0x07, 0x0a, 0x00,   /* typical timeouts */
		[0x23] = 0x04, 0x04, 0x04, 0x00,   /* maximum timeouts */
		[0x28] = 0x02, 0x00,     /* x8/x16 interface */
		[0x2a] = 0x0b, 0x00,     /* 2 KiB write buffer per device */
		[0x2c] = 0x01,           /* one erase-block region */
		[0x31] = 'P', 'R', 'I', '1', '0',
		[0x3f] = 0x01,
	};
	uint64_t dev_len = PFLASH_BANK_SIZE / NDEV;

	memcpy(cfi_table, head, sizeof(head));
	cfi_table[0x27] = __builtin_ctzll(dev_len);
	cfi_table[0x2d] = (NSECTORS - 1) & 0xff;
	cfi_table[0x2e] = (NSECTORS - 1) >> 8;
	cfi_table[0x2f] = (DEV_SECTOR >> 8) & 0xff;
	cfi_table[0x30] = DEV_SECTOR >> 16;
}

void pflash_init(struct pflash *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->status = SR_READY;
	if (!cfi_table[0x10])
		cfi_fill();
}

/* The bank's bytes are made on first write or load: an untouched bank
 * costs no host memory (most runs never touch it). It reads as zeros,
 * as QEMU's flash without a backing file (its storage is zeroed RAM),
 * not as erased flash (0xff); a block erase writes 0xff. */
static bool have_data(struct pflash *f)
{
	if (!f->data)
		f->data = calloc(1, PFLASH_BANK_SIZE);
	if (!f->data && !f->err[0])
		snprintf(f->err, sizeof(f->err), "out of host memory for "
			 "a 64 MiB flash bank");
	return f->data != NULL;
}

void pflash_free(struct pflash *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->data);
	f->data = NULL;
	f->fd = -1;
}

int pflash_load_file(struct pflash *f, const char *path, bool writeback,
		     char *err, size_t errlen)
{
	/* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
	int fd = open(path, (writeback ? O_RDWR : O_RDONLY) | O_CLOEXEC |
		      O_NONBLOCK);
	struct stat st;
	size_t got = 0;

	if (!have_data(f)) {
		snprintf(err, errlen, "%s: %s", path, f->err);
		return -1;
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open%s: %s", path,
			 writeback ? " for writing" : "", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (%s)", path,
			 file_type_name(st.st_mode));
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if ((uint64_t)st.st_size > PFLASH_BANK_SIZE) {
		snprintf(err, errlen, "%s: %llu bytes is larger than the "
			 "64 MiB flash bank", path,
			 (unsigned long long)st.st_size);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, f->data + got, st.st_size - got);

		if (k <= 0) {
			snprintf(err, errlen, "%s: read error", path);
			close(fd);
			return -1;
		}
		got += k;
	}
	if (writeback)
		f->fd = fd;
	else
		close(fd);
	return 0;
}

/* Program and erase are written through to the backing file at once,
 * as QEMU's pflash_update(), so a run that stops early keeps them. */
static void flush(struct pflash *f, uint64_t off, uint64_t len)
{
	if (f->fd < 0)
		return;
	if (pwrite(f->fd, f->data + off, len, off) != (ssize_t)len &&
	    !f->err[0])
		snprintf(f->err, sizeof(f->err), "cannot write the flash "
			 "file: %s", strerror(errno));
}

/* One device's answer on every device's lanes of a 4-byte bus word. */
static uint32_t both_devices(uint32_t dev)
{
	return (dev & 0xffff) | (dev & 0xffff) << 16;
}

static uint32_t read32(struct pflash *f, uint64_t off, unsigned size)
{
	/* Query and ID addresses count bus words (QEMU: the offset shifted
	 * by the bank width, the devices being used at their full width). */
	uint64_t word = off >> 2;
	uint32_t v = 0;

	switch (f->cmd) {
	case 0x00:
		if (!f->data)
			return 0;
		for (unsigned i = 0; i < size; i++)
			v |= (uint32_t)f->data[off + i] << (8 * i);
		return v;
	case 0x90:
		switch (word & 0xff) {
		case 0: return both_devices(0x89);   /* manufacturer: Intel */
		case 1: return both_devices(0x18);   /* device code */
		}
		return 0;            /* block lock status: not locked */
	case 0x98:
		return word < CFI_LEN ? both_devices(cfi_table[word]) : 0;
	default:
		/* Every other command reads the status register. */
		return size > PFLASH_DEV_WIDTH ? both_devices(f->status)
					       : f->status;
	}
}

uint64_t pflash_read(struct pflash *f, uint64_t off, unsigned size)
{
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;

	if (off >= PFLASH_BANK_SIZE || size > PFLASH_BANK_SIZE - off)
		return 0;
	if (size == 8)
		return read32(f, off, 4) |
		       (uint64_t)read32(f, off + 4, 4) << 32;
	return read32(f, off, size) & mask;
}

static void read_array(struct pflash *f)
{
	f->cmd = 0;
	f->wcycle = 0;
}

static void program(struct pflash *f, uint64_t off, unsigned size, uint64_t v)
{
	if (!have_data(f)) {
		f->status |= SR_PROG_ERR | SR_READY;
		return;
	}
	for (unsigned i = 0; i < size; i++)
		f->data[off + i] = v >> (8 * i);
	flush(f, off, size);
	f->status |= SR_READY;
}

static void write32(struct pflash *f, uint64_t off, unsigned size,
		    uint32_t v)
{
	uint8_t cmd = v;

	switch (f->wcycle) {
	case 0:
		switch (cmd) {
		case 0x00: case 0xf0: case 0xff:  /* read array (0xf0: AMD's) */
			read_array(f);
			return;
		case 0x10: case 0x40:             /* word program: data next */
		case 0x20: case 0x28:             /* block erase: confirm next */
		case 0x60:                        /* lock/unlock: which next */
			break;
		case 0x50:                        /* clear status register */
			f->status = 0;
			read_array(f);
			return;
		case 0x70: case 0x90: case 0x98:  /* read status, ID, query */
			f->cmd = cmd;
			return;
		case 0xe8:                        /* write to buffer: count next */
			f->status |= SR_READY;
			break;
		default:                          /* not a command: ignored */
			read_array(f);
			return;
		}
		f->cmd = cmd;
		f->wcycle = 1;
		return;
	case 1:
		switch (f->cmd) {
		case 0x10: case 0x40:
			program(f, off, size, v);
			f->wcycle = 0;       /* status reads until read array */
			return;
		case 0x20: case 0x28:
			if (cmd == 0xd0) {
				uint64_t s = off & ~(uint64_t)(PFLASH_SECTOR - 1);

				f->wcycle = 0;
				if (!have_data(f)) {
					f->status |= SR_ERASE_ERR | SR_READY;
					return;
				}
				memset(f->data + s, 0xff, PFLASH_SECTOR);
				flush(f, s, PFLASH_SECTOR);
				f->status |= SR_READY;
				f->wcycle = 0;
				return;
			}
			/* Anything but the confirm cancels (QEMU: back
			 * to read array, the status untouched). */
			read_array(f);
			return;
		case 0x60:                        /* locks are not modelled */
			f->status |= SR_READY;
			f->wcycle = 0;
			if (cmd != 0x01 && cmd != 0xd0)
				read_array(f);
			return;
		case 0xe8:
			/* The count of bus words less one, per device. */
			f->counter = v & 0xffff;
			if (f->counter >= 4096 / PFLASH_BANK_WIDTH) {
				f->status |= SR_PROG_ERR;
				read_array(f);
				return;
			}
			f->wcycle = 2;
			return;
		}
		break;
	case 2:                                   /* buffered data */
		program(f, off, size, v);
		if (f->counter-- == 0)
			f->wcycle = 3;
		return;
	case 3:                                   /* buffer confirm */
		if (cmd != 0xd0)
			f->status |= SR_PROG_ERR;
		f->status |= SR_READY;
		f->wcycle = 0;
		return;
	}
	read_array(f);
}

void pflash_write(struct pflash *f, uint64_t off, unsigned size, uint64_t v)
{
	if (off >= PFLASH_BANK_SIZE || size > PFLASH_BANK_SIZE - off)
		return;
	if (size == 8) {
		write32(f, off, 4, v);
		write32(f, off + 4, 4, v >> 32);
		return;
	}
	write32(f, off, size, v);
}
