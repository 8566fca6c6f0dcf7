#include "psci.h"
#include "devtree.h"

/* SMCCC 1.1: arguments in x0..x3, result in x0; x4..x17 may be
 * clobbered by the callee (DEN0028 "Register use in AArch64 SMC and HVC
 * calls"). */
#define SMCCC_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", \
	"x12", "x13", "x14", "x15", "x16", "x17", "memory"

long smccc_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;
	if (platform.conduit == PSCI_SMC)
		asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
	else if (platform.conduit == PSCI_HVC)
		asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : SMCCC_CLOBBERS);
	else
		return PSCI_NOT_SUPPORTED;
	return (long)x0;
}

long psci_version(void)
{
	return smccc_call(PSCI_VERSION, 0, 0, 0);
}

long psci_features(u32 fn)
{
	return smccc_call(PSCI_FEATURES, fn, 0, 0);
}

long psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return smccc_call(PSCI_CPU_ON, mpidr, entry, context);
}

long psci_cpu_off(void)
{
	return smccc_call(PSCI_CPU_OFF, 0, 0, 0);
}

long psci_affinity_info(u64 mpidr, u32 level)
{
	return smccc_call(PSCI_AFFINITY_INFO, mpidr, level, 0);
}

void psci_system_off(void)
{
	smccc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	/* No PSCI, or it returned: nothing else can stop the machine. */
	for (;;)
		asm volatile("wfi");
}
