/* Handing the machine to another image, kexec-style. */
#ifndef GUEST_HANDOFF_H
#define GUEST_HANDOFF_H

#include "mmu_onoff.h"

/* Copy image (size bytes in the file, mem_size in memory) to fresh pages,
 * make it fetchable and readable with the MMU off, clean the ranges the
 * next image will read, turn the MMU off and enter it at its first byte
 * with args in x0..x3. Other CPUs should be off or idle. */
void __noreturn handoff(const void *image, u64 size, u64 mem_size,
			const struct mem_range *reads, int nr_reads, const u64 args[4]);

#endif
