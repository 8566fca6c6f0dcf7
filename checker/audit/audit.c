/* `coherent audit [--helper NAME]... [-j N] [run options] IMAGE`: the
 * driver (audit.h). Every run is a child `coherent run` of this same
 * executable, so each starts from a fresh machine and model and runs can
 * go in parallel; a child reports through its --audit-record file.
 *
 * A site is "necessary" when suppressing it makes a finding appear that
 * the unmodified run does not have (same kind and PC); otherwise "not
 * shown necessary": this run of this test does not exercise a timing or
 * contract under which the site matters (docs/boot-cache-maintenance.md,
 * "Audit", gives each such site's reason). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/audit.h"
#include "board/machine.h"

struct asite {
	uint64_t key;
	char *ops, *calls, *sym, *loc;
	char *verdict;          /* first new finding, or NULL */
	int status;
};

struct afind {
	char kind[32];
	uint64_t pc;
	char *text;
};

struct result {
	struct asite *site;
	size_t nsite;
	struct afind *find;
	size_t nfind;
};

static char *dupn(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		perror("coherent: audit");
		exit(EXIT_MACHINE);
	}
	return p;
}

static void *grow(void *v, size_t n, size_t size)
{
	/* Capacity doubles at powers of two. */
	if (n && (n & (n - 1)))
		return v;
	v = realloc(v, (n ? 2 * n : 1) * size);
	if (!v) {
		perror("coherent: audit");
		exit(EXIT_MACHINE);
	}
	return v;
}

/* Parse a record file (audit_site.c, write_record). */
static int read_record(const char *path, struct result *r)
{
	FILE *f = fopen(path, "r");
	char line[2048];

	memset(r, 0, sizeof(*r));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *fld[6] = { 0 }, *save = NULL;
		int n = 0;

		line[strcspn(line, "\n")] = 0;
		for (char *t = strtok_r(line, "\t", &save); t && n < 6;
		     t = strtok_r(NULL, "\t", &save))
			fld[n++] = t;
		if (n == 6 && !strcmp(fld[0], "S")) {
			struct asite *s;

			r->site = grow(r->site, r->nsite, sizeof(*r->site));
			s = &r->site[r->nsite++];
			memset(s, 0, sizeof(*s));
			s->key = strtoull(fld[1], NULL, 0);
			s->ops = dupn(fld[2]);
			s->calls = dupn(fld[3]);
			s->sym = dupn(fld[4]);
			s->loc = dupn(fld[5]);
		} else if (n == 4 && !strcmp(fld[0], "F")) {
			struct afind *x;

			r->find = grow(r->find, r->nfind, sizeof(*r->find));
			x = &r->find[r->nfind++];
			snprintf(x->kind, sizeof(x->kind), "%s", fld[1]);
			x->pc = strtoull(fld[2], NULL, 0);
			x->text = dupn(fld[3]);
		}
	}
	fclose(f);
	return 0;
}

static void free_result(struct result *r)
{
	for (size_t i = 0; i < r->nsite; i++) {
		free(r->site[i].ops);
		free(r->site[i].calls);
		free(r->site[i].sym);
		free(r->site[i].loc);
		free(r->site[i].verdict);
	}
	for (size_t i = 0; i < r->nfind; i++)
		free(r->find[i].text);
	free(r->site);
	free(r->find);
	memset(r, 0, sizeof(*r));
}

static bool has_finding(const struct result *r, const struct afind *x)
{
	for (size_t i = 0; i < r->nfind; i++)
		if (r->find[i].pc == x->pc && !strcmp(r->find[i].kind, x->kind))
			return true;
	return false;
}

struct driver {
	const char *self;
	char **run_args;        /* options and image passed to every run */
	int nrun_args;
	const char **helper;
	int nhelper;
	char dir[64];           /* temporary directory of the record files */
};

/* Start `coherent run --audit-record FILE [--audit-suppress KEY] ...`
 * with its console and report discarded. */
