/* Handoff to a second image (guest/payload), kexec-style: it runs with the
 * MMU off, checks its own checksum and that of a data blob handed to it,
 * and reports the final status itself. */
#include <libcflat.h>
#include "checksum.h"
#include "handoff.h"

extern const char payload_image[], payload_image_end[];

#define BLOB_SIZE (3 * PAGE_SIZE + 512)	/* not a whole number of pages */

int main(void)
{
	report_prefix_push("handoff");
	u64 size = payload_image_end - payload_image;
	u64 mem_size = *(const u64 *)(payload_image + 8);	/* payload entry.S header */
	report(size > 16 && mem_size > size, "payload of %lu bytes, %lu in memory", size, mem_size);

	u64 *blob = malloc(BLOB_SIZE);
	assert(blob);
	u64 x = 0x243f6a8885a308d3UL, h = FNV64_INIT;
	for (u64 i = 0; i < BLOB_SIZE / 8; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		blob[i] = x;
		h = fnv64_step(h, x);
	}
	const struct mem_range reads[] = { { (u64)blob, (u64)blob + BLOB_SIZE } };
	const u64 args[4] = {
		platform.uart_base | (platform.conduit == PSCI_SMC),
		(u64)blob, BLOB_SIZE, h,
	};
	report_info("handing off; the payload reports the rest");
	handoff(payload_image, size, mem_size, reads, 1, args);
}
