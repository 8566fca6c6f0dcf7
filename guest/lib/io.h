/* MMIO accessors and ioremap, with the names and ordering of Linux and
 * kvm-unit-tests.
 *
 * Each access is one LDR/STR of its size with a plain base register (no
 * writeback, no pair): single-copy atomic (Arm ARM DDI 0487, B2.2
 * "Atomicity in the Arm architecture"), and the only kind of access whose
 * Data Abort syndrome a hypervisor can emulate (ESR_EL2.ISV is 0 for
 * writeback and pair forms: Arm ARM, ESR_ELx "ISS encoding for an
 * exception from a Data Abort").
 *
 * The _relaxed forms are ordered only against other accesses to the same
 * Device-nGnRnE region (accesses to one peripheral arrive in program
 * order: Arm ARM, B2 "Device memory", the non-Reordering attribute). The plain
 * forms add what a driver needs against Normal memory, as kvm-unit-tests'
 * lib/asm-generic/io.h does with arm64's rmb()/wmb(): DSB ST before a write,
 * so a buffer written to Normal memory is complete before the device is
 * told about it (Linux uses DMB OSHST there, arch/arm64/include/asm/io.h;
 * a DSB is the stronger of the two and also completes before a following
 * WFI or system-register write); DSB LD after a read, so nothing after it,
 * Normal loads or a counter read, is performed before the device answered. */
#ifndef GUEST_IO_H
#define GUEST_IO_H

#include "types.h"
#include "sysreg.h"

#define __iomem

static inline u8 __raw_readb(const volatile void __iomem *addr)
{
	u32 v;
	asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (u8)v;
}

static inline u16 __raw_readw(const volatile void __iomem *addr)
{
	u32 v;
	asm volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (u16)v;
}

static inline u32 __raw_readl(const volatile void __iomem *addr)
{
	u32 v;
	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline u64 __raw_readq(const volatile void __iomem *addr)
{
	u64 v;
	asm volatile("ldr %x0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void __raw_writeb(u8 v, volatile void __iomem *addr)
{
	asm volatile("strb %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void __raw_writew(u16 v, volatile void __iomem *addr)
{
	asm volatile("strh %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void __raw_writel(u32 v, volatile void __iomem *addr)
{
	asm volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void __raw_writeq(u64 v, volatile void __iomem *addr)
{
	asm volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

/* The guest is little-endian only (the Image header's flags say so), as
 * are the devices of QEMU's virt: no byte swapping. */
#define readb_relaxed(a)     __raw_readb(a)
#define readw_relaxed(a)     __raw_readw(a)
#define readl_relaxed(a)     __raw_readl(a)
#define readq_relaxed(a)     __raw_readq(a)
#define writeb_relaxed(v, a) __raw_writeb(v, a)
#define writew_relaxed(v, a) __raw_writew(v, a)
#define writel_relaxed(v, a) __raw_writel(v, a)
#define writeq_relaxed(v, a) __raw_writeq(v, a)

#define __io_rmb() dsb(ld)
#define __io_wmb() dsb(st)

#define readb(a) ({ u8 __v = readb_relaxed(a); __io_rmb(); __v; })
#define readw(a) ({ u16 __v = readw_relaxed(a); __io_rmb(); __v; })
#define readl(a) ({ u32 __v = readl_relaxed(a); __io_rmb(); __v; })
#define readq(a) ({ u64 __v = readq_relaxed(a); __io_rmb(); __v; })
#define writeb(v, a) do { __io_wmb(); writeb_relaxed(v, a); } while (0)
#define writew(v, a) do { __io_wmb(); writew_relaxed(v, a); } while (0)
#define writel(v, a) do { __io_wmb(); writel_relaxed(v, a); } while (0)
#define writeq(v, a) do { __io_wmb(); writeq_relaxed(v, a); } while (0)

/* Map [pa, pa + size) Device-nGnRnE, at its physical address (the
 * framework identity maps everything), and return it. Pages already
 * mapped Device-nGnRnE are reused. NULL, with a message naming the page,
 * if any page of the range is already mapped with other attributes (RAM,
 * the image): a Device alias of Normal memory would be a mismatched-
 * attribute alias (Arm ARM B2.8), and changing the live mapping would
 * pull RAM the test uses out from under it. */
void __iomem *ioremap(phys_addr_t pa, size_t size);

#endif
