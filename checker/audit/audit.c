/* `coherent audit [--helper NAME]... [-j N] [--json FILE] [run options]
 * IMAGE`: the driver (audit.h). Every run is a child `coherent run` of
 * this same executable, so each starts from a fresh machine and model and
 * runs can go in parallel; a child reports through its --audit-record
 * file.
 *
 * A site is "necessary" when suppressing it makes a finding appear that
 * the unmodified run does not have (same kind and PC); otherwise "not
 * shown necessary": this run of this test does not exercise a timing or
 * contract under which the site matters (docs/boot-cache-maintenance.md
 * "Audit" gives each such site's reason).
 *
 * A run that did not end by itself with its record (a signal, the
 * budget, a machine error, a status the unmodified run did not have)
 * says nothing about its site: the audit reports it and fails
 * (EXIT_AUDIT_RUN) rather than give that site a verdict. */
#define _GNU_SOURCE             /* sigabbrev_np */
#include <errno.h>
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
	char *failed;           /* how its run failed, or NULL */
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
		free(r->site[i].failed);
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
	/* --json, --sarif, --html: the unmodified run's only */
	const char *json, *sarif, *html;
};

/* What a signal handler needs to leave nothing behind: the runs still
 * going and every record file they may write. Changed only with the
 * signals blocked (block_signals). */
static struct {
	char dir[64];           /* temporary directory of the record files */
	volatile pid_t *pid;
	char (*rec)[96];        /* rec[0] the unmodified run's, rec[1 + i] site i's */
	volatile size_t n;      /* entries of pid and rec in use */
} g;

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };

static void block_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&set, caught[i]);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* Async-signal-safe: kill and reap the runs (so that none writes a file
 * after), remove the files and the directory, exit 128 + sig. */
static void on_signal(int sig)
{
	static const char msg[] = "coherent: audit: interrupted; runs killed, "
		"temporary files removed\n";

	for (size_t i = 0; i < g.n; i++)
		if (g.pid[i] > 0)
			kill(g.pid[i], SIGKILL);
	for (size_t i = 0; i < g.n; i++)
		if (g.pid[i] > 0)
			waitpid(g.pid[i], NULL, 0);
	for (size_t i = 0; i < g.n; i++)
		unlink(g.rec[i]);
	if (g.dir[0])
		rmdir(g.dir);
	ssize_t w = write(2, msg, sizeof(msg) - 1);

	(void)w;                /* nothing to do if stderr is gone */
	_exit(128 + sig);
}

/* A signal ignored when the audit started (nohup, a background job's
 * SIGINT) stays ignored: whoever started it asked for that. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal }, old;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		if (sigaction(caught[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(caught[i], &sa, NULL);
	}
}

/* Start run slot (g.pid[slot], g.rec[slot]): `coherent run
 * --audit-record FILE [--audit-suppress KEY] ...` with its console and
 * report discarded. Returns the pid, or -1. */
static pid_t start_run(const struct driver *d, size_t slot, uint64_t suppress)
{
	char key[32];
	char **argv = calloc(d->nrun_args + 2 * d->nhelper + 14, sizeof(char *));
	pid_t parent = getpid(), pid;
	int k = 0;

	if (!argv)
		return -1;
	argv[k++] = (char *)d->self;
	argv[k++] = "run";
	argv[k++] = "--audit-record";
	argv[k++] = g.rec[slot];
	if (suppress) {
		snprintf(key, sizeof(key), "0x%" PRIx64, suppress);
		argv[k++] = "--audit-suppress";
		argv[k++] = key;
	} else {
		const char *const opt[] = { "--json", "--sarif", "--html" };
		const char *const path[] = { d->json, d->sarif, d->html };

		for (int i = 0; i < 3; i++)
			if (path[i]) {
				argv[k++] = (char *)opt[i];
				argv[k++] = (char *)path[i];
			}
	}
	for (int i = 0; i < d->nhelper; i++) {
		argv[k++] = "--audit-helper";
		argv[k++] = (char *)d->helper[i];
	}
	for (int i = 0; i < d->nrun_args; i++)
		argv[k++] = d->run_args[i];
	/* Blocked until the pid is stored, so that a signal never misses
	 * a run it should kill. */
	block_signals(true);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* An audit that dies anyhow leaves no runs behind; if it
		 * already died, the signal would never come. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(EXIT_MACHINE);
		block_signals(false);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(d->self, argv);
		_exit(EXIT_MACHINE);
	}
	g.pid[slot] = pid;
	block_signals(false);
	free(argv);
	return pid;
}

