/* PL011 transmit (Arm PrimeCell UART PL011 TRM: UARTDR at 0x000, UARTFR at
 * 0x018, TXFF = FR bit 5). Mapped Device-nGnRnE by setup.c. */
#include "console.h"
#include "spinlock.h"
#include "sysreg.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define FR_TXFF (1u << 5)

/* An integer initialised in .data, not a pointer: it is right before the
 * relocations are applied and before BSS is cleared, so printf works from
 * the first C code. */
static u64 uart_base = EARLY_UART_BASE;
static struct spinlock lock;

void console_init(phys_addr_t base)
{
	uart_base = base;
}

/* The lock is taken only with the MMU on: before that only the boot CPU
 * runs, its BSS (the lock word) may not be cleared yet, and a lock word
 * taken with Device accesses by one PE and cacheably by another would be
 * a mismatched-attribute alias (spinlock.h). */
void console_lock(void)
{
	if (mmu_enabled())
		spin_lock(&lock);
}

void console_unlock(void)
{
	if (mmu_enabled())
		spin_unlock(&lock);
}

void console_write_locked(const char *s, size_t n)
{
	volatile u32 *uart = (volatile u32 *)uart_base;
	if (!uart)	/* the device tree named no UART: nowhere to print */
		return;
	for (size_t i = 0; i < n && s[i]; i++) {
		while (uart[UARTFR / 4] & FR_TXFF)
			;
		uart[UARTDR / 4] = (u8)s[i];
	}
}

void console_write(const char *s)
{
	console_lock();
	console_write_locked(s, (size_t)-1);
	console_unlock();
}
