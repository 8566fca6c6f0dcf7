/* The allocators: alignment, exhaustion returns NULL, no overlap, and
 * free gives memory back. */
#include <libcflat.h>

#define N 64

static bool disjoint(u64 *start, u64 *len, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (start[i] < start[j] + len[j] && start[j] < start[i] + len[i])
				return false;
	return true;
}

/* The early allocator over a region of its own (it is done with its boot
 * pool by now): a bump pointer that must align and stop at the end. */
static void check_early(void)
{
	report_prefix_push("early");
	u64 region = (u64)alloc_pages(2), size = 4 * PAGE_SIZE;
	assert(region);
	early_alloc_init(region, region + size, NULL);
	u64 start[N], len[N];
	int n = 0, misaligned = 0, outside = 0;
	for (u64 align = 8; n < N; align = align >= 1024 ? 8 : align * 2) {
		u64 sz = 24 + n * 8;
		void *p = early_alloc(sz, align);
		if (!p)
			break;
		misaligned += ((u64)p & (align - 1)) != 0;
		outside += (u64)p < region || (u64)p + sz > region + size;
		start[n] = (u64)p, len[n++] = sz;
	}
	report(n > 8 && misaligned == 0, "%d allocations, each aligned as asked", n);
	report(outside == 0 && disjoint(start, len, n), "inside the region and disjoint");
	report(early_alloc(PAGE_SIZE * 8, 8) == NULL, "exhaustion returns NULL");
	report(early_alloc(8, 1UL << 40) == NULL, "an impossible alignment returns NULL");
	free_pages((void *)region, 2);
	report_prefix_pop();
}

static void check_pages(void)
{
	report_prefix_push("page");
	u64 before = page_alloc_free_bytes();
	u64 start[N], len[N];
	int misaligned = 0;
	for (int i = 0; i < N; i++) {
		unsigned order = i % 5;
		start[i] = (u64)alloc_pages(order);
		len[i] = PAGE_SIZE << order;
		misaligned += !start[i] || (start[i] & (len[i] - 1));
	}
	report(misaligned == 0, "alloc_pages(order) aligned to its size");
	report(disjoint(start, len, N), "%d runs disjoint", N);
	for (int i = 0; i < N; i++)
		free_pages((void *)start[i], i % 5);
	report(page_alloc_free_bytes() == before, "free returns every page");

	/* Exhaust with 2 MiB runs, then pages, then check NULL. */
	static u64 runs[4096];
	int nr = 0;
	void *p;
	while (nr < 4096 && (p = alloc_pages(9)))
		runs[nr++] = (u64)p;
	u64 left_pages = 0;
	void *chain = NULL;	/* single pages linked through their first word */
	while ((p = alloc_page())) {
		*(void **)p = chain;
		chain = p;
		left_pages++;
	}
	report(alloc_page() == NULL && page_alloc_free_bytes() == 0,
	       "exhaustion returns NULL (%d runs of 2 MiB + %lu pages)", nr, left_pages);
	while (chain) {
		void *next = *(void **)chain;
		free_page(chain);
		chain = next;
	}
	for (int i = 0; i < nr; i++)
		free_pages((void *)runs[i], 9);
	report(page_alloc_free_bytes() == before, "all of it comes back");
	report_prefix_pop();
}

static void check_malloc(void)
{
	report_prefix_push("malloc");
	u64 start[N], len[N];
	int bad = 0;
	for (int i = 0; i < N; i++) {
		len[i] = 1 + i * 37;
		u8 *p = malloc(len[i]);
		start[i] = (u64)p;
		bad += !p || ((u64)p & 15);
		if (p)
			memset(p, i, len[i]);
	}
	report(bad == 0, "malloc returns 16-byte aligned memory");
	report(disjoint(start, len, N), "allocations disjoint");
	int corrupt = 0;
	for (int i = 0; i < N; i++)
		for (u64 b = 0; b < len[i]; b++)
			corrupt += ((u8 *)start[i])[b] != (u8)i;
	report(corrupt == 0, "contents intact after all allocations");
	u64 align_bad = 0;
	for (u64 a = 32; a <= 65536; a <<= 1) {
		void *p = memalign(a, 100);
		align_bad += !p || ((u64)p & (a - 1));
		free(p);
	}
	report(align_bad == 0, "memalign honours alignments 32 .. 64 KiB");
	u64 before = page_alloc_free_bytes();
	for (int i = 0; i < N; i++)
		free((void *)start[i]);
	report(page_alloc_free_bytes() > before, "free gives memory back");
	report(malloc(1UL << 42) == NULL, "an impossible size returns NULL");
	u8 *z = calloc(100, 10);
	int nonzero = 0;
	for (int i = 0; z && i < 1000; i++)
		nonzero += z[i] != 0;
	report(z && !nonzero, "calloc zeroes");
	free(z);
	report(calloc(1UL << 62, 16) == NULL, "calloc overflow returns NULL");
	report_prefix_pop();
}

int main(void)
{
	report_prefix_push("alloc");
	check_early();
	check_pages();
	check_malloc();
	return report_summary();
}
