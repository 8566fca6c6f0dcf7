/* The console: a PL011 found in the device tree, and before that one at
 * the address QEMU's virt machine (and the checker) puts it. */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include "types.h"

/* The early console, used from the first C code until the device tree
 * names the UART: QEMU hw/arm/virt.c base_memmap[VIRT_UART], the same
 * default as kvm-unit-tests' CONFIG_UART_EARLY_BASE (lib/arm/io.c).
 * With the MMU off every access is Device-nGnRnE, which is right for the
 * UART; the first map maps this page Device too, so printing works on
 * either side of the MMU switch. */
#define EARLY_UART_BASE 0x09000000UL

/* Switch to the UART the device tree names; 0: none (output is dropped). */
void console_init(phys_addr_t base);
/* Writes the whole string atomically with respect to other CPUs. */
void console_write(const char *s);
/* For printf, which writes one formatted message in several pieces:
 * console_lock, then console_write_locked for each, then console_unlock. */
void console_lock(void);
void console_unlock(void);
void console_write_locked(const char *s, size_t n);

#endif
