/* qemu-system-aarch64: QEMU's command line, as boot-code test harnesses
 * give it (kvm-unit-tests' arm/run and scripts/arch-run.bash), turned
 * into `coherent run`. What does not change what the guest sees (display,
 * accelerator, a virtio console the guest does without) is accepted;
 * anything that would make the machine differ from what was asked for is
 * refused by name, so a harness never passes on a machine it did not
 * ask for. docs/machine.md lists both. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/qemu.h"

#define PROG "qemu-system-aarch64"
/* The QEMU release whose virt board the machine follows (its device
 * tree is compared with this release's: checker/tests/dtb_vs_qemu.sh);
 * kvm-unit-tests reads the version from the first line of -h. */
#define QEMU_VERSION "7.2.0"
#define MAX_ARGS 56
#define MAX_EXTRA 32        /* words of COHERENT_ARGS */
#define MAX_SMP  64         /* board/machine.h MAX_PES */
#define MAX_MIB  65536      /* coherent run's -m limit */
#define USAGE    64         /* coherent run's usage error */
#define PROBE (-2)          /* a probe was answered: exit 0 */
#define MAX_FWCFG 8         /* -fw_cfg options passed on */

struct qopts {
	const char *kernel, *initrd, *append, *dtb, *dumpdtb, *bios;
	const char *fwcfg[MAX_FWCFG];
	unsigned nfwcfg;
	unsigned gic;                    /* 0: QEMU virt's default, 2 */
	bool el2;
	char smp[16], mib[24];
};

static int refuse(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, PROG ": %s%s%s: %s\n", opt, val ? " " : "",
		val ? val : "", why);
	return 1;
}

static bool onoff(const char *v, bool *b)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true"))
		*b = true;
	else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"))
		*b = false;
	else
		return false;
	return true;
}

/* Splits "a,b=c,..." in place: the next item, or NULL at the end. */
static char *next_item(char **s)
{
	char *item = *s, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma)
		*comma++ = 0;
	*s = comma;
	return item;
}

static void help(void)
{
	printf("QEMU emulator version " QEMU_VERSION " (coherent: the "
	       "cache-coherence checker under QEMU's name)\n"
	       "usage: " PROG " -machine virt[,gic-version=2|3|max]"
	       "[,virtualization=on|off][,dumpdtb=FILE]\n"
	       "       -cpu max|cortex-a57|host -smp N -m SIZE -kernel IMAGE\n"
	       "       [-initrd FILE] [-append ARGS] [-dtb FILE] [-bios FILE] [-nographic]\n"
	       "       [-display none] [-serial stdio] [-nodefaults] "
	       "[-no-reboot] [-accel tcg]\n"
	       "COHERENT_MODEL=off in the environment runs without the cache "
	       "model. See coherent's docs/machine.md.\n");
}

static int machine_probe(const char *what)
{
	if (!what) {
		printf("Supported machines are:\n"
		       "virt                 QEMU " QEMU_VERSION
		       " ARM Virtual Machine (coherent)\n");
	} else {
		printf("virt-machine options:\n"
		       "  dumpdtb=<string>       - Dump current dtb to a file and quit\n"
		       "  gic-version=<string>   - Set GIC version. Valid values are 2, 3 and max\n"
		       "  virtualization=<bool>  - Set on/off to enable/disable emulating a guest CPU which implements the ARM Virtualization Extensions\n");
	}
	return PROBE;
}

/* -machine [virt][,key=value]... (several -machine options add up, as
 * in QEMU: kvm-unit-tests passes "-machine gic-version=2" after
 * "-machine virt"). */
