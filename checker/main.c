/* coherent: run an arm64 image on a QEMU virt-compatible machine.
 *
 *   coherent run [--smp N] [-m MiB] [--append ARGS] [--el2]
 *                [--gic-version 2|3] [--mem-nodes N] [--dtb FILE] [--initrd FILE]
 *                [--dump-dtb FILE] [--qemu-exit]
 *                [--max-insns N] [--trace] [--elf FILE] [--json FILE]
 *                [--sarif FILE] [--html FILE]
 *                [--verbose] [--suppressions FILE]... [--gen-suppressions]
 *                [--no-model] [--boot-contract=firmware|booting|reset|kvm|all]
 *                [--nc-may-hit] [--guest-mips N] [--pflash1 FILE]
 *                [--bios FILE] IMAGE
 *   qemu-system-aarch64 [QEMU options]: this program under that name
 *                (frontend/qemu.c, docs/machine.md)
 *   coherent audit [--helper NAME]... [-j N] [--json FILE] [--sarif FILE]
 *                  [--html FILE] [run options] IMAGE
 *
 * Exit status: the guest's, from its "EXIT: STATUS=n" console line (0
 * when it turns the system off without one); 123 malformed EXIT: line;
 * 124 instruction budget exhausted; 125 machine error (bad image,
 * host-side error, deadlock, exception loop); 126
 * cache-model findings when the guest passed (status 0) or skipped (77)
 * (docs/usage.md); 128 + N stopped by signal N (findings still
 * reported); 64 usage error. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>

#include "audit/audit.h"
#include "frontend/qemu.h"
#include "model/cache.h"
#include "board/machine.h"
#include "report/allrun.h"
#include "report/findings.h"
#include "report/history.h"
#include "report/html.h"
#include "report/report.h"
#include "report/sarif.h"
#include "report/suppress.h"
#include "report/symbols.h"

#define DEFAULT_BUDGET 2000000000ull

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "coherent: %s\n", msg);
	fprintf(stderr,
		"usage: coherent run [--smp N] [-m MiB] [--append ARGS] [--el2]\n"
		"                    [--gic-version 2|3] [--mem-nodes N] [--dtb FILE] [--initrd FILE]\n"
		"                    [--dump-dtb FILE] [--qemu-exit]\n"
		"                    [--max-insns N] [--trace] [--elf FILE]\n"
		"                    [--json FILE] [--sarif FILE] [--html FILE]\n"
		"                    [--verbose] [--no-model]\n"
		"                    [--nc-may-hit] [--suppressions FILE]...\n"
		"                    [--gen-suppressions]\n"
		"                    [--boot-contract=firmware|booting|reset|kvm|all]\n"
		"                    [--guest-mips N] [--pflash1 FILE] [--bios FILE]\n"
		"                    [--fw-cfg [name=]NAME,file=FILE|string=STR]...\n"
		"                    [--model-after N] [--kernel-elf-at ADDR]\n"
		"                    IMAGE\n"
		"       coherent audit [--helper NAME]... [-j N] [--json FILE]\n"
		"                      [--sarif FILE] [--html FILE] [run options] IMAGE\n");
	return EXIT_USAGE;
}

/* Decimal only: "010" is ten (strtoull's base 0 would read eight) and
 * "0x80" is an error, not 128. */
static bool parse_dec(const char *opt, const char *s, uint64_t min,
		      uint64_t max, uint64_t *v)
{
	char *end;

	if (s && *s >= '0' && *s <= '9') {
		errno = 0;
		*v = strtoull(s, &end, 10);
		if (errno == 0 && *end == 0 && *v >= min && *v <= max)
			return true;
	}
	if (s)
		fprintf(stderr, "coherent: %s: '%s' is not a decimal number "
			"from %llu to %llu\n", opt, s, (unsigned long long)min,
			(unsigned long long)max);
	else
		fprintf(stderr, "coherent: %s needs a number\n", opt);
	return false;
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGPIPE: return "SIGPIPE";
	}
	return "a signal";
}

/* Async-signal-safe: only the flag the run loop polls. A second SIGINT,
 * SIGTERM or SIGHUP, while the first is being handled, kills at once;
 * SIGPIPE (the findings written to a closed stderr) never does. */
