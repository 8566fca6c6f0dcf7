#include "machine_fixture.h"

#include <string.h>

struct machine fx;

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