static int opt_machine(struct qopts *q, const char *arg, char *buf)
{
	char *s = buf, *item;
	bool first = true, b;

	while ((item = next_item(&s))) {
		char *eq = strchr(item, '=');
		const char *v = eq ? eq + 1 : NULL;

		if (eq)
			*eq = 0;
		if (!strcmp(item, "help") || !strcmp(item, "?"))
			return machine_probe(first ? NULL : "virt");
		if ((first && !v) || !strcmp(item, "type")) {
			const char *type = v ? v : item;

			if (strcmp(type, "virt"))
				return refuse("-machine", arg, "the only machine is virt");
		} else if (!v) {
			return refuse("-machine", arg, "an option needs a value");
		} else if (!strcmp(item, "gic-version")) {
			if (!strcmp(v, "2"))
				q->gic = 2;
			else if (!strcmp(v, "3") || !strcmp(v, "max"))
				q->gic = 3;
			else
				return refuse("-machine", arg, "gic-version is 2, 3 or max");
		} else if (!strcmp(item, "virtualization")) {
			if (!onoff(v, &q->el2))
				return refuse("-machine", arg, "virtualization is on or off");
		} else if (!strcmp(item, "dumpdtb")) {
			/* v is in buf, which goes: point into arg instead. */
			q->dumpdtb = arg + (v - buf);
		} else if (!strcmp(item, "accel")) {
			if (strcmp(v, "tcg"))
				return refuse("-machine", arg, "the only accelerator is tcg");
		} else if (!strcmp(item, "highmem")) {
			/* Only moves devices the machine does not have (PCIe's
			 * high window, the second redistributor region). */
			if (!onoff(v, &b))
				return refuse("-machine", arg, "highmem is on or off");
		} else if (!strcmp(item, "secure") || !strcmp(item, "mte") ||
			   !strcmp(item, "its") || !strcmp(item, "acpi")) {
			/* EL3, MTE, the ITS and ACPI tables (fw_cfg's
			 * etc/table-loader) are not modelled: only "off". */
			if (!onoff(v, &b) || b)
				return refuse("-machine", arg, !strcmp(item, "secure") ?
					      "EL3 (secure=on) is not modelled" :
					      !strcmp(item, "mte") ?
					      "MTE is not modelled" :
					      !strcmp(item, "acpi") ?
					      "ACPI tables are not modelled" :
					      "the GIC ITS is not modelled");
		} else {
			return refuse("-machine", arg, "option not supported by coherent");
		}
		first = false;
	}
	return 0;
}

/* Features of -cpu max that the PE does not implement (pe/sysreg.c):
 * turning them off asks for what the machine is. */
static bool absent_feature(const char *f)
{
	static const char *const absent[] = { "sve", "pauth", "pauth-impdef",
		"pauth-qarma3", "mte", "lpa2", "pmu", NULL };

	if (!strncmp(f, "sve", 3) && f[3] >= '1' && f[3] <= '9')
		return true;                    /* sve128 ... sve2048 */
	for (unsigned i = 0; absent[i]; i++)
		if (!strcmp(f, absent[i]))
			return true;
	return false;
}

static int opt_cpu(const char *arg, char *buf)
{
	char *s = buf, *item = next_item(&s);
	bool b;

	/* host: KVM's CPU; the interpreter's PE stands in for it, as for
	 * max and cortex-a57 (docs/machine.md: the ID registers). */
	if (!item || (strcmp(item, "max") && strcmp(item, "cortex-a57") &&
		      strcmp(item, "host")))
		return refuse("-cpu", arg, "the CPU is max, cortex-a57 or host");
	while ((item = next_item(&s))) {
		char *eq = strchr(item, '=');

		if (!eq || !onoff(eq + 1, &b))
			return refuse("-cpu", arg, "a feature is NAME=on or NAME=off");
		*eq = 0;
		if (!strcmp(item, "aarch64") && b)
			continue;
		if (!b && absent_feature(item))
			continue;
		fprintf(stderr, PROG ": -cpu %s: feature '%s=%s' cannot be "
			"modelled\n", arg, item, eq + 1);
		return 1;
	}
	return 0;
}

static int opt_smp(struct qopts *q, const char *arg, char *buf)
{
	char *s = buf, *item;

	while ((item = next_item(&s))) {
		const char *n = item;

		if (!strncmp(item, "cpus=", 5))
			n += 5;
		else if (strchr(item, '='))
			return refuse("-smp", arg, "only the number of CPUs (N or "
				      "cpus=N) is supported");
		if (!*n || strspn(n, "0123456789") != strlen(n) ||
		    strlen(n) > 3 || atoi(n) < 1 || atoi(n) > MAX_SMP)
			return refuse("-smp", arg, "not a number of CPUs from 1 to 64");
		strcpy(q->smp, n);
	}
	return 0;
}

/* -m [size=]N[M|G]: QEMU's unit is MiB without a suffix. */
static int opt_mem(struct qopts *q, const char *arg)
{
	const char *v = !strncmp(arg, "size=", 5) ? arg + 5 : arg;
	char *end;
	unsigned long long n;

	if (*v < '0' || *v > '9')
		return refuse("-m", arg, "not a size (N, NM or NG)");
	n = strtoull(v, &end, 10);
	if (*end == 'G' || *end == 'g') {
		if (n > MAX_MIB >> 10)
			return refuse("-m", arg, "from 1 MiB to 64 GiB");
		n <<= 10;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		end++;
	}
	if (*end)
		return refuse("-m", arg, "not a size in whole MiB (N, NM or NG)");
	if (n < 1 || n > MAX_MIB)
		return refuse("-m", arg, "from 1 MiB to 64 GiB");
	snprintf(q->mib, sizeof(q->mib), "%llu", n);
	return 0;
}

