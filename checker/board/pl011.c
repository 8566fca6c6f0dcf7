/* PL011 UART at 0x09000000 (Arm PrimeCell UART TRM, DDI 0183): transmit
 * goes to the console at once; receive comes from m->in_fd (stdin), so a
 * firmware prompt can be driven by a script. Just enough for the polled
 * drivers of firmware and tests; no interrupts. */
#include <poll.h>
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

#define FR_RXFE   (1u << 4)       /* receive FIFO empty */
#define FR_TXFE   (1u << 7)

/* Console output: written straight to the fd per line (or when the line
 * buffer fills), so nothing printed before a host crash is lost. The
 * lines are also scanned for the guest's "EXIT: STATUS=n". */

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

/* The line for a message: printable ASCII as is, the rest escaped. */
static void quote_line(const char *s, size_t len, char *out, size_t outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < len && k + 5 < outlen; i++) {
		unsigned char ch = s[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
			out[k++] = ch;
		else
			k += snprintf(out + k, outlen - k, "\\x%02x", ch);
	}
	out[k] = 0;
}

static void bad_exit_line(struct machine *m, size_t len, const char *what)
{
	char q[200];

	quote_line(m->line, len, q, sizeof(q));
	fprintf(stderr, "coherent: bad EXIT line from the guest: \"%s%s\": %s "
		"(the status line must be exactly \"EXIT: STATUS=n\", n "
		"0..255, on a line of its own)\n", m->line_long ? "..." : "",
		q, what);
	m->bad_status = true;
}

/* "EXIT: STATUS=" and 1 to 3 decimal digits up to 255, nothing else. */
static int parse_exit_line(const char *s, size_t len)
{
	static const char tag[] = "EXIT: STATUS=";
	const size_t n = sizeof(tag) - 1;
	int v = 0;

	if (len <= n || len > n + 3 || memcmp(s, tag, n))
		return -1;
	for (size_t i = n; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 255 ? v : -1;
}

/* A whole line has arrived (line[] ends with its newline). */
static void console_line_done(struct machine *m)
{
	size_t len = m->line_len - 1;
	int v;

	if (!m->line_has_exit)
		return;
	if (len && m->line[len - 1] == '\r')
		len--;          /* a CRLF console is still one line */
	v = m->line_long ? -1 : parse_exit_line(m->line, len);
	if (v < 0)
		bad_exit_line(m, len, "not a status line");
	else if (m->have_status && m->status != v)
		bad_exit_line(m, len, "a second EXIT line with another status");
	else {
		m->have_status = true;
		m->status = v;
	}
}

static void console_putc(struct machine *m, char ch)
{
	static const char exit_tag[] = "EXIT:";

	/* "EXIT:" anywhere on the line, NULs and all, makes it a would-be
	 * status line that must then parse (no border in the tag: a
	 * mismatch restarts at this character). */
	if (ch == exit_tag[m->exit_match]) {
		if (!exit_tag[++m->exit_match]) {
			m->line_has_exit = true;
			m->exit_match = 0;
		}
	} else {
		m->exit_match = ch == exit_tag[0];
	}
	m->line[m->line_len++] = ch;
	if (ch == '\n') {
		pl011_flush(m);
		console_line_done(m);
		m->line_len = 0;
		m->line_long = m->line_has_exit = false;
		m->exit_match = 0;
	} else if (m->line_len == sizeof(m->line) - 1) {
		pl011_flush(m);
		m->line_len = 0;
		m->line_long = true;
	}
}

int pl011_exit_code(struct machine *m)
{
	if (m->line_has_exit)
		bad_exit_line(m, m->line_len, "no newline before the system "
			      "was turned off");
	if (m->bad_status)
		return EXIT_BAD_STATUS;
	return m->have_status ? m->status : 0;
}

/* Take what input is ready without blocking: the guest polls UARTFR
 * in a loop, so a wait here would stop the machine. Once per round at
 * most (a syscall per character printed would cost more than the
 * character), and never again after end of file. Input read from a file
 * is all there at the first look, so such a run is deterministic. */
static void rx_poll(struct machine *m)
{
	struct pollfd p = { .fd = m->in_fd, .events = POLLIN };
	ssize_t n;

	if (m->in_fd < 0 || m->in_eof || m->in_polled == m->rounds + 1)
		return;
	m->in_polled = m->rounds + 1;
	if (m->rx_head) {
		memmove(m->rx, m->rx + m->rx_head, m->rx_len);
		m->rx_head = 0;
	}
	if (m->rx_len == sizeof(m->rx) || poll(&p, 1, 0) <= 0 ||
	    !(p.revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	n = read(m->in_fd, m->rx + m->rx_len, sizeof(m->rx) - m->rx_len);
	if (n > 0)
		m->rx_len += n;
	else
		m->in_eof = true;       /* end of file, or an error: no more */
}

static uint64_t rx_pop(struct machine *m)
{
	rx_poll(m);
	if (!m->rx_len)
		return 0;
	m->rx_len--;
	return m->rx[m->rx_head++];
}

uint64_t pl011_read(struct machine *m, uint64_t off, unsigned size)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

	(void)size;
	switch (off) {
	case UARTDR:    return rx_pop(m);
	case UARTFR:
		rx_poll(m);
		return FR_TXFE | (m->rx_len ? 0 : FR_RXFE);
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
