/* The EFI entry: the image started by UEFI firmware as an application
 * (PE header in pe_header.S), with the MMU on and the firmware's 1:1
 * cacheable map of RAM (UEFI 2.10 2.3.6 "AArch64 Platforms"). We take what
 * we need from the firmware, exit boot services, clean what the MMU-off
 * boot path reads, and join it at primary_entry (efi_entry.S:
 * efi_takeover) as if a loader had jumped there.
 * docs/boot-cache-maintenance.md "EFI entry".
 *
 * This runs before the image has relocated itself (reloc.c runs in the
 * common path, with the MMU off, and checksums the image before that), so:
 * - nothing here may read a pointer stored in the image (no initialised
 *   pointer data, no GOT: every symbol is hidden, see types.h; libfdt,
 *   which reads its stack guard through the GOT, is not called);
 * - nothing here writes the image at all: everything lives on the
 *   firmware's stack or in memory allocated from the firmware (EfiLoaderData),
 *   so the image is still byte for byte what was loaded, and no step
 *   depends on how the firmware protects our sections.
 * guest/efi.mk checks the object for GOT and data relocations.
 * efi_adopt, at the end, is the exception: the common path calls it
 * relocated, with the MMU on. */
#include "efi.h"
#include "cache.h"
#include "devtree.h"
#include "libc.h"
#include "sysreg.h"

extern char _text[], _end[];

_Static_assert(__builtin_offsetof(struct efi_system_table, boot) == 96, "EFI_SYSTEM_TABLE");
_Static_assert(__builtin_offsetof(struct efi_system_table, tables) == 112, "EFI_SYSTEM_TABLE");
_Static_assert(__builtin_offsetof(struct efi_boot_services, handle_protocol) == 152,
	       "EFI_BOOT_SERVICES");
_Static_assert(__builtin_offsetof(struct efi_boot_services, exit_boot_services) == 232,
	       "EFI_BOOT_SERVICES");
_Static_assert(__builtin_offsetof(struct efi_runtime_services, reset_system) == 104,
	       "EFI_RUNTIME_SERVICES");
_Static_assert(__builtin_offsetof(struct efi_loaded_image, load_options) == 56,
	       "EFI_LOADED_IMAGE_PROTOCOL");
_Static_assert(sizeof(struct efi_memory_descriptor) == 40, "EFI_MEMORY_DESCRIPTOR");

#define MAX_BOOTARGS 4096
_Static_assert(EFI_MAX_RSV <= ARRAY_SIZE(platform.rsv_start), "efi_handover");

/* Boot-services console output: ASCII to UCS-2 on the stack. */
static void efi_puts(struct efi_system_table *st, const char *s)
{
	efi_char16_t buf[64];
	while (*s) {
		unsigned n = 0;
		while (*s && n < ARRAY_SIZE(buf) - 2) {
			if (*s == '\n')
				buf[n++] = '\r';
			buf[n++] = (u8)*s++;
		}
		buf[n] = 0;
		st->con_out->output_string(st->con_out, buf);
	}
}

/* Before ExitBootServices: say why and power off through the firmware,
 * so the runner sees the reason at once rather than a timeout. */
static void __noreturn efi_fail(struct efi_system_table *st, const char *why,
				efi_status_t status)
{
	efi_puts(st, "EFI entry: ");
	efi_puts(st, why);
	efi_puts(st, "\nEXIT: STATUS=1\n");
	st->runtime->reset_system(EFI_RESET_SHUTDOWN, status, 0, NULL);
	for (;;)
		wfi();
}

static bool guid_eq(const efi_guid_t *a, const efi_guid_t *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The command line: LoadOptions, UCS-2 (UEFI 9.1). edk2's ArmVirtQemu
 * passes QEMU's -append there when it starts a -kernel image (fw_cfg
 * kernel loader). Non-ASCII characters become '?'. */
