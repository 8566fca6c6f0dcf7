#!/bin/bash
# tests/firmware/edk2.sh: Debian's edk2 for QEMU (qemu-efi-aarch64,
# QEMU_EFI.fd, ArmVirtQemu) on the checker with --bios, booting one of the
# framework's EFI images given as the kernel (make check-edk2).
#
# edk2 loads the image from fw_cfg (QemuKernelLoaderFsDxe) and starts it as
# an EFI application with the command line as its LoadOptions; the
# framework's EFI entry takes over from edk2's MMU-on state and runs the
# test, which must print its PASS lines and EXIT: STATUS=0.
#
#   no-model     coherent run --no-model: psci.efi and selftest.efi's
#                "setup" (MMU and D-cache on after the takeover, EL1)
#   front-end    the same psci.efi through build/checker/qemu-system-aarch64
#                with the runner's QEMU command line (-bios, -kernel,
#                -machine virt,acpi=off; GICv2 as QEMU's default)
#   model        the same two with the cache model, which must report no
#                finding (about 20 s of CPU each; EDK2_MODEL=0 leaves them
#                out with a SKIP line; docs/machine.md "UEFI firmware: edk2")
#
# edk2 comes from the Debian archive at test time (scripts/debian-fetch)
# and is never committed. When the archive cannot be reached the test
# prints a SKIP line naming the reason and exits 0: a loud skip, not a
# pass (make check runs it).
set -euo pipefail
source "$(dirname "$0")/../debian-prologue.sh"
debian_test_start build/firmware
qemu=${COHERENT_QEMU:-build/checker/qemu-system-aarch64}

# edk2 reaches the image after about 3.4e8 instructions; the budget
# leaves room for another release, and a hang ends at it.
BUDGET=${EDK2_BUDGET:-2000000000}

debian_test_fetch edk2 qemu-efi-aarch64 "Debian's qemu-efi-aarch64"
bios=$dir/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
[[ -f $bios ]] || { echo "FAIL: edk2: no $bios in the package"; exit 1; }
echo "edk2: $(basename "$dir")"

for f in psci selftest; do
	[[ -f build/guest/$f.efi ]] || { echo "FAIL: edk2: no build/guest/$f.efi (make guest)"; exit 1; }
done

fail=0
# check NAME LOG ERR RC PATTERN...: exit 0 and every pattern in the log.
check() {
	local name=$1 log=$2 err=$3 rc=$4 p
	shift 4
	if [[ $rc -ne 0 ]]; then
		echo "FAIL: edk2 $name: exited $rc (log: $log)"
		grep -v '^ ' "$err" | head -3 | sed 's/^/  | /'
		tail -3 "$log" | sed 's/^/  | /'
		fail=1
		return
	fi
	for p in '^UEFI firmware' "$@" '^EXIT: STATUS=0'; do
		if ! grep -qE -- "$p" "$log"; then
			echo "FAIL: edk2 $name: no line matching '$p' (log: $log)"
			tail -5 "$log" | sed 's/^/  | /'
			fail=1
			return
		fi
	done
	echo "PASS: edk2 $name"
}

# run NAME EFI APPEND [coherent options]: coherent run --bios.
run() {
	local name=$1 efi=$2 append=$3 log=$out/edk2-$1.log err=$out/edk2-$1.err
	local rc=0 t0 t1
	shift 3
	t0=$(date +%s.%N)
	"$coherent" run --stats --max-insns "$BUDGET" "$@" --bios "$bios" \
		--append "$append" "build/guest/$efi" </dev/null >"$log" 2>"$err" || rc=$?
	t1=$(date +%s.%N)
	echo "edk2 $name: exit $rc, $(sed -n 's/.*stats: \(insns=[0-9]*\).* cpu=\([0-9.]*\).*\(guest_s=[0-9.]*\).*/\1 cpu=\2s \3/p' "$err")," \
		"wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s," \
		"$(grep -c '^coherent: [a-z-]* (' "$err" || true) findings"
	LOG=$log ERR=$err RC=$rc
}

run no-model-psci psci.efi "" --no-model
check no-model-psci "$LOG" "$ERR" "$RC" '^PASS: psci: ' '^SUMMARY: '
run no-model-setup selftest.efi "setup smp=1 mem=128" --no-model
check no-model-setup "$LOG" "$ERR" "$RC" \
	'^PASS: selftest: setup: MMU and D-cache on after boot' \
	'^PASS: selftest: setup: running at EL1'

# The runner's QEMU command line for an --efi test (run_tests.sh).
log=$out/edk2-front-end.log err=$out/edk2-front-end.err rc=0
COHERENT_MODEL=off COHERENT_ARGS="--max-insns $BUDGET" "$qemu" -nodefaults \
	-machine virt,acpi=off -accel tcg -cpu max -smp 1 -m 128 \
	-display none -serial stdio -bios "$bios" -kernel build/guest/psci.efi \
	</dev/null >"$log" 2>"$err" || rc=$?
check front-end "$log" "$err" "$rc" '^PASS: psci: '

if [[ ${EDK2_MODEL:-1} == 1 ]]; then
	run model-psci psci.efi ""
	check model-psci "$LOG" "$ERR" "$RC" '^PASS: psci: ' '^SUMMARY: '
	run model-setup selftest.efi "setup smp=1 mem=128"
	check model-setup "$LOG" "$ERR" "$RC" \
		'^PASS: selftest: setup: MMU and D-cache on after boot'
else
	echo "SKIP: edk2 model: EDK2_MODEL=$EDK2_MODEL leaves out the runs with the cache model"
fi
exit $fail
