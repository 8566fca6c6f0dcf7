/* The few UEFI interfaces the EFI entry uses (efi.c), laid out as in the
 * UEFI 2.10 specification (section numbers below). Only what is called
 * is named; the other service slots are placeholders that keep the
 * offsets right. AArch64 calling convention: AAPCS64 (UEFI 2.10 2.3.6 "AArch64 Platforms"). */
#ifndef GUEST_EFI_H
#define GUEST_EFI_H

#include "types.h"
#include "efi_magic.h"

typedef u64 efi_status_t;
typedef void *efi_handle_t;
typedef u16 efi_char16_t;

/* Appendix D: error codes have the top bit set. */
#define EFI_SUCCESS           0
#define EFI_ERROR(n)          ((1UL << 63) | (n))
#define EFI_LOAD_ERROR        EFI_ERROR(1)
#define EFI_INVALID_PARAMETER EFI_ERROR(2)
#define EFI_UNSUPPORTED       EFI_ERROR(3)
#define EFI_BUFFER_TOO_SMALL  EFI_ERROR(5)
#define EFI_NOT_FOUND         EFI_ERROR(14)

typedef struct {
	u32 data1;
	u16 data2, data3;
	u8 data4[8];
} efi_guid_t;

/* 4.2 EFI_TABLE_HEADER */
struct efi_table_header {
	u64 signature;
	u32 revision, header_size, crc32, reserved;
};

/* 7.2 EFI_MEMORY_TYPE, EFI_ALLOCATE_TYPE */
enum {
	EFI_RESERVED_MEMORY, EFI_LOADER_CODE, EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE, EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY, EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY, EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO, EFI_MEMORY_MAPPED_IO_PORT_SPACE, EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
};

/* 7.2 EFI_MEMORY_DESCRIPTOR (the firmware's stride is DescriptorSize,
 * which may be larger). */
struct efi_memory_descriptor {
	u32 type;
	u64 phys_start, virt_start, nr_pages, attribute;
};

/* 4.4 EFI_BOOT_SERVICES, in table order. */
struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	efi_status_t (*allocate_pages)(int type, int mem_type, u64 pages, u64 *addr);
	void *free_pages;
	efi_status_t (*get_memory_map)(u64 *size, struct efi_memory_descriptor *map,
				       u64 *key, u64 *desc_size, u32 *desc_version);
	efi_status_t (*allocate_pool)(int mem_type, u64 size, void **buf);
	efi_status_t (*free_pool)(void *buf);
	void *create_event, *set_timer, *wait_for_event, *signal_event,
	     *close_event, *check_event;
	void *install_protocol_interface, *reinstall_protocol_interface,
	     *uninstall_protocol_interface;
	efi_status_t (*handle_protocol)(efi_handle_t h, const efi_guid_t *guid, void **iface);
	void *reserved, *register_protocol_notify, *locate_handle,
	     *locate_device_path, *install_configuration_table;
	void *load_image, *start_image, *exit, *unload_image;
	efi_status_t (*exit_boot_services)(efi_handle_t image, u64 map_key);
};

/* 4.5 EFI_RUNTIME_SERVICES, up to ResetSystem. */
struct efi_runtime_services {
	struct efi_table_header hdr;
	void *get_time, *set_time, *get_wakeup_time, *set_wakeup_time,
	     *set_virtual_address_map, *convert_pointer, *get_variable,
	     *get_next_variable_name, *set_variable, *get_next_high_mono_count;
	void (*reset_system)(int type, efi_status_t status, u64 size, void *data);
};
#define EFI_RESET_SHUTDOWN 2

/* 12.4 EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL, up to OutputString. */
struct efi_simple_text_output {
	void *reset;
	efi_status_t (*output_string)(struct efi_simple_text_output *self,
				      const efi_char16_t *s);
};

/* 4.6 EFI_CONFIGURATION_TABLE */
struct efi_configuration_table {
	efi_guid_t guid;
	void *table;
};

/* 4.3 EFI_SYSTEM_TABLE */
struct efi_system_table {
	struct efi_table_header hdr;
	efi_char16_t *firmware_vendor;
	u32 firmware_revision;
	efi_handle_t con_in_handle;
	void *con_in;
	efi_handle_t con_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle_t std_err_handle;
	void *std_err;
	struct efi_runtime_services *runtime;
	struct efi_boot_services *boot;
	u64 nr_tables;
	struct efi_configuration_table *tables;
};

/* 9.1 EFI_LOADED_IMAGE_PROTOCOL */
struct efi_loaded_image {
	u32 revision;
	efi_handle_t parent;
	struct efi_system_table *system_table;
	efi_handle_t device;
	void *file_path;
	void *reserved;
	u32 load_options_size;		/* bytes */
	void *load_options;
	void *image_base;
	u64 image_size;
	int image_code_type, image_data_type;
	void *unload;
};

#define EFI_LOADED_IMAGE_PROTOCOL_GUID \
	{ 0x5b1b31a1, 0x9562, 0x11d2, { 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b } }
/* 4.6.1.3 "Devicetree Tables": EFI_DTB_TABLE_GUID */
#define EFI_DTB_TABLE_GUID \
	{ 0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } }

/* What the EFI entry hands the common path besides the DTB, in pool
 * memory (EfiLoaderData) cleaned to the PoC: x1 at primary_entry. */
#define EFI_MAX_RSV 6
struct efi_handover {
	const char *bootargs;		/* LoadOptions as ASCII */
	u64 nr_rsv;			/* RAM the firmware keeps (see efi.c) */
	u64 rsv_start[EFI_MAX_RSV], rsv_end[EFI_MAX_RSV];
};

/* The EFI application entry point (PE AddressOfEntryPoint). */
efi_status_t efi_entry(efi_handle_t image, struct efi_system_table *st);
/* efi_entry.S: leave the firmware's MMU-on world for primary_entry. */
void __noreturn efi_takeover(u64 dtb, const struct efi_handover *h);
/* setup.c, with the MMU on and RAM mapped: take the command line and the
 * reserved ranges from the handover (x1 when x2 == EFI_BOOT_MAGIC). */
void efi_adopt(const struct efi_handover *h);

#endif
