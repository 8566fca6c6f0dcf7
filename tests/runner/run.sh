#!/usr/bin/env bash
# Self-tests of ./run_tests.sh, run against a fake QEMU (fake-qemu), so they
# need neither guest images nor QEMU.  Every function named t_* in cases.sh
# is one test; each runs in its own subshell with a fresh temporary
# directory.  Exit status: 0 if all pass.
#   tests/runner/run.sh            all tests
#   tests/runner/run.sh t_tap ...  only these
set -uo pipefail

HERE=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUNNER=$ROOT/run_tests.sh

# ---- helpers for the cases

fail() {
	printf '    %s\n' "$@"
	exit 1
}

# Write the test config from stdin.
cfg() {
	cat >"$TMP/t.cfg"
}

# Run the runner on the test config; output in OUT, status in RC.
runner() {
	OUT=$("$RUNNER" -c "$TMP/t.cfg" "$@" 2>&1)
	RC=$?
}

show_out() {
	printf '    --- output (rc=%s):\n' "$RC"
	printf '    | %s\n' "${OUT//$'\n'/$'\n'    | }"
}

expect_rc() {
	[[ $RC == "$1" ]] || { show_out; fail "expected exit status $1, got $RC"; }
}

# Some line of OUT is exactly $1.
expect_line() {
	local l
	while IFS= read -r l; do [[ $l == "$1" ]] && return 0; done <<<"$OUT"
	show_out; fail "expected a line: $1"
}

# No line of OUT is exactly $1.
expect_no_line() {
	local l
	while IFS= read -r l; do
		[[ $l == "$1" ]] && { show_out; fail "unexpected line: $1"; }
	done <<<"$OUT"
	return 0
}

# OUT is exactly these lines.
expect_out() {
	local want
	want=$(printf '%s\n' "$@")
	[[ $OUT == "$want" ]] || { show_out; fail "expected output:" "$@"; }
}

# The log of test $1 contains a line exactly $2.
expect_log_line() {
	local l log=$TMP/logs/$1.log
	[[ -r $log ]] || fail "no log $log"
	while IFS= read -r l; do [[ ${l%$'\r'} == "$2" ]] && return 0; done <"$log"
	fail "log of $1 has no line: $2" "--- log:" "$(cat "$log")"
}

# Setup for every case: a fake image directory, a log directory, the fake
# machines, and a fixed MAX_SMP so expectations do not depend on the host.
setup() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/runner-test.XXXXXX")
	mkdir -p "$TMP/guest" "$TMP/logs"
	: >"$TMP/guest/a.bin"; : >"$TMP/guest/b.bin"
	export GUEST_DIR=$TMP/guest LOGDIR=$TMP/logs
	export QEMU=$HERE/fake-qemu COHERENT=$HERE/fake-qemu
	export MAX_SMP=4 ACCEL=tcg
	unset TESTS_CFG TIMEOUT CHECK ERRATATXT ERRATA_FORCE KERNEL_VERSION_STRING ADDR2LINE
	local v
	for v in ${!ERRATA_@}; do unset "$v"; done
}

# ---- driver

# shellcheck source=tests/runner/cases.sh
source "$HERE/cases.sh"
# shellcheck source=tests/runner/cases_negative.sh
source "$HERE/cases_negative.sh"
# shellcheck source=tests/runner/cases_kut.sh
source "$HERE/cases_kut.sh"

if (($#)); then
	cases=("$@")
else
	mapfile -t cases < <(declare -F | while read -r _ _ f; do [[ $f == t_* ]] && echo "$f"; done)
fi

failed=0
for c in "${cases[@]}"; do
	if (setup; trap 'rm -rf "$TMP"' EXIT; "$c"); then
		printf 'ok   %s\n' "$c"
	else
		printf 'FAIL %s\n' "$c"
		failed=$((failed + 1))
	fi
done
printf 'runner self-tests: %d run, %d failed\n' "${#cases[@]}" "$failed"
((failed == 0))
