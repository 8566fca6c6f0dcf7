#!/usr/bin/env bash
# The bench must not time a guest that did not run: table.sh and
# profile.sh against a fake coherent and fake QEMUs; run.sh against fake
# QEMUs (first on PATH) that exit at once the way QEMU does without
# -nic none, that print the EXIT line without the work's checksum, and
# that run properly; linux.sh against a fake coherent and QEMU that do
# not reach the kernel's panic line; and ran_to_exit (scripts/bench-lib.sh)
# on its own.
# run.sh is given a bench directory whose crc.bin is empty.bin, so that
# coherent's runs take no time.
# usage: selftest.sh COHERENT BENCH_DIR
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench-lib.sh
. "$here/../../scripts/bench-lib.sh"
coherent=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bench" "$tmp/bin"
cp "$dir/empty.bin" "$tmp/bench/crc.bin"
cp "$dir/empty.bin" "$tmp/bench/empty.bin"
fail=0

# fake_qemu BODY: the qemu-system-aarch64 run.sh finds first
fake_qemu() {
	printf '#!/usr/bin/env bash\n%s\n' "$1" >"$tmp/bin/qemu-system-aarch64"
	chmod +x "$tmp/bin/qemu-system-aarch64"
}

# verdict LABEL NAME RC WANT_RC WANT_SUBSTRING: one case's line, from
# its exit status and its output in $tmp/out and $tmp/err.
verdict() {
	local label=$1 name=$2 rc=$3 want_rc=$4 want=$5
	if [[ $rc -ne $want_rc ]] || ! grep -qF -- "$want" "$tmp/err" "$tmp/out"; then
		echo "FAIL $label $name: exit $rc (want $want_rc), output lacks '$want':"
		cat "$tmp/out" "$tmp/err"
		fail=$((fail + 1))
	else
		echo "ok   $label $name"
	fi
}
# case NAME WANT_RC WANT_STDERR_SUBSTRING
case_() {
	local name=$1 want_rc=$2 want=$3 rc=0
	PATH=$tmp/bin:$PATH "$here/run.sh" "$coherent" "$tmp/bench" \
		>"$tmp/out" 2>"$tmp/err" || rc=$?
	verdict "bench" "$name" "$rc" "$want_rc" "$want"
}

fake_qemu 'echo "qemu-system-aarch64: failed to find romfile \"efi-virtio.rom\"" >&2; exit 1'
case_ qemu-exits-at-once 1 "qemu crc.bin did not run to its 'EXIT: STATUS=0' line (exit status 1)"
fake_qemu 'echo "crc 00000000deadbeef"; echo "EXIT: STATUS=0"'
case_ qemu-other-checksum 1 "QEMU's crc.bin checksum 'crc 00000000deadbeef' is not coherent's ''"
# both runs as long as the start-up alone: nothing to divide by
fake_qemu 'sleep 0.2; echo "EXIT: STATUS=0"'
case_ qemu-no-longer-than-empty 1 "was not measurably longer than its empty run"
# a run that did the work: the crc image takes longer than the empty one
fake_qemu '[[ ${!#} == *crc.bin ]] && sleep 0.4; sleep 0.2; echo "EXIT: STATUS=0"'
case_ qemu-ran 0 "qemu tcg (wall - startup)"

# linux.sh (the Linux boot row) against a fake coherent and fake QEMUs
# and an empty file for a kernel: each run must print the kernel's VFS
# panic and exit as a reset does.
printf '#!/usr/bin/env bash\n%s\n' "$(cat <<'SH'
echo "coherent: stats: insns=900000000 wall=9.000 cpu=8.000 mips_wall=100.0 mips_cpu=112.5" >&2
[[ -n ${FAKE_NO_PANIC:-} ]] || echo "[    0.75] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"
[[ " $* " == *" --no-model "* ]] || [[ -z ${FAKE_MODEL_RC:-} ]] || exit "$FAKE_MODEL_RC"
SH
)" >"$tmp/bin/coherent"
chmod +x "$tmp/bin/coherent"
: >"$tmp/Image"
# linux_case NAME WANT_RC WANT_SUBSTRING [VAR=VALUE...]
linux_case() {
	local name=$1 want_rc=$2 want=$3 rc=0
	shift 3
	env "$@" PATH="$tmp/bin:$PATH" "$here/linux.sh" "$tmp/bin/coherent" \
		"$tmp/Image" >"$tmp/out" 2>"$tmp/err" || rc=$?
	verdict "bench linux" "$name" "$rc" "$want_rc" "$want"
}
fake_qemu 'echo "[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"'
linux_case no-panic 1 "coherent no-model did not run to its 'Kernel panic - not syncing: VFS: Unable to mount root fs' line (exit status 0)" FAKE_NO_PANIC=1
linux_case model-run-failed 1 "coherent model did not run to its" FAKE_MODEL_RC=2
linux_case findings-allowed 0 "coherent (model)" FAKE_MODEL_RC=126
fake_qemu 'echo "qemu-system-aarch64: failed to find romfile \"efi-virtio.rom\"" >&2; exit 1'
linux_case qemu-exits-at-once 1 "qemu linux boot did not run to its"
fake_qemu 'echo "[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"'
linux_case ran 0 "qemu tcg -cpu max"

