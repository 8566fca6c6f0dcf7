/* PE/COFF headers: every guest image is also a UEFI application for
 * AArch64, in the manner of Linux's arm64 Image. The Image header (head.S)
 * begins with "MZ" (code0) and its res5 field, at the DOS header's e_lfanew
 * offset 0x3c, points here. image.lds places this right after the Image
 * header and pads the headers to 4 KiB.
 *
 * Field meanings: Microsoft "PE Format" specification ("COFF File Header",
 * "Optional Header (Image Only)", "Section Table"); UEFI 2.10 section 2.1.1
 * (UEFI images are PE32+, Subsystem 10 for an application) and 2.3.6
 * (AArch64: Machine 0xAA64).
 *
 * No base relocations: the image relocates itself (reloc.c) after the EFI
 * takeover, so the loader needs none. The DataDirectory base-relocation
 * entry is empty but IMAGE_FILE_RELOCS_STRIPPED is clear, so the loader may
 * place us anywhere (edk2 BasePeCoffLib refuses to move a "stripped" image);
 * it then changes no byte of our sections, only the ImageBase header field
 * (setup.c's checksum counts that field as its linked value, 0).
 *
 * Every value is a link-time constant from image.lds (__pe_*), because the
 * image is linked at 0: a symbol's link address is its RVA and its file
 * offset. scripts/check-image checks the result against the ELF. */

#define IMAGE_FILE_MACHINE_ARM64	0xaa64
#define IMAGE_FILE_EXECUTABLE_IMAGE	0x0002
#define IMAGE_FILE_LARGE_ADDRESS_AWARE	0x0020
#define IMAGE_FILE_DEBUG_STRIPPED	0x0200
#define PE32PLUS_MAGIC			0x020b
#define IMAGE_SUBSYSTEM_EFI_APPLICATION	10
#define IMAGE_DLLCHARACTERISTICS_NX_COMPAT 0x0100
#define SCN_CODE	0x00000020
#define SCN_IDATA	0x00000040
#define SCN_EXECUTE	0x20000000
#define SCN_READ	0x40000000
#define SCN_WRITE	0x80000000
#define NR_DATA_DIRS	16

	.section .head.pe, "a"
	.p2align 3
	.globl	pe_header
pe_header:
	.ascii	"PE\0\0"
/* COFF File Header */
	.short	IMAGE_FILE_MACHINE_ARM64		// Machine
	.short	(.Lsections_end - .Lsections) / 40	// NumberOfSections
	.long	0					// TimeDateStamp
	.long	0					// PointerToSymbolTable
	.long	0					// NumberOfSymbols
	.short	.Lopt_end - .Lopt			// SizeOfOptionalHeader
	.short	IMAGE_FILE_EXECUTABLE_IMAGE | IMAGE_FILE_LARGE_ADDRESS_AWARE | \
		IMAGE_FILE_DEBUG_STRIPPED		// Characteristics
/* Optional Header, standard fields (PE32+) */
.Lopt:
	.short	PE32PLUS_MAGIC				// Magic
	.byte	0, 0					// Major/MinorLinkerVersion
	.long	__pe_text_size				// SizeOfCode
	.long	__pe_data_rawsize			// SizeOfInitializedData
	.long	__pe_bss_size				// SizeOfUninitializedData
	.long	__pe_entry				// AddressOfEntryPoint: efi_entry
	.long	__pe_text_rva				// BaseOfCode
/* Optional Header, Windows-specific fields (PE32+) */
	.globl	pe_image_base
pe_image_base:			/* edk2 stores its load address here */
	.quad	0					// ImageBase: linked at 0
	.long	4096					// SectionAlignment
	.long	512					// FileAlignment
	.short	0, 0					// Major/MinorOperatingSystemVersion
	.short	0, 0					// Major/MinorImageVersion
	.short	0, 0					// Major/MinorSubsystemVersion
	.long	0					// Win32VersionValue
	.long	_image_size				// SizeOfImage: BSS, boot stack included
	.long	__pe_headers_size			// SizeOfHeaders: the first page
	.long	0					// CheckSum (not checked for EFI images)
	.short	IMAGE_SUBSYSTEM_EFI_APPLICATION		// Subsystem
	.short	IMAGE_DLLCHARACTERISTICS_NX_COMPAT	// DllCharacteristics: no W+X needed
	.quad	0, 0, 0, 0				// Size of Stack/Heap Reserve/Commit
	.long	0					// LoaderFlags
	.long	NR_DATA_DIRS				// NumberOfRvaAndSizes
	/* Data directories: all empty. Index 5 (base relocations) empty:
	 * nothing for the loader to fix up (see above). */
	.rept	NR_DATA_DIRS
	.quad	0
	.endr
.Lopt_end:
/* Section Table: .text (the code, RX) and .data (read-only data, the
 * relocation table, RW data; BSS and the boot pool as the zero-filled
 * tail beyond the raw data). Together they cover [4 KiB, SizeOfImage). */
.Lsections:
	.ascii	".text\0\0\0"
	.long	__pe_text_size				// VirtualSize
	.long	__pe_text_rva				// VirtualAddress
	.long	__pe_text_size				// SizeOfRawData
	.long	__pe_text_rva				// PointerToRawData
	.long	0, 0					// PointerToRelocations/Linenumbers
	.short	0, 0					// NumberOfRelocations/Linenumbers
	.long	SCN_CODE | SCN_EXECUTE | SCN_READ	// Characteristics

	.ascii	".data\0\0\0"
	.long	__pe_data_vsize				// VirtualSize
	.long	__pe_data_rva				// VirtualAddress
	.long	__pe_data_rawsize			// SizeOfRawData
	.long	__pe_data_rva				// PointerToRawData
	.long	0, 0
	.short	0, 0
	.long	SCN_IDATA | SCN_READ | SCN_WRITE	// Characteristics
.Lsections_end:
