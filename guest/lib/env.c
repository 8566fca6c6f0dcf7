/* The initrd environment (env.h). */
#include "env.h"
#include "devtree.h"
#include "libc.h"
#include "setup.h"

static char buf[ENV_MAX_BYTES + 1];
static char *vars[ENV_MAX_VARS];
static int nr_vars;

static bool in_ram(u64 start, u64 end)
{
	for (int i = 0; i < platform.nr_mem; i++)
		if (start >= platform.mem[i].start && end <= platform.mem[i].end)
			return true;
	return false;
}

/* The initrd is read cacheably, with the MMU on, as Linux reads it: like
 * the device tree, it need not have been cleaned to the PoC. */
void env_init(void)
{
	u64 start = platform.initrd_start, end = platform.initrd_end;
	if (start == end)
		return;
	if (!in_ram(start, end))
		boot_fatal("env: the initrd 0x%lx-0x%lx is not in RAM", start, end);
	if (end - start > ENV_MAX_BYTES)
		boot_fatal("env: the initrd is %lu bytes, more than the %d an environment may have",
			end - start, ENV_MAX_BYTES);
	memcpy(buf, (const void *)start, end - start);
	buf[end - start] = 0;
	for (char *line = buf; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (*line) {
			char *eq = strchr(line, '=');
			if (!eq || eq == line)
				boot_fatal("env: line %d of the initrd is not NAME=value: '%s'",
					nr_vars + 1, line);
			if (nr_vars == ENV_MAX_VARS)
				boot_fatal("env: more than %d variables in the initrd", ENV_MAX_VARS);
			vars[nr_vars++] = line;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

int env_count(void)
{
	return nr_vars;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < nr_vars; i++)
		if (!strncmp(vars[i], name, n) && vars[i][n] == '=')
			return vars[i] + n + 1;
	return NULL;
}

static bool yes(const char *v)
{
	return v && (*v == 'y' || *v == 'Y' || *v == '1');
}

bool errata(const char *erratum)
{
	return yes(getenv("ERRATA_FORCE")) || yes(getenv(erratum));
}

bool errata_relaxed(const char *erratum)
{
	return !getenv(erratum) || errata(erratum);
}
