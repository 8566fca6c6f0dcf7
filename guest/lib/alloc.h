/* Memory allocators, in the order they come up:
 *  early allocator: a bump pointer over one range, no locking, no freeing,
 *    no accounting; while the MMU is off it calls a maintenance callback
 *    for what it hands out;
 *  page allocator: power-of-two runs of pages from what the early
 *    allocator left, with free;
 *  malloc/free on top of the page allocator. */
#ifndef GUEST_ALLOC_H
#define GUEST_ALLOC_H

#include "types.h"

/* Called for each range handed out while the MMU is off. */
typedef void (*early_alloc_cb)(u64 start, u64 end);

void early_alloc_init(u64 start, u64 end, early_alloc_cb cb);
/* NULL when the range is exhausted. */
void *early_alloc(u64 size, u64 align);
/* A zeroed, page-aligned page: the table allocator of mmu.c. */
void *early_alloc_table(void);
/* What remains, [*start, *end), is given to the page allocator. */
void early_alloc_remaining(u64 *start, u64 *end);

void page_alloc_init(void);
void page_alloc_add(u64 start, u64 end);
/* 2^order contiguous pages aligned to their size; NULL when none. */
void *alloc_pages(unsigned order);
void free_pages(void *p, unsigned order);
void *alloc_page(void);
void free_page(void *p);
u64 page_alloc_free_bytes(void);

#endif
