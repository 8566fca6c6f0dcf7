/* malloc/free over the page allocator. Each allocation is a run of pages
 * with a header in front of the returned pointer recording the run; small
 * requests share nothing. Memory hungry, but exact: exhaustion and
 * alignment follow directly from the page allocator. */
#include "alloc.h"
#include "libc.h"

struct hdr {
	u64 base;	/* start of the page run */
	u32 order;
	u32 magic;
};
#define HDR_MAGIC 0xc0de4a11u

static unsigned order_for(u64 bytes)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

void *memalign(size_t align, size_t size)
{
	if (align < 16)
		align = 16;
	if (align & (align - 1) || size > (1UL << 40))
		return NULL;
	u64 hdr_space = ALIGN_UP(sizeof(struct hdr), align);
	unsigned order = order_for(hdr_space + size);
	/* Page runs are aligned to their size; over-allocate when the
	 * requested alignment is larger than that. */
	while ((PAGE_SIZE << order) < align)
		order++;
	u64 base = (u64)alloc_pages(order);
	if (!base)
		return NULL;
	u64 p = ALIGN_UP(base + sizeof(struct hdr), align);
	struct hdr *h = (struct hdr *)p - 1;
	*h = (struct hdr){ base, order, HDR_MAGIC };
	return (void *)p;
}

void *malloc(size_t size)
{
	return memalign(16, size);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	assert(h->magic == HDR_MAGIC);
	h->magic = 0;
	free_pages((void *)h->base, h->order);
}