/* Wait for run slot; its wait status, or -1. Waited for without reaping
 * first, so that the handler never sees a reaped (reusable) pid. */
static int wait_run(size_t slot)
{
	pid_t pid = g.pid[slot];
	siginfo_t si;
	int st;

	if (pid <= 0)
		return -1;
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return -1;
	block_signals(true);
	if (waitpid(pid, &st, 0) < 0)
		st = -1;
	g.pid[slot] = 0;
	block_signals(false);
	return st;
}

static const char *status_meaning(int code)
{
	switch (code) {
	case EXIT_BUDGET:
		return " (instruction budget exhausted)";
	case EXIT_MACHINE:
		return " (machine error)";
	case EXIT_USAGE:
		return " (usage error)";
	default:
		return "";
	}
}

/* How a run failed, in buf, or NULL if it ran to its end: exited with
 * its record written and a status in ok[0..nok). */
static const char *run_failure(int st, bool record, const int *ok, size_t nok,
			       char *buf, size_t len)
{
	if (st == -1) {
		snprintf(buf, len, "could not be started or waited for");
		return buf;
	}
	if (WIFSIGNALED(st)) {
		const char *name = sigabbrev_np(WTERMSIG(st));

		snprintf(buf, len, "killed by signal %d (SIG%s)", WTERMSIG(st),
			 name ? name : "?");
		return buf;
	}
	for (size_t i = 0; i < nok; i++) {
		if (WEXITSTATUS(st) != ok[i])
			continue;
		if (record)
			return NULL;
		snprintf(buf, len, "exited with status %d without its record",
			 WEXITSTATUS(st));
		return buf;
	}
	snprintf(buf, len, "exited with status %d%s", WEXITSTATUS(st),
		 status_meaning(WEXITSTATUS(st)));
	return buf;
}

/* One suppressed run per site, up to jobs at a time. A site's run must
 * end as the unmodified run did (base_code), or pass, skip or have
 * findings (docs/usage.md, exit status); anything else is a failure. */
static size_t run_sites(struct driver *d, struct result *base, int base_code,
			unsigned jobs)
{
	const int ok[] = { 0, 77, EXIT_FINDINGS, base_code };
	size_t next = 0, done = 0, failed = 0;

	while (done < base->nsite) {
		while (next < base->nsite && next - done < jobs) {
			start_run(d, 1 + next, base->site[next].key);
			next++;
		}
		/* Reap in order: results are printed in site order anyway. */
		struct asite *s = &base->site[done];
		struct result r;
		char why[96];
		const char *rec = g.rec[1 + done];
		int st = wait_run(1 + done);
		bool have = read_record(rec, &r) == 0;

		if (run_failure(st, have, ok, 4, why, sizeof(why))) {
			s->failed = dupn(why);
			fprintf(stderr, "coherent: audit: the run without site "
				"%s (%s) failed: %s\n", s->sym, s->loc, why);
			failed++;
		} else {
			for (size_t i = 0; i < r.nfind && !s->verdict; i++)
				if (!has_finding(base, &r.find[i]))
					s->verdict = dupn(r.find[i].text);
		}
		if (have)
			free_result(&r);
		unlink(rec);
		done++;
	}
	return failed;
}

/* A table cell's text: a '|' would end the cell, even inside a code span
 * (GitHub Flavored Markdown, "Tables (extension)": "include a pipe in a
 * cell's content by escaping it, including inside other inline spans"). */
