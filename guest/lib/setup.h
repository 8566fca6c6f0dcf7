/* The boot sequence (setup.c) and what tests may ask about it. */
#ifndef GUEST_SETUP_H
#define GUEST_SETUP_H

#include "types.h"

/* Registers x0..x3 at entry. */
extern u64 boot_args[4];
/* Physical extent of the loaded image, BSS and boot stack included. */
extern u64 image_start, image_end;

/* The image checksum computed by the first C code with the MMU off
 * against the one embedded at build time. covered == 0: none embedded. */
struct image_integrity {
	u64 expected, computed, covered;
};
extern struct image_integrity image_integrity;

bool apply_relocations(u64 base, u64 *lo, u64 *hi);
u64 total_ram(void);
/* A boot step failed: prints "boot: <message>" and exits with EXIT_FAIL
 * (before the PSCI conduit is known, only prints and waits). */
void __noreturn boot_fatal(const char *fmt, ...) __printf(1, 2);

#endif
