/* PL011 UART at 0x09000000 (Arm PrimeCell UART TRM, DDI 0183): transmit
 * goes to the console at once, receive is always empty. Just enough for
 * the polled drivers of firmware and tests; no interrupts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/machine.h"

#define UARTDR    0x000
#define UARTFR    0x018
#define UARTIBRD  0x024
#define UARTFBRD  0x028
#define UARTLCR_H 0x02c
#define UARTCR    0x030
#define UARTIFLS  0x034
#define UARTIMSC  0x038
#define UARTRIS   0x03c
#define UARTMIS   0x040

#define FR_RXFE   (1u << 4)
#define FR_TXFE   (1u << 7)

/* Console output: written straight to the fd per line (or when the line
 * buffer fills), so nothing printed before a host crash is lost. The
 * line is also scanned for the guest's "EXIT: STATUS=n". */
static void console_line_done(struct machine *m)
{
	const char *p;

	m->line[m->line_len] = 0;
	p = strstr(m->line, "EXIT: STATUS=");
	if (p) {
		char *end;
		long v = strtol(p + 13, &end, 10);

		if (end != p + 13) {
			m->have_status = true;
			m->status = (int)(v & 0xff);
		}
	}
}

void pl011_flush(struct machine *m)
{
	size_t off = 0;

	while (off < m->line_len) {
		ssize_t n = write(m->out_fd, m->line + off, m->line_len - off);

		if (n <= 0)
			break;
		off += n;
	}
}

static void console_putc(struct machine *m, char ch)
{
	m->line[m->line_len++] = ch;
	if (ch == '\n' || m->line_len == sizeof(m->line) - 1) {
		pl011_flush(m);
		if (ch == '\n')
			console_line_done(m);
		m->line_len = 0;
	}
}

uint64_t pl011_read(struct machine *m, uint64_t off, unsigned size)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

	(void)size;
	switch (off) {
	case UARTDR:    return 0;
	case UARTFR:    return FR_TXFE | FR_RXFE;
	case UARTIBRD:  return m->uart_ibrd;
	case UARTFBRD:  return m->uart_fbrd;
	case UARTLCR_H: return m->uart_lcr;
	case UARTCR:    return m->uart_cr;
	case UARTIFLS:  return m->uart_ifls;
	case UARTIMSC:  return m->uart_imsc;
	case UARTRIS:   return 0;
	case UARTMIS:   return 0;
	}
	if (off >= 0xfe0 && off < 0x1000 && !(off & 3))
		return id[(off - 0xfe0) / 4];      /* PeriphID, PCellID */
	return 0;
}

void pl011_write(struct machine *m, uint64_t off, unsigned size, uint64_t v)
{
	(void)size;
	switch (off) {
	case UARTDR:    console_putc(m, (char)(v & 0xff)); break;
	case UARTIBRD:  m->uart_ibrd = v & 0xffff; break;
	case UARTFBRD:  m->uart_fbrd = v & 0x3f; break;
	case UARTLCR_H: m->uart_lcr = v & 0xff; break;
	case UARTCR:    m->uart_cr = v & 0xffff; break;
	case UARTIFLS:  m->uart_ifls = v & 0x3f; break;
	case UARTIMSC:  m->uart_imsc = v & 0x7ff; break;
	default:        break;   /* ICR, DMACR, ...: no state to keep */
	}
}