static void print_cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putchar('\\');
		putchar(*s);
	}
}

static void print_table(const struct result *base, int base_code,
			size_t failed)
{
	size_t nec = 0;

	printf("| site | source | operations | calls | verdict |\n");
	printf("| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < base->nsite; i++) {
		const struct asite *s = &base->site[i];

		printf("| `");
		print_cell(s->sym);
		printf("` | ");
		print_cell(s->loc);
		printf(" | ");
		print_cell(s->ops);
		printf(" | ");
		print_cell(s->calls);
		printf(" | ");
		if (s->failed) {
			printf("**run failed**: ");
			print_cell(s->failed);
		} else if (s->verdict) {
			printf("**necessary**: ");
			print_cell(s->verdict);
			nec++;
		} else {
			printf("not shown necessary");
		}
		printf(" |\n");
	}
	printf("\n%zu site%s, %zu necessary", base->nsite,
	       base->nsite == 1 ? "" : "s", nec);
	if (failed)
		printf(", %zu run%s failed", failed, failed == 1 ? "" : "s");
	printf("; unmodified run: status %d, %zu finding%s", base_code,
	       base->nfind, base->nfind == 1 ? "" : "s");
	for (size_t i = 0; i < base->nfind; i++)
		printf("%s%s", i ? "; " : ": ", base->find[i].text);
	printf("\n");
}

static int audit_usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "coherent: audit: %s\n", msg);
	fprintf(stderr, "usage: coherent audit [--helper NAME]... [-j N] "
		"[--json FILE] [--sarif FILE] [--html FILE] [run options] "
		"IMAGE\n");
	return EXIT_USAGE;
}

/* -j N: runs in parallel, strictly a decimal number. */
static bool parse_jobs(const char *s, unsigned *jobs)
{
	unsigned long v = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = 10 * v + (*s - '0');
		if (v > AUDIT_MAX_JOBS)
			return false;
	}
	if (v < 1)
		return false;
	*jobs = v;
	return true;
}

/* Options of coherent run that take a value: passed on with it, so that
 * the value (say --append "--json") is never read as an option. */
static bool run_option_has_value(const char *a)
{
	static const char *const opt[] = {
		"--smp", "-smp", "-m", "--append", "-append", "--max-insns",
		"--elf",
	};

	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (!strcmp(a, opt[i]))
			return true;
	return false;
}

/* The unmodified run must have finished, as a test: a run that was
 * killed, ran out of budget or could not run has no sites worth
 * auditing. Returns 0 to go on, else the audit's exit status. */
static int check_base(int st, bool record)
{
	const int ok[] = { WIFEXITED(st) ? WEXITSTATUS(st) : 0 };
	bool bad_code = st != -1 && WIFEXITED(st) &&
		(ok[0] == EXIT_BUDGET || ok[0] == EXIT_MACHINE ||
		 ok[0] == EXIT_USAGE);
	char why[96];

	if (!bad_code && !run_failure(st, record, ok, 1, why, sizeof(why)))
		return 0;
	if (bad_code)
		run_failure(st, record, NULL, 0, why, sizeof(why));
	fprintf(stderr, "coherent: audit: the unmodified run %s; ", why);
	if (bad_code && ok[0] == EXIT_BUDGET)
		fprintf(stderr, "the audit of a run that did not finish means "
			"nothing: raise --max-insns\n");
	else
		fprintf(stderr, "try coherent run with the same options\n");
	return bad_code ? ok[0] : EXIT_AUDIT_RUN;
}

