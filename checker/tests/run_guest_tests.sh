#!/usr/bin/env bash
# Runs the checker's own guest programs (checker/tests/guest/*.S) on
# coherent and checks exit status and console output.
# usage: run_guest_tests.sh COHERENT IMAGE_DIR
set -u
coherent=$1 dir=$2
fail=0 n=0

# name, expected status, expected output (substring), coherent options;
# with want_err set (check_err), stderr must contain it too. A run that
# hangs is cut off after a minute (timeout's 124 then fails the check).
want_err=
check() {
	local name=$1 want_rc=$2 want_out=$3; shift 3
	local out rc err
	timeout 60 "$coherent" run "$@" >/tmp/coherent-guest-$$.out \
		2>/tmp/coherent-guest-$$.err
	rc=$?
	out=$(tr '\0' '@' </tmp/coherent-guest-$$.out)
	err=$(cat /tmp/coherent-guest-$$.err)
	n=$((n + 1))
	if [[ $rc -ne $want_rc ]]; then
		echo "FAIL $name: exit $rc, want $want_rc"; echo "$err"
		fail=$((fail + 1))
	elif [[ $out != *"$want_out"* ]]; then
		echo "FAIL $name: output '$out' lacks '$want_out'"
		fail=$((fail + 1))
	elif [[ $err != *"$want_err"* ]]; then
		echo "FAIL $name: stderr '$err' lacks '$want_err'"
		fail=$((fail + 1))
	else
		echo "ok   $name"
	fi
	want_err=
}
# name, expected status, expected stderr (substring), coherent options
check_err() {
	want_err=$3
	check "$1" "$2" "" "${@:4}"
}

check hello-elf   0   "hello from coherent" "$dir/hello.elf"
check hello-raw   0   "hello from coherent" "$dir/hello.bin"
check status-77   77  "EXIT: STATUS=77"     "$dir/status.elf"
check loop-budget 124 ""                    --max-insns 100000 "$dir/loop.elf"
check undef-novec 124 ""                    --max-insns 100000 "$dir/undef.elf"
# Only a whole line "EXIT: STATUS=n" (0..255) sets the status; anything
# else with "EXIT:" in it is a distinct failure.
check_err exit-256  123 'bad EXIT line from the guest: "EXIT: STATUS=256"' "$dir/exit-256.elf"
check_err exit-nonl 123 '"EXIT: STATUS=0": no newline before the system was turned off' "$dir/exit-nonl.elf"
check_err exit-nul  123 'bad EXIT line from the guest: "\x00EXIT: STATUS=0"' "$dir/exit-nul.elf"
check vectors     0   "VA"                  "$dir/vectors.elf"
check smp         0   "10"                  --smp 2 "$dir/smp.elf"
check smp4        0   "10"                  --smp 4 -m 64 "$dir/smp.elf"
check el2         0   "EL2 EL1 HVC"         --el2 "$dir/el2.elf"
check bad-image   125 ""                    /nonexistent.bin
check not-image   125 ""                    /
check usage       64  ""                    --smp 0 "$dir/hello.elf"
check usage-opt   64  ""                    --bogus "$dir/hello.elf"
# A trace prints one line per instruction on stderr.
lines=$("$coherent" run --trace "$dir/hello.elf" 2>&1 >/dev/null | grep -c '^pe0 EL1 ')
n=$((n + 1))
if [[ $lines -lt 20 ]]; then echo "FAIL trace: $lines lines"; fail=$((fail + 1)); else echo "ok   trace ($lines lines)"; fi
rm -f /tmp/coherent-guest-$$.err /tmp/coherent-guest-$$.out
echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
