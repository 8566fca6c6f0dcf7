#!/usr/bin/env bash
# Benchmark of the EFI boot (make bench-efi): wall time of one test booted
# through edk2 (./run_tests.sh --efi, QEMU_EFI.fd, the image as a PE/COFF
# -kernel), median of 5, against kvm-unit-tests' direct EFI boot on this
# kind of machine (2.7 s, the reference to beat) and against the same test
# booted as a plain Image (-kernel without firmware), which shows what the
# firmware costs. Runs are interleaved so drift hits all alike.
set -u

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
cd "$ROOT" || exit 1
TEST=${BENCH_TEST:-selftest-setup}
RUNS=${BENCH_RUNS:-5}
REFERENCE_US=2700000      # kvm-unit-tests, direct EFI boot (issue 6)

for f in selftest.efi selftest.bin; do
	if [[ ! -r ${GUEST_DIR:-build/guest}/$f ]]; then
		echo "bench-efi: ${GUEST_DIR:-build/guest}/$f not built (make guest)" >&2
		exit 1
	fi
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-efi.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export LOGDIR=$WORK/logs

# shellcheck source=scripts/bench-lib.sh
. "$ROOT/scripts/bench-lib.sh"

# Warm up (page cache, QEMU's and the firmware's first start) and learn
# the bare QEMU commands from line 1 of the logs.
if ! ./run_tests.sh --efi "$TEST" >"$WORK/efi.out" 2>&1; then
	echo "bench-efi: $TEST fails through EFI:" >&2
	cat "$WORK/efi.out" >&2
	exit 1
fi
read -r BARE_EFI <"$LOGDIR/$TEST.log"
./run_tests.sh "$TEST" >/dev/null 2>&1
read -r BARE_IMAGE <"$LOGDIR/$TEST.log"

run_runner_efi() { ./run_tests.sh --efi "$TEST"; }
# The bare commands' output is kept: each run must reach the guest's
# "EXIT: STATUS=0" line (ran_to_exit), a run that stopped early would be
# timed as if it were fast.
run_bare_efi() { eval "$BARE_EFI" >"$WORK/bare.out" 2>&1; }
run_bare_image() { eval "$BARE_IMAGE" >"$WORK/bare.out" 2>&1; }

declare -a t_runner=() t_efi=() t_image=()
fails=0
for ((k = 0; k < RUNS; k++)); do
	time_us run_runner_efi; t_runner+=("$REPLY"); ((RC == 0)) || fails=$((fails + 1))
	time_us run_bare_efi;   t_efi+=("$REPLY")
	ran_to_exit "bare QEMU + edk2 ($TEST)" "$RC" "$WORK/bare.out" || exit 1
	time_us run_bare_image; t_image+=("$REPLY")
	ran_to_exit "bare QEMU, plain Image ($TEST)" "$RC" "$WORK/bare.out" || exit 1
done
median "${t_runner[@]}"; m_runner=$REPLY n_runner=$MIN
median "${t_efi[@]}";    m_efi=$REPLY    n_efi=$MIN
median "${t_image[@]}";  m_image=$REPLY  n_image=$MIN

verdict="faster than the reference"
((m_runner < REFERENCE_US)) || verdict="NOT faster than the reference"
((fails == 0)) || verdict="$verdict; $fails of $RUNS runs FAILED"
pct=$(( (m_runner * 100 + REFERENCE_US / 2) / REFERENCE_US ))

printf '\nEFI boot: %s, median of %d (min in brackets)\n' "$TEST" "$RUNS"
printf '  %-44s %8s s  [%s]\n' \
	"./run_tests.sh --efi $TEST" "$(secs "$m_runner")" "$(secs "$n_runner")" \
	"bare QEMU + edk2 (the runner's command)" "$(secs "$m_efi")" "$(secs "$n_efi")" \
	"bare QEMU, plain Image (no firmware)" "$(secs "$m_image")" "$(secs "$n_image")"
printf '  %-44s %8s s\n' "kvm-unit-tests direct EFI boot (reference)" "$(secs "$REFERENCE_US")"
printf '  firmware cost: %s s; runner vs reference: %d%% (%s)\n' \
	"$(secs $((m_efi - m_image)))" "$pct" "$verdict"
((fails == 0))
