/* System register access and the bits the framework uses. */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#include "types.h"
#include "sysreg_bits.h"

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %x0" : : "rZ"((u64)(v)))

#define isb()      asm volatile("isb" ::: "memory")
#define dsb(opt)   asm volatile("dsb " #opt ::: "memory")
#define dmb(opt)   asm volatile("dmb " #opt ::: "memory")
#define sev()      asm volatile("sev" ::: "memory")
#define wfe()      asm volatile("wfe" ::: "memory")
#define wfi()      asm volatile("wfi" ::: "memory")

static inline unsigned current_el(void)
{
	return (read_sysreg(CurrentEL) >> 2) & 3;
}

static inline bool mmu_enabled(void)
{
	return read_sysreg(sctlr_el1) & SCTLR_M;
}

#endif
