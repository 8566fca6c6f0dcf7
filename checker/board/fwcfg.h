/* QEMU's firmware configuration device (fw_cfg), MMIO with DMA, as QEMU
 * virt has it at 0x09020000 (QEMU docs/specs/fw_cfg.rst; keys from
 * QEMU's include/standard-headers/linux/qemu_fw_cfg.h). */
#ifndef CHECKER_FWCFG_H
#define CHECKER_FWCFG_H

#include <stddef.h>
#include <stdint.h>

#define FWCFG_SIGNATURE     0x00
#define FWCFG_ID            0x01
#define FWCFG_UUID          0x02
#define FWCFG_NOGRAPHIC     0x04
#define FWCFG_NB_CPUS       0x05
#define FWCFG_KERNEL_SIZE   0x08
#define FWCFG_INITRD_SIZE   0x0b
#define FWCFG_BOOT_MENU     0x0e
#define FWCFG_KERNEL_DATA   0x11
#define FWCFG_INITRD_DATA   0x12
#define FWCFG_CMDLINE_SIZE  0x14
#define FWCFG_CMDLINE_DATA  0x15
#define FWCFG_FILE_DIR      0x19
#define FWCFG_FILE_FIRST    0x20

#define FWCFG_DMA_ERROR     0x01
#define FWCFG_DMA_READ      0x02
#define FWCFG_DMA_SKIP      0x04
#define FWCFG_DMA_SELECT    0x08
#define FWCFG_DMA_WRITE     0x10

#define FWCFG_MAX_ITEMS     24
#define FWCFG_MAX_FILES     32
#define FWCFG_NAME_SIZE     56   /* a file name with its NUL */

struct fwcfg_item {
	uint16_t key;
	uint32_t len;
	uint8_t *data;           /* owned, len bytes */
};

/* Files, sorted by name (strcmp) as QEMU sorts them for machines without
 * the legacy order, virt among them (hw/nvram/fw_cfg.c
 * fw_cfg_add_file_callback): file i is key FWCFG_FILE_FIRST + i, so a
 * new file moves the keys of those after it, before the guest runs. */
struct fwcfg_file {
	char name[FWCFG_NAME_SIZE];
	struct fwcfg_item item;
};

struct fwcfg {
	struct fwcfg_item item[FWCFG_MAX_ITEMS];
	struct fwcfg_file file[FWCFG_MAX_FILES];
	unsigned nitems, nfiles;
	uint16_t sel;            /* the selected key */
	uint32_t off;            /* offset into the selected item */
	uint64_t dma;            /* the DMA address register */
};

struct machine;

/* The items QEMU virt has without -kernel, -fw_cfg or ACPI: signature,
 * ID (with DMA), UUID (zeros), nographic and boot menu (0, off), CPU
 * count, and the file directory with "bootorder" (empty: no device has
 * a bootindex), "bios-geometry" (empty), "etc/boot-fail-wait" (-1) and
 * the SMBIOS tables (smbios.h). -1 when out of host memory. */
int fwcfg_init(struct machine *m);
void fwcfg_free(struct machine *m);
/* A copy of data as item key (little-endian numbers are the caller's
 * to encode), replacing one already there. -1 when full or out of
 * memory. */
int fwcfg_add(struct machine *m, uint16_t key, const void *data, uint32_t len);
/* A named file, in the directory at its place by name. -1 when the
 * name is empty, too long or already there, the directory is full, or
 * out of memory. */
int fwcfg_add_file(struct machine *m, const char *name, const void *data,
		   uint32_t len);
/* The file named name, or NULL. */
const struct fwcfg_file *fwcfg_find_file(const struct machine *m,
					 const char *name);
/* QEMU's -fw_cfg [name=]NAME,file=FILE or [name=]NAME,string=STR (the
 * string without its NUL), with QEMU's checks and words. -1 with a
 * message in err; a name outside "opt/" is a warning on stderr, as in
 * QEMU. */
int fwcfg_add_user(struct machine *m, const char *spec, char *err,
		   size_t errlen);
/* The kernel for the firmware to load (QEMU -kernel with -bios): the
 * file as it is, and the command line. -1 with a message in err. */
int fwcfg_add_kernel(struct machine *m, const char *path, const char *cmdline,
		     char *err, size_t errlen);

uint64_t fwcfg_read(struct machine *m, uint64_t off, unsigned size);
void fwcfg_write(struct machine *m, uint64_t off, unsigned size, uint64_t v);

#endif