# firmware.sh (the U-Boot and edk2 rows) against fake package roots, a
# fake coherent and fake QEMUs: each run must print its line (U-Boot's
# prompt, the EFI test's first line), whose time and count are the row.
mkdir -p "$tmp/fw/usr/lib/u-boot/qemu_arm64" "$tmp/fw/usr/share/qemu-efi-aarch64" "$tmp/guest"
: >"$tmp/fw/usr/lib/u-boot/qemu_arm64/u-boot.bin"
: >"$tmp/fw/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
: >"$tmp/guest/psci.efi"
# The fake prints its line unless FAKE_SILENT, then waits to be stopped.
fake_fw='trap "echo \"coherent: stats: insns=4242 wall=1.0 cpu=1.0\" >&2; exit 143" TERM
[[ -n ${FAKE_SILENT:-} ]] && exit 0
if [[ " $* " == *u-boot.bin* ]]; then echo "=> "; else echo "PASS: psci: fake"; fi
while :; do sleep 0.05; done'
printf '#!/usr/bin/env bash\n%s\n' "$fake_fw" >"$tmp/bin/coherent"
chmod +x "$tmp/bin/coherent"
fw_case() {   # fw_case NAME WANT_RC WANT_SUBSTRING [VAR=VALUE...]
	local name=$1 want_rc=$2 want=$3 rc=0
	shift 3
	env "$@" BENCH_UBOOT_ROOT="$tmp/fw" BENCH_EDK2_ROOT="$tmp/fw" \
		BENCH_QEMU="$tmp/bin/qemu-system-aarch64" \
		timeout 60 "$here/firmware.sh" "$tmp/bin/coherent" "$tmp/guest" \
		>"$tmp/out" 2>"$tmp/err" || rc=$?
	verdict "bench firmware" "$name" "$rc" "$want_rc" "$want"
}
fake_qemu "$fake_fw"
fw_case ran 0 "  coherent (model)                     4242"
fw_case no-line 1 "coherent --no-model never printed a line matching '^=>'" FAKE_SILENT=1
fw_case uboot-model-only 0 "  SKIP coherent (model) row: BENCH_FIRMWARE_MODEL=uboot" BENCH_FIRMWARE_MODEL=uboot
fw_case model-knob-bad 2 "BENCH_FIRMWARE_MODEL='2': want 0, 1 or uboot" BENCH_FIRMWARE_MODEL=2
fake_qemu 'echo "qemu-system-aarch64: failed to find romfile" >&2; exit 1'
fw_case qemu-exits-at-once 1 "qemu qemu tcg -cpu max never printed a line matching '^=>'"

# table.sh (issue 12's table) against a fake coherent and fake QEMUs:
# every row must reach its end, or the table says FAILED and exits 1.
# The fake coherent runs 1e9 instructions in 2 s of CPU with the model off
# and 4 s with it on (peak 20 MiB/GiB): ratio 0.50, a long workload.
printf '#!/usr/bin/env bash\n%s\n' "$(cat <<'SH'
model=1; [[ " $* " == *" --no-model "* ]] && model=0
if ((model)); then cpu=4.000; else cpu=2.000; fi
echo "coherent: stats: insns=1000000000 wall=$cpu cpu=$cpu mips_wall=1 mips_cpu=1 guest_s=1" >&2
((model)) && echo "coherent: stats: model_bytes=1 model_peak_mib_per_gib=20.00" >&2
[[ $model == 1 && -n ${FAKE_MODEL_NO_END:-} ]] && exit 0
if [[ " $* " == *" --append earlycon"* ]]; then
	[[ -n ${FAKE_NO_PANIC:-} ]] || echo "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)"
	exit 0
