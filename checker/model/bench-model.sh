#!/usr/bin/env bash
# make bench-model: guest MIPS with the cache model off and on, their
# ratio, and the model's memory per GiB of guest RAM (its allocated-bytes
# counter): at the end of the run its per-RAM part (per-page ids and
# arrays, bitmaps, I-cache records) and its shared part (interned sets,
# memo table, closure buffers), and the peak of their sum during the run
# (the figure the target applies to).
# usage: bench-model.sh COHERENT CRC_BIN SELFTEST_BIN MMU_ONOFF_BIN
# MIPS are per CPU second (--stats mips_cpu), best of 3 runs. Every run
# must reach the guest's "EXIT: STATUS=0" line (ran_to_exit in
# scripts/bench-lib.sh; findings, status 126, are allowed), else the
# bench fails.
set -euo pipefail
# shellcheck source=scripts/bench-lib.sh
. "$(dirname "$0")/../../scripts/bench-lib.sh"
coherent=$1 crc=$2 selftest=$3 mmuonoff=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {         # run ARGS...: one run, stdout in $tmp/out, stderr in $tmp/err
	local rc=0
	"$coherent" run --stats "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	ran_to_exit "coherent run $*" "$rc" "$tmp/out" 126 || exit 1
}

stat() {        # stat FIELD ARGS...: best (max) FIELD of 3 runs
	local field=$1 best=0 v; shift
	for _ in 1 2 3; do
		run "$@"
		v=$(sed -n "s/.*$field=\([0-9.]*\).*/\1/p" "$tmp/err" | tail -1)
		if [[ -z $v ]]; then
			echo "bench: FAILED: no $field in coherent's --stats output" >&2
			exit 1
		fi
		best=$(awk "BEGIN{print ($v > $best) ? $v : $best}")
	done
	echo "$best"
}

field() {       # field NAME: its value in $out
	sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$out"
}

printf '%-34s %9s %9s %6s %9s %9s %9s\n' "" "" "" "" "MiB/GiB:" "" ""
printf '%-34s %9s %9s %6s %9s %9s %9s\n' "workload" "MIPS off" "MIPS on" \
	"ratio" "per-RAM" "shared" "peak"
row() {
	local name=$1; shift
	local off on ram shared peak out
	off=$(stat mips_cpu --no-model "$@")
	on=$(stat mips_cpu "$@")
	# the memory figures do not vary between runs: one run gives all
	run "$@"
	out=$(grep model_bytes "$tmp/err")
	ram=$(field model_ram_mib_per_gib)
	shared=$(field model_shared_mib_per_gib)
	peak=$(field model_peak_mib_per_gib)
	printf '%-34s %9.1f %9.1f %6.2f %9.2f %9.2f %9.2f\n' "$name" "$off" \
		"$on" "$(awk "BEGIN{print $on / $off}")" "$ram" "$shared" "$peak"
}
row "crc.bin (MMU off, 128 MiB)" "$crc"
row "crc.bin (MMU off, 1 GiB)" -m 1024 "$crc"
row "selftest smp (2 PEs, 128 MiB)" --smp 2 --append smp "$selftest"
row "selftest setup (2 PEs, 1 GiB)" -m 1024 --smp 2 --append "setup smp=2 mem=1024" "$selftest"
row "mmu-onoff (4 PEs, 128 MiB)" --smp 4 "$mmuonoff"
