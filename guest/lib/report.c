#include "report.h"
#include "exceptions.h"
#include "libc.h"
#include "psci.h"
#include "spinlock.h"

static struct spinlock lock;
static char prefixes[256];
static int tests, failures, skipped;

void report_prefix_push(const char *prefix)
{
	spin_lock(&lock);
	size_t n = strlen(prefixes);
	snprintf(prefixes + n, sizeof(prefixes) - n, "%s: ", prefix);
	spin_unlock(&lock);
}

void report_prefix_pop(void)
{
	spin_lock(&lock);
	size_t n = strlen(prefixes);
	/* Drop the last "name: ". */
	if (n >= 2) {
		n -= 2;
		while (n && !(prefixes[n - 1] == ' ' && prefixes[n - 2] == ':'))
			n--;
		prefixes[n] = 0;
	}
	spin_unlock(&lock);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
	char msg[256];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* One printf per line, so lines from different CPUs never mix. */
	printf("%s: %s%s\n", kind, prefixes, msg);
}

void report(bool pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	spin_lock(&lock);
	tests++;
	if (!pass)
		failures++;
	spin_unlock(&lock);
	vreport(pass ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
}

void report_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	spin_lock(&lock);
	tests++;
	skipped++;
	spin_unlock(&lock);
	vreport("SKIP", fmt, ap);
	va_end(ap);
}

void report_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("INFO", fmt, ap);
	va_end(ap);
}

int report_summary(void)
{
	printf("SUMMARY: %d tests, %d unexpected failures, %d skipped\n",
	       tests, failures, skipped);
	if (failures)
		return EXIT_FAIL;
	if (tests && skipped == tests)
		return EXIT_SKIP;
	return tests ? EXIT_PASS : EXIT_FAIL;
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