fi
echo "EXIT: STATUS=0"
((model)) && exit 126
exit 0
SH
)" >"$tmp/bin/coherent"
chmod +x "$tmp/bin/coherent"
# The fake QEMU burns a tenth of a second of CPU or more on crc.bin, none
# on empty.bin.
# shellcheck disable=SC2016   # the fake's code, expanded when it runs
burn='for ((i = 0; i < 200000; i++)); do :; done'
table_case() {   # table_case NAME WANT_RC WANT_SUBSTRING [VAR=VALUE...]
	local name=$1 want_rc=$2 want=$3 rc=0
	shift 3
	env BENCH_QUICK=1 BENCH_ROWS=crc BENCH_QEMU="$tmp/bin/qemu-system-aarch64" \
		BENCH_QEMU_MIN_S=0.05 "$@" "$here/table.sh" "$tmp/bin/coherent" "$tmp/bench" "$tmp/guest" \
		>"$tmp/out" 2>"$tmp/err" || rc=$?
	verdict "bench table" "$name" "$rc" "$want_rc" "$want"
}
fake_qemu "[[ \${!#} == *crc.bin ]] && { $burn; }; echo 'EXIT: STATUS=0'"
table_case ran 0 "| 1000000000 | 500.0 | 250.0 | 0.50 | 4.000 |"
table_case targets 0 "| long: misses by 1.60x (0.50 < 0.8) | meets (500.0 ≥ 500) | - | misses by 1.25x (20.00 > 16) |"
table_case no-qemu 0 "| SKIP: no QEMU" BENCH_QEMU=
table_case model-no-exit 1 "| crc (crc.bin, 1 PE, MMU off) | FAILED: the model-on run did not reach its end" FAKE_MODEL_NO_END=1
table_case linux-no-panic 1 "coherent linux (Image, 1 PE, 512 MiB) --no-model did not run to its 'Kernel panic" \
	BENCH_ROWS=linux BENCH_KERNEL="$tmp/Image" FAKE_NO_PANIC=1
table_case linux-ran 0 "| linux (Image, 1 PE, 512 MiB) | 1000000000 |" \
	BENCH_ROWS=linux BENCH_KERNEL="$tmp/Image" BENCH_QEMU=
table_case linux-15s 0 "| meets (4.000 ≤ 15) |" \
	BENCH_ROWS=linux BENCH_KERNEL="$tmp/Image" BENCH_QEMU=
fake_qemu "$burn"
table_case qemu-no-exit 1 "qemu crc (crc.bin, 1 PE, MMU off) did not run to its 'EXIT: STATUS=0' line"
fake_qemu 'echo "EXIT: STATUS=0"'
table_case qemu-too-short 0 "is too close to its start-up"
fake_qemu "[[ \${!#} == *crc.bin ]] && { $burn; echo 'crc 00000000deadbeef'; }; echo 'EXIT: STATUS=0'"
table_case qemu-other-checksum 1 "FAILED: QEMU computed another checksum"
table_case bad-row 2 "no workload 'nope'" BENCH_ROWS=nope

# profile.sh (make bench-profile) with the same fake coherent: a run that
# does not reach its end fails it, and so does a perf that cannot record.
profile_case() {   # profile_case NAME WANT_RC WANT_SUBSTRING [VAR=VALUE...]
	local name=$1 want_rc=$2 want=$3 rc=0
	shift 3
	env BENCH_ROWS=crc "$@" "$here/profile.sh" "$tmp/bin/coherent" "$tmp/bench" "$tmp/guest" \
		>"$tmp/out" 2>"$tmp/err" || rc=$?
	verdict "bench profile" "$name" "$rc" "$want_rc" "$want"
}
if command -v perf >/dev/null && perf record -q -o "$tmp/probe.data" -- true >/dev/null 2>&1; then
	profile_case ran 0 "### crc (crc-long.bin, 1 PE, MMU off), model on: insns=1000000000"
	profile_case model-no-exit 1 "coherent model on did not run to its 'EXIT: STATUS=0' line" FAKE_MODEL_NO_END=1
else
	echo "SKIP bench profile ran, model-no-exit: perf cannot record here"
fi
mkdir "$tmp/noperf"
printf '#!/usr/bin/env bash\necho "perf_event_open: Permission denied" >&2; exit 255\n' >"$tmp/noperf/perf"
chmod +x "$tmp/noperf/perf"
profile_case perf-refused 1 "bench-profile: FAILED: perf record cannot run here" PATH="$tmp/noperf:$PATH"

# ran_to_exit alone: the status line must be whole, the exit status one
# allowed
check_rte() {   # check_rte WANT(0|1) RC TEXT [OK...]
	local want=$1 rc=$2 got=0
	printf '%b' "$3" >"$tmp/console"
	shift 3
	ran_to_exit test "$rc" "$tmp/console" "$@" 2>/dev/null || got=1
	if [[ $got -ne $want ]]; then
		echo "FAIL ran_to_exit rc $rc, '$(cat "$tmp/console")': returned $got, want $want"
		fail=$((fail + 1))
	fi
}
check_rte 0 0 'x\nEXIT: STATUS=0\n'
check_rte 0 0 'EXIT: STATUS=0\r\n'
check_rte 0 126 'EXIT: STATUS=0\n' 126
check_rte 1 126 'EXIT: STATUS=0\n'
check_rte 1 1 'EXIT: STATUS=0\n'
check_rte 1 0 'EXIT: STATUS=1\n'
check_rte 1 0 'EXIT: STATUS=00\n'
check_rte 1 0 'not EXIT: STATUS=0\n'
check_rte 1 0 ''
[[ $fail -eq 0 ]] && echo "ok   ran_to_exit (9 cases)"
[[ $fail -eq 0 ]]
