#!/usr/bin/env bash
# The firmware rows of make bench: instructions and wall time to Debian's
# U-Boot's "=>" prompt (u-boot-qemu, qemu_arm64/u-boot.bin) and to the
# first line of an EFI test through Debian's edk2 (qemu-efi-aarch64,
# QEMU_EFI.fd, the test's .efi as the kernel), on coherent without and
# with the model, and QEMU TCG's wall time for the same. One run of each.
#
# Each run stops at its line (until_line, scripts/bench-lib.sh: SIGTERM,
# after which coherent prints its --stats), and a run that never printed
# it fails the bench. Instructions are coherent's count at the stop (a
# quantum or so past the line); QEMU counts none.
# The model rows take seconds (edk2's: 3.4e8 instructions);
# BENCH_FIRMWARE_MODEL=0 leaves both model rows out, loudly, =uboot only
# edk2's.
# Without the Debian archive: a loud SKIP line per firmware and exit 0.
# BENCH_UBOOT_ROOT, BENCH_EDK2_ROOT: unpacked package roots instead of the
# archive's (checker/bench/selftest.sh).
# usage: firmware.sh COHERENT [GUEST_DIR]
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench-lib.sh
. "$here/../../scripts/bench-lib.sh"
coherent=$1 guest=${2:-build/guest}
qemu=${BENCH_QEMU:-$(command -v qemu-system-aarch64 || true)}
model=${BENCH_FIRMWARE_MODEL:-1}
case $model in 0 | 1 | uboot) ;; *)
	echo "bench: BENCH_FIRMWARE_MODEL='$model': want 0, 1 or uboot" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
EFI_TEST=psci
# The test's own first line, after the EFI entry has taken over.
EFI_LINE='^(PASS|FAIL|SKIP|INFO): '
# U-Boot: a stream of newlines on stdin (yes ''): the first stops the
# autoboot countdown, the next ends the prompt's line. A stream, not two
# newlines in a file: QEMU reads a file at once, before U-Boot's serial
# set-up, which may drop them (U-Boot then autoboots and never gets there).
UBOOT_LINE='^=>'
: >"$tmp/empty.in"

# row ENGINE INSNS USEC
row() {
	printf '  %-26s %14s %9s\n' "$1" "$2" "$(secs "$3")"
}

# coherent_row LABEL PATTERN IN ARGS...: one run on coherent to the line.
coherent_row() {
	local label=$1 pat=$2 in=$3 insns
	shift 3
	until_line "$pat" "$in" "$tmp/out" "$tmp/err" "$coherent" run --stats "$@"
	if [[ -z $REPLY ]]; then
		echo "bench: FAILED: coherent $label never printed a line matching '$pat' (exit status $RC); its output ends:" >&2
		tail -n 5 "$tmp/out" | sed 's/^/    /' >&2
		exit 1
	fi
	insns=$(sed -n 's/.*stats: insns=\([0-9]*\).*/\1/p' "$tmp/err" | head -n1)
	row "$label" "${insns:-?}" "$REPLY"
}

qemu_row() {
	local label=$1 pat=$2 in=$3
	shift 3
	if [[ -z $qemu ]]; then
		echo "  SKIP qemu row: qemu-system-aarch64 is not installed (scripts/install-deps installs it)"
		return
	fi
	until_line "$pat" "$in" "$tmp/out" "$tmp/err" timeout 600 "$qemu" "$@"
	if [[ -z $REPLY ]]; then
		echo "bench: FAILED: qemu $label never printed a line matching '$pat' (exit status $RC); its output ends:" >&2
		tail -n 5 "$tmp/out" "$tmp/err" | sed 's/^/    /' >&2
		exit 1
	fi
	row "$label" "-" "$REPLY"
}

fetch() {   # fetch PACKAGE [ROOT]: its directory in REPLY, or 77
	local rc=0
	# A root given (the bench's self-test): no archive.
	if [[ -n ${2:-} ]]; then REPLY=$2; return 0; fi
	REPLY=$("$here/../../scripts/debian-fetch" arm64 "$1") || rc=$?
	return $rc
}

header() {
	echo "$1"
	printf '  %-26s %14s %9s\n' "engine" "instructions" "wall s"
}

rc=0; fetch u-boot-qemu "${BENCH_UBOOT_ROOT:-}" || rc=$?
if [[ $rc -eq 77 ]]; then
	echo "SKIP: bench U-Boot rows: Debian's u-boot-qemu is not available (see the line above)"
elif [[ $rc -ne 0 ]]; then
	echo "bench: FAILED: scripts/debian-fetch u-boot-qemu exited $rc" >&2; exit 1
else
	uboot=$REPLY/usr/lib/u-boot/qemu_arm64/u-boot.bin
	header "U-Boot to its '=>' prompt ($(basename "$REPLY"), -m 128, one run each)"
	coherent_row "coherent --no-model" "$UBOOT_LINE" <(yes '') --no-model --bios "$uboot"
	if [[ $model == 1 || $model == uboot ]]; then
		coherent_row "coherent (model)" "$UBOOT_LINE" <(yes '') --bios "$uboot"
	else
		echo "  SKIP coherent (model) row: BENCH_FIRMWARE_MODEL=$model (BENCH_FIRMWARE_MODEL=1 runs it)"
	fi
	qemu_row "qemu tcg -cpu max" "$UBOOT_LINE" <(yes '') -nodefaults \
		-machine virt -cpu max -m 128 -display none -serial stdio -bios "$uboot"
fi

rc=0; fetch qemu-efi-aarch64 "${BENCH_EDK2_ROOT:-}" || rc=$?
if [[ $rc -eq 77 ]]; then
	echo "SKIP: bench edk2 rows: Debian's qemu-efi-aarch64 is not available (see the line above)"
elif [[ $rc -ne 0 ]]; then
	echo "bench: FAILED: scripts/debian-fetch qemu-efi-aarch64 exited $rc" >&2; exit 1
else
	fw=$REPLY/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
	efi=$guest/$EFI_TEST.efi
	[[ -r $efi ]] || { echo "bench: FAILED: no $efi (make guest)" >&2; exit 1; }
	header "edk2 to the first line of $EFI_TEST.efi ($(basename "$REPLY"), -m 128, -smp 1, one run each)"
	coherent_row "coherent --no-model" "$EFI_LINE" "$tmp/empty.in" --no-model --bios "$fw" "$efi"
	if [[ $model == 1 ]]; then
		coherent_row "coherent (model)" "$EFI_LINE" "$tmp/empty.in" --bios "$fw" "$efi"
	else
		echo "  SKIP coherent (model) row: BENCH_FIRMWARE_MODEL=$model (BENCH_FIRMWARE_MODEL=1 runs it)"
	fi
	# The runner's QEMU command line for an --efi test (run_tests.sh).
	qemu_row "qemu tcg -cpu max" "$EFI_LINE" "$tmp/empty.in" -nodefaults \
		-machine virt,acpi=off -accel tcg -cpu max -smp 1 -m 128 \
		-display none -serial stdio -bios "$fw" -kernel "$efi"
fi
