/* The memory system (see memsys.h). Without an observer RAM is coherent
 * and always holds the latest value; MMIO is dispatched to the devices.
 * The cache model observes it through m->mem_obs. */
#include "mem/memsys.h"

#include <string.h>

#include "board/machine.h"

struct memsys_stats memsys_stats;

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
 * bytes. Table walks from MMIO abort, and fetches unless the range is
 * executable. */
int memsys_add_mmio(struct machine *m, const struct mmio_range *r)
{
	if (m->nmmio == MAX_MMIO)
		return -1;
	m->mmio[m->nmmio++] = *r;
	return 0;
}

static const struct mmio_range *mmio_find(struct machine *m, uint64_t pa,
					  unsigned size)
{
	for (unsigned i = 0; i < m->nmmio; i++) {
		const struct mmio_range *r = &m->mmio[i];

		if (pa >= r->base && pa + size <= r->base + r->size)
			return r;
	}
	return NULL;
}

static enum mem_status mmio(struct machine *m, uint64_t pa, unsigned size,
			    enum mem_kind kind, uint8_t *buf)
{
	const struct mmio_range *r = mmio_find(m, pa, size);

	if (!r || kind == MK_WALK || (kind == MK_FETCH && !r->exec))
		return MEM_EXT_ABORT;
	for (unsigned done = 0; done < size;) {
		unsigned n = size - done > 8 ? 8 : size - done;
		uint64_t a = pa + done;

		if (kind == MK_STORE) {
			if (r->write)
				r->write(m, a - r->base, n,
					 le_load(buf + done, n));
		} else {
			le_store(buf + done, n,
				 r->read ? r->read(m, a - r->base, n) : 0);
		}
		done += n;
	}
	return MEM_OK;
}

enum mem_status memsys_access(struct machine *m, struct cpu *c, uint64_t pa,
			      unsigned size, enum mem_kind kind,
			      struct memattr attr, void *buf)
{
	uint8_t *p = machine_ram_ptr(m, pa, size);

	memsys_stats.access[kind]++;
	if (p) {
		if (m->mem_obs) {
			m->mem_obs->access(m, c, pa, size, kind, attr, p, buf);
			return MEM_OK;
		}
		if (kind == MK_STORE)
			memcpy(p, buf, size);
		else
			memcpy(buf, p, size);
		return MEM_OK;
	}
	return mmio(m, pa, size, kind, buf);
}

void memsys_cmo(struct machine *m, struct cpu *c, enum cmo_op op,
		uint64_t va, uint64_t pa, struct memattr attr)
{
	/* The audit's suppressed sites: the operation is a no-op. */
	if (m->cmo_filter && !m->cmo_filter(m, c, op))
		return;
	memsys_stats.cmo++;
	if (m->mem_obs)
		m->mem_obs->cmo(m, c, op, va, pa, attr);
}

void memsys_barrier(struct machine *m, struct cpu *c, enum barrier_op op,
		    unsigned option)
{
	memsys_stats.barrier++;
	if (m && m->mem_obs)
		m->mem_obs->barrier(m, c, op, option);
}

void memsys_tlbi(struct machine *m, struct cpu *c, unsigned regime,
		 unsigned scope, uint64_t va, uint16_t asid, bool bcast)
{
	if (m && m->mem_obs)
		m->mem_obs->tlbi(m, c, regime, scope, va, asid, bcast);
}

void memsys_ctx_sync(struct machine *m, struct cpu *c)
{
	if (m && m->mem_obs)
		m->mem_obs->ctx_sync(m, c);
}

void memsys_pe_start(struct machine *m, struct cpu *c)
{
	if (m && m->mem_obs)
		m->mem_obs->pe_start(m, c);
}
