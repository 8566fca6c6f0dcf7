# Sourced by the command-line test scripts (cli_tests.sh, report_tests.sh):
# a scratch directory $t, counters, and `run`. Set coherent (the binary)
# and, optionally, RUN_TIMEOUT (seconds before a hang is killed) first.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0 n=0

ok()  { n=$((n + 1)); echo "ok   $1"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL $1: $2"; sed 's/^/     | /' "$t/err" | head -20; }

# run NAME WANT_RC ARGS...: coherent run ARGS with stdout in $t/out and
# stderr in $t/err; a hang is killed after RUN_TIMEOUT s (status 137).
run() {
	local name=$1 want=$2; shift 2
	rc=0
	timeout -s KILL "${RUN_TIMEOUT:-20}" "$coherent" run "$@" >"$t/out" 2>"$t/err" || rc=$?
	if [[ $rc -ne $want ]]; then bad "$name" "exit $rc, want $want"; return 1; fi
}

# finish: the count line, and the status.
finish() {
	echo "$((n - fail)) passed, $fail failed"
	[[ $fail -eq 0 ]]
}