static int opt_device(const char *arg, const char *what)
{
	/* kvm-unit-tests' chr-testdev: a virtio console the guest looks for
	 * and, not finding one (virtio-mmio reads as zero), does without:
	 * it prints "EXIT: STATUS=n" and turns the system off (PSCI). */
	static const char *const dev[] = { "virtio-serial-device",
		"virtconsole,chardev=ctd", NULL };
	static const char *const chr[] = { "testdev,id=ctd", NULL };
	const char *const *ok = !strcmp(what, "-device") ? dev : chr;

	if (!strcmp(arg, "?") || !strcmp(arg, "help")) {
		if (ok == dev)
			printf("name \"virtio-serial-device\", bus virtio-bus "
			       "(accepted: not emulated)\n"
			       "name \"virtconsole\", bus virtio-serial-bus "
			       "(accepted: not emulated)\n");
		else
			printf("Available chardev backend types:\n"
			       "  testdev (accepted: not emulated)\n");
		return PROBE;
	}
	for (unsigned i = 0; ok[i]; i++)
		if (!strcmp(arg, ok[i]))
			return 0;
	return refuse(what, arg, "device not modelled by coherent");
}

/* An option that takes a value: its value, or NULL after an error. */
static const char *value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, PROG ": %s requires an argument\n", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static bool is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, R_OK) == 0;
}

static bool takes_value(const char *o)
{
	static const char *const with[] = { "-machine", "-M", "-cpu", "-smp",
		"-m", "-kernel", "-initrd", "-append", "-dtb", "-display", "-bios",
		"-serial", "-accel", "-device", "-chardev", "-fw_cfg", NULL };

	for (unsigned i = 0; with[i]; i++)
		if (!strcmp(o, with[i]))
			return true;
	return false;
}

static int parse(struct qopts *q, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v;
		char buf[512];
		int r = 0;

		if (o[0] != '-' || !o[1])
			return refuse(o, NULL, "a disk image: no block device "
				      "is modelled (the kernel is -kernel)");
		if (o[1] == '-' && o[2])
			o++;                        /* --opt is -opt */
		if (!strcmp(o, "-h") || !strcmp(o, "-help") ||
		    !strcmp(o, "-version")) {
			help();
			return PROBE;
		}
		if (!strcmp(o, "-nographic") || !strcmp(o, "-nodefaults") ||
		    !strcmp(o, "-no-reboot"))
			continue;
		if (!takes_value(o))
			return refuse(argv[i], NULL, "option not supported by coherent");
		if (!(v = value(argc, argv, &i)))
			return 1;
		if (strlen(v) >= sizeof(buf))
			return refuse(o, NULL, "argument too long");
		strcpy(buf, v);
		if (!strcmp(o, "-machine") || !strcmp(o, "-M"))
			r = opt_machine(q, v, buf);
		else if (!strcmp(o, "-cpu"))
			r = opt_cpu(v, buf);
		else if (!strcmp(o, "-smp"))
			r = opt_smp(q, v, buf);
		else if (!strcmp(o, "-m"))
			r = opt_mem(q, v);
		else if (!strcmp(o, "-kernel"))
			q->kernel = v;
		else if (!strcmp(o, "-bios"))
			q->bios = v;
		else if (!strcmp(o, "-initrd"))
			q->initrd = v;
		else if (!strcmp(o, "-append"))
			q->append = v;
		else if (!strcmp(o, "-dtb"))
			q->dtb = v;
		else if (!strcmp(o, "-fw_cfg"))
			r = q->nfwcfg == MAX_FWCFG ?
			    refuse(o, v, "more than 8 -fw_cfg files") :
			    (q->fwcfg[q->nfwcfg++] = v, 0);
		else if (!strcmp(o, "-display"))
			r = strcmp(v, "none") ? refuse(o, v, "only -display none") : 0;
		else if (!strcmp(o, "-serial"))
			r = strcmp(v, "stdio") ? refuse(o, v, "only -serial stdio") : 0;
		else if (!strcmp(o, "-accel"))
			/* tcg's properties (thread=, tb-size=) do not change
			 * what the guest sees. */
			r = strncmp(v, "tcg", 3) || (v[3] && v[3] != ',') ?
			    refuse(o, v, "the only accelerator is tcg") : 0;
		else if (!strcmp(o, "-device") || !strcmp(o, "-chardev"))
			r = opt_device(v, o);
		if (r)
			return r;
	}
	return 0;
}

