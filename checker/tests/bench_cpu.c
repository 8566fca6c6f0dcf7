/* Interpreter throughput on tight loops, with the test environment's
 * flat-memory fetch (so this measures decode + execute, not the MMU).
 * Prints guest instructions per second for each loop. */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "interp/exec.h"
#include "fake_machine.h"

#define BASE 0x80000ull

struct loop {
	const char *name;
	uint32_t code[16];
	unsigned len;
};

/* Each loop counts x0 down from 2^32-ish and never ends within the
 * benchmark's instruction budget. */
static const struct loop loops[] = {
	{ "add/eor/subs/b.ne", {
		0x8b020021,     /* add x1, x1, x2 */
		0xca010063,     /* eor x3, x3, x1 */
		0xf1000400,     /* subs x0, x0, #1 */
		0x54ffffa1,     /* b.ne .-12 */
	}, 4 },
	{ "mixed dp/branch", {
		0x8b020021,     /* add x1, x1, x2 */
		0xd37cec23,     /* lsl x3, x1, #4 */
		0x9a830024,     /* csel x4, x1, x3, eq */
		0x9b031085,     /* madd x5, x4, x3, x4 */
		0xb24003e6,     /* orr x6, xzr, #1 */
		0x8a0600a7,     /* and x7, x5, x6 */
		0xb5000047,     /* cbnz x7, .+8 */
		0xd503201f,     /* nop */
		0xf1000400,     /* subs x0, x0, #1 */
		0x54fffee1,     /* b.ne .-36 */
	}, 10 },
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);  /* robust to a loaded host */
	return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void)
{
	const uint64_t n = 300000000;
	struct cpu c;

	fake_alloc(BASE, 0x1000);
	printf("%-20s %12s %10s\n", "loop", "insns", "Minsn/s");
	for (unsigned i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		fake_cpu_init(&c);
		fake_reset_exc();
		fake_load(BASE, loops[i].code, loops[i].len);
		c.pc = BASE;
		c.x[0] = ~0ull;
		c.x[2] = 3;
		double t0 = now();
		uint64_t done = cpu_run(&c, n);
		double dt = now() - t0;
		if (done != n || fake.nexc) {
			fprintf(stderr, "%s: stopped early (%" PRIu64 ")\n",
				loops[i].name, done);
			return 1;
		}
		printf("%-20s %12" PRIu64 " %10.1f\n", loops[i].name, done,
		       done / dt / 1e6);
	}
	fake_free();
	return 0;
}
