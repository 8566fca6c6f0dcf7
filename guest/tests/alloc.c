/* The allocators: alignment, exhaustion returns NULL, no overlap, free
 * gives memory back, and no small-print limits: many small objects share
 * pages, the page allocator keeps any number of holes. */
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

#define NSMALL 1000

/* Each object holds its index in every word: an overlap shows as a
 * wrong word, in O(n). */
static void fill(u64 *p, u64 words, u64 v)
{
	for (u64 w = 0; w < words; w++)
		p[w] = v;
}

static int wrong(u64 *p, u64 words, u64 v)
{
	int bad = 0;
	for (u64 w = 0; w < words; w++)
		bad += p[w] != v;
	return bad;
}

static void check_small(void)
{
	static u64 *obj[NSMALL];
	report_prefix_push("small");
	u64 before = page_alloc_free_bytes();
	int bad = 0;
	for (int i = 0; i < NSMALL; i++) {
		obj[i] = malloc(32);
		bad += !obj[i] || ((u64)obj[i] & 15);
		if (obj[i])
			fill(obj[i], 4, i);
	}
	u64 used = before - page_alloc_free_bytes();
	report(bad == 0, "%d x malloc(32): all 16-byte aligned", NSMALL);
	report(used <= 32 * PAGE_SIZE, "they share pages: %lu KiB for %d objects",
	       used >> 10, NSMALL);
	for (int i = 0; i < NSMALL; i += 2)
		free(obj[i]);
	u64 after_free = page_alloc_free_bytes();
	for (int i = 0; i < NSMALL; i += 2) {
		obj[i] = malloc(32);
		if (obj[i])
			fill(obj[i], 4, i);
	}
	report(page_alloc_free_bytes() == after_free,
	       "malloc after freeing every other one reuses the freed slots");
	int corrupt = 0;
	for (int i = 0; i < NSMALL; i++)
		corrupt += !obj[i] || wrong(obj[i], 4, i);
	report(corrupt == 0, "all %d objects intact and disjoint", NSMALL);
	for (int i = 0; i < NSMALL; i++)
		free(obj[i]);
	report(page_alloc_free_bytes() == before, "freeing all of them returns every page");

	/* Sizes on both sides of every class boundary, small and large
	 * alike: first and last byte of each (the checker runs this; a full
	 * fill would cost millions of instructions). */
	static u8 *var[64];
	static u64 vsize[64];
	int nv = 0;
	corrupt = 0;
	for (u64 b = 32; b <= 4096; b <<= 1)
		for (int d = -1; d <= 1; d++) {
			vsize[nv] = b + d - 16;	/* the header is 16 bytes */
			var[nv] = malloc(vsize[nv]);
			if (var[nv]) {
				var[nv][0] = nv;
				var[nv][vsize[nv] - 1] = nv;
			}
			nv++;
		}
	for (int i = 0; i < nv; i++)
		corrupt += !var[i] || var[i][0] != i || var[i][vsize[i] - 1] != i;
	for (int i = 0; i < nv; i++)
		free(var[i]);
	report(corrupt == 0, "%d sizes from 15 to 4081 bytes, side by side", nv);
	report(page_alloc_free_bytes() == before, "and every page back after free");

	u8 *r = malloc(24);
	for (int i = 0; r && i < 24; i++)
		r[i] = i;
	r = realloc(r, 5000);
	corrupt = !r;
	for (int i = 0; r && i < 24; i++)
		corrupt += r[i] != i;
	report(corrupt == 0, "realloc from small to large keeps the contents");
	free(r);
	report_prefix_pop();
}

static void check_aligned(void)
{
	static void *obj[100];
	report_prefix_push("memalign");
	u64 before = page_alloc_free_bytes();
	int bad = 0;
	for (int i = 0; i < 100; i++) {
		obj[i] = memalign(64, 32);
		bad += !obj[i] || ((u64)obj[i] & 63);
		if (obj[i])
			fill(obj[i], 4, i);
	}
	u64 used = before - page_alloc_free_bytes();
	int corrupt = 0;
	for (int i = 0; i < 100; i++)
		corrupt += obj[i] && wrong(obj[i], 4, i);
	report(bad == 0 && corrupt == 0, "100 x memalign(64, 32): aligned and disjoint");
	report(used <= 8 * PAGE_SIZE, "without a page each (%lu KiB)", used >> 10);
	for (int i = 0; i < 100; i++)
		free(obj[i]);
	bad = 0;
	for (int i = 0; i < 8; i++) {
		obj[i] = memalign(4096, 32);
		bad += !obj[i] || ((u64)obj[i] & 4095);
	}
	for (int i = 0; i < 8; i++)
		free(obj[i]);
	report(bad == 0, "memalign(4096, 32) page aligned");
	u8 *big = malloc(3 * SZ_2M + 1);
	if (big) {
		big[0] = 1;
		big[3 * SZ_2M] = 2;
	}
	report(big && big[0] == 1 && big[3 * SZ_2M] == 2, "malloc(6 MiB + 1) usable to its last byte");
	free(big);
	void *huge = memalign(SZ_2M, 100);
	report(huge && !((u64)huge & (SZ_2M - 1)), "memalign(2 MiB, 100) aligned");
	free(huge);
	report(page_alloc_free_bytes() == before, "every page back after free");
	report_prefix_pop();
}

/* More holes than the old fixed table (256 ranges) held. */
static void check_holes(void)
{
	static void *pg[640];
	report_prefix_push("holes");
	u64 before = page_alloc_free_bytes();
	int got = 0;
	for (int i = 0; i < 640; i++)
		got += (pg[i] = alloc_page()) != NULL;
	for (int i = 0; i < 640; i += 2)
		free_page(pg[i]);
	report(got == 640, "640 pages allocated, every other one freed (320 holes)");
	int again = 0;
	for (int i = 0; i < 640; i += 2)
		again += (pg[i] = alloc_page()) != NULL;
	report(again == 320, "the holes are handed out again");
	for (int i = 0; i < 640; i++)
		free_page(pg[i]);
	report(page_alloc_free_bytes() == before, "all pages back, the holes merged");
	report_prefix_pop();
}

int main(void)
{
	report_prefix_push("alloc");
	check_early();
	check_pages();
	check_malloc();
	check_small();
	check_aligned();
	check_holes();
	return report_summary();
}
