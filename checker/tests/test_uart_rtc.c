/* PL011 input (pl011.c: stdin through the receive FIFO, non-blocking,
 * EOF ends it) and the PL031 clock (pl031.c: a fixed epoch plus guest
 * time, LR loads it). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "machine_fixture.h"

#define UARTDR   0x000
#define UARTFR   0x018
#define FR_RXFE  0x10
#define RTCDR    0x000
#define RTCLR    0x008
#define RTCCR    0x00c

static int pipefd[2];

static int setup(void **s)
{
	(void)s;
	fx_setup(1, false);
	if (pipe(pipefd) < 0)
		return -1;
	fx.in_fd = pipefd[0];
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	fx_teardown();
	return 0;
}

static void next_round(void)
{
	fx.rounds++;
}

static void test_rx_reads_input(void **s)
{
	(void)s;
	assert_int_equal(write(pipefd[1], "ab", 2), 2);
	assert_int_equal(pl011_read(&fx, UARTFR, 4) & FR_RXFE, 0);
	assert_int_equal(pl011_read(&fx, UARTDR, 4), 'a');
	assert_int_equal(pl011_read(&fx, UARTDR, 4), 'b');
	assert_int_equal(pl011_read(&fx, UARTFR, 4) & FR_RXFE, FR_RXFE);
	assert_false(fx.in_eof);
}

/* Nothing written yet: empty, and the read does not block. */
static void test_rx_empty_does_not_block(void **s)
{
	(void)s;
	assert_int_equal(pl011_read(&fx, UARTFR, 4) & FR_RXFE, FR_RXFE);
	assert_int_equal(pl011_read(&fx, UARTDR, 4), 0);
	/* Input that arrives later is seen in a later round. */
	assert_int_equal(write(pipefd[1], "x", 1), 1);
	next_round();
	assert_int_equal(pl011_read(&fx, UARTDR, 4), 'x');
}

static void test_rx_eof(void **s)
{
	(void)s;
	assert_int_equal(write(pipefd[1], "z", 1), 1);
	close(pipefd[1]);
	pipefd[1] = -1;
	assert_int_equal(pl011_read(&fx, UARTDR, 4), 'z');
	next_round();
	assert_int_equal(pl011_read(&fx, UARTFR, 4) & FR_RXFE, FR_RXFE);
	assert_true(fx.in_eof);
	next_round();
	assert_int_equal(pl011_read(&fx, UARTFR, 4) & FR_RXFE, FR_RXFE);
}

/* More input than the buffer holds: none of it is lost. */
static void test_rx_long_input(void **s)
{
	char buf[600];

	(void)s;
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = 'A' + i % 26;
	assert_int_equal(write(pipefd[1], buf, sizeof(buf)), sizeof(buf));
	for (unsigned i = 0; i < sizeof(buf); i++) {
		next_round();
		assert_int_equal(pl011_read(&fx, UARTFR, 4) & FR_RXFE, 0);
		assert_int_equal(pl011_read(&fx, UARTDR, 4), buf[i]);
	}
}

static void test_rtc(void **s)
{
	uint32_t t0;

	(void)s;
	t0 = pl031_read(&fx, RTCDR, 4);
	assert_int_equal(t0, 1767225600u);       /* the fixed epoch */
	assert_int_equal(pl031_read(&fx, RTCCR, 4), 1);
	/* Three seconds of guest time later. */
	fx.rounds = 3 * 1000000000ull / fx.cfg.quantum;
	assert_int_equal(pl031_read(&fx, RTCDR, 4), t0 + 3);
	pl031_write(&fx, RTCLR, 4, 1000);
	assert_int_equal(pl031_read(&fx, RTCDR, 4), 1000);
	assert_int_equal(pl031_read(&fx, RTCLR, 4), 1000);
	fx.rounds += 1000000000ull / fx.cfg.quantum;
	assert_int_equal(pl031_read(&fx, RTCDR, 4), 1001);
	assert_int_equal(pl031_read(&fx, 0xfe0, 4), 0x31);   /* PeriphID0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rx_reads_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_empty_does_not_block,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_eof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_long_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtc, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
