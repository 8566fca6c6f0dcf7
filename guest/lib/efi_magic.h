/* x2 at primary_entry when we come from efi_takeover (efi_entry.S), with
 * x1 = struct efi_handover (efi.h). Linux booting.rst requires x1..x3 to be
 * zero from an Image loader, so one that follows it never passes this.
 * Shared by C and assembly. */
#ifndef GUEST_EFI_MAGIC_H
#define GUEST_EFI_MAGIC_H

#define EFI_BOOT_MAGIC 0x494645746e726863	/* "chrntEFI" */

#endif