static void on_stop_signal(int sig)
{
	if (machine_stop_signal && sig != SIGPIPE) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	if (!machine_stop_signal)
		machine_stop_signal = sig;
}

/* A run stopped by a signal or a closed stdout still reports what it
 * found (docs/usage.md). SIGINT and SIGHUP ignored by the parent (a
 * background job, nohup) stay ignored. */
static void catch_stop_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN && sigs[i] != SIGPIPE &&
		    sigs[i] != SIGTERM)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

static bool same_file(const struct stat *a, const char *path)
{
	struct stat b;

	return path && stat(path, &b) == 0 && a->st_dev == b.st_dev &&
	       a->st_ino == b.st_ino;
}

/* The report files (--json, --sarif, --html), opened before the run so
 * that a bad path fails at once, not after it: never the image or its
 * ELF (it is truncated). O_NONBLOCK: a FIFO without a reader fails
 * (ENXIO) instead of waiting. */
static FILE *open_report(const char *opt, const char *path, const char *image,
			 const char *elf, int *rc)
{
	struct stat st;
	FILE *f;
	int fd;

	*rc = EXIT_USAGE;
	if (stat(path, &st) == 0) {
		if (same_file(&st, image)) {
			fprintf(stderr, "coherent: %s %s is the image\n", opt, path);
			return NULL;
		}
		if (same_file(&st, elf)) {
			fprintf(stderr, "coherent: %s %s is the ELF %s\n", opt,
				path, elf);
			return NULL;
		}
	}
	*rc = EXIT_MACHINE;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "coherent: %s %s: cannot write: %s\n", opt,
			path, strerror(errno));
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	f = fdopen(fd, "w");
	if (!f) {
		fprintf(stderr, "coherent: %s %s: %s\n", opt, path,
			strerror(errno));
		close(fd);
	}
	return f;
}

/* The report files, in the order they are written after the run. */
enum { OUT_JSON, OUT_SARIF, OUT_HTML, OUT_N };
static const char *const out_opt[OUT_N] = { "--json", "--sarif", "--html" };
static int (*const out_write[OUT_N])(struct machine *, FILE *) = {
	findings_write_json_to, findings_write_sarif_to, findings_write_html_to,
};

/* Each report in its own file: two options naming one file would leave
 * only the last. */
static bool reports_distinct(const char *const path[OUT_N])
{
	for (int i = 0; i < OUT_N; i++) {
		struct stat a;

		if (!path[i] || stat(path[i], &a) != 0)
			continue;
		for (int j = i + 1; j < OUT_N; j++)
			if (path[j] && same_file(&a, path[j])) {
				fprintf(stderr, "coherent: %s and %s name the "
					"same file %s\n", out_opt[i],
					out_opt[j], path[j]);
				return false;
			}
	}
	return true;
}

/* The same once they are open: two names of one file not there before
 * the run (x and ./x) are one file now. */
static bool reports_open_distinct(FILE *const f[OUT_N])
{
	struct stat st[OUT_N];

	for (int i = 0; i < OUT_N; i++)
		if (f[i] && fstat(fileno(f[i]), &st[i]) != 0)
			return false;
	for (int i = 0; i < OUT_N; i++)
		for (int j = i + 1; j < OUT_N; j++)
			if (f[i] && f[j] && st[i].st_dev == st[j].st_dev &&
			    st[i].st_ino == st[j].st_ino) {
				fprintf(stderr, "coherent: %s and %s name the "
					"same file\n", out_opt[i], out_opt[j]);
				return false;
			}
	return true;
}

static void reports_close(FILE *f[OUT_N])
{
	for (int i = 0; i < OUT_N; i++)
		if (f[i]) {
			fclose(f[i]);
			f[i] = NULL;
		}
}

/* Open every report given; 0, or the exit status with none left open. */
static int open_reports(FILE *f[OUT_N], const char *const path[OUT_N],
			const char *image, const char *elf)
{
	int rc = 0;

	for (int k = 0; k < OUT_N; k++)
		if (path[k] && !(f[k] = open_report(out_opt[k], path[k], image,
						    elf, &rc))) {
			reports_close(f);
			return rc;
		}
	if (!reports_open_distinct(f)) {
		reports_close(f);
		return EXIT_USAGE;
	}
	return 0;
}