int qemu_main(int argc, char **argv, qemu_run_fn run)
{
	struct qopts q = { 0 };
	const char *model = getenv("COHERENT_MODEL");
	const char *extra = getenv("COHERENT_ARGS");
	char *av[MAX_ARGS + MAX_EXTRA + 1], *words = NULL;
	int n = 0, r;

	r = parse(&q, argc, argv);
	if (r == PROBE)
		return 0;
	if (r)
		return r;
	if (model && *model && strcmp(model, "off") && strcmp(model, "on")) {
		fprintf(stderr, PROG ": COHERENT_MODEL=%s: it is on or off\n", model);
		return 1;
	}
	if (!q.kernel && !q.dumpdtb && !q.bios) {
		fprintf(stderr, PROG ": no -kernel: coherent runs a kernel "
			"image, or firmware given with -bios\n");
		return 1;
	}
	if (q.bios && !is_regular(q.bios)) {
		fprintf(stderr, PROG ": Could not load ROM image '%s'\n", q.bios);
		return 1;
	}
	/* QEMU's limit for GICv2 (GIC_TARGETLIST_BITS). */
	if (q.gic != 3 && q.smp[0] && atoi(q.smp) > 8) {
		fprintf(stderr, PROG ": -smp %s: a GICv2 machine has at most "
			"8 CPUs (-machine gic-version=3 has more)\n", q.smp);
		return 1;
	}
	/* QEMU's rule: both go with the kernel (hw/arm/boot.c). */
	if (!q.kernel && (q.initrd || q.append)) {
		fprintf(stderr, PROG ": %s only allowed with -kernel option\n",
			q.initrd ? "-initrd" : "-append");
		return 1;
	}
	if (q.kernel && !is_regular(q.kernel)) {
		/* QEMU's words: kvm-unit-tests' premature_failure() looks for
		 * them to see that the emulator itself works. */
		fprintf(stderr, PROG ": could not load kernel '%s'\n", q.kernel);
		return 1;
	}
	av[n++] = "--qemu-exit";
	if (model && !strcmp(model, "off"))
		av[n++] = "--no-model";
	if (q.el2)
		av[n++] = "--el2";
	/* QEMU virt's default is GICv2 (virt.c: gic-version unset keeps
	 * VIRT_GIC_VERSION_2 for compatibility), coherent run's GICv3. */
	av[n++] = "--gic-version";
	av[n++] = q.gic == 3 ? "3" : "2";
	if (q.smp[0]) {
		av[n++] = "--smp";
		av[n++] = q.smp;
	}
	if (q.mib[0]) {
		av[n++] = "-m";
		av[n++] = q.mib;
	}
	if (q.append) {
		av[n++] = "--append";
		av[n++] = (char *)q.append;
	}
	if (q.initrd) {
		av[n++] = "--initrd";
		av[n++] = (char *)q.initrd;
	}
	if (q.dtb) {
		av[n++] = "--dtb";
		av[n++] = (char *)q.dtb;
	}
	if (q.bios) {
		av[n++] = "--bios";
		av[n++] = (char *)q.bios;
	}
	for (unsigned k = 0; k < q.nfwcfg; k++) {
		av[n++] = "--fw-cfg";
		av[n++] = (char *)q.fwcfg[k];
	}
	if (q.dumpdtb) {
		av[n++] = "--dump-dtb";
		av[n++] = (char *)q.dumpdtb;
	}
	/* Harnesses time a run by the wall clock (kvm-unit-tests' timer test
	 * has 10 s and waits for deadlines seconds of guest time ahead):
	 * guest time at 100 instructions per microsecond keeps near the
	 * wall clock at the interpreter's speed, where coherent run's 1000
	 * (docs/usage.md "`coherent run`") would run it ten times slower.
	 * COHERENT_ARGS, after it, may set another rate. */
	av[n++] = "--guest-mips";
	av[n++] = "100";
	/* coherent run's own options for a harness that cannot pass them
	 * (--json FILE, --max-insns N, --boot-contract=...): words split
	 * at blanks, no quoting. */
	if (extra && *extra) {
		char *w;

		words = strdup(extra);
		if (!words) {
			fprintf(stderr, PROG ": out of memory\n");
			return 1;
		}
		for (w = strtok(words, " \t\n"); w; w = strtok(NULL, " \t\n")) {
			if (n >= MAX_ARGS + MAX_EXTRA - 1) {
				fprintf(stderr, PROG ": COHERENT_ARGS: more than %d "
					"words\n", MAX_EXTRA);
				free(words);
				return 1;
			}
			av[n++] = w;
		}
	}
	if (q.kernel)
		av[n++] = (char *)q.kernel;
	av[n] = NULL;
	r = run(n, av);
	free(words);
	/* Not expected after the checks above; QEMU's status for a bad
	 * command line all the same. */
	return r == USAGE ? 1 : r;
}
