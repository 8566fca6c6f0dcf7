/* The memory system (see memsys.h). Without an observer RAM is coherent
 * and always holds the latest value; MMIO is dispatched to the devices.
 * The cache model observes it through ms->obs. */
#include "mem/memsys.h"

#include <string.h>

struct memsys_stats memsys_stats;
void (*memsys_pe_state_fn)(const struct cpu *c, struct pe_state *o);

static uint64_t le_load(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void le_store(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

/* MMIO: accesses are split into naturally sized pieces of at most 8
 * bytes. Fetches and table walks abort unless the range is a ROM device
 * (exec): QEMU maps flash in read-array mode as ROM, which the walker
 * reads like RAM (edk2's ArmVirtQemu enables the MMU on a page table
 * built into its flash image). */
int memsys_add_mmio(struct memsys *ms, const struct mmio_range *r)
{
	if (ms->nmmio == MAX_MMIO)
		return -1;
	ms->mmio[ms->nmmio++] = *r;
	return 0;
}

static const struct mmio_range *mmio_find(struct memsys *ms, uint64_t pa,
					  unsigned size)
{
	for (unsigned i = 0; i < ms->nmmio; i++) {
		const struct mmio_range *r = &ms->mmio[i];

		if (pa >= r->base && pa + size <= r->base + r->size)
			return r;
	}
	return NULL;
}

static enum mem_status mmio(struct memsys *ms, uint64_t pa, unsigned size,
			    enum mem_kind kind, uint8_t *buf)
{
	const struct mmio_range *r = mmio_find(ms, pa, size);

	if (!r || ((kind == MK_WALK || kind == MK_FETCH) && !r->exec))
		return MEM_EXT_ABORT;
	for (unsigned done = 0; done < size;) {
		unsigned n = size - done > 8 ? 8 : size - done;
		uint64_t a = pa + done;

		if (kind == MK_STORE) {
			if (r->write)
				r->write(r->dev, a - r->base, n,
					 le_load(buf + done, n));
		} else {
			le_store(buf + done, n,
				 r->read ? r->read(r->dev, a - r->base, n) : 0);
		}
		done += n;
	}
	return MEM_OK;
}

enum mem_status memsys_access(struct memsys *ms, struct cpu *c, uint64_t pa,
			      unsigned size, enum mem_kind kind,
			      struct memattr attr, void *buf)
{
	uint8_t *p = memsys_ram_ptr(ms, pa, size);

	memsys_stats.access[kind]++;
	if (p) {
		if (ms->obs) {
			ms->obs->access(ms->obs_ctx, c, pa, size, kind, attr,
					p, buf);
			return MEM_OK;
		}
		if (kind == MK_STORE) {
			memcpy(p, buf, size);
			memsys_ram_written(ms, pa, size);
		} else
			memcpy(buf, p, size);
		return MEM_OK;
	}
	return mmio(ms, pa, size, kind, buf);
}

void memsys_cmo(struct memsys *ms, struct cpu *c, enum cmo_op op,
		uint64_t va, uint64_t pa, struct memattr attr)
{
	/* The audit's suppressed sites: the operation is a no-op. */
	if (ms->cmo_filter && !ms->cmo_filter(ms->cmo_filter_arg, c, op))
		return;
	memsys_stats.cmo++;
	if (ms->obs)
		ms->obs->cmo(ms->obs_ctx, c, op, va, pa, attr);
}

void memsys_barrier(struct memsys *ms, struct cpu *c, enum barrier_op op,
		    unsigned option)
{
	memsys_stats.barrier++;
	if (ms && ms->obs)
		ms->obs->barrier(ms->obs_ctx, c, op, option);
}

void memsys_tlbi(struct memsys *ms, struct cpu *c, unsigned regime,
		 unsigned scope, uint64_t va, uint16_t asid, bool bcast)
{
	if (ms && ms->obs)
		ms->obs->tlbi(ms->obs_ctx, c, regime, scope, va, asid, bcast);
}

void memsys_ctx_sync(struct memsys *ms, struct cpu *c)
{
	if (ms && ms->obs)
		ms->obs->ctx_sync(ms->obs_ctx, c);
}

void memsys_pe_start(struct memsys *ms, struct cpu *c)
{
	if (ms && ms->obs)
		ms->obs->pe_start(ms->obs_ctx, c);
}
