#!/usr/bin/env bash
# Guest MIPS of coherent and of QEMU TCG on the same image.
# usage: run.sh COHERENT BENCH_DIR
# coherent counts the instructions (--stats). QEMU's MIPS is that count
# divided by its wall time minus its start-up/shut-down time, measured
# with an image that does nothing. Each time is the best of 3 runs.
set -euo pipefail
# The bench program writes its BSS with the MMU off and never invalidates
# it: under the default "loaded" contract a dirty line left by an earlier
# boot stage could be evicted over it, which the model rightly reports.
# Speed is what is measured here, so the caches start empty.
coherent_run() { "$coherent" run --boot-contract=clean "$@"; }
coherent=$1 dir=$2
qemu=$(command -v qemu-system-aarch64 || true)

best_of_3() {   # prints the smallest wall time of 3 runs of "$@"
	local best="" t
	for _ in 1 2 3; do
		local s e
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		t=$(awk "BEGIN{printf \"%.3f\", $e - $s}")
		if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	echo "$best"
}

stats=$(coherent_run --stats "$dir/crc.bin" 2>&1 >/dev/null | grep 'stats: insns=')
insns=$(sed 's/.*insns=\([0-9]*\).*/\1/' <<<"$stats")
c_wall=$(best_of_3 coherent_run "$dir/crc.bin")
c_cpu=$(sed 's/.* cpu=\([0-9.]*\).*/\1/' <<<"$stats")
printf '%-28s %14s %10s %10s\n' "engine (image crc.bin)" "instructions" "time s" "MIPS"
printf '%-28s %14s %10s %10.1f\n' "coherent (wall)" "$insns" "$c_wall" \
	"$(awk "BEGIN{print $insns / $c_wall / 1e6}")"
printf '%-28s %14s %10s %10.1f\n' "coherent (cpu time)" "$insns" "$c_cpu" \
	"$(awk "BEGIN{print $insns / $c_cpu / 1e6}")"
if [[ -n $qemu ]]; then
	q=(timeout 300 "$qemu" -machine virt -cpu max -nographic -m 128 -kernel)
	q_full=$(best_of_3 "${q[@]}" "$dir/crc.bin")
	q_empty=$(best_of_3 "${q[@]}" "$dir/empty.bin")
	q_net=$(awk "BEGIN{t = $q_full - $q_empty; print (t > 0.001 ? t : 0.001)}")
	printf '%-28s %14s %10s %10.1f\n' "qemu tcg (wall - startup)" "$insns" \
		"$q_net" "$(awk "BEGIN{print $insns / $q_net / 1e6}")"
	echo "(qemu start-up + shut-down: ${q_empty}s, full run: ${q_full}s)"
else
	echo "qemu-system-aarch64 not installed: QEMU row skipped"
fi
