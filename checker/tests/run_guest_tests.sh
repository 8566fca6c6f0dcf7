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
# Runs that cannot make progress stop at once with a machine error (the
# budgets here only keep a regression from taking minutes).
check_err undef-novec 125 "machine error: exception loop: PE0 keeps taking an instruction abort" \
	--max-insns 50000000 "$dir/undef.elf"
check_err vector-loop 125 "machine error: exception loop: PE0 keeps taking an undefined instruction (EC 0x00, ESR 0x02000000) at its own vector 0x40080a00 bad_vectors+0x200" \
	--max-insns 50000000 "$dir/vector-loop.elf"
check_err deadlock-wfi 125 "machine error: deadlock: every PE is waiting (PE0 WFI at pc 0x40080014 park+0x0), nothing can wake them" \
	--max-insns 50000000 "$dir/deadlock-wfi.elf"
check_err deadlock-suspend 125 "deadlock: every PE is waiting (PE0 PSCI CPU_SUSPEND at pc 0x40080010 _start+0x10)" \
	--max-insns 50000000 "$dir/deadlock-suspend.elf"
check_err deadlock-smp 125 "deadlock: every PE is waiting (PE0 off, PE1 WFE at pc 0x" \
	--max-insns 50000000 --smp 2 "$dir/deadlock-smp.elf"
check_err deadlock-smp4 125 "(PE0 off, PE1 WFE at pc 0x40080040 idle+0x0, PE2 off, PE3 off)" \
	--max-insns 50000000 --smp 4 -m 64 "$dir/deadlock-smp.elf"
# ... and not on waits something can end, or on many handled exceptions.
check timer-wfi   0   "T"                   --max-insns 50000000 "$dir/timer-wfi.elf"
check wfe-sev     0   "ok"                  --max-insns 50000000 --smp 2 "$dir/wfe-sev.elf"
check el0-svc     0   "ok"                  --max-insns 50000000 "$dir/el0-svc-loop.elf"
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
# ... and one per exception entry: class, ESR, FAR, ELs, pc -> vector.
trace=$("$coherent" run --trace "$dir/vectors.elf" 2>&1 >/dev/null)
n=$((n + 1))
if [[ $trace == *"pe0 EL1 exception EC 0x15 (an SVC) ESR 0x56000015 FAR - EL1->EL1 pc 000000004008000c -> vector 0000000040080a00"* &&
      $trace == *"pe0 EL1 exception EC 0x00 (an undefined instruction) ESR 0x02000000 FAR - EL1->EL1 pc 0000000040080010 -> vector 0000000040080a00"* ]]; then
	echo "ok   trace-exceptions"
else
	echo "FAIL trace-exceptions: no exception entry lines"; fail=$((fail + 1))
fi
rm -f /tmp/coherent-guest-$$.err /tmp/coherent-guest-$$.out
echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
