#include "machine_fixture.h"

#include <string.h>

struct machine fx;
struct cpu *fx_pe;
static uint64_t fx_pcs;

struct cpu *fx_setup(unsigned smp, bool el2)
{
	struct machine_config cfg = {
		.smp = smp, .ram_mib = 16, .append = "test", .el2 = el2,
		.max_insns = 1000000,
	};
	struct cpu *c;

	assert_int_equal(machine_init(&fx, &cfg), 0);
	fx.out_fd = 2;
	c = &fx.pe[0];
	machine_pe_start(&fx, c, FX_PC, 0);
	c->sys.vbar_el1 = FX_VBAR1;
	c->sys.vbar_el2 = FX_VBAR2;
	fx_pe = c;
	fx_pcs = 0x1000;
	return c;
}

void fx_teardown(void)
{
	machine_free(&fx);
}

void fx_w64(uint64_t pa, uint64_t v)
{
	uint8_t *p = machine_ram_ptr(&fx, pa, 8);

	assert_non_null(p);
	memcpy(p, &v, 8);
	memsys_ram_written(&fx.mem, pa, 8);
}

uint64_t fx_r64(uint64_t pa)
{
	uint8_t *p = machine_ram_ptr(&fx, pa, 8);
	uint64_t v;

	assert_non_null(p);
	memcpy(&v, p, 8);
	return v;
}

void fx_w32(uint64_t pa, uint32_t v)
{
	uint8_t *p = machine_ram_ptr(&fx, pa, 4);

	assert_non_null(p);
	memcpy(p, &v, 4);
	memsys_ram_written(&fx.mem, pa, 4);
}

uint64_t fx_sys(struct cpu *c, uint32_t insn)
{
	exec_system(c, insn);
	return c->pc;
}

uint64_t fx_mrs(struct cpu *c, unsigned op0, unsigned op1, unsigned crn,
		unsigned crm, unsigned op2)
{
	uint64_t pc = c->pc;

	exec_system(c, MRS(op0, op1, crn, crm, op2, 9));
	assert_int_equal(c->pc, pc + 4);
	return c->x[9];
}

void fx_msr(struct cpu *c, unsigned op0, unsigned op1, unsigned crn,
	    unsigned crm, unsigned op2, uint64_t v)
{
	uint64_t pc = c->pc;

	c->x[9] = v;
	exec_system(c, MSR(op0, op1, crn, crm, op2, 9));
	assert_int_equal(c->pc, pc + 4);
}

const struct memattr FX_WB = { MAIR_NORMAL_WB, SH_ISH, 1 };
const struct memattr FX_WT = { MAIR_NORMAL_WT, SH_ISH, 1 };
const struct memattr FX_DEV = { MAIR_DEVICE_nGnRnE, SH_OSH, 0 };
const struct memattr FX_NSH = { MAIR_NORMAL_WB, SH_NSH, 1 };

struct cpu *fx_model_setup(unsigned smp, bool el2, struct cache_opts o)
{
	o.sink = findings_sink(&fx);
	fx_setup(smp, el2);
	assert_int_equal(machine_attach_model(&fx, &o), 0);
	cache_pe_start(fx.model, fx_pe);
	return fx_pe;
}

int fx_model_teardown(void **state)
{
	(void)state;
	findings_free(&fx);
	machine_detach_model(&fx);
	fx_teardown();
	return 0;
}

uint64_t fx_next_pc(void)
{
	return fx_pe->pc = fx_pcs += 4;
}

void fx_access(struct memattr a, uint64_t pa, enum mem_kind k,
	       unsigned size, uint64_t v)
{
	fx_next_pc();
	cache_note_va(fx.model, fx_pe, pa, k == MK_STORE ? MMU_WRITE : MMU_READ);
	assert_int_equal(memsys_access(&fx.mem, fx_pe, pa, size, k, a, &v),
			 MEM_OK);
}

void fx_walk(struct memattr a, uint64_t pa)
{
	uint64_t v;

	fx_next_pc();
	assert_int_equal(memsys_access(&fx.mem, fx_pe, pa, 8, MK_WALK, a, &v),
			 MEM_OK);
}

void fx_fetch(struct memattr a, uint64_t pa)
{
	uint32_t v;

	fx_pe->pc = pa;
	assert_int_equal(memsys_access(&fx.mem, fx_pe, pa, 4, MK_FETCH, a, &v),
			 MEM_OK);
}

void fx_cmo(enum cmo_op op, uint64_t pa, struct memattr a)
{
	fx_next_pc();
	memsys_cmo(&fx.mem, fx_pe, op, pa, pa, a);
}

void fx_dsb(void) { memsys_barrier(&fx.mem, fx_pe, BAR_DSB, 15); }
void fx_isb(void) { memsys_barrier(&fx.mem, fx_pe, BAR_ISB, 15); }

void fx_sync_code(uint64_t pa)
{
	fx_cmo(CMO_DC_CVAU, pa, FX_WB);
	fx_dsb();
	fx_cmo(CMO_IC_IVAU, pa, FX_WB);
	fx_dsb();
	fx_isb();
}

void fx_idmap_on(uint64_t tbl)
{
	fx_w64(tbl + 8, 0x40000000ull | 1 | (1ull << 10) | (3ull << 8));
	fx_pe->sys.mair_el1 = 0xff;
	fx_pe->sys.tcr_el1 = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 32;
	fx_pe->sys.ttbr0_el1 = tbl;
	fx_pe->sys.sctlr_el1 |= SCTLR_M | SCTLR_C | SCTLR_I;
}

size_t fx_nfind(void)
{
	return findings_count(&fx);
}

void fx_mmu_on(uint64_t tbl)
{
	fx_idmap_on(tbl);
	fx_isb();
}

void fx_mmu_off(void)
{
	fx_pe->sys.sctlr_el1 &= ~(SCTLR_M | SCTLR_C);
	fx_isb();
}

const struct finding *fx_last(void)
{
	size_t n = fx_nfind();

	assert_true(n > 0);
	return &findings_get(&fx, n - 1)->f;
}

void fx_expect(enum finding_kind k, bool always, enum copy_id cp)
{
	const struct finding *f = fx_last();

	assert_int_equal(f->kind, k);
	assert_int_equal(f->always, always);
	assert_int_equal(f->stale_copy, cp);
}
