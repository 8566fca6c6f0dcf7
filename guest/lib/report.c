#include "report.h"
#include "exceptions.h"
#include "libc.h"
#include "psci.h"
#include "spinlock.h"

#define DELIM ": "

static struct spinlock lock;
static char prefixes[REPORT_PREFIX_MAX];
static int tests, failures, xfailures, kfailures, skipped;

/* Checked outside the lock: abort prints, and must not wait for it. */
static void __noreturn prefix_error(const char *what, const char *prefix)
{
	printf("report_prefix_push: prefix \"%s\" %s\n", prefix, what);
	abort();
}

void report_prefix_pushf(const char *fmt, ...)
{
	char p[REPORT_PREFIX_MAX];
	va_list ap;
	va_start(ap, fmt);
	size_t n = (size_t)vsnprintf(p, sizeof(p), fmt, ap);
	va_end(ap);
	if (strstr(p, DELIM))
		prefix_error("contains the delimiter \": \"", p);
	spin_lock(&lock);
	size_t used = strlen(prefixes);
	bool fits = used + n + sizeof(DELIM) <= sizeof(prefixes);
	if (fits) {
		memcpy(prefixes + used, p, n);
		memcpy(prefixes + used + n, DELIM, sizeof(DELIM));
	}
	spin_unlock(&lock);
	if (!fits)
		prefix_error("does not fit: all prefixes together are limited to "
			     "REPORT_PREFIX_MAX (256) bytes", p);
}

void report_prefix_push(const char *prefix)
{
	report_prefix_pushf("%s", prefix);
}

/* Drops the last "name: "; nothing if there is none. */
static void pop_locked(void)
{
	size_t n = strlen(prefixes);
	if (n < 2)
		return;
	n -= 2;
	while (n >= 2 && strncmp(prefixes + n - 2, DELIM, 2))
		n--;
	prefixes[n < 2 ? 0 : n] = 0;
}

void report_prefix_pop(void)
{
	spin_lock(&lock);
	pop_locked();
	spin_unlock(&lock);
}

void report_prefix_popn(int n)
{
	spin_lock(&lock);
	while (n-- > 0)
		pop_locked();
	spin_unlock(&lock);
}

enum kind { K_NORMAL, K_XFAIL, K_KFAIL, K_SKIP };

/* One printf per line (under the console lock), so lines from different
 * CPUs never mix; the message is formatted in place (%pV), so it has no
 * length limit. */
static bool vreport(enum kind kind, bool flag, bool pass, const char *fmt, va_list ap)
{
	const char *word;
	va_list copy;
	va_copy(copy, ap);
	struct va_format vaf = { fmt, &copy };
	spin_lock(&lock);
	tests++;
	if (kind == K_SKIP) {
		word = "SKIP";
		skipped++;
	} else if (kind == K_XFAIL && flag) {
		word = pass ? "XPASS" : "XFAIL";
		if (pass)
			failures++;
		else
			xfailures++;
	} else if (kind == K_KFAIL && flag && !pass) {
		word = "KFAIL";
		kfailures++;
	} else {
		word = pass ? "PASS" : "FAIL";
		failures += !pass;
	}
	printf("%s: %s%pV\n", word, prefixes, &vaf);
	spin_unlock(&lock);
	va_end(copy);
	return pass || (kind != K_NORMAL && flag);
}

bool report(bool pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ret = vreport(K_NORMAL, false, pass, fmt, ap);
	va_end(ap);
	return ret;
}

void report_pass(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(K_NORMAL, false, true, fmt, ap);
	va_end(ap);
}

void report_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(K_NORMAL, false, false, fmt, ap);
	va_end(ap);
}

bool report_xfail(bool xfail, bool pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ret = vreport(K_XFAIL, xfail, pass, fmt, ap);
	va_end(ap);
	return ret;
}

bool report_kfail(bool kfail, bool pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	bool ret = vreport(K_KFAIL, kfail, pass, fmt, ap);
	va_end(ap);
	return ret;
}

void report_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(K_SKIP, false, false, fmt, ap);
	va_end(ap);
}

void report_passed(void)
{
	spin_lock(&lock);
	tests++;
	spin_unlock(&lock);
}

static void vprint_line(const char *word, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	struct va_format vaf = { fmt, &copy };
	spin_lock(&lock);
	printf("%s: %s%pV\n", word, prefixes, &vaf);
	spin_unlock(&lock);
	va_end(copy);
}

void report_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_line("INFO", fmt, ap);
	va_end(ap);
}

int report_summary(void)
{
	spin_lock(&lock);
	int t = tests, f = failures, k = kfailures, x = xfailures, s = skipped;
	spin_unlock(&lock);
	char line[160];
	int n = snprintf(line, sizeof(line), "SUMMARY: %d tests", t);
	if (f)
		n += snprintf(line + n, sizeof(line) - n, ", %d unexpected failures", f);
	if (k)
		n += snprintf(line + n, sizeof(line) - n, ", %d known failures", k);
	if (x)
		n += snprintf(line + n, sizeof(line) - n, ", %d expected failures", x);
	if (s)
		snprintf(line + n, sizeof(line) - n, ", %d skipped", s);
	printf("%s\n", line);
	if (f || !t)
		return EXIT_FAIL;
	return s == t ? EXIT_SKIP : EXIT_PASS;
}

void report_abort(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_line("ABORT", fmt, ap);
	va_end(ap);
	report_summary();
	exit(EXIT_FAIL);
}

void exit(int status)
{
	printf("EXIT: STATUS=%d\n", status);
	psci_system_off();
}

void abort(void)
{
	printf("abort() called\n");
	backtrace_here();
	exit(EXIT_FAIL);
}
