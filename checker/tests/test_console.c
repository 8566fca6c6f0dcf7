/* The guest's exit status from its console (pl011.c): only a whole line
 * "EXIT: STATUS=n", n 0..255, counts; any other line with "EXIT:" in it
 * makes the run fail with EXIT_BAD_STATUS. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "machine_fixture.h"

static int setup(void **s)
{
	(void)s;
	fx_setup(1, false);
	/* The console text is not under test: keep it off the output. */
	fx.out_fd = open("/dev/null", O_WRONLY);
	return fx.out_fd < 0;
}

static int teardown(void **s)
{
	(void)s;
	close(fx.out_fd);
	fx_teardown();
	return 0;
}

static void put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		pl011_write(&fx, 0, 1, (unsigned char)s[i]);
}
#define PUT(lit) put(lit, sizeof(lit) - 1)

static void test_status_line(void **state)
{
	(void)state;
	PUT("SUMMARY: 3 tests\nEXIT: STATUS=77\n");
	assert_int_equal(pl011_exit_code(&fx), 77);
}

static void test_no_exit_line(void **state)
{
	(void)state;
	PUT("hello\nno status here");
	assert_int_equal(pl011_exit_code(&fx), 0);
}

static void test_bounds(void **state)
{
	(void)state;
	PUT("EXIT: STATUS=255\n");
	assert_int_equal(pl011_exit_code(&fx), 255);
}

static void test_crlf(void **state)
{
	(void)state;
	PUT("EXIT: STATUS=1\r\n");
	assert_int_equal(pl011_exit_code(&fx), 1);
}

/* Each of these would once have given the exit status in brackets. */
static void test_bad_lines(void **state)
{
	static const struct { const char *s; size_t len; } bad[] = {
#define B(lit) { lit, sizeof(lit) - 1 }
		B("EXIT: STATUS=256\n"),        /* [0] */
		B("EXIT: STATUS=-1\n"),         /* [0]: no digits */
		B("EXIT: STATUS=1000\n"),       /* [232] */
		B("EXIT: STATUS=1x\n"),         /* [1] */
		B("EXIT: STATUS=\n"),           /* [0] */
		B("EXIT: STATUS= 1\n"),         /* [1] */
		B("EXIT: status=1\n"),          /* [0] */
		B("EXIT:\n"),                   /* [0] */
		B("\0EXIT: STATUS=0\n"),        /* [0]: NUL hid the line */
		B("log: EXIT: STATUS=0\n"),     /* [0]: not a line of its own */
		B("EXIT: STATUS=0"),            /* [0]: no newline, then off */
		B("EXIT: STATUS=0\nEXIT: STATUS=1\n"),  /* [1]: conflicting */
#undef B
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx_teardown();
		setup(NULL);
		put(bad[i].s, bad[i].len);
		if (pl011_exit_code(&fx) != EXIT_BAD_STATUS)
			fail_msg("case %zu: \"%s\" accepted", i, bad[i].s + !bad[i].s[0]);
	}
}

/* A line longer than the console buffer is scanned across its chunks:
 * "EXIT:" straddling a chunk boundary, or a status line's text after
 * 300 characters of another line, is no status line. */
static void test_long_line(void **state)
{
	char buf[600];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	put(buf, 253);
	PUT("EXIT: STATUS=0\n");
	assert_int_equal(pl011_exit_code(&fx), EXIT_BAD_STATUS);

	fx_teardown();
	setup(NULL);
	put(buf, 255);                  /* fills the buffer exactly */
	PUT("EXIT: STATUS=0\n");
	assert_int_equal(pl011_exit_code(&fx), EXIT_BAD_STATUS);

	fx_teardown();
	setup(NULL);
	put(buf, sizeof(buf));
	PUT("\nEXIT: STATUS=3\n");      /* a fresh line after it counts */
	assert_int_equal(pl011_exit_code(&fx), 3);
}

static void test_same_status_twice(void **state)
{
	(void)state;
	PUT("EXIT: STATUS=0\nEXIT: STATUS=0\n");
	assert_int_equal(pl011_exit_code(&fx), 0);
}

/* EXIT-like text that is not "EXIT:" leaves the status alone. */
static void test_near_misses(void **state)
{
	(void)state;
	PUT("EXITING\nEEXIT\nEXIT: STATUS=5\nEXI\n");
	assert_int_equal(pl011_exit_code(&fx), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_exit_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_status_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_near_misses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
