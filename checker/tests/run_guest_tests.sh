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
	# A hung run is cut off after a minute (timeout's 124 fails the check);
	# NUL bytes are shown as '@' (bash drops them from a substitution).
	out=$(timeout 60 "$coherent" run "$@" 2>"$err" | tr '\0' '@')
	rc=${PIPESTATUS[0]}
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
# Runs that cannot make progress stop at once with a machine error (the
# budgets here only keep a regression from taking minutes).
big="--max-insns 50000000"
# VBAR_EL1 0: the vector is in flash bank 0, zeros without --bios as on
# QEMU virt, so the PE takes UDF #0 there.
check undef-novec 125 "" "coherent: machine error: exception loop: PE0 keeps taking an undefined instruction (EC 0x00, ESR 0x02000000) at its own vector 0x200 (EL1); the handler never runs (is VBAR_EL1 valid, mapped, executable code?)" \
	$big "$dir/undef.elf"
check vector-loop 125 "" "coherent: machine error: exception loop: PE0 keeps taking an undefined instruction (EC 0x00, ESR 0x02000000) at its own vector 0x40080a00 bad_vectors+0x200 (EL1); the handler never runs (is VBAR_EL1 valid, mapped, executable code?)" \
	$big "$dir/vector-loop.elf"
check deadlock-wfi 125 "W" "coherent: machine error: deadlock: every PE is waiting (PE0 WFI at pc 0x40080014 park+0x0), nothing can wake them" \
	$big "$dir/deadlock-wfi.elf"
check deadlock-suspend 125 "" "coherent: machine error: deadlock: every PE is waiting (PE0 PSCI CPU_SUSPEND at pc 0x40080010 _start+0x10), nothing can wake them" \
	$big "$dir/deadlock-suspend.elf"
check deadlock-smp 125 "" "coherent: machine error: deadlock: every PE is waiting (PE0 off, PE1 WFE at pc 0x40080040 idle+0x0), nothing can wake them" \
	$big --smp 2 "$dir/deadlock-smp.elf"
# PEs in the same state are named together.
check deadlock-smp4 125 "" "coherent: machine error: deadlock: every PE is waiting (PE0,2-3 off, PE1 WFE at pc 0x40080040 idle+0x0), nothing can wake them" \
	$big --smp 4 -m 64 "$dir/deadlock-smp.elf"
check deadlock-smp64-off 125 "" "coherent: machine error: deadlock: every PE is waiting (PE0,2-63 off, PE1 WFE at pc 0x40080040 idle+0x0), nothing can wake them" \
	$big --smp 64 -m 64 "$dir/deadlock-smp.elf"
# ... and not on waits something can end, or on many handled exceptions.
check timer-wfi   0   "T"   ""  $big "$dir/timer-wfi.elf"
# Interrupts through the GICv3 (these also pass on QEMU virt,gic-version=3):
# the virtual timer's IRQ one guest second ahead, within a budget far
# below 10^9 instructions (the idle time is skipped), and an SGI between
# PEs. A timer the GIC never forwards leaves nothing to wait for, once
# guest time has jumped to its deadline five hours on.
check timer-irq   0   "irq 27" ""  $big "$dir/timer-irq.elf"
check timer-irq-el2 0 "irq 26" ""  $big --el2 "$dir/timer-irq-el2.elf"
check sgi-v3      0   "sgi 5"  ""  $big --smp 2 "$dir/sgi-v3.elf"
check sgi-v2      0   "sgi 5"  ""  $big --smp 2 --gic-version=2 "$dir/sgi-v2.elf"
# 64 PEs at 64 places: every one named, none cut off.
want64="PE0 off"
for ((i = 1; i < 64; i++)); do
	want64+=$(printf ', PE%d WFE at pc 0x%x idle+0x%x' $i $((0x40080100 + 8 * i)) $((8 * i)))
done
check deadlock-smp64 125 "" "coherent: machine error: deadlock: every PE is waiting ($want64), nothing can wake them" \
	$big --smp 64 -m 64 --gic-version 3 "$dir/deadlock-smp64.elf"
check deadlock-timer 125 "" "coherent: machine error: deadlock: every PE is waiting (PE0 WFI at pc 0x4008001c park+0x0), nothing can wake them" \
	$big "$dir/deadlock-timer.elf"
check wfe-sev     0   "ok"  ""  $big --smp 2 "$dir/wfe-sev.elf"
check el0-svc     0   "ok"  ""  $big "$dir/el0-svc-loop.elf"
# Only a whole line "EXIT: STATUS=n" (0..255) sets the status; anything
# else with "EXIT:" in it is a distinct failure.
bad_exit='(the status line must be exactly "EXIT: STATUS=n", n 0..255, on a line of its own)'
check exit-256  123 "EXIT: STATUS=256" "coherent: bad EXIT line from the guest: \"EXIT: STATUS=256\": not a status line $bad_exit" "$dir/exit-256.elf"
check exit-nonl 123 "EXIT: STATUS=0" "coherent: bad EXIT line from the guest: \"EXIT: STATUS=0\": no newline before the system was turned off $bad_exit" "$dir/exit-nonl.elf"
check exit-nul  123 "@EXIT: STATUS=0" "coherent: bad EXIT line from the guest: \"\\x00EXIT: STATUS=0\": not a status line $bad_exit" "$dir/exit-nul.elf"
check vectors     0   "VA"                  ""  "$dir/vectors.elf"
check smp         0   "10"                  ""  --smp 2 "$dir/smp.elf"
check smp4        0   "10"                  ""  --smp 4 -m 64 "$dir/smp.elf"
check el2         0   "EL2 EL1 HVC"         ""  --el2 "$dir/el2.elf"
check bad-image   125 "" "coherent: /nonexistent.bin: cannot open: No such file or directory" \
	/nonexistent.bin
check not-image   125 "" "coherent: /: not a regular file (a directory)" /
check usage       64  "" "coherent: --smp: '0' is not a decimal number from 1 to 64" --smp 0 "$dir/hello.elf"
check usage-opt   64  "" "coherent: unknown option '--bogus'" --bogus "$dir/hello.elf"

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
# ... and one per exception entry: class, ESR, FAR, ELs, pc -> vector.
trace=$("$coherent" run --trace "$dir/vectors.elf" 2>&1 >/dev/null)
n=$((n + 1))
if [[ $trace == *"pe0 EL1 exception EC 0x15 (an SVC) ESR 0x56000015 FAR - EL1->EL1 pc 000000004008000c -> vector 0000000040080a00"* &&
      $trace == *"pe0 EL1 exception EC 0x00 (an undefined instruction) ESR 0x02000000 FAR - EL1->EL1 pc 0000000040080010 -> vector 0000000040080a00"* ]]; then
	echo "ok   trace-exceptions"
else
	echo "FAIL trace-exceptions: no exception entry lines"; fail=$((fail + 1))
fi
echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
