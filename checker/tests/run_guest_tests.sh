#!/usr/bin/env bash
# Runs the checker's own guest programs (checker/tests/guest/*.S) on
# coherent and checks exit status, console output and diagnostics
# exactly: a substring match would accept "10" inside "1010" or an error
# printed after the expected line.
# usage: run_guest_tests.sh COHERENT IMAGE_DIR
set -uo pipefail
coherent=$1 dir=$2
fail=0 n=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT

# name, expected status, expected stdout (exact; \n separates lines),
# expected first line of stderr (exact; "" = stderr empty), coherent options
check() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4; shift 4
	local out rc got_err
	out=$("$coherent" run "$@" 2>"$err")
	rc=$?
	got_err=$(head -n 1 "$err")
	n=$((n + 1))
	want_out=$(printf '%b' "$want_out")
	if [[ $rc -ne $want_rc ]]; then
		echo "FAIL $name: exit $rc, want $want_rc"; cat "$err"
		fail=$((fail + 1))
	elif [[ $out != "$want_out" ]]; then
		echo "FAIL $name: output '$out', want exactly '$want_out'"
		fail=$((fail + 1))
	elif [[ $got_err != "$want_err" || ( -z $want_err && -s $err ) ]]; then
		echo "FAIL $name: stderr starts '$got_err', want exactly '$want_err'"; cat "$err"
		fail=$((fail + 1))
	else
		echo "ok   $name"
	fi
}

budget="coherent: instruction budget of 100000 exhausted"
check hello-elf   0   'hello from coherent\nEXIT: STATUS=0' "" "$dir/hello.elf"
check hello-raw   0   'hello from coherent\nEXIT: STATUS=0' "" "$dir/hello.bin"
check status-77   77  "EXIT: STATUS=77"     ""  "$dir/status.elf"
check loop-budget 124 ""  "$budget"             --max-insns 100000 "$dir/loop.elf"
check undef-novec 124 ""  "$budget"             --max-insns 100000 "$dir/undef.elf"
check vectors     0   "VA"                  ""  "$dir/vectors.elf"
check smp         0   "10"                  ""  --smp 2 "$dir/smp.elf"
check smp4        0   "10"                  ""  --smp 4 -m 64 "$dir/smp.elf"
check el2         0   "EL2 EL1 HVC"         ""  --el2 "$dir/el2.elf"
check bad-image   125 "" "coherent: /nonexistent.bin: cannot open: No such file or directory" \
	/nonexistent.bin
check not-image   125 "" "coherent: /: not a regular file" /
check usage       64  "" "coherent: --smp needs a number from 1 to 64" --smp 0 "$dir/hello.elf"
check usage-opt   64  "" "coherent: unknown option" --bogus "$dir/hello.elf"

# A trace prints one line per instruction on stderr, "pe0 EL1 PC INSN",
# from the entry point: hello.S runs 147 instructions up to SYSTEM_OFF.
n=$((n + 1))
if ! "$coherent" run --trace "$dir/hello.elf" 2>"$err" >/dev/null; then
	echo "FAIL trace: coherent failed"; fail=$((fail + 1))
else
	lines=$(wc -l <"$err")
	bad=$(grep -cvE '^pe0 EL1 [0-9a-f]{16} [0-9a-f]{8}$' "$err")
	first=$(head -n 1 "$err")
	if [[ $lines -ne 147 || $bad -ne 0 || $first != "pe0 EL1 0000000040080000 "* ]]; then
		echo "FAIL trace: $lines lines (want 147), $bad malformed, first '$first'"
		fail=$((fail + 1))
	else
		echo "ok   trace ($lines lines)"
	fi
fi
echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
