#!/usr/bin/env bash
# make bench's first table (issue 12): per workload, the guest's
# instructions, coherent's MIPS with the model off and on and their
# ratio, QEMU TCG's MIPS on the same image, the model's peak memory per
# GiB of guest RAM, and one column per target saying whether the row
# meets it or by how much it misses it. Printed as a Markdown table.
#
# MIPS are guest instructions per host CPU second, best of BENCH_RUNS
# runs (coherent's --stats cpu=; QEMU's user+sys time minus that of the
# same command line on empty.bin, its start-up and shut-down). QEMU counts
# no instructions: its MIPS use coherent's count for the same image,
# exact for one PE, approximate ("~") for several PEs and for Linux.
#
# Every run must reach its guest's end ("EXIT: STATUS=0", Linux's VFS
# panic; coherent may exit 126, findings): a row that does not is printed
# as FAILED and the script exits 1 after the table. A cell that cannot be
# measured says SKIP and why.
#
# Knobs (environment):
#   BENCH_QUICK=1   one run per figure and the short crc image (a few
#                   minutes instead of about ten)
#   BENCH_RUNS=N    runs per figure, best kept (default 3; Linux: 1)
#   BENCH_ROWS="crc selftest-smp mmu-onoff linux setup-4g"  rows to run
#                   (checker/bench/workloads.sh)
#   BENCH_QEMU_MIN_S=S  QEMU CPU seconds beside its start-up for a MIPS
#                   figure (default 0.2)
#   BENCH_QEMU=PATH the QEMU to compare with; empty: no QEMU cells
#   BENCH_KERNEL=IMAGE  a kernel for the Linux row instead of Debian's
# usage: table.sh COHERENT BENCH_DIR GUEST_DIR
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench-lib.sh
. "$here/../../scripts/bench-lib.sh"
# shellcheck source=checker/bench/workloads.sh
. "$here/workloads.sh"
(($# == 3)) || { echo "usage: table.sh COHERENT BENCH_DIR GUEST_DIR" >&2; exit 2; }
coherent=$1 bdir=$2 gdir=$3
qemu=${BENCH_QEMU-$(command -v qemu-system-aarch64 || true)}
quick=${BENCH_QUICK:-0}
if [[ $quick == 1 ]]; then runs=${BENCH_RUNS:-1}; else runs=${BENCH_RUNS:-3}; fi
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS='$runs': want a positive number" >&2; exit 2; }
rows=${BENCH_ROWS:-$WORKLOADS}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The targets (issue 12). A workload is long when it runs for at least a
# second at the interpreter's target speed (LONG_INSNS instructions): a
# count, so that the class does not depend on the machine's load.
LONG_INSNS=500000000
RATIO_LONG=0.8 RATIO_SHORT=0.5
CRC_MIPS=500
LINUX_CPU=15
MEM_MIB=16
# QEMU's own work must be this many CPU seconds beside its start-up.
QEMU_MIN_S=${BENCH_QEMU_MIN_S:-0.2}

QEMU_BASE=(-nodefaults -machine virt -accel tcg -cpu max -display none -serial stdio)

calc() { awk "BEGIN{printf \"$1\", $2}"; }
is() { awk "BEGIN{exit !($1)}"; }      # is EXPR: status 0 when EXPR holds

# coh NAME END RUNS ARGS...: RUNS runs of coherent; the best (least CPU)
# run's INSNS, CPU and MIPS, the largest model peak PEAK (MiB/GiB, empty
# with the model off), and its console output in $tmp/coh.out.
coh() {
	local name=$1 end=$2 n=$3 rc stats cpu insns p i
	shift 3
	CPU='' INSNS='' PEAK=''
	for ((i = 0; i < n; i++)); do
		rc=0
		"$coherent" run --stats "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
		reached "coherent $name" "$rc" "$tmp/out" "$end" || return 1
		if ! stats=$(grep -m 1 'stats: insns=' "$tmp/err"); then
			echo "bench: FAILED: coherent $name printed no --stats line" >&2
			return 1
		fi
		insns=$(sed -n 's/.*insns=\([0-9]*\).*/\1/p' <<<"$stats")
		cpu=$(sed -n 's/.* cpu=\([0-9.]*\).*/\1/p' <<<"$stats")
		p=$(sed -n 's/.* model_peak_mib_per_gib=\([0-9.]*\).*/\1/p' "$tmp/err")
		if [[ -z $insns || -z $cpu ]]; then
			echo "bench: FAILED: coherent $name: no insns= or cpu= in '$stats'" >&2
			return 1
		fi
		if [[ -z $CPU ]] || is "$cpu < $CPU"; then
			CPU=$cpu INSNS=$insns
			cp "$tmp/out" "$tmp/coh.out"
		fi
		if [[ -n $p ]] && { [[ -z $PEAK ]] || is "$p > $PEAK"; }; then PEAK=$p; fi
	done
	# a CPU time of 0.000 (a tiny guest) is one tick at most
	[[ $CPU != 0.000 ]] || CPU=0.001
	MIPS=$(calc %.1f "$INSNS / $CPU / 1e6")
}

# qcpu NAME END ARGS...: least user+sys seconds of $runs QEMU runs into
# QCPU; the console output of the last in $tmp/q.out.
qcpu() {
	local name=$1 end=$2 rc t i
	shift 2
	QCPU=''
	for ((i = 0; i < runs; i++)); do
		rc=0
		TIMEFORMAT='%3U %3S'
		{ time timeout 600 "$qemu" "$@" >"$tmp/q.out" 2>&1 </dev/null; } 2>"$tmp/q.time" || rc=$?
		reached "qemu $name" "$rc" "$tmp/q.out" "$end" || return 1
		t=$(calc %.3f "$(sed 's/ /+/' "$tmp/q.time")")
		if [[ -z $QCPU ]] || is "$t < $QCPU"; then QCPU=$t; fi
	done
}

# qemu_mips NAME END INSNS SMP MEM ARGS...: QEMU's MIPS over INSNS into
# QMIPS, or the reason it has none in QSKIP (status 0), or status 1 when
# a run did not reach its end. ARGS: the image and its options.
qemu_mips() {
	local name=$1 end=$2 insns=$3 smp=$4 mem=$5 full empty
	shift 5
	QMIPS='' QSKIP='' QRAN=0
	if [[ -z $qemu ]]; then
		QSKIP="SKIP: no QEMU (qemu-system-aarch64 not installed, or BENCH_QEMU empty)"
		return 0
	fi
	qcpu "$name" "$end" "${QEMU_BASE[@]}" -smp "$smp" -m "$mem" "$@" || return 1
	full=$QCPU QRAN=1
	cp "$tmp/q.out" "$tmp/qfull.out"
	qcpu "$name (empty.bin)" "$EXIT_END" "${QEMU_BASE[@]}" -smp "$smp" -m "$mem" \
		-kernel "$bdir/empty.bin" || return 1
	empty=$QCPU
	# A difference within the noise of the start-up time is no measure.
	if ! is "$full >= 1.25 * $empty && $full - $empty >= $QEMU_MIN_S"; then
		QSKIP="SKIP: QEMU's run (${full} s CPU) is too close to its start-up (${empty} s) to be measured"
		return 0
	fi
	QMIPS=$(calc %.1f "$insns / ($full - $empty) / 1e6")
	# several PEs spin as long as the others take; Linux's timer waits
	# run in host time on QEMU, in instructions on coherent
	[[ $smp == 1 && $end == "$EXIT_END" ]] || QMIPS="~$QMIPS"
}

# at_least VALUE TARGET / at_most VALUE TARGET: a target cell.
at_least() {
	if is "$1 >= $2"; then echo "meets ($1 ≥ $2)"
	else echo "misses by $(calc %.2f "$2 / $1")x ($1 < $2)"; fi
}
at_most() {
	if is "$1 <= $2"; then echo "meets ($1 ≤ $2)"
	else echo "misses by $(calc %.2f "$1 / $2")x ($1 > $2)"; fi
}

fail=0
LINES=()
# row: measure the workload WL_* (workload, workloads.sh) and add its
# table line.
row() {
	local name=$WL_NAME end=$WL_END smp=$WL_SMP mem=$WL_MEM n=$runs
	local -a cargs=("${WL_ARGS[@]}") qargs=("${WL_QARGS[@]}")
	[[ $end == "$EXIT_END" ]] || n=1   # Linux: seconds long, one run
	local off_mips off_insns on_mips on_cpu on_insns peak ratio qcell oq cls rt
	local t_ratio t_crc='-' t_linux='-' t_mem insns_cell
	if ! coh "$name --no-model" "$end" "$n" --no-model --smp "$smp" -m "$mem" "${cargs[@]}"; then
		failed_row "$name" "the model-off run did not reach its end"; return
	fi
	off_mips=$MIPS off_insns=$INSNS
	cp "$tmp/coh.out" "$tmp/off.out"
	if ! coh "$name (model)" "$end" "$n" --smp "$smp" -m "$mem" "${cargs[@]}"; then
		failed_row "$name" "the model-on run did not reach its end"; return
	fi
	on_mips=$MIPS on_cpu=$CPU on_insns=$INSNS peak=${PEAK:-}
	if [[ -z $peak ]]; then
		failed_row "$name" "no model_peak_mib_per_gib in the model-on --stats"; return
	fi
	ratio=$(calc %.2f "$on_mips / $off_mips")
	if ! qemu_mips "$name" "$end" "$off_insns" "$smp" "$mem" "${qargs[@]}"; then
		failed_row "$name" "QEMU's run did not reach its end"; return
	fi
	# the same work done: crc prints a checksum, which both must agree on
	if ((QRAN)) && [[ $(grep '^crc ' "$tmp/qfull.out") != "$(grep '^crc ' "$tmp/off.out")" ]]; then
		echo "bench: FAILED: QEMU's checksum '$(grep '^crc ' "$tmp/qfull.out")' is not coherent's '$(grep '^crc ' "$tmp/off.out")'" >&2
		failed_row "$name" "QEMU computed another checksum"; return
	fi
	if [[ -n $QMIPS ]]; then
		qcell=$QMIPS oq=$(calc %.2f "$off_mips / ${QMIPS#\~}")
		[[ $QMIPS != \~* ]] || oq="~$oq"
	else
		qcell=$QSKIP oq='-'
	fi
	if ((off_insns >= LONG_INSNS)); then cls=long rt=$RATIO_LONG; else cls=short rt=$RATIO_SHORT; fi
	t_ratio="$cls: $(at_least "$ratio" "$rt")"
	[[ $name != crc* ]] || t_crc=$(at_least "$off_mips" "$CRC_MIPS")
	[[ $name != linux* ]] || t_linux=$(at_most "$on_cpu" "$LINUX_CPU")
	t_mem=$(at_most "$peak" "$MEM_MIB")
	insns_cell=$off_insns
	[[ $on_insns == "$off_insns" ]] || insns_cell="$off_insns (model on: $on_insns)"
	LINES+=("| $name | $insns_cell | $off_mips | $on_mips | $ratio | $on_cpu | $qcell | $oq | $peak | $t_ratio | $t_crc | $t_linux | $t_mem |")
}

failed_row() {   # failed_row NAME WHY
	LINES+=("| $1 | FAILED: $2 (see above) | | | | | | | | | | | |")
	fail=1
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
start=$EPOCHREALTIME
for r in $rows; do
	rc=0
	workload "$r" "$quick" || rc=$?
	case $rc in
	0) row ;;
	77) LINES+=("| $r | SKIP: $WL_SKIP | | | | | | | | | | | |") ;;
	2) exit 2 ;;
	*) failed_row "$r" "its image could not be had" ;;
	esac
done
end=$EPOCHREALTIME

rev=$(git -C "$here" describe --always --dirty 2>/dev/null || echo "?")
echo
echo "## make bench: issue 12's table ($rev, $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo
echo "MIPS per host CPU second, best of $runs run(s) (Linux: 1); load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(secs $(( ${end//[.,]/} - ${start//[.,]/} ))) s."
echo
echo "| workload | instructions | off MIPS | on MIPS | on/off | on CPU s | QEMU MIPS | off/QEMU | peak MiB/GiB | on/off ≥ $RATIO_LONG (long), ≥ $RATIO_SHORT (short) | crc off ≥ $CRC_MIPS MIPS | Linux on ≤ $LINUX_CPU s CPU | ≤ $MEM_MIB MiB/GiB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${LINES[@]}"
echo
echo "long: at least $LONG_INSNS instructions (a second at $CRC_MIPS MIPS). ~: QEMU's MIPS over coherent's count, approximate with several PEs or a timer."
if ((fail)); then
	echo "bench: FAILED: a row did not run to its end (above)" >&2
	exit 1
fi