static pid_t start_run(const struct driver *d, const char *record,
		       uint64_t suppress)
{
	char key[32];
	char **argv = calloc(d->nrun_args + 2 * d->nhelper + 8, sizeof(char *));
	int k = 0;
	pid_t pid;

	if (!argv)
		return -1;
	argv[k++] = (char *)d->self;
	argv[k++] = "run";
	argv[k++] = "--audit-record";
	argv[k++] = (char *)record;
	if (suppress) {
		snprintf(key, sizeof(key), "0x%" PRIx64, suppress);
		argv[k++] = "--audit-suppress";
		argv[k++] = key;
	}
	for (int i = 0; i < d->nhelper; i++) {
		argv[k++] = "--audit-helper";
		argv[k++] = (char *)d->helper[i];
	}
	for (int i = 0; i < d->nrun_args; i++)
		argv[k++] = d->run_args[i];
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* An interrupted audit leaves no runs behind. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(d->self, argv);
		_exit(EXIT_MACHINE);
	}
	free(argv);
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;

	if (pid <= 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* One suppressed run per site, up to jobs at a time. */
static void run_sites(struct driver *d, struct result *base, unsigned jobs)
{
	pid_t *pid = calloc(base->nsite, sizeof(*pid));
	size_t next = 0, done = 0;

	if (!pid) {
		perror("coherent: audit");
		exit(EXIT_MACHINE);
	}
	while (done < base->nsite) {
		while (next < base->nsite && next - done < jobs) {
			char rec[96];

			snprintf(rec, sizeof(rec), "%s/site%zu", d->dir, next);
			pid[next] = start_run(d, rec, base->site[next].key);
			next++;
		}
		/* Reap in order: results are printed in site order anyway. */
		struct asite *s = &base->site[done];
		struct result r;
		char rec[96];

		s->status = wait_status(pid[done]);
		snprintf(rec, sizeof(rec), "%s/site%zu", d->dir, done);
		if (read_record(rec, &r) == 0) {
			for (size_t i = 0; i < r.nfind && !s->verdict; i++)
				if (!has_finding(base, &r.find[i]))
					s->verdict = dupn(r.find[i].text);
			free_result(&r);
		} else {
			s->verdict = dupn("(run failed: no record)");
		}
		unlink(rec);
		done++;
	}
	free(pid);
}

static void print_table(const struct driver *d, const struct result *base,
			int base_status)
{
	size_t nec = 0;

	printf("| site | source | operations | calls | verdict |\n");
	printf("| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < base->nsite; i++) {
		const struct asite *s = &base->site[i];

		printf("| `%s` | %s | %s | %s | ", s->sym, s->loc, s->ops, s->calls);
		if (s->verdict) {
			printf("**necessary**: %s |\n", s->verdict);
			nec++;
		} else {
			printf("not shown necessary |\n");
		}
	}
	printf("\n%zu site%s, %zu necessary; unmodified run: status %d, %zu "
	       "finding%s", base->nsite, base->nsite == 1 ? "" : "s", nec,
	       base_status, base->nfind, base->nfind == 1 ? "" : "s");
	for (size_t i = 0; i < base->nfind; i++)
		printf("%s%s", i ? "; " : ": ", base->find[i].text);
	printf("\n");
	(void)d;
}

int audit_main(const char *argv0, int argc, char **argv)
{
	struct driver d = { .self = "/proc/self/exe" };
	struct result base;
	unsigned jobs = 0;
	char rec[96];
	int st;

	(void)argv0;
	d.run_args = calloc(argc + 1, sizeof(char *));
	d.helper = calloc(argc + 1, sizeof(char *));
	if (!d.run_args || !d.helper)
		return EXIT_MACHINE;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--helper") && i + 1 < argc) {
			d.helper[d.nhelper++] = argv[++i];
		} else if (!strcmp(argv[i], "-j") && i + 1 < argc) {
			jobs = atoi(argv[++i]);
		} else {
			d.run_args[d.nrun_args++] = argv[i];
		}
	}
	if (!d.nrun_args) {
		fprintf(stderr, "usage: coherent audit [--helper NAME]... [-j N] "
			"[run options] IMAGE\n");
		return EXIT_USAGE;
	}
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = n > 0 ? (n > 8 ? 8 : n) : 1;
	}
	snprintf(d.dir, sizeof(d.dir), "/tmp/coherent-audit-XXXXXX");
	if (!mkdtemp(d.dir)) {
		perror("coherent: audit: mkdtemp");
		return EXIT_MACHINE;
	}
	snprintf(rec, sizeof(rec), "%s/base", d.dir);
	st = wait_status(start_run(&d, rec, 0));
	if (read_record(rec, &base) < 0) {
		fprintf(stderr, "coherent: audit: the unmodified run failed "
			"(status %d); try coherent run with the same options\n", st);
		rmdir(d.dir);
		free(d.run_args);
		free(d.helper);
		return st > 0 ? st : EXIT_MACHINE;
	}
	unlink(rec);
	run_sites(&d, &base, jobs);
	rmdir(d.dir);
	print_table(&d, &base, st);
	free_result(&base);
	free(d.run_args);
	free(d.helper);
	return fflush(stdout) == 0 ? 0 : EXIT_MACHINE;
}
