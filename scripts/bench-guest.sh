#!/usr/bin/env bash
# make bench: the cost of mmu_disable/mmu_enable in cache lines maintained,
# named ranges vs whole RAM, for 128 MiB and 1 GiB of RAM. kvm-unit-tests
# cleans+invalidates all of RAM once per disable: RAM/64 lines.
set -euo pipefail
cd "$(dirname "$0")/.."
QEMU=${QEMU:-qemu-system-aarch64}
printf '\nmmu_disable + mmu_enable cost (cache lines maintained, 64-byte lines)\n'
printf '%-8s %14s %14s %18s %10s\n' "RAM" "ranges" "whole RAM" "kvm-unit-tests" "whole/ranges"
for mib in 128 1024; do
	line=$(timeout 300 "$QEMU" -nodefaults -machine virt -cpu max -smp 1 -m $mib -display none \
		-serial stdio -kernel build/guest/mmu-onoff-cost.bin | grep '^BENCH: mmu-onoff')
	r=${line#*ranges_lines=}; r=${r%% *}
	w=${line#*whole_lines=}; w=${w%% *}
	printf '%-8s %14s %14s %18s %9sx\n' "${mib}MiB" "$r" "$w" "$(( mib * 1024 * 1024 / 64 ))" "$(( w / r ))"
done
