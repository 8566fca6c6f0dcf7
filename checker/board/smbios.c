/* SMBIOS tables for fw_cfg (smbios.h), byte for byte what QEMU 7.2 virt
 * gives a TCG guest without -smbios options (hw/smbios/smbios.c: the
 * defaults virt_build_smbios sets, one socket of smp cores as virt-7.2's
 * "prefer cores" topology has it; QEMU's own tables dumped by edk2's
 * Shell `dmem` for -m 128 and -m 20000 -smp 4 are what this was checked
 * against). Structures per DSP0134 3.0 (SMBIOS reference specification):
 * type 1 system, 3 chassis, 4 processor, 16 memory array, 17 memory
 * device per 16 GiB "DIMM", 32 boot information, 127 end of table. No
 * type 0: the firmware supplies its own (edk2 SmbiosPlatformDxe), and
 * QEMU builds one only when -smbios type=0 asks. No type 19: QEMU 7.2
 * virt passes no memory array to smbios_get_tables. */
#include "board/smbios.h"

#include <stdlib.h>
#include <string.h>

#include "board/fwcfg.h"
#include "board/machine.h"

#define DIMM_MAX      (16ull << 30)   /* QEMU's MAX_DIMM_SZ */
#define T16_STD_MAX   0x80000000ull   /* KiB: beyond, the extended field */
#define T17_STD_MAX   0x7fffu         /* MiB: beyond, the extended field */
#define TABLES_MAX    2048

struct buf {
	uint8_t b[TABLES_MAX];
	size_t n;
	unsigned max;                  /* largest structure, with strings */
};

static void le(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

/* One structure: the formatted part (type, length, handle and body),
 * then its strings, each NUL-terminated, and the closing NUL (two NULs
 * when there is no string). */
static void put(struct buf *t, uint8_t type, uint16_t handle,
		const uint8_t *body, size_t blen, const char *const *str)
{
	size_t start = t->n;
	uint8_t *p = t->b + t->n;

	p[0] = type;
	p[1] = 4 + blen;
	le(p + 2, 2, handle);
	memcpy(p + 4, body, blen);
	t->n += 4 + blen;
	if (!str || !str[0])
		t->b[t->n++] = 0;
	for (; str && *str; str++) {
		memcpy(t->b + t->n, *str, strlen(*str) + 1);
		t->n += strlen(*str) + 1;
	}
	t->b[t->n++] = 0;
	if (t->n - start > t->max)
		t->max = t->n - start;
}

int smbios_add_fwcfg(struct machine *m)
{
	static const char *const sys[] = { "QEMU", "QEMU Virtual Machine",
					   "virt-7.2", NULL };
	static const char *const chassis[] = { "QEMU", "virt-7.2", NULL };
	static const char *const cpu[] = { "CPU 0", "QEMU", "virt-7.2", NULL };
	static const char *const dimm_str[][3] = {
		{ "DIMM 0", "QEMU", NULL }, { "DIMM 1", "QEMU", NULL },
		{ "DIMM 2", "QEMU", NULL }, { "DIMM 3", "QEMU", NULL },
	};
	uint64_t ram = m->mem.ram_size, kib = ram >> 10;
	unsigned dimms = (ram + DIMM_MAX - 1) / DIMM_MAX;
	struct buf *t = calloc(1, sizeof(*t));
	uint8_t b[64], anchor[24] = "_SM3_";
	int r;

	if (!t || dimms > 4) {
		free(t);
		return -1;
	}
	/* Type 1: manufacturer, product, version strings; UUID zeros (no
	 * -uuid); wake-up type power switch. */
	memset(b, 0, sizeof(b));
	b[0] = 1, b[1] = 2, b[2] = 3, b[20] = 6;
	put(t, 1, 0x100, b, 23, sys);
	/* Type 3: type other, safe states, security unknown. */
	memset(b, 0, sizeof(b));
	b[0] = 1, b[1] = 1, b[2] = 2, b[5] = 3, b[6] = 3, b[7] = 3, b[8] = 2;
	put(t, 3, 0x300, b, 18, chassis);
	/* Type 4: central processor, family other, 2000 MHz, populated and
	 * enabled, no caches; one socket of npe cores, npe threads. */
	memset(b, 0, sizeof(b));
	b[0] = 1, b[1] = 3, b[2] = 1, b[3] = 2, b[12] = 3;
	le(b + 16, 2, 2000);
	le(b + 18, 2, 2000);
	b[20] = 0x41, b[21] = 1;
	le(b + 22, 2, 0xffff);
	le(b + 24, 2, 0xffff);
	le(b + 26, 2, 0xffff);
	b[31] = b[32] = b[33] = m->npe;
	b[34] = 2;                                 /* characteristics: unknown */
	le(b + 36, 2, 1);                          /* family 2: other */
	le(b + 38, 2, m->npe);
	le(b + 40, 2, m->npe);
	le(b + 42, 2, m->npe);
	put(t, 4, 0x400, b, 44, cpu);
	/* Type 16: location other, system memory, multi-bit ECC. */
	memset(b, 0, sizeof(b));
	b[0] = 1, b[1] = 3, b[2] = 6;
	le(b + 3, 4, kib < T16_STD_MAX ? kib : T16_STD_MAX);
	le(b + 7, 2, 0xfffe);
	le(b + 9, 2, dimms);
	if (kib >= T16_STD_MAX)
		le(b + 11, 8, ram);
	put(t, 16, 0x1000, b, 19, NULL);
	/* Type 17, one per 16 GiB: widths unknown, DIMM, RAM, detail other. */
	for (unsigned i = 0; i < dimms; i++) {
		uint64_t size = ram - i * DIMM_MAX < DIMM_MAX ?
				ram - i * DIMM_MAX : DIMM_MAX;
		uint64_t mib = (size + (1u << 20) - 1) >> 20;

		memset(b, 0, sizeof(b));
		le(b, 2, 0x1000);
		le(b + 2, 2, 0xfffe);
		le(b + 4, 2, 0xffff);
		le(b + 6, 2, 0xffff);
		le(b + 8, 2, mib < T17_STD_MAX ? mib : T17_STD_MAX);
		b[10] = 9, b[12] = 1, b[14] = 7;
		le(b + 15, 2, 2);
		b[19] = 2;
		if (mib >= T17_STD_MAX)
			le(b + 24, 4, mib);
		put(t, 17, 0x1100 + i, b, 36, dimm_str[i]);
	}
	/* Type 32: no errors. */
	memset(b, 0, sizeof(b));
	put(t, 32, 0x2000, b, 7, NULL);
	put(t, 127, 0x7f00, b, 0, NULL);
	/* The SMBIOS 3.0 entry point: the firmware computes the checksum
	 * and fills in the table's address (QEMU leaves both 0). */
	anchor[6] = sizeof(anchor);
	anchor[7] = 3, anchor[8] = 0, anchor[9] = 0, anchor[10] = 1;
	le(anchor + 12, 4, t->n);
	r = fwcfg_add_file(m, "etc/smbios/smbios-tables", t->b, t->n) < 0 ||
	    fwcfg_add_file(m, "etc/smbios/smbios-anchor", anchor,
			   sizeof(anchor)) < 0 ? -1 : 0;
	free(t);
	return r;
}
