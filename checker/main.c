/* coherent: run an arm64 image on a QEMU virt-compatible machine.
 *
 *   coherent run [--smp N] [-m MiB] [--append ARGS] [--el2]
 *                [--max-insns N] [--trace] [--elf FILE] [--json FILE]
 *                [--no-model] [--boot-contract=loaded|strict|clean]
 *                [--nc-may-hit] IMAGE
 *   coherent audit [--helper NAME]... [-j N] [run options] IMAGE
 *
 * Exit status: the guest's, from its "EXIT: STATUS=n" console line (0
 * when it turns the system off without one); 124 instruction budget
 * exhausted; 125 machine error (bad image, host-side error); 126
 * cache-model findings when the guest passed (status 0) or skipped (77)
 * (docs/usage.md); 64 usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "model/cache.h"
#include "board/machine.h"
#include "report/report.h"
#include "report/symbols.h"

#define DEFAULT_BUDGET 2000000000ull

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "coherent: %s\n", msg);
	fprintf(stderr,
		"usage: coherent run [--smp N] [-m MiB] [--append ARGS] [--el2]\n"
		"                    [--max-insns N] [--trace] [--elf FILE]\n"
		"                    [--json FILE] [--no-model] [--nc-may-hit]\n"
		"                    [--boot-contract=loaded|strict|clean] IMAGE\n"
		"       coherent audit [--helper NAME]... [-j N] [run options] IMAGE\n");
	return EXIT_USAGE;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno == 0 && *end == 0;
}

static int cmd_run(int argc, char **argv)
{
	struct machine_config cfg = {
		.smp = 1, .ram_mib = 128, .append = "",
		.max_insns = DEFAULT_BUDGET,
	};
	const char *image = NULL, *elf = NULL, *json = NULL;
	struct audit_opts audit = { 0 };
	char *elf_found = NULL;
	struct machine m;
	char err[512];
	uint64_t v;
	bool stats = false, model = true;
	struct cache_opts copts = { .contract = BOOT_LOADED };
	struct timespec t0, t1, c0, c1;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--smp") || !strcmp(a, "-smp")) {
			if (!parse_u64(val, &v) || v < 1 || v > MAX_PES)
				return usage("--smp needs a number from 1 to 64");
			cfg.smp = v;
			i++;
		} else if (!strcmp(a, "-m")) {
			if (!parse_u64(val, &v) || v < 1 || v > 65536)
				return usage("-m needs a size in MiB (1..65536)");
			cfg.ram_mib = v;
			i++;
		} else if (!strcmp(a, "--append") || !strcmp(a, "-append")) {
			if (!val)
				return usage("--append needs an argument");
			cfg.append = val;
			i++;
		} else if (!strcmp(a, "--max-insns")) {
			if (!parse_u64(val, &v) || v == 0)
				return usage("--max-insns needs a positive number");
			cfg.max_insns = v;
			i++;
		} else if (!strcmp(a, "--el2")) {
			cfg.el2 = true;
		} else if (!strcmp(a, "--trace")) {
			cfg.trace = true;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else if (!strcmp(a, "--no-model")) {
			model = false;
		} else if (!strcmp(a, "--nc-may-hit")) {
			copts.nc_may_hit = true;
		} else if (!strncmp(a, "--boot-contract=", 16)) {
			const char *k = a + 16;

			if (!strcmp(k, "loaded"))
				copts.contract = BOOT_LOADED;
			else if (!strcmp(k, "strict"))
				copts.contract = BOOT_STRICT;
			else if (!strcmp(k, "clean"))
				copts.contract = BOOT_CLEAN;
			else
				return usage("--boot-contract is loaded, strict or clean");
		} else if (!strcmp(a, "--elf") || !strcmp(a, "--json")) {
			if (!val)
				return usage("--elf and --json need a file");
			*(a[2] == 'e' ? &elf : &json) = val;
			i++;
		} else if (!strncmp(a, "--audit-", 8)) {
			/* Internal: set by `coherent audit` for its runs. */
			if (!val || audit_option(&audit, a, val) < 0)
				return usage("bad audit option");
			i++;
		} else if (a[0] == '-' && a[1]) {
			return usage("unknown option");
		} else if (!image) {
			image = a;
		} else {
			return usage("more than one image");
		}
	}
	if (!image)
		return usage("no image");
	if (machine_init(&m, &cfg) < 0) {
		fprintf(stderr, "coherent: cannot allocate the machine\n");
		return EXIT_MACHINE;
	}
	if (loader_load_file(&m, image, err, sizeof(err)) < 0) {
		fprintf(stderr, "coherent: %s\n", err);
		machine_free(&m);
		return EXIT_MACHINE;
	}
	/* Symbols for findings: the ELF beside a .bin unless given. A
	 * position-independent ELF runs at the load address, which is the
	 * entry of a flat image. */
	if (!elf)
		elf = elf_found = symbols_elf_beside(image);
	findings_set_elf(&m, elf, m.entry_pc);
	if (audit_attach(&m, &audit) < 0) {
		fprintf(stderr, "coherent: audit: cannot set up\n");
		machine_free(&m);
		return EXIT_MACHINE;
	}
	if (model && cache_attach(&m, &copts) < 0) {
		fprintf(stderr, "coherent: cannot allocate the cache model\n");
		machine_free(&m);
		return EXIT_MACHINE;
	}
	machine_pe_start(&m, &m.pe[0], m.entry_pc, m.dtb_pa);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	rc = machine_run(&m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	if (stats) {
		double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;

		fprintf(stderr, "coherent: stats: insns=%llu wall=%.3f cpu=%.3f "
			"mips_wall=%.1f mips_cpu=%.1f\n",
			(unsigned long long)m.insns_total, wall, cpu,
			wall > 0 ? m.insns_total / wall / 1e6 : 0,
			cpu > 0 ? m.insns_total / cpu / 1e6 : 0);
		if (m.model) {
			/* MiB of model per GiB of guest RAM: at the end (the
			 * model's per-RAM arrays, the shared sets and memo)
			 * and the peak of the total during the run */
			double gib = m.ram_size / (double)(1 << 30) * (1 << 20);

			fprintf(stderr, "coherent: stats: model_bytes=%zu "
				"model_sets=%zu model_mib_per_gib=%.2f "
				"model_ram_mib_per_gib=%.2f "
				"model_shared_mib_per_gib=%.2f "
				"model_peak_mib_per_gib=%.2f\n",
				cache_bytes(&m), cache_sets(),
				cache_bytes(&m) / gib, cache_bytes_ram(&m) / gib,
				(cache_bytes(&m) - cache_bytes_ram(&m)) / gib,
				cache_bytes_peak(&m) / gib);
		}
	}
	findings_report(&m, stderr);
	if (json && findings_write_json(&m, json) < 0) {
		fprintf(stderr, "coherent: cannot write %s\n", json);
		rc = EXIT_MACHINE;
	}
	if (audit_finish(&m) < 0)
		rc = EXIT_MACHINE;
	/* Findings make a passing (or skipped) guest fail; a guest that
	 * failed, or a run that went wrong, keeps its own status. */
	if (findings_count(&m) && (rc == 0 || rc == 77))
		rc = EXIT_FINDINGS;
	findings_free(&m);
	cache_detach(&m);
	machine_free(&m);
	free(elf_found);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "audit"))
		return audit_main(argv[0], argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(NULL);
		return 0;
	}
	return usage("unknown command");
}
