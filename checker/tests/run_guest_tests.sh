#!/usr/bin/env bash
# Runs the checker's own guest programs (checker/tests/guest/*.S) on
# coherent and checks exit status and console output.
# usage: run_guest_tests.sh COHERENT IMAGE_DIR
set -u
coherent=$1 dir=$2
fail=0 n=0

# name, expected status, expected output (substring), coherent options
check() {
	local name=$1 want_rc=$2 want_out=$3; shift 3
	local out rc
	out=$("$coherent" run "$@" 2>/tmp/coherent-guest-$$.err)
	rc=$?
	n=$((n + 1))
	if [[ $rc -ne $want_rc ]]; then
		echo "FAIL $name: exit $rc, want $want_rc"; cat /tmp/coherent-guest-$$.err
		fail=$((fail + 1))
	elif [[ $out != *"$want_out"* ]]; then
		echo "FAIL $name: output '$out' lacks '$want_out'"
		fail=$((fail + 1))
	else
		echo "ok   $name"
	fi
}

check hello-elf   0   "hello from coherent" "$dir/hello.elf"
check hello-raw   0   "hello from coherent" "$dir/hello.bin"
check status-77   77  "EXIT: STATUS=77"     "$dir/status.elf"
check loop-budget 124 ""                    --max-insns 100000 "$dir/loop.elf"
check undef-novec 124 ""                    --max-insns 100000 "$dir/undef.elf"
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
rm -f /tmp/coherent-guest-$$.err
echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
