#!/usr/bin/env bash
# Guest MIPS of coherent and of QEMU TCG on the same image.
# usage: run.sh COHERENT BENCH_DIR
# coherent counts the instructions (--stats). QEMU's MIPS is that count
# divided by its wall time minus its start-up/shut-down time, measured
# with an image that does nothing. Each time is the best of 3 runs, and
# every run must reach the guest's "EXIT: STATUS=0" line (ran_to_exit in
# scripts/bench-lib.sh), else the bench fails.
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(dirname "$0")/../../scripts/bench-lib.sh"
# The bench program writes its BSS with the MMU off and never invalidates
# it: under the default "loaded" contract a dirty line left by an earlier
# boot stage could be evicted over it, which the model rightly reports.
# Speed is what is measured here, so the caches start empty.
coherent_run() { "$coherent" run --boot-contract=clean "$@"; }
coherent=$1 dir=$2
qemu=$(command -v qemu-system-aarch64 || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best_of_3() {   # best_of_3 NAME CMD...: the smallest wall time of 3 runs
	local name=$1 best="" t s e rc
	shift
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		rc=0
		"$@" >"$tmp/out" 2>&1 </dev/null || rc=$?
		e=$(date +%s.%N)
		ran_to_exit "$name" "$rc" "$tmp/out" || exit 1
		t=$(awk "BEGIN{printf \"%.3f\", $e - $s}")
		if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	echo "$best"
}

rc=0
coherent_run --stats "$dir/crc.bin" >"$tmp/crc.out" 2>"$tmp/crc.err" || rc=$?
ran_to_exit "coherent crc.bin" "$rc" "$tmp/crc.out" || exit 1
stats=$(grep -m 1 'stats: insns=' "$tmp/crc.err")
insns=$(sed 's/.*insns=\([0-9]*\).*/\1/' <<<"$stats")
c_wall=$(best_of_3 "coherent crc.bin" coherent_run "$dir/crc.bin")
c_cpu=$(sed 's/.* cpu=\([0-9.]*\).*/\1/' <<<"$stats")
printf '%-28s %14s %10s %10s\n' "engine (image crc.bin)" "instructions" "time s" "MIPS"
printf '%-28s %14s %10s %10.1f\n' "coherent (wall)" "$insns" "$c_wall" \
	"$(awk "BEGIN{print $insns / $c_wall / 1e6}")"
printf '%-28s %14s %10s %10.1f\n' "coherent (cpu time)" "$insns" "$c_cpu" \
	"$(awk "BEGIN{print $insns / $c_cpu / 1e6}")"
if [[ -n $qemu ]]; then
	# -nic none: the default NIC's option ROM (efi-virtio.rom) is not
	# installed with Debian's qemu-system-arm, and QEMU exits at once.
	q=(timeout 300 "$qemu" -machine virt -cpu max -nographic -nic none -m 128 -kernel)
	q_full=$(best_of_3 "qemu crc.bin" "${q[@]}" "$dir/crc.bin")
	# the same work done: the checksum both print
	if [[ $(grep '^crc ' "$tmp/out") != "$(grep '^crc ' "$tmp/crc.out")" ]]; then
		echo "bench: FAILED: QEMU's crc.bin checksum '$(grep '^crc ' "$tmp/out")' is not coherent's '$(grep '^crc ' "$tmp/crc.out")'" >&2
		exit 1
	fi
	q_empty=$(best_of_3 "qemu empty.bin" "${q[@]}" "$dir/empty.bin")
	q_net=$(awk "BEGIN{printf \"%.3f\", $q_full - $q_empty}")
	# a difference within the noise of the start-up time is no measure
	if ! awk "BEGIN{exit !($q_full >= 1.25 * $q_empty)}"; then
		echo "bench: FAILED: QEMU's crc.bin run (${q_full}s) was not measurably longer than its empty run (${q_empty}s, 1.25x wanted): no MIPS figure" >&2
		exit 1
	fi
	printf '%-28s %14s %10s %10.1f\n' "qemu tcg (wall - startup)" "$insns" \
		"$q_net" "$(awk "BEGIN{print $insns / $q_net / 1e6}")"
	echo "(qemu start-up + shut-down: ${q_empty}s, full run: ${q_full}s)"
else
	echo "SKIP qemu tcg row: qemu-system-aarch64 is not installed (scripts/install-deps installs it)"
fi