static char *load_options_to_ascii(struct efi_system_table *st, efi_handle_t image)
{
	static const efi_guid_t loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	struct efi_loaded_image *li;
	char *args;
	if (st->boot->handle_protocol(image, &loaded_image_guid, (void **)&li))
		efi_fail(st, "no EFI_LOADED_IMAGE_PROTOCOL", EFI_UNSUPPORTED);
	u64 n = li->load_options ? li->load_options_size / 2 : 0;
	if (n > MAX_BOOTARGS - 1)
		n = MAX_BOOTARGS - 1;
	if (st->boot->allocate_pool(EFI_LOADER_DATA, n + 1, (void **)&args))
		efi_fail(st, "cannot allocate the command line", EFI_BUFFER_TOO_SMALL);
	const efi_char16_t *in = li->load_options;
	u64 i = 0;
	for (; i < n && in[i]; i++)
		args[i] = in[i] < 0x80 ? (char)in[i] : '?';
	args[i] = 0;
	return args;
}

/* The device tree: the EFI_DTB_TABLE configuration table (UEFI 4.6.1.3).
 * edk2 on QEMU installs it only when QEMU provides no ACPI tables
 * (-machine virt,acpi=off; ArmVirtPkg PlatformHasAcpiDtDxe). */
static u64 find_dtb(struct efi_system_table *st)
{
	static const efi_guid_t dtb_guid = EFI_DTB_TABLE_GUID;
	for (u64 i = 0; i < st->nr_tables; i++)
		if (guid_eq(&st->tables[i].guid, &dtb_guid))
			return (u64)st->tables[i].table;
	efi_fail(st, "no device tree in the configuration table (ACPI only? use -machine acpi=off)",
		 EFI_NOT_FOUND);
}