/* --boot-contract=all: one child process per contract, one after the
 * other, each running the guest from the start. In the child this sets
 * *contract and *part (where its report goes) and returns -1; the first
 * child's console and messages are the user's, the others' are dropped
 * (but for --verbose's findings, each naming its contract). In the
 * parent it merges the parts (report/allrun.c) and returns the exit
 * status: the first run's, or 126 when any run had findings and the
 * guest passed or skipped. */
static int run_contracts(enum boot_contract *contract, FILE **part,
			 bool verbose, const char *const out_path[OUT_N],
			 const char *image, const char *elf)
{
	FILE *parts[BOOT_NCONTRACTS] = { 0 };
	int rcs[BOOT_NCONTRACTS], rc = EXIT_MACHINE, jrc;
	FILE *out[OUT_N] = { 0 };

	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++) {
		pid_t pid;
		int st;

		if (!(parts[k] = tmpfile())) {
			fprintf(stderr, "coherent: --boot-contract=all: no "
				"temporary file: %s\n", strerror(errno));
			goto out;
		}
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "coherent: --boot-contract=all: fork: "
				"%s\n", strerror(errno));
			goto out;
		}
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);

			if (k && null >= 0) {
				dup2(null, STDIN_FILENO);
				dup2(null, STDOUT_FILENO);
				if (!verbose)
					dup2(null, STDERR_FILENO);
			}
			if (null > STDERR_FILENO)
				close(null);
			for (unsigned j = 0; j < k; j++)
				fclose(parts[j]);
			*contract = k;
			*part = parts[k];
			return -1;
		}
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		rcs[k] = WIFEXITED(st) ? WEXITSTATUS(st) :
			 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
		/* A run that stopped before its report (a bad image, a
		 * usage error) ends them all with its status. */
		if (fseek(parts[k], 0, SEEK_END) < 0 || ftell(parts[k]) == 0) {
			rc = rcs[k];
			goto out;
		}
	}
	rc = rcs[0];
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		if (rcs[k] == EXIT_FINDINGS && (rc == 0 || rc == 77))
			rc = EXIT_FINDINGS;
	if ((jrc = open_reports(out, out_path, image, elf)) != 0) {
		rc = jrc;
		goto out;
	}
	if (allrun_report(parts, stderr, out[OUT_JSON], out[OUT_SARIF],
			  out[OUT_HTML]) < 0) {
		fprintf(stderr, "coherent: --boot-contract=all: cannot merge "
			"the runs' reports or write them\n");
		rc = EXIT_MACHINE;
	}
out:
	for (unsigned k = 0; k < BOOT_NCONTRACTS; k++)
		if (parts[k])
			fclose(parts[k]);
	return rc;
}

static int write_dtb(const char *path, const void *fdt, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(fdt, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "coherent: --dump-dtb %s: cannot write: %s\n",
			path, strerror(errno));
		if (f)
			fclose(f);
		return EXIT_MACHINE;
	}
	fprintf(stderr, "coherent: device tree written to %s\n", path);
	return 0;
}

/* --dump-dtb without an image: the tree as it would be before a kernel
 * is loaded (no initrd, which follows the kernel). */
