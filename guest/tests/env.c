/* The initrd environment (env.h): every NAME=value word of the command
 * line must be in it as given; names it lacks read as NULL; errata()
 * follows ERRATA_FORCE and errata_relaxed() counts an unnamed erratum
 * as fixed. The runner writes the file (logs/<test>.env) and passes it
 * with -initrd (QEMU) or --initrd (the checker). */
#include <libcflat.h>

int main(int argc, char **argv)
{
	report_prefix_push("env");
	report_info("%d variables in the initrd", env_count());
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		assert_msg(eq, "test_args word '%s' is not NAME=value", argv[i]);
		*eq = 0;
		const char *v = getenv(argv[i]);
		report(v && !strcmp(v, eq + 1), "%s is '%s' (%s)", argv[i], eq + 1, v ? v : "unset");
	}
	const char *absent = ERRATA(0000000000000000);
	report(!getenv(absent), "%s is unset", absent);
	const char *force = getenv("ERRATA_FORCE");
	bool forced = force && (*force == 'y' || *force == 'Y' || *force == '1');
	report(errata(absent) == forced, "errata(%s) is %s: ERRATA_FORCE=%s", absent,
	       forced ? "true" : "false", force ? force : "(unset)");
	report(errata_relaxed(absent), "errata_relaxed(%s) is true", absent);
	return report_summary();
}
