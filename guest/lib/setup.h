/* The boot sequence (setup.c) and what tests may ask about it. */
#ifndef GUEST_SETUP_H
#define GUEST_SETUP_H

#include "types.h"

/* Registers x0..x3 at entry. */
extern u64 boot_args[4];
/* Physical extent of the loaded image, BSS and boot stack included. */
extern u64 image_start, image_end;

bool apply_relocations(u64 base, u64 *lo, u64 *hi);
u64 total_ram(void);

/* A test program's entry point. */
int main(int argc, char **argv);

#endif
