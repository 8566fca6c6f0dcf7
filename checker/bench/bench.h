/* Freestanding helpers for the benchmark guests: PL011 output. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

static inline void putc_uart(char ch)
{
	*(volatile uint8_t *)0x09000000 = ch;
}

static inline void puts_uart(const char *s)
{
	while (*s)
		putc_uart(*s++);
}

static inline void puthex(uint64_t v)
{
	for (int i = 60; i >= 0; i -= 4)
		putc_uart("0123456789abcdef"[(v >> i) & 15]);
}

#endif
