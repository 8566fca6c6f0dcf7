/* The handed-off image: checks, with the MMU off, that it arrived intact
 * (its own checksum trailer) and that the data blob handed to it is
 * intact, then reports and powers off. Everything it reads is a Device
 * access: it sees only what the first image cleaned to the PoC. */
#include <stdbool.h>
#include <stdint.h>

#include "checksum.h"

#pragma GCC visibility push(hidden)

typedef uint64_t u64;

extern const char _start[], _payload_end[];

static volatile uint32_t *uart;
static int tests, failures;

static void putc_(char c)
{
	while (uart[0x18 / 4] & (1u << 5))	/* PL011 FR.TXFF */
		;
	uart[0] = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void put_hex(u64 v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void put_dec(u64 v)
{
	char b[24];
	int n = 0;
	do
		b[n++] = '0' + v % 10;
	while (v /= 10);
	while (n)
		putc_(b[--n]);
}

static void report(bool ok, const char *what)
{
	tests++;
	failures += !ok;
	puts_(ok ? "PASS: handoff: payload: " : "FAIL: handoff: payload: ");
	puts_(what);
	putc_('\n');
}


void payload_main(u64 uart_conduit, u64 blob, u64 blob_size, u64 blob_sum, u64 base);
void payload_main(u64 uart_conduit, u64 blob, u64 blob_size, u64 blob_sum, u64 base)
{
	u64 sctlr;
	uart = (volatile uint32_t *)(uart_conduit & ~0xfffUL);
	asm volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	report(!(sctlr & 1), "running with the MMU off");
	report(base == (u64)_start, "entered at its load address");
	u64 self = fnv64_words((const u64 *)_start, (const u64 *)_payload_end);
	report(self == *(const u64 *)_payload_end, "own image checksum matches");
	report(fnv64_words((const u64 *)blob, (const u64 *)(blob + blob_size)) == blob_sum,
	       "data blob checksum matches");
	puts_("INFO: handoff: payload: blob ");
	put_dec(blob_size);
	puts_(" bytes at ");
	put_hex(blob);
	putc_('\n');
	/* kvm-unit-tests' wording, as the framework's report_summary. */
	puts_("SUMMARY: ");
	put_dec(tests);
	puts_(" tests");
	if (failures) {
		puts_(", ");
		put_dec(failures);
		puts_(" unexpected failures");
	}
	puts_("\nEXIT: STATUS=");
	put_dec(failures ? 1 : 0);
	putc_('\n');

	register u64 x0 asm("x0") = 0x84000008;	/* PSCI SYSTEM_OFF */
	if (uart_conduit & 1)
		asm volatile("smc #0" : "+r"(x0) : : "memory");
	else
		asm volatile("hvc #0" : "+r"(x0) : : "memory");
	for (;;)
		asm volatile("wfi");
}
