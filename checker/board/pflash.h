/* CFI parallel flash with the Intel command set, as QEMU's pflash-cfi01
 * (hw/block/pflash_cfi01.c) and as QEMU virt wires it (hw/arm/virt.c,
 * virt_flash_create1): a 32-bit bank of two 16-bit devices, 256 KiB
 * sectors, manufacturer 0x89 and device 0x18 (Intel). */
#ifndef CHECKER_PFLASH_H
#define CHECKER_PFLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PFLASH_BANK_SIZE   (64ull << 20)
#define PFLASH_SECTOR      (256u << 10)
#define PFLASH_BANK_WIDTH  4
#define PFLASH_DEV_WIDTH   2

struct pflash {
	uint8_t *data;           /* PFLASH_BANK_SIZE bytes; NULL: zeros */
	uint8_t cmd;             /* 0: read array */
	uint8_t wcycle;          /* write cycles into the current command */
	uint8_t status;          /* the status register of each device */
	uint32_t counter;        /* words left of a write-to-buffer */
	int fd;                  /* backing file, written through; -1: RAM */
	char err[160];           /* first host-side error, or "" */
};

/* A bank of zeros in RAM (QEMU's flash without a file). */
void pflash_init(struct pflash *f);
void pflash_free(struct pflash *f);
/* Fill the bank from path, the rest zeros. writeback: later program
 * and erase operations are written to the file (which must then be no
 * larger than the bank, and writable). -1 with a message in err. */
int pflash_load_file(struct pflash *f, const char *path, bool writeback,
		     char *err, size_t errlen);
/* Bus accesses at off into the bank, size 1, 2, 4 or 8 (an 8-byte
 * access is two 4-byte ones, as QEMU's 4-byte-wide flash ops split it). */
uint64_t pflash_read(struct pflash *f, uint64_t off, unsigned size);
void pflash_write(struct pflash *f, uint64_t off, unsigned size, uint64_t v);

#endif
