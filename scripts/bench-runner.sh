#!/usr/bin/env bash
# Benchmark of ./run_tests.sh's overhead (make bench-runner).
#
# The runner must cost little on top of the machine it starts: for one test,
# its wall time over that of the bare QEMU command it runs (taken from line 1
# of the test's log, same image, output to a file too) must be <= 1.5x.
# Both are timed 5 times, interleaved so drift hits both alike; medians are
# compared.  Also reported: the runner alone (a QEMU that exits at once) and
# the whole suite at -j2.
set -u

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
cd "$ROOT" || exit 1
TEST=${BENCH_TEST:-selftest-setup}
RUNS=${BENCH_RUNS:-5}
LIMIT=1.50

IMAGE=${GUEST_DIR:-build/guest}/selftest.bin
if [[ ! -r $IMAGE ]]; then
	echo "bench-runner: $IMAGE not built (make guest)" >&2
	exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-runner.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export LOGDIR=$WORK/logs

# shellcheck source=scripts/bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

run_runner() { ./run_tests.sh "$TEST"; }
# The bare command, exactly as the runner logged it, output to a file too.
run_bare() { eval "$BARE" >"$WORK/bare.out" 2>&1; }

# Every timed run of the test must pass: a run that stopped early would
# be timed as if it were fast.
runs_ok() {     # runs_ok WHAT: fails the bench unless the last time_us passed
	if ((RC != 0)); then
		echo "bench-runner: FAILED: $1 exited with status $RC" >&2
		exit 1
	fi
}

# Warm up (page cache, QEMU's first start) and learn the bare command.
if ! ./run_tests.sh "$TEST" >"$WORK/first.out" 2>&1; then
	echo "bench-runner: FAILED: $TEST does not pass:" >&2
	cat "$WORK/first.out" >&2
	exit 1
fi
read -r BARE <"$LOGDIR/$TEST.log"
result=$(<"$WORK/first.out")

declare -a t_runner=() t_bare=() t_alone=() t_cold=()
for ((k = 0; k < RUNS; k++)); do
	time_us run_runner; t_runner+=("$REPLY"); runs_ok "./run_tests.sh $TEST"
	time_us run_bare;   t_bare+=("$REPLY")
	ran_to_exit "the bare command of $TEST" "$RC" "$WORK/bare.out" || exit 1
	# no guest at all here, by design: what the runner costs alone
	time_us env QEMU=true ./run_tests.sh "$TEST"; t_alone+=("$REPLY")
	rm -f "$LOGDIR"/.cfg-cache*       # the runner's saved parse: a cold run
	time_us run_runner; t_cold+=("$REPLY"); runs_ok "./run_tests.sh $TEST (cold)"
done
median "${t_runner[@]}"; m_runner=$REPLY n_runner=$MIN
median "${t_bare[@]}";   m_bare=$REPLY   n_bare=$MIN
median "${t_alone[@]}";  m_alone=$REPLY  n_alone=$MIN
median "${t_cold[@]}";   m_cold=$REPLY   n_cold=$MIN
ratio_x100=$(( (m_runner * 100 + m_bare / 2) / m_bare ))
ratio=$(printf '%d.%02d' $((ratio_x100 / 100)) $((ratio_x100 % 100)))
rmin_x100=$(( (n_runner * 100 + n_bare / 2) / n_bare ))
ratio_min=$(printf '%d.%02d' $((rmin_x100 / 100)) $((rmin_x100 % 100)))
verdict=ok
(( ratio_x100 <= ${LIMIT/./} )) || verdict="OVER LIMIT"

# The whole suite, as `make run` would use it.
t0=$EPOCHREALTIME
suite=$(./run_tests.sh -j 2 2>&1)
suite_rc=$?
t1=$EPOCHREALTIME
if ((suite_rc != 0)); then
	echo "bench-runner: FAILED: the suite (./run_tests.sh -j 2) exited with status $suite_rc:" >&2
	printf '%s\n' "$suite" >&2
	exit 1
fi
suite_us=$(( ${t1//[.,]/} - ${t0//[.,]/} ))
ntests=$(grep -c '^\(PASS\|FAIL\|SKIP\) ' <<<"$suite")

# The limit applies to the medians; minimums are shown because on a busy
# machine they are the steadier estimate of what the runner itself adds.
printf '\nrunner benchmark: %s, %d runs each, interleaved\n' "$TEST" "$RUNS"
printf '  %-30s %10s %10s\n' "what" "median (s)" "min (s)"
printf '  %-30s %10s %10s\n' "bare qemu command" "$(secs "$m_bare")" "$(secs "$n_bare")"
printf '  %-30s %10s %10s\n' "./run_tests.sh $TEST" "$(secs "$m_runner")" "$(secs "$n_runner")"
printf '  %-30s %10s %10s\n' "  same, config not cached" "$(secs "$m_cold")" "$(secs "$n_cold")"
printf '  %-30s %10s %10s\n' "runner alone (QEMU=true)" "$(secs "$m_alone")" "$(secs "$n_alone")"
printf '  %-30s %9sx %9sx   (limit %sx on the median: %s)\n' "overhead ratio" "$ratio" "$ratio_min" "$LIMIT" "$verdict"
printf '  %-30s %10s              (%s)\n' "suite -j2, $ntests tests" "$(secs "$suite_us")" "${suite##*$'\n'}"
printf '  test result: %s\n' "${result%%$'\n'*}"
printf '  bare command: %s\n' "$BARE"