static int dump_dtb_only(const struct machine_config *cfg, const char *path)
{
	struct machine m;
	uint8_t *buf;
	size_t len;
	char err[512];
	int rc;

	if (machine_init(&m, cfg) < 0) {
		fprintf(stderr, "coherent: out of host memory for %llu MiB of "
			"guest RAM\n", (unsigned long long)cfg->ram_mib);
		return EXIT_MACHINE;
	}
	if (loader_make_dtb(&m, &buf, &len, err, sizeof(err)) < 0) {
		fprintf(stderr, "coherent: %s\n", err);
		machine_free(&m);
		return EXIT_MACHINE;
	}
	rc = write_dtb(path, buf, fdt_totalsize(buf));
	free(buf);
	machine_free(&m);
	return rc;
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* The ELF of a kernel image: beside it, where a NAME.efi has the same
 * bytes as NAME.bin (guest/efi.mk) and NAME.elf is that image's. */
static char *elf_beside_efi(const char *kernel)
{
	size_t n = strlen(kernel);
	char *bin, *elf;

	if (n <= 4 || strcmp(kernel + n - 4, ".efi"))
		return symbols_elf_beside(kernel);
	bin = strdup(kernel);
	if (!bin)
		return NULL;
	memcpy(bin + n - 4, ".bin", 4);
	elf = symbols_elf_beside(bin);
	free(bin);
	return elf;
}

/* The audit's filter and the cache model, on a loaded machine (at the
 * start, or after --model-after's instructions). */
static int attach_checks(struct machine *m, const struct audit_opts *audit,
			 bool model, struct cache_opts *copts)
{
	if (audit_attach(m, audit) < 0) {
		fprintf(stderr, "coherent: audit: cannot set up\n");
		return -1;
	}
	if (model && machine_attach_model(m, copts) < 0) {
		fprintf(stderr, "coherent: out of host memory for the cache model "
			"of %llu MiB of guest RAM: use a smaller -m, or "
			"--no-model\n",
			(unsigned long long)(m->mem.ram_size >> 20));
		return -1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct machine_config cfg = {
		.smp = 1, .ram_mib = 128, .append = "",
		.max_insns = DEFAULT_BUDGET,
	};
	const char *image = NULL, *elf = NULL, *dump = NULL;
	const char *out_path[OUT_N] = { NULL };
	bool qemu_exit = false;
	const char *bios = NULL, *pflash1 = NULL, *kernel = NULL;
	const char *fwcfg_user[FWCFG_MAX_FILES];
	unsigned nfwcfg = 0;
	struct audit_opts audit = { 0 };
	char *elf_found = NULL;
	FILE *out_f[OUT_N] = { NULL };
	bool elf_given;
	struct machine m;
	char err[512];
	uint64_t v;
	bool stats = false, model = true, verbose = false, gen_supp = false;
	bool contract_given = false, contract_all = false;
	FILE *part = NULL;      /* --boot-contract=all: this run's report */
	/* Static: an early usage error returns without freeing it, and
	 * memory still reachable is no leak to LeakSanitizer. */
	static struct suppressions *supp;
	struct cache_opts copts = { .contract = BOOT_LOADED };
	struct timespec t0, t1, c0, c1;
	/* --model-after N: the first N instructions without the model;
	 * --kernel-elf-at ADDR: the kernel's ELF where firmware loaded it. */
	uint64_t model_after = 0, kernel_at = 0;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--smp") || !strcmp(a, "-smp")) {
			if (!parse_dec(a, val, 1, MAX_PES, &v))
				return usage(NULL);
			cfg.smp = v;
			i++;
		} else if (!strcmp(a, "-m")) {
			if (!parse_dec(a, val, 1, 65536, &v))
				return usage(NULL);
			cfg.ram_mib = v;
			i++;
		} else if (!strcmp(a, "--append") || !strcmp(a, "-append")) {
			if (!val)
				return usage("--append needs an argument");
			cfg.append = val;
			i++;
		} else if (!strcmp(a, "--max-insns")) {
			if (!parse_dec(a, val, 1, UINT64_MAX, &v))
				return usage(NULL);
			cfg.max_insns = v;
			i++;
		} else if (!strcmp(a, "--model-after")) {
			if (!parse_dec(a, val, 1, UINT64_MAX, &v))
				return usage(NULL);
			model_after = v;
			i++;
		} else if (!strcmp(a, "--kernel-elf-at")) {
			char *end;

			if (!val)
				return usage("--kernel-elf-at needs an address");
			kernel_at = strtoull(val, &end, 0);
			if (*end || !kernel_at || val[0] == '-')
				return usage("--kernel-elf-at needs an address");
			i++;
		} else if (!strcmp(a, "--guest-mips")) {
			if (!parse_dec(a, val, 1, 1000000, &v))
				return usage(NULL);
			cfg.guest_mips = v;
			i++;
		} else if (!strcmp(a, "--mem-nodes")) {
			if (!parse_dec(a, val, 1, 8, &v))
				return usage(NULL);
			cfg.mem_nodes = v;
			i++;
		} else if (!strcmp(a, "--el2")) {
			cfg.el2 = true;
		} else if (!strcmp(a, "--gic-version") ||
			   !strncmp(a, "--gic-version=", 14)) {
			/* One parser for both spellings. */
			bool joined = a[13] == '=';

			if (!parse_dec("--gic-version", joined ? a + 14 : val, 2, 3, &v))
				return usage(NULL);
			cfg.gic_version = v;
			i += !joined;
		} else if (!strcmp(a, "--dtb") || !strcmp(a, "--initrd") ||
			   !strcmp(a, "--dump-dtb")) {
			if (!val || !*val) {
				fprintf(stderr, "coherent: %s needs a file\n", a);
				return usage(NULL);
			}
			if (!strcmp(a, "--dtb"))
				cfg.dtb_file = val;
			else if (!strcmp(a, "--initrd"))
				cfg.initrd_file = val;
			else
				dump = val;
			i++;
		} else if (!strcmp(a, "--qemu-exit")) {
			qemu_exit = true;
		} else if (!strcmp(a, "--trace")) {
			cfg.trace = true;
		} else if (!strcmp(a, "--suppressions")) {
			if (!val)
				return usage("--suppressions needs a file");
			if (suppressions_load(&supp, val, err, sizeof(err)) < 0) {
				fprintf(stderr, "coherent: %s\n", err);
				return EXIT_USAGE;
			}
			i++;
		} else if (!strcmp(a, "--gen-suppressions")) {
			gen_supp = true;
		} else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			verbose = true;
		} else if (!strcmp(a, "--stats")) {
			stats = true;
		} else if (!strcmp(a, "--no-model")) {
			model = false;
		} else if (!strcmp(a, "--nc-may-hit")) {
			copts.nc_may_hit = true;
		} else if (!strncmp(a, "--boot-contract=", 16)) {
			const char *k = a + 16;

			int c = !strcmp(k, "all") ? 0 : contract_parse(k);

			contract_given = true;
			contract_all = !strcmp(k, "all");
			if (c < 0)
				return usage("--boot-contract is firmware, booting, "
					     "reset, kvm or all (or loaded, "
					     "strict, clean: old names)");
			copts.contract = c;
		} else if (!strcmp(a, "--bios") || !strcmp(a, "-bios")) {
			if (!val)
				return usage("--bios needs a firmware file");
			bios = val;
			i++;
		} else if (!strcmp(a, "--fw-cfg") || !strcmp(a, "-fw_cfg")) {
			if (!val)
				return usage("--fw-cfg needs name=NAME,file=FILE "
					     "or name=NAME,string=STR");
			if (nfwcfg == FWCFG_MAX_FILES)
				return usage("too many --fw-cfg files");
			fwcfg_user[nfwcfg++] = val;
			i++;
		} else if (!strcmp(a, "--pflash1")) {
			if (!val)
				return usage("--pflash1 needs a file");
			pflash1 = val;
			i++;
		} else if (!strcmp(a, "--elf")) {
			if (!val)
				return usage("--elf needs a file");
			elf = val;
			i++;
		} else if (!strcmp(a, "--json") || !strcmp(a, "--sarif") ||
			   !strcmp(a, "--html")) {
			int k = a[2] == 'j' ? OUT_JSON : a[2] == 's' ? OUT_SARIF
								 : OUT_HTML;

			if (!val) {
				fprintf(stderr, "coherent: %s needs a file\n", a);
				return usage(NULL);
			}
			out_path[k] = val;
			i++;
		} else if (!strncmp(a, "--audit-", 8)) {
			/* Internal: set by `coherent audit` for its runs. */
			if (!val || audit_option(&audit, a, val) < 0)
				return usage("bad audit option");
			i++;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "coherent: unknown option '%s'\n", a);
			return usage(NULL);
		} else if (!image) {
			image = a;
		} else {
			return usage("more than one image");
		}
	}
	/* Equal nodes of whole MiB, as QEMU's memory backends are sized. */
	if (cfg.mem_nodes > 1 && cfg.ram_mib % cfg.mem_nodes) {
		fprintf(stderr, "coherent: --mem-nodes %u: -m %llu MiB does not "
			"split into %u equal nodes\n", cfg.mem_nodes,
			(unsigned long long)cfg.ram_mib, cfg.mem_nodes);
		return usage(NULL);
	}
	/* QEMU virt's GICv2 serves 8 PEs (GIC_TARGETLIST_BITS). */
	if (cfg.gic_version == 2 && cfg.smp > 8) {
		fprintf(stderr, "coherent: --smp %u: a GICv2 machine has at most "
			"8 PEs\n", cfg.smp);
		return usage(NULL);
	}
	if (!image && dump && cfg.initrd_file)
		return usage("--initrd is placed after an IMAGE: give one");
	if (!image && dump)
		return dump_dtb_only(&cfg, dump);
	if (!image && !bios)
		return usage("no image");
	/* Firmware starts from reset, where no earlier stage left anything in
	 * the caches: Arm's cores invalidate them at reset (Cortex-A53 TRM
	 * DDI 0500D 6.2, "Data cache invalidate on reset"; Cortex-A76 TRM
	 * A6.2), which is --boot-contract=reset. */
	if (bios) {
		/* An IMAGE is then the kernel the firmware loads through
		 * fw_cfg (QEMU -kernel with -bios); symbols are the
		 * firmware's. */
		kernel = image;
		image = bios;
		if (!contract_given)
			copts.contract = BOOT_CLEAN;
	}
	if ((model_after || kernel_at) && !model)
		return usage("--model-after and --kernel-elf-at need the model");
	if (model_after && contract_given)
		return usage("--model-after sets the state the model starts "
			     "from: no --boot-contract");
	if (kernel_at && !kernel)
		return usage("--kernel-elf-at is for a kernel loaded by --bios");
	/* Symbols for findings: the ELF beside a .bin unless given; with
	 * --kernel-elf-at, the kernel's. */
	elf_given = elf != NULL;
	if (!elf && kernel_at)
		elf = elf_found = elf_beside_efi(kernel);
	else if (!elf)
		elf = elf_found = symbols_elf_beside(image);
	/* Only the same-file checks here: the files are created once the
	 * image has loaded, so a bad image leaves no empty report. */
	if (!reports_distinct(out_path)) {
		free(elf_found);
		return EXIT_USAGE;
	}
	for (int k = 0; k < OUT_N; k++) {
		struct stat st;

		if (out_path[k] && stat(out_path[k], &st) == 0 &&
		    (same_file(&st, image) || same_file(&st, elf))) {
			FILE *f = open_report(out_opt[k], out_path[k], image,
					      elf, &rc);

			if (f)
				fclose(f);
			free(elf_found);
			return rc;
		}
	}
	if (contract_all) {
		rc = run_contracts(&copts.contract, &part, verbose,
				   out_path, image, elf);
		if (!part) {
			free(elf_found);
			suppressions_free(supp);
			supp = NULL;
			return rc;
		}
		/* the child's reports are its part */
		for (int k = 0; k < OUT_N; k++)
			out_path[k] = NULL;
		gen_supp = false;
	}
	if (machine_init(&m, &cfg) < 0) {
		fprintf(stderr, "coherent: out of host memory for %llu MiB of "
			"guest RAM (-m %llu) and %u PE%s: use a smaller -m\n",
			(unsigned long long)cfg.ram_mib,
			(unsigned long long)cfg.ram_mib, cfg.smp,
			cfg.smp == 1 ? "" : "s");
		free(elf_found);
		return EXIT_MACHINE;
	}
	m.describe_pc = findings_describe_pc;
	m.in_fd = STDIN_FILENO;
	if ((bios ? loader_load_bios(&m, bios, err, sizeof(err))
		  : loader_load_file(&m, image, err, sizeof(err))) < 0 ||
	    (kernel && fwcfg_add_kernel(&m, kernel, cfg.append, err,
					sizeof(err)) < 0) ||
	    (pflash1 && pflash_load_file(&m.flash[1], pflash1, true, err,
					 sizeof(err)) < 0)) {
		fprintf(stderr, "coherent: %s\n", err);
		goto fail;
	}
	for (unsigned k = 0; k < nfwcfg; k++)
		if (fwcfg_add_user(&m, fwcfg_user[k], err, sizeof(err)) < 0) {
			fprintf(stderr, "coherent: %s\n", err);
			goto fail;
		}
	/* A position-independent ELF runs at the load address, which is the
	 * entry of a flat image. The ELF must be the image's: a wrong one
	 * would put wrong names and lines on every finding. One named by
	 * --elf that does not match is an error; the one found beside the
	 * image is only a warning (a stale build), and no symbols. */
	if (elf && kernel_at) {
		/* The firmware placed the kernel at run time: nothing of it
		 * is in RAM yet to check the ELF against. */
		findings_set_elf(&m, elf, kernel_at);
	} else if (elf && findings_use_elf(&m, elf, m.entry_pc, err, sizeof(err)) < 0) {
		/* err names the file when it could not be read as an ELF,
		 * else says how it differs from the image. */
		bool read_err = !strncmp(err, elf, strlen(elf));

		fprintf(stderr, "coherent: %s%s%s%s%s%s%s\n",
			elf_given ? "--elf " : "warning: ",
			read_err ? "" : elf, read_err ? "" : " does not match ",
			read_err ? "" : image, read_err ? "" : ": ", err,
			elf_given ? "" : "; findings will have no symbols");
		if (elf_given)
			goto fail;
		findings_set_elf(&m, NULL, 0);
	}
	if (dump) {
		rc = write_dtb(dump, m.mem.ram + (m.dtb_pa - m.mem.ram_base),
			       fdt_totalsize(m.mem.ram + (m.dtb_pa - m.mem.ram_base)));
		findings_free(&m);
		machine_free(&m);
		free(elf_found);
		return rc;
	}
	if ((rc = open_reports(out_f, out_path, image, elf)) != 0) {
		findings_free(&m);
		machine_free(&m);
		free(elf_found);
		return rc;
	}
	/* Only the kernel's own maintenance is audited when its ELF is
	 * placed: the firmware's sites before it are not the subject. */
	if (kernel_at) {
		audit.lo = kernel_at;
		audit.hi = kernel_at + file_size(kernel);
	}
	copts.sink = findings_sink(&m);
	if (!model_after && attach_checks(&m, &audit, model, &copts) < 0)
		goto fail;
	catch_stop_signals();
	/* Firmware starts as from reset, x0 = 0 (hw/arm/boot.c); a
	 * kernel gets the DTB's address in x0 (booting.rst). */
	machine_pe_start(&m, &m.pe[0], m.entry_pc, bios ? 0 : m.dtb_pa);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	if (model_after) {
		/* docs/model.md "Starting mid-run": the model starts with
		 * every RAM line possibly dirty past the PoU, memory stale;
		 * the budget counts both parts. */
		uint64_t budget = m.cfg.max_insns;

		m.cfg.max_insns = model_after < budget ? model_after : budget;
		m.budget_quiet = model_after < budget;
		rc = machine_run(&m);
		m.budget_quiet = false;
		m.cfg.max_insns = budget;
		if (rc == EXIT_BUDGET && !m.halted && model_after < budget &&
		    !machine_stop_signal) {
			/* Loaded data is not known fresh mid-run: the DTB and
			 * initrd are RAM like the rest. */
			uint64_t dtb = m.dtb_size, initrd = m.initrd_size;

			copts.contract = BOOT_LOADED;
			copts.midrun = true;
			m.dtb_size = m.initrd_size = 0;
			rc = attach_checks(&m, &audit, true, &copts);
			m.dtb_size = dtb;
			m.initrd_size = initrd;
			if (rc < 0)
				goto fail;
			rc = machine_run(&m);
		} else if (m.halted) {
			/* No findings then means nothing: say so. */
			fprintf(stderr, "coherent: --model-after %llu: the run "
				"ended after %llu instructions, before the model "
				"started\n", (unsigned long long)model_after,
				(unsigned long long)m.insns_total);
		}
	} else {
		rc = machine_run(&m);
	}
	/* The report goes on even if stderr is a closed pipe too, so that
	 * the JSON is still written. */
	signal(SIGPIPE, SIG_IGN);
	if (machine_stop_signal)
		fprintf(stderr, "coherent: stopped by %s after %llu "
			"instructions\n", sig_name(machine_stop_signal),
			(unsigned long long)m.insns_total);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	if (stats) {
		double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;

		/* guest_s: the guest's clock (idle time skipped included,
		 * docs/interrupts.md), to set against wall and cpu. */
		fprintf(stderr, "coherent: stats: insns=%llu wall=%.3f cpu=%.3f "
			"mips_wall=%.1f mips_cpu=%.1f guest_s=%.3f\n",
			(unsigned long long)m.insns_total, wall, cpu,
			wall > 0 ? m.insns_total / wall / 1e6 : 0,
			cpu > 0 ? m.insns_total / cpu / 1e6 : 0,
			(double)machine_ticks(&m, NULL) / CNT_FREQ);
		if (m.model) {
			/* MiB of model per GiB of guest RAM: at the end (the
			 * model's per-RAM arrays, the shared sets and memo)
			 * and the peak of the total during the run */
			double gib = m.mem.ram_size / (double)(1 << 30) *
				     (1 << 20);
			struct history_stats hs;

			fprintf(stderr, "coherent: stats: model_bytes=%zu "
				"model_sets=%zu model_mib_per_gib=%.2f "
				"model_ram_mib_per_gib=%.2f "
				"model_shared_mib_per_gib=%.2f "
				"model_peak_mib_per_gib=%.2f\n",
				cache_bytes(m.model), cache_sets(),
				cache_bytes(m.model) / gib,
				cache_bytes_ram(m.model) / gib,
				(cache_bytes(m.model) -
				 cache_bytes_ram(m.model)) / gib,
				cache_bytes_peak(m.model) / gib);
			history_stats(&m, &hs);
			fprintf(stderr, "coherent: stats: history_bytes=%zu "
				"history_records=%llu history_ranges=%llu "
				"history_range_lines=%llu history_sites=%llu\n",
				hs.bytes, (unsigned long long)hs.line_records,
				(unsigned long long)hs.ranges,
				(unsigned long long)hs.range_lines,
				(unsigned long long)hs.sites);
		}
	}
	for (unsigned i = 0; i < 2; i++)
		if (m.flash[i].err[0]) {
			fprintf(stderr, "coherent: flash bank %u: %s\n", i,
				m.flash[i].err);
			rc = EXIT_MACHINE;
		}
	suppressions_apply(&m, supp);
	if (verbose)
		findings_report_detail(&m, stderr);
	if (part) {
		if (findings_write_part(&m, part) < 0) {
			fprintf(stderr, "coherent: cannot write this contract's "
				"report for --boot-contract=all\n");
			rc = EXIT_MACHINE;
		}
	} else {
		findings_report(&m, stderr);
	}
	if (gen_supp)
		suppressions_generate(&m, stderr);
	for (int k = 0; k < OUT_N; k++) {
		FILE *f = out_f[k];

		out_f[k] = NULL;        /* the writer closes it */
		if (f && out_write[k](&m, f) < 0) {
			fprintf(stderr, "coherent: cannot write %s\n",
				out_path[k]);
			rc = EXIT_MACHINE;
		}
	}
	if (audit_finish(&m) < 0)
		rc = EXIT_MACHINE;
	/* Findings make a passing (or skipped) guest fail; a guest that
	 * failed, or a run that went wrong, keeps its own status. */
	if (findings_count(&m) && (rc == 0 || rc == 77))
		rc = EXIT_FINDINGS;
	/* Under QEMU, kvm-unit-tests' chr-testdev makes the exit status
	 * (code << 1) | 1, which the guest also prints as "EXIT: STATUS=n"
	 * (lib/arm/io.c exit()): 1 is its pass (scripts/arch-run.bash
	 * run_test, vmm.bash qemu_fixup_return_code). */
	if (qemu_exit && findings_count(&m) && rc == 1)
		rc = EXIT_FINDINGS;
	findings_free(&m);
	machine_detach_model(&m);
	machine_free(&m);
	free(elf_found);
	suppressions_free(supp);
	supp = NULL;
	return rc;
fail:
	reports_close(out_f);
	findings_free(&m);
	machine_detach_model(&m);
	machine_free(&m);
	free(elf_found);
	return EXIT_MACHINE;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	/* Installed as qemu-system-aarch64 (a link to this program), it
	 * takes QEMU's command line and runs it as `coherent run`. */
	name = name ? name + 1 : argv[0];
	if (!strcmp(name, "qemu-system-aarch64"))
		return qemu_main(argc, argv, cmd_run);
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
