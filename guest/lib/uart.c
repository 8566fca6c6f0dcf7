/* PL011 transmit (Arm PrimeCell UART PL011 TRM: UARTDR at 0x000, UARTFR at
 * 0x018, TXFF = FR bit 5). Mapped Device-nGnRnE by mmu.c. */
#include "console.h"
#include "spinlock.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define FR_TXFF (1u << 5)

static volatile u32 *uart;
static struct spinlock console_lock;

void console_init(phys_addr_t base)
{
	uart = (volatile u32 *)base;
}

static void putc_raw(char c)
{
	while (uart[UARTFR / 4] & FR_TXFF)
		;
	uart[UARTDR / 4] = (u8)c;
}

void console_write(const char *s)
{
	if (!uart)	/* before the device tree is read: nowhere to print */
		return;
	spin_lock(&console_lock);
	for (; *s; s++) {
		putc_raw(*s);
	}
	spin_unlock(&console_lock);
}
