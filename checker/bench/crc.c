/* CPU-bound benchmark: bitwise CRC-32 over a 64 KiB buffer, PASSES
 * times, with a small LCG refilling the buffer between passes. Runs
 * with the MMU off (data accesses are Device memory), so everything is
 * naturally aligned. Prints the checksum, then the framework status. */
#include "bench.h"

#define BUF_SIZE (64 * 1024)
/* make bench's table builds it with more passes (crc-long.bin): a run of
 * seconds, which QEMU's JIT takes long enough to be timed. */
#ifndef PASSES
#define PASSES   48
#endif

static uint32_t buf[BUF_SIZE / 4];

static uint32_t crc32(uint32_t crc, const uint32_t *p, unsigned words)
{
	for (unsigned i = 0; i < words; i++) {
		crc ^= p[i];
		for (int b = 0; b < 32; b++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return crc;
}

int main(void)
{
	uint32_t crc = ~0u, x = 12345;

	for (int pass = 0; pass < PASSES; pass++) {
		for (unsigned i = 0; i < BUF_SIZE / 4; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = x;
		}
		crc = crc32(crc, buf, BUF_SIZE / 4);
	}
	puts_uart("crc ");
	puthex(~crc);
	puts_uart("\nEXIT: STATUS=0\n");
	return 0;
}