int audit_main(const char *argv0, int argc, char **argv)
{
	struct driver d = { .self = "/proc/self/exe" };
	struct result base;
	unsigned jobs = 0;
	size_t failed;
	int st, rc, base_code;
	bool have;

	(void)argv0;
	d.run_args = calloc(argc + 1, sizeof(char *));
	d.helper = calloc(argc + 1, sizeof(char *));
	if (!d.run_args || !d.helper)
		return EXIT_MACHINE;
	rc = -1;
	for (int i = 0; i < argc && rc < 0; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--helper")) {
			if (!val)
				rc = audit_usage("--helper needs a function name");
			else
				d.helper[d.nhelper++] = argv[++i];
		} else if (!strcmp(a, "-j")) {
			if (!parse_jobs(val, &jobs))
				rc = audit_usage("-j needs a number of parallel "
						 "runs from 1 to " AUDIT_MAX_JOBS_S);
			i++;
		} else if (!strcmp(a, "--json") || !strcmp(a, "--sarif") ||
			   !strcmp(a, "--html")) {
			if (!val)
				rc = audit_usage("--json, --sarif and --html need "
						 "a file");
			*(a[2] == 'j' ? &d.json : a[2] == 's' ? &d.sarif
							       : &d.html) = val;
			i++;
		} else if (!strcmp(a, "--trace")) {
			rc = audit_usage("--trace is not an audit option: the "
					 "runs' output is discarded; trace with "
					 "coherent run");
		} else if (!strncmp(a, "--audit-", 8)) {
			rc = audit_usage("--audit-* options are coherent run's, "
					 "set by the audit");
		} else {
			d.run_args[d.nrun_args++] = argv[i];
			if (run_option_has_value(a) && val)
				d.run_args[d.nrun_args++] = argv[++i];
		}
	}
	if (rc < 0 && !d.nrun_args)
		rc = audit_usage("no image");
	if (rc >= 0) {
		free(d.run_args);
		free(d.helper);
		return rc;
	}
	if (!jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = n > 0 ? (n > 8 ? 8 : n) : 1;
	}
	snprintf(g.dir, sizeof(g.dir), "/tmp/coherent-audit-XXXXXX");
	/* Slot 0 only until the sites are known; the handler must see a
	 * consistent pair of arrays, hence grown with signals blocked. */
	g.pid = calloc(1, sizeof(*g.pid));
	g.rec = calloc(1, sizeof(*g.rec));
	if (!g.pid || !g.rec) {
		perror("coherent: audit");
		return EXIT_MACHINE;
	}
	catch_signals();
	block_signals(true);
	if (!mkdtemp(g.dir)) {
		perror("coherent: audit: mkdtemp");
		return EXIT_MACHINE;
	}
	snprintf(g.rec[0], sizeof(g.rec[0]), "%s/base", g.dir);
	g.n = 1;
	block_signals(false);

	start_run(&d, 0, 0);
	st = wait_run(0);
	have = read_record(g.rec[0], &base) == 0;
	base_code = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : 0;
	rc = check_base(st, have);
	unlink(g.rec[0]);
	if (rc == 0) {
		volatile pid_t *pid = calloc(1 + base.nsite, sizeof(*pid));
		char (*rec)[96] = calloc(1 + base.nsite, sizeof(*rec));

		if (!pid || !rec) {
			perror("coherent: audit");
			exit(EXIT_MACHINE);
		}
		for (size_t i = 0; i < base.nsite; i++)
			snprintf(rec[1 + i], sizeof(rec[0]), "%s/site%zu", g.dir, i);
		block_signals(true);
		free((void *)g.pid);
		free(g.rec);
		g.pid = pid;
		g.rec = rec;
		g.n = 1 + base.nsite;
		block_signals(false);

		failed = run_sites(&d, &base, base_code, jobs);
		print_table(&base, base_code, failed);
		if (fflush(stdout) != 0)
			rc = EXIT_MACHINE;
		else if (failed)
			rc = EXIT_AUDIT_RUN;
		if (failed)
			fprintf(stderr, "coherent: audit: %zu of %zu runs failed: "
				"their sites have no verdict\n", failed, base.nsite);
	}
	block_signals(true);
	rmdir(g.dir);
	g.n = 0;
	g.dir[0] = 0;
	block_signals(false);
	if (have)
		free_result(&base);
	free((void *)g.pid);
	free(g.rec);
	free(d.run_args);
	free(d.helper);
	return rc;
}
