/* PSCI 1.1 firmware (Arm DEN 0022), entered with HVC or SMC like QEMU's
 * built-in PSCI on virt: the conduit is HVC, or SMC when EL2 is
 * implemented (QEMU virtualization=on). SMC32 functions take 32-bit
 * arguments; results are returned sign-extended in X0. */
#include "board/machine.h"

#define PSCI_VERSION           0x84000000u
#define PSCI_CPU_SUSPEND       0x84000001u
#define PSCI_CPU_OFF           0x84000002u
#define PSCI_CPU_ON            0x84000003u
#define PSCI_AFFINITY_INFO     0x84000004u
#define PSCI_MIGRATE           0x84000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_MIGRATE_INFO_UP   0x84000007u
#define PSCI_SYSTEM_OFF        0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_FEATURES          0x8400000au
#define SMC64                  0x40000000u

#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED     -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED            -3
#define PSCI_ALREADY_ON        -4
#define PSCI_INVALID_ADDRESS   -9

static bool is_psci_id(uint32_t fn)
{
	return (fn & ~(SMC64 | 0x1fu)) == 0x84000000u;
}

static int64_t features(uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION: case PSCI_CPU_OFF: case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
	case PSCI_CPU_SUSPEND: case PSCI_CPU_SUSPEND | SMC64:
	case PSCI_CPU_ON: case PSCI_CPU_ON | SMC64:
	case PSCI_AFFINITY_INFO: case PSCI_AFFINITY_INFO | SMC64:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

static int64_t cpu_on(struct machine *m, uint64_t target, uint64_t entry,
		      uint64_t ctx)
{
	struct cpu *t = machine_pe_by_mpidr(m, target);

	if (!t)
		return PSCI_INVALID_PARAMETERS;
	if (t->powered)
		return PSCI_ALREADY_ON;
	if (!machine_ram_ptr(m, entry, 4))
		return PSCI_INVALID_ADDRESS;
	machine_pe_start(m, t, entry, ctx);
	return PSCI_SUCCESS;
}

static int64_t affinity_info(struct machine *m, uint64_t target,
			     uint64_t level)
{
	struct cpu *t;

	if (level != 0)
		return PSCI_INVALID_PARAMETERS;
	t = machine_pe_by_mpidr(m, target);
	if (!t)
		return PSCI_INVALID_PARAMETERS;
	return t->powered ? 0 : 1;   /* ON, OFF */
}

bool psci_call(struct machine *m, struct cpu *c)
{
	uint32_t fn = c->x[0];
	bool is64 = fn & SMC64;
	uint64_t a1 = c->x[1], a2 = c->x[2], a3 = c->x[3];
	int64_t ret;

	if ((c->x[0] >> 32) || !is_psci_id(fn))
		return false;
	if (!is64) {
		a1 = (uint32_t)a1;
		a2 = (uint32_t)a2;
		a3 = (uint32_t)a3;
	}
	switch (fn & ~SMC64) {
	case PSCI_VERSION:
		ret = is64 ? PSCI_NOT_SUPPORTED : 0x00010001;   /* 1.1 */
		break;
	case PSCI_CPU_SUSPEND:
		/* Return as from a wake-up, after a wait like WFI's (a
		 * standby state is entered with WFI; a power-down one wakes
		 * on the same events): the PE yields, and when no wake-up can
		 * come it is part of a deadlock (stuck.c). */
		c->wfi = true;
		c->wait_kind = WAIT_SUSPEND;
		c->wait_pc = c->pc;
		ret = PSCI_SUCCESS;
		break;
	case PSCI_CPU_OFF:
		c->powered = false;
		mem_clrex(c);
		return true;
	case PSCI_CPU_ON:
		ret = cpu_on(m, a1, a2, a3);
		break;
	case PSCI_AFFINITY_INFO:
		ret = affinity_info(m, a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2;      /* no Trusted OS: migration not required */
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		/* A reset ends the run too: there is nothing to reboot into. */
		machine_halt(m, pl011_exit_code(m));
		return true;
	case PSCI_FEATURES:
		ret = features(a1);
		break;
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	c->x[0] = (uint64_t)ret;
	return true;
}
