/* malloc and free from every CPU at once: each CPU allocates objects of
 * every size class and some page runs, fills each with a pattern of its
 * own, checks them and frees them in another order, many rounds, all
 * CPUs together under the allocator's locks (malloc.c's, then
 * page_alloc.c's). An object handed to two CPUs, a lost free or a
 * corrupted slab list shows as a wrong pattern, an abort naming the
 * pointer, or free bytes that do not come back. */
#include <libcflat.h>

#define ROUNDS	40
#define OBJS	48

static const size_t sizes[] = { 1, 24, 40, 100, 200, 500, 1000, 2000, 3000, 9000 };

static volatile int errors[NR_CPUS];
static volatile int done[NR_CPUS];

static u64 pattern(int cpu, int round, int i, u64 word)
{
	return ((u64)cpu << 56) ^ ((u64)round << 40) ^ ((u64)i << 24) ^ word;
}

static void stress(void *data)
{
	int cpu = smp_processor_id();
	void *obj[OBJS];
	size_t len[OBJS];

	(void)data;
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < OBJS; i++) {
			len[i] = sizes[(i + round + cpu) % ARRAY_SIZE(sizes)];
			obj[i] = malloc(len[i]);
			if (!obj[i]) {
				errors[cpu]++;
				continue;
			}
			u64 *w = obj[i];
			for (size_t k = 0; k < len[i] / 8; k++)
				w[k] = pattern(cpu, round, i, k);
		}
		/* Free the odd ones first, so slabs go partial and back. */
		for (int pass = 1; pass >= 0; pass--)
			for (int i = pass; i < OBJS; i += 2) {
				u64 *w = obj[i];
				if (!w)
					continue;
				for (size_t k = 0; k < len[i] / 8; k++)
					if (w[k] != pattern(cpu, round, i, k)) {
						errors[cpu]++;
						break;
					}
				free(w);
			}
	}
	done[cpu] = 1;
}

int main(void)
{
	report_prefix_push("malloc-smp");
	/* Start the secondaries first: their stacks come from the pages
	 * counted below. */
	for (int cpu = 1; cpu < nr_cpus; cpu++)
		assert_msg(!smp_boot_cpu(cpu), "CPU %d did not start", cpu);
	u64 before = page_alloc_free_bytes();
	on_cpus(stress, NULL);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		report(done[cpu] && !errors[cpu], "cpu%d: %d rounds of %d objects, %d errors",
		       cpu, ROUNDS, OBJS, errors[cpu]);
	u64 after = page_alloc_free_bytes();
	report(after == before, "every page came back (%lu free before, %lu after)",
	       (unsigned long)before, (unsigned long)after);
	return report_summary();
}
