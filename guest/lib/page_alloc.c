/* Page allocator: free memory as an address-ordered array of disjoint
 * ranges. First fit with alignment; freeing merges neighbours. Small and
 * obviously correct rather than fast: tests allocate little.
 *
 * The array has no fixed size: it starts in BSS and, when nearly full,
 * moves to a page run taken from the allocator itself, twice as large
 * (the old run is freed). It never touches free memory, so handing out
 * and freeing pages writes nothing in them. */
#include "alloc.h"
#include "libc.h"
#include "spinlock.h"

#define INITIAL_RANGES 64
/* Free slots kept before an operation: alloc_pages splits one range into
 * two (+1), and growing the array itself allocates (+1) and frees (+1). */
#define SPARE 4

struct range { u64 start, end; };
static struct range initial[INITIAL_RANGES];
static struct range *ranges = initial;
static int nranges, cap = INITIAL_RANGES;
static struct spinlock lock;

static void *alloc_locked(unsigned order);
static void add_locked(u64 start, u64 end);

void page_alloc_init(void)
{
	ranges = initial;
	cap = INITIAL_RANGES;
	nranges = 0;
}

static unsigned order_of(u64 bytes)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* Called before each operation that can add ranges. If no memory is left
 * to grow into, the insert that overflows aborts with the count. */
static void ensure_room_locked(void)
{
	if (nranges + SPARE <= cap)
		return;
	int new_cap = cap * 2;
	struct range *n = alloc_locked(order_of((u64)new_cap * sizeof(*n)));
	if (!n)
		return;
	for (int k = 0; k < nranges; k++)
		n[k] = ranges[k];
	struct range *old = ranges;
	u64 old_bytes = (u64)cap * sizeof(*old);
	ranges = n;
	cap = new_cap;
	if (old != initial)
		add_locked((u64)old, (u64)old + (PAGE_SIZE << order_of(old_bytes)));
}

/* Back to the array in BSS once the ranges fit there again, so that when
 * everything is freed, every page is free. */
static void shrink_locked(void)
{
	if (ranges == initial || nranges + SPARE > INITIAL_RANGES)
		return;
	for (int k = 0; k < nranges; k++)
		initial[k] = ranges[k];
	struct range *old = ranges;
	u64 old_bytes = (u64)cap * sizeof(*old);
	ranges = initial;
	cap = INITIAL_RANGES;
	add_locked((u64)old, (u64)old + (PAGE_SIZE << order_of(old_bytes)));
}

/* Moves n ranges from index from to index to, a range at a time (memmove
 * goes byte by byte, for the MMU-off code; this array is only used with
 * the MMU on, and the 16-byte moves keep it cheap on the checker). */
static void move(int to, int from, int n)
{
	if (to < from)
		for (int k = 0; k < n; k++)
			ranges[to + k] = ranges[from + k];
	else
		for (int k = n - 1; k >= 0; k--)
			ranges[to + k] = ranges[from + k];
}

static void insert(int i, u64 start, u64 end)
{
	assert_msg(nranges < cap, "page allocator: %d free ranges and no free page "
		   "left to grow its range table", nranges);
	move(i + 1, i, nranges - i);
	ranges[i] = (struct range){ start, end };
	nranges++;
}

static void remove_at(int i)
{
	move(i, i + 1, nranges - i - 1);
	nranges--;
}

/* The first range that starts at or after start (binary search). */
static int find(u64 start)
{
	int lo = 0, hi = nranges;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (ranges[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void add_locked(u64 start, u64 end)
{
	int i = find(start);
	assert_msg((i == 0 || ranges[i - 1].end <= start) &&
		   (i == nranges || end <= ranges[i].start),
		   "free_pages(0x%lx-0x%lx): overlaps free memory (a double free?)",
		   start, end);
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
	ensure_room_locked();
	add_locked(start, end);
	spin_unlock(&lock);
}

static void *alloc_locked(unsigned order)
{
	u64 size = PAGE_SIZE << order;
	void *ret = NULL;
	for (int i = 0; i < nranges; i++) {
		u64 p = ALIGN_UP(ranges[i].start, size);
		if (p >= ranges[i].end || ranges[i].end - p < size)
			continue;
		/* Cut [p, p + size) out in place: the array moves only when
		 * a range disappears or splits in two. */
		u64 s = ranges[i].start, e = ranges[i].end;
		if (s < p) {
			ranges[i].end = p;
			if (p + size < e)
				insert(i + 1, p + size, e);
		} else if (p + size < e) {
			ranges[i].start = p + size;
		} else {
			remove_at(i);
		}
		ret = (void *)p;
		break;
	}
	return ret;
}

void *alloc_pages(unsigned order)
{
	spin_lock(&lock);
	ensure_room_locked();
	void *ret = alloc_locked(order);
	spin_unlock(&lock);
	return ret;
}

void free_pages(void *p, unsigned order)
{
	spin_lock(&lock);
	ensure_room_locked();
	add_locked((u64)p, (u64)p + (PAGE_SIZE << order));
	shrink_locked();
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
