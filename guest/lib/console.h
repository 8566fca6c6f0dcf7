/* The console: a PL011 found in the device tree. */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include "types.h"

void console_init(phys_addr_t base);
/* Writes the whole string atomically with respect to other CPUs. */
void console_write(const char *s);

#endif
