/* PSCI (Arm DEN0022): VERSION, FEATURES, CPU_ON, AFFINITY_INFO, CPU_OFF
 * and the errors for invalid arguments, through the conduit the device
 * tree names. */
#include <libcflat.h>

#define AFF_ON  0
#define AFF_OFF 1

/* An MPIDR no CPU has: Aff0 beyond every CPU, Aff1 nonzero. */
#define BAD_MPIDR 0xff00ffUL

static void check_version_features(void)
{
	long v = psci_version();
	report_info("PSCI version %ld.%ld via %s", v >> 16, v & 0xffff,
		    platform.conduit == PSCI_SMC ? "smc" : "hvc");
	report(v >= 0x10000, "version is 1.0 or later (0x%lx)", v);
	static const u32 required[] = { PSCI_VERSION, PSCI_CPU_ON, PSCI_CPU_OFF,
		PSCI_AFFINITY_INFO, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES };
	int ok = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(required); i++)
		ok += psci_features(required[i]) >= 0;
	report(ok == ARRAY_SIZE(required), "FEATURES reports every PSCI 0.2 function (%d of %d)",
	       ok, (int)ARRAY_SIZE(required));
	/* 0x8400001f: a PSCI-range function ID that PSCI 1.1 does not define. */
	report(psci_features(0x8400001f) == PSCI_NOT_SUPPORTED,
	       "FEATURES of an undefined function is NOT_SUPPORTED");
}

static bool wait_affinity(int cpu, long state)
{
	for (int i = 0; i < 1000000; i++) {
		if (psci_affinity_info(platform.cpu_mpidr[cpu], 0) == state)
			return true;
	}
	return false;
}

static void off_work(void *arg)
{
	(void)arg;
	smp_cpu_off();
}

static void check_cpu_on_off(void)
{
	if (nr_cpus < 2) {
		report_skip("CPU_ON/CPU_OFF need -smp 2 or more");
		return;
	}
	int me = smp_processor_id();
	u64 self = platform.cpu_mpidr[me];
	report(psci_affinity_info(self, 0) == AFF_ON, "AFFINITY_INFO of this CPU is ON");
	report(psci_cpu_on(self, secondary_entry_pa(), 0) == PSCI_ALREADY_ON,
	       "CPU_ON of this CPU is ALREADY_ON");
	report(psci_cpu_on(BAD_MPIDR, secondary_entry_pa(), 0) == PSCI_INVALID_PARAMETERS,
	       "CPU_ON of a nonexistent MPIDR is INVALID_PARAMETERS");
	report(psci_affinity_info(BAD_MPIDR, 0) == PSCI_INVALID_PARAMETERS,
	       "AFFINITY_INFO of a nonexistent MPIDR is INVALID_PARAMETERS");

	for (int cpu = 1; cpu < nr_cpus; cpu++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu%d", cpu);
		report_prefix_push(name);
		report(psci_affinity_info(platform.cpu_mpidr[cpu], 0) == AFF_OFF,
		       "OFF before CPU_ON");
		report(smp_boot_cpu(cpu) == 0 && cpu_online(cpu), "CPU_ON starts it");
		report(psci_affinity_info(platform.cpu_mpidr[cpu], 0) == AFF_ON, "AFFINITY_INFO is ON");
		report(psci_cpu_on(platform.cpu_mpidr[cpu], secondary_entry_pa(), 0) ==
		       PSCI_ALREADY_ON, "second CPU_ON is ALREADY_ON");
		on_cpu_async(cpu, off_work, NULL);
		report(wait_affinity(cpu, AFF_OFF), "CPU_OFF turns it off");
		report(smp_boot_cpu(cpu) == 0 && cpu_online(cpu), "CPU_ON again after CPU_OFF");
		report_prefix_pop();
	}
}

int main(void)
{
	report_prefix_push("psci");
	if (platform.conduit == PSCI_NONE) {
		report_skip("no PSCI node in the device tree");
		return report_summary();
	}
	check_version_features();
	check_cpu_on_off();
	return report_summary();
}
