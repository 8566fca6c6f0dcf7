/* libFuzzer harness: any byte string as an image must load or be
 * rejected with a message, never crash (ASan/UBSan catch the rest). */
#include <stdio.h>
#include <string.h>

#include "board/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine_config cfg = { .smp = 1, .ram_mib = 1, .max_insns = 1 };
	static struct machine m;
	char err[256];

	if (machine_init(&m, &cfg) < 0)
		return 0;
	err[0] = 0;
	if (loader_load(&m, data, size, err, sizeof(err)) < 0) {
		if (!err[0])
			__builtin_trap();           /* every error says why */
	} else if (!machine_ram_ptr(&m, m.dtb_pa, 64)) {
		__builtin_trap();
	}
	machine_free(&m);
	return 0;
}
