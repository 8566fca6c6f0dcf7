#!/usr/bin/env bash
# make bench-model: guest MIPS with the cache model off and on, their
# ratio, and the model's memory per GiB of guest RAM (its allocated-bytes
# counter: per-line arrays, bitmaps, interned sets and memo table).
# usage: bench-model.sh COHERENT CRC_BIN SELFTEST_BIN
# MIPS are per CPU second (--stats mips_cpu), best of 3 runs.
set -euo pipefail
coherent=$1 crc=$2 selftest=$3

stat() {        # stat FIELD ARGS...: best (max) mips_cpu, or last FIELD
	local field=$1 best=0 v; shift
	for _ in 1 2 3; do
		v=$("$coherent" run --stats "$@" 2>&1 >/dev/null |
			sed -n "s/.*$field=\([0-9.]*\).*/\1/p" | tail -1)
		[[ -z $v ]] && v=0
		best=$(awk "BEGIN{print ($v > $best) ? $v : $best}")
	done
	echo "$best"
}

printf '%-34s %10s %10s %7s %12s\n' "workload" "MIPS off" "MIPS on" "ratio" "MiB/GiB"
row() {
	local name=$1; shift
	local off on mem
	off=$(stat mips_cpu --no-model "$@")
	on=$(stat mips_cpu "$@")
	mem=$(stat model_mib_per_gib "$@")
	printf '%-34s %10.1f %10.1f %7.2f %12.2f\n' "$name" "$off" "$on" \
		"$(awk "BEGIN{print $on / $off}")" "$mem"
}
row "crc.bin (MMU off, 128 MiB)" "$crc"
row "crc.bin (MMU off, 1 GiB)" -m 1024 "$crc"
row "selftest smp (2 PEs, 128 MiB)" --smp 2 --append smp "$selftest"
row "selftest setup (2 PEs, 1 GiB)" -m 1024 --smp 2 --append "setup smp=2 mem=1024" "$selftest"
