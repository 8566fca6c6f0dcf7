/* Page allocator: free memory as an address-ordered array of disjoint
 * ranges. First fit with alignment; freeing merges neighbours. Small and
 * obviously correct rather than fast: tests allocate little. */
#include "alloc.h"
#include "libc.h"
#include "spinlock.h"

#define MAX_RANGES 256

static struct range { u64 start, end; } ranges[MAX_RANGES];
static int nranges;
static struct spinlock lock;

void page_alloc_init(void)
{
	nranges = 0;
}

static void insert(int i, u64 start, u64 end)
{
	assert(nranges < MAX_RANGES);
	memmove(&ranges[i + 1], &ranges[i], (nranges - i) * sizeof(ranges[0]));
	ranges[i] = (struct range){ start, end };
	nranges++;
}

static void remove_at(int i)
{
	memmove(&ranges[i], &ranges[i + 1], (nranges - i - 1) * sizeof(ranges[0]));
	nranges--;
}

static void add_locked(u64 start, u64 end)
{
	int i = 0;
	while (i < nranges && ranges[i].start < start)
		i++;
	assert(i == 0 || ranges[i - 1].end <= start);	/* double free */
	assert(i == nranges || end <= ranges[i].start);
	if (i > 0 && ranges[i - 1].end == start) {
		ranges[i - 1].end = end;
		if (i < nranges && ranges[i].start == end) {
			ranges[i - 1].end = ranges[i].end;
			remove_at(i);
		}
	} else if (i < nranges && ranges[i].start == end) {
		ranges[i].start = start;
	} else {
		insert(i, start, end);
	}
}

void page_alloc_add(u64 start, u64 end)
{
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return;
	spin_lock(&lock);
	add_locked(start, end);
	spin_unlock(&lock);
}

void *alloc_pages(unsigned order)
{
	u64 size = PAGE_SIZE << order;
	void *ret = NULL;
	spin_lock(&lock);
	for (int i = 0; i < nranges; i++) {
		u64 p = ALIGN_UP(ranges[i].start, size);
		if (p >= ranges[i].end || ranges[i].end - p < size)
			continue;
		u64 s = ranges[i].start, e = ranges[i].end;
		remove_at(i);
		if (s < p)
			add_locked(s, p);
		if (p + size < e)
			add_locked(p + size, e);
		ret = (void *)p;
		break;
	}
	spin_unlock(&lock);
	return ret;
}

void free_pages(void *p, unsigned order)
{
	spin_lock(&lock);
	add_locked((u64)p, (u64)p + (PAGE_SIZE << order));
	spin_unlock(&lock);
}

void *alloc_page(void)
{
	return alloc_pages(0);
}

void free_page(void *p)
{
	free_pages(p, 0);
}

u64 page_alloc_free_bytes(void)
{
	u64 n = 0;
	spin_lock(&lock);
	for (int i = 0; i < nranges; i++)
		n += ranges[i].end - ranges[i].start;
	spin_unlock(&lock);
	return n;
}