static u32 be32(const void *p)
{
	const u8 *b = p;
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

/* RAM the firmware still owns after ExitBootServices (UEFI 7.2, "Memory
 * Type Usage after ExitBootServices()"): reserved, unusable, ACPI NVS,
 * PAL code, persistent, and types we do not know. Runtime-services code
 * and data too: we never call runtime services, but leaving them intact
 * is what an OS owes the firmware, and costs us a few hundred KiB. MMIO
 * types are not RAM. Adjacent ranges are merged; the map is read as the
 * one ExitBootServices accepted. */
static bool firmware_keeps(u32 type)
{
	switch (type) {
	case EFI_LOADER_CODE: case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE: case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY: case EFI_ACPI_RECLAIM_MEMORY:
	case EFI_MEMORY_MAPPED_IO: case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
		return false;
	default:
		return true;
	}
}

static void collect_reserved(struct efi_handover *h, const void *map, u64 size, u64 desc_size)
{
	h->nr_rsv = 0;
	for (u64 off = 0; off + sizeof(struct efi_memory_descriptor) <= size; off += desc_size) {
		const struct efi_memory_descriptor *d = (const void *)((const char *)map + off);
		if (!firmware_keeps(d->type))
			continue;
		u64 start = d->phys_start, end = start + (d->nr_pages << 12);
		if (h->nr_rsv && h->nr_rsv <= EFI_MAX_RSV && h->rsv_end[h->nr_rsv - 1] == start) {
			h->rsv_end[h->nr_rsv - 1] = end;
			continue;
		}
		/* More than fit: efi_adopt refuses to boot (it can print). */
		if (h->nr_rsv < EFI_MAX_RSV) {
			h->rsv_start[h->nr_rsv] = start;
			h->rsv_end[h->nr_rsv] = end;
		}
		h->nr_rsv++;
	}
}

/* UEFI 7.4 ExitBootServices: the map key must be that of the current
 * memory map; if it is stale the call fails with EFI_INVALID_PARAMETER and
 * only GetMemoryMap and ExitBootServices may be called again. So the map
 * buffer is allocated first, with room for the descriptors its own
 * allocation and the firmware's exit handlers may add. */
static void exit_boot_services(struct efi_system_table *st, efi_handle_t image,
			       struct efi_handover *h)
{
	struct efi_boot_services *bs = st->boot;
	u64 size = 0, key, desc_size, cap;
	u32 desc_version;
	void *map;
	efi_status_t s = bs->get_memory_map(&size, NULL, &key, &desc_size, &desc_version);
	if (s != EFI_BUFFER_TOO_SMALL)
		efi_fail(st, "GetMemoryMap", s);
	cap = size + 16 * desc_size;
	if (bs->allocate_pool(EFI_LOADER_DATA, cap, &map))
		efi_fail(st, "cannot allocate the memory map", EFI_BUFFER_TOO_SMALL);
	for (int tries = 0; tries < 8; tries++) {
		size = cap;
		s = bs->get_memory_map(&size, map, &key, &desc_size, &desc_version);
		if (s)
			efi_fail(st, "GetMemoryMap", s);
		collect_reserved(h, map, size, desc_size);
		s = bs->exit_boot_services(image, key);
		if (s == EFI_SUCCESS)
			return;
		if (s != EFI_INVALID_PARAMETER)
			efi_fail(st, "ExitBootServices", s);
	}
	/* Boot services may be half shut down: no console any more. */
	for (;;)
		wfi();
}

efi_status_t efi_entry(efi_handle_t image, struct efi_system_table *st)
{
	struct efi_handover *h;
	if (st->boot->allocate_pool(EFI_LOADER_DATA, sizeof(*h), (void **)&h))
		efi_fail(st, "cannot allocate the handover", EFI_BUFFER_TOO_SMALL);
	h->bootargs = load_options_to_ascii(st, image);
	u64 dtb = find_dtb(st);
	if (be32((void *)dtb) != 0xd00dfeed)	/* FDT magic */
		efi_fail(st, "the EFI_DTB_TABLE is not a flattened device tree", EFI_LOAD_ERROR);
	u64 dtb_size = be32((char *)dtb + 4);	/* totalsize */

	exit_boot_services(st, image, h);

	/* The firmware's exception vectors and timer handler are no longer
	 * ours to take (UEFI 7.4: boot services, and with them the timer
	 * services, are gone). Nothing below may take an exception. */
	asm volatile("msr daifset, #0xf" ::: "memory");

	/* What the MMU-off path reads, to the PoC, while the firmware's
	 * cacheable map is still live (docs/boot-cache-maintenance.md "efi-clean";
	 * docs/boot-cache-maintenance.md "Turning the MMU off" step 1). The image: the firmware's loader
	 * wrote it cacheably, and the common path checksums and relocates it
	 * and fetches its code with the MMU off; clean+invalidate so as few
	 * of its lines as possible stay cached into the MMU-off phase.
	 * The DTB and the handover are read only with the MMU on again,
	 * but the common path assumes what a loader promises (image and DTB
	 * at the PoC), so we keep that promise. [BCM: efi-clean] */
	dcache_clean_inval_poc((u64)_text, (u64)_end);
	dcache_clean_poc(dtb, dtb + dtb_size);
	dcache_clean_poc((u64)h, (u64)(h + 1));
	dcache_clean_poc((u64)h->bootargs, (u64)h->bootargs + strlen(h->bootargs) + 1);
	efi_takeover(dtb, h);
}

/* ---- After the takeover: the common path, relocated, MMU on ---- */

void efi_adopt(const struct efi_handover *h)
{
	platform.bootargs = h->bootargs;
	if (h->nr_rsv > EFI_MAX_RSV ||
	    platform.nr_rsv + h->nr_rsv > ARRAY_SIZE(platform.rsv_start)) {
		printf("EFI: %lu firmware-reserved ranges, room for %lu\n", h->nr_rsv,
		       (u64)ARRAY_SIZE(platform.rsv_start) - platform.nr_rsv);
		abort();
	}
	for (u64 i = 0; i < h->nr_rsv; i++) {
		platform.rsv_start[platform.nr_rsv] = h->rsv_start[i];
		platform.rsv_end[platform.nr_rsv++] = h->rsv_end[i];
	}
}
