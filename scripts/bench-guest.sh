#!/usr/bin/env bash
# make bench: the cost of mmu_disable/mmu_enable in cache lines maintained,
# named ranges vs whole RAM, for 128 MiB and 1 GiB of RAM. kvm-unit-tests
# cleans+invalidates all of RAM once per disable: RAM/64 lines. Each run
# must reach the guest's "EXIT: STATUS=0" line (ran_to_exit), else the
# bench fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
QEMU=${QEMU:-qemu-system-aarch64}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
printf '\nmmu_disable + mmu_enable cost (cache lines maintained, 64-byte lines)\n'
printf '%-8s %14s %14s %18s %10s\n' "RAM" "ranges" "whole RAM" "kvm-unit-tests" "whole/ranges"
for mib in 128 1024; do
	rc=0
	timeout 300 "$QEMU" -nodefaults -machine virt -cpu max -smp 1 -m $mib -display none \
		-serial stdio -kernel build/guest/mmu-onoff-cost.bin >"$out" 2>&1 </dev/null || rc=$?
	ran_to_exit "mmu-onoff-cost on $QEMU (${mib} MiB)" "$rc" "$out" || exit 1
	if ! line=$(grep -m 1 '^BENCH: mmu-onoff' "$out"); then
		echo "bench: FAILED: mmu-onoff-cost (${mib} MiB) printed no 'BENCH: mmu-onoff' line" >&2
		exit 1
	fi
	r=${line#*ranges_lines=}; r=${r%% *}
	w=${line#*whole_lines=}; w=${w%% *}
	printf '%-8s %14s %14s %18s %9sx\n' "${mib}MiB" "$r" "$w" "$(( mib * 1024 * 1024 / 64 ))" "$(( w / r ))"
done
