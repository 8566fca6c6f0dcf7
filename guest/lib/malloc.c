/* malloc/free: small objects from slabs, large ones as page runs.
 *
 * Small (header + size <= 2 KiB): one size class per power of two from 32
 * bytes to 2 KiB; a slab is a page run (4 KiB, 16 KiB for the largest
 * classes) cut into slots of the class size, its own header in the first
 * slot(s). A slab goes back to the page allocator as soon as its last
 * object is freed, so page_alloc_free_bytes() sees every free.
 * Large: a page run of its own, as before.
 *
 * Every object has a 16-byte header right before it, so free needs only
 * the pointer and can tell a pointer it never returned, or one freed
 * already, from a live one (a clear abort instead of a corrupted heap).
 * Alignment: the slab is aligned to its size and slots to theirs, so an
 * object at offset max(16, align) in a slot of at least that plus its
 * size is aligned as asked. */
#include "alloc.h"
#include "libc.h"
#include "spinlock.h"

struct hdr {
	u32 magic;
	u32 info;	/* small: class index; large: page order */
	u64 base;	/* small: the slot; large: the page run */
};
_Static_assert(sizeof(struct hdr) == 16, "hdr");

#define MAGIC_SMALL 0xc0de5a11u
#define MAGIC_LARGE 0xc0de4a11u
#define MAGIC_FREED 0xdeadf4eeu
#define MAGIC_SLAB  0x51ab51abu

#define MIN_SHIFT 5			/* 32-byte slots */
#define NR_CLASSES 7			/* 32 .. 2048 */
#define SLOT(c) (1UL << (MIN_SHIFT + (c)))
#define MAX_SMALL SLOT(NR_CLASSES - 1)
/* At least 8 slots per slab, so the header wastes at most 1/8. */
#define SLAB_ORDER(c) (SLOT(c) * 8 > PAGE_SIZE ? (c) - 4 : 0)
#define SLAB_BYTES(c) (PAGE_SIZE << SLAB_ORDER(c))

struct slab {
	u32 magic, cls;
	u32 used, nslots;
	struct slab *next;	/* in the class's list of slabs with a free slot */
	void *free;		/* free slots, linked through LINK */
};

/* A free slot's link to the next: its second word, so that the first,
 * the magic of a header at the slot's start, keeps saying MAGIC_FREED. */
#define LINK(slot) (((void **)(slot))[1])

static struct slab *partial[NR_CLASSES];
static struct spinlock lock;

static void *slab_alloc(unsigned c)
{
	struct slab *s = partial[c];
	if (!s) {
		s = alloc_pages(SLAB_ORDER(c));
		if (!s)
			return NULL;
		u64 first = ALIGN_UP(sizeof(*s), SLOT(c));
		*s = (struct slab){ MAGIC_SLAB, c, 0, (SLAB_BYTES(c) - first) / SLOT(c), NULL, NULL };
		for (u64 off = SLAB_BYTES(c); off > first; off -= SLOT(c)) {
			void *slot = (void *)((u64)s + off - SLOT(c));
			LINK(slot) = s->free;
			s->free = slot;
		}
		partial[c] = s;
	}
	void *slot = s->free;
	s->free = LINK(slot);
	if (++s->used == s->nslots)
		partial[c] = s->next;	/* full: out of the list until a free */
	return slot;
}

static void slab_free(u64 slot, unsigned c)
{
	struct slab *s = (struct slab *)ALIGN_DOWN(slot, SLAB_BYTES(c));
	assert_msg(s->magic == MAGIC_SLAB && s->cls == c && s->used,
		   "slab %p of object slot 0x%lx is corrupted", s, slot);
	if (s->used-- == s->nslots) {	/* was full: back in the list */
		s->next = partial[c];
		partial[c] = s;
	}
	LINK(slot) = s->free;
	s->free = (void *)slot;
	if (s->used)
		return;
	struct slab **pp = &partial[c];
	while (*pp != s)
		pp = &(*pp)->next;
	*pp = s->next;
	s->magic = 0;
	free_pages(s, SLAB_ORDER(c));
}

static unsigned order_for(u64 bytes)
{
	unsigned order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

void *memalign(size_t align, size_t size)
{
	if (align < sizeof(struct hdr))
		align = sizeof(struct hdr);
	if (align & (align - 1) || size > (1UL << 40) || align > (1UL << 40))
		return NULL;
	u64 offset = align;	/* of the object in its slot or run */
	if (offset + size <= MAX_SMALL) {
		unsigned c = 0;
		while (SLOT(c) < offset + size)
			c++;
		spin_lock(&lock);
		u64 slot = (u64)slab_alloc(c);
		spin_unlock(&lock);
		if (!slot)
			return NULL;
		struct hdr *h = (struct hdr *)(slot + offset) - 1;
		*h = (struct hdr){ MAGIC_SMALL, c, slot };
		return h + 1;
	}
	unsigned order = order_for(offset + size);
	/* Page runs are aligned to their size; over-allocate when the
	 * requested alignment is larger than that. */
	while ((PAGE_SIZE << order) < align)
		order++;
	u64 base = (u64)alloc_pages(order);
	if (!base)
		return NULL;
	struct hdr *h = (struct hdr *)(base + offset) - 1;
	*h = (struct hdr){ MAGIC_LARGE, order, base };
	return h + 1;
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

/* The header of p, or an abort that says what is wrong with p. */
static struct hdr *header_of(void *p, const char *fn)
{
	struct hdr *h = (struct hdr *)p - 1;
	assert_msg(!((u64)p & 15), "%s(%p): not a pointer malloc returned (misaligned)", fn, p);
	assert_msg(h->magic != MAGIC_FREED, "%s(%p): already freed", fn, p);
	assert_msg(h->magic == MAGIC_SMALL || h->magic == MAGIC_LARGE,
		   "%s(%p): not a pointer malloc returned (header 0x%x)", fn, p, h->magic);
	return h;
}

static u64 usable_size(struct hdr *h, void *p)
{
	u64 end = h->magic == MAGIC_SMALL ? h->base + SLOT(h->info)
					  : h->base + (PAGE_SIZE << h->info);
	return end - (u64)p;
}

void free(void *p)
{
	if (!p)
		return;
	struct hdr *h = header_of(p, "free");
	u32 magic = h->magic;
	h->magic = MAGIC_FREED;
	if (magic == MAGIC_SMALL) {
		spin_lock(&lock);
		slab_free(h->base, h->info);
		spin_unlock(&lock);
	} else {
		free_pages((void *)h->base, h->info);
	}
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	u64 have = usable_size(header_of(p, "realloc"), p);
	if (size <= have)
		return p;
	void *q = malloc(size);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
