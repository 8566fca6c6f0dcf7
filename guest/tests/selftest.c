/* Self tests of the framework: the boot result (CPUs, memory), the
 * exception vectors at EL1 and EL0, and SMP. Run as
 *   selftest setup smp=N mem=MiB | vectors-kernel | vectors-user | smp */
#include "libc.h"
#include "report.h"
#include "setup.h"
#include "smp.h"
#include "percpu.h"
#include "devtree.h"
#include "sysreg.h"

static void check_setup(int argc, char **argv)
{
	int checked = 0;
	report_prefix_push("setup");
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "smp=", 4)) {
			long want = atol(argv[i] + 4);
			report(nr_cpus() == want, "number of CPUs %d matches smp=%ld",
			       nr_cpus(), want);
			checked++;
		} else if (!strncmp(argv[i], "mem=", 4)) {
			u64 want = (u64)atol(argv[i] + 4) << 20;
			report(total_ram() == want, "memory size %lu MiB matches mem=%lu",
			       total_ram() >> 20, want >> 20);
			checked++;
		}
	}
	if (!checked)
		report(false, "setup needs smp= and mem= arguments");
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	report_prefix_push("selftest");
	if (argc < 2) {
		report(false, "no subtest given");
	} else if (!strcmp(argv[1], "setup")) {
		check_setup(argc - 2, argv + 2);
	} else {
		report(false, "unknown subtest %s", argv[1]);
	}
	return report_summary();
}
