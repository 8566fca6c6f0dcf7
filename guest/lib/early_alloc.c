/* The early allocator (the idea of the kvm-unit-tests RFC "arm/arm64: Add
 * cache maintenance at boot"): simple enough to run right after the memory
 * map is known, so the translation tables can be built and the MMU turned
 * on with as little as possible written with the MMU off. */
#include "alloc.h"
#include "libc.h"
#include "sysreg.h"

static u64 cur, limit;
static early_alloc_cb maint;

void early_alloc_init(u64 start, u64 end, early_alloc_cb cb)
{
	cur = start;
	limit = end;
	maint = cb;
}

void *early_alloc(u64 size, u64 align)
{
	u64 p = ALIGN_UP(cur, align);
	if (p < cur || p > limit || limit - p < size)
		return NULL;
	cur = p + size;
	/* With the MMU off the caller writes memory directly; a line cached
	 * from before (an earlier boot stage's dirty data) could later be
	 * written back over it or be read instead of it. [BCM: early-alloc] */
	if (maint && !mmu_enabled())
		maint(p, p + size);
	return (void *)p;
}

void *early_alloc_table(void)
{
	void *p = early_alloc(PAGE_SIZE, PAGE_SIZE);
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void early_alloc_remaining(u64 *start, u64 *end)
{
	*start = cur;
	*end = limit;
	cur = limit;
}
