#!/usr/bin/env bash
# make bench-profile: where the model-on time of each workload of issue
# 12's table goes. Runs each workload (checker/bench/workloads.sh, the
# table's command lines) with the model on under `perf record` and prints
# perf's top symbols by self time, as Markdown (a code block per
# workload), ready for docs/bench.md.
#
# Each run must reach its guest's end, as in the table, else the profile
# fails. Without perf (Debian: linux-perf) or without the right to use it
# (kernel.perf_event_paranoid): a clear error and exit 1.
#
# Knobs (environment):
#   BENCH_ROWS="..."        workloads to profile (default: all of them)
#   BENCH_PROFILE_TOP=N     symbols per workload (default 15)
#   BENCH_PROFILE_FREQ=HZ   samples per second (default 20000: the short
#                           workloads run for tens of milliseconds)
#   BENCH_PROFILE_OFF=1     profile the model-off runs too
#   BENCH_KERNEL=IMAGE      a kernel for the Linux row instead of Debian's
# usage: profile.sh COHERENT BENCH_DIR GUEST_DIR
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench-lib.sh
. "$here/../../scripts/bench-lib.sh"
# shellcheck source=checker/bench/workloads.sh
. "$here/workloads.sh"
(($# == 3)) || { echo "usage: profile.sh COHERENT BENCH_DIR GUEST_DIR" >&2; exit 2; }
coherent=$1 bdir=$2 gdir=$3
rows=${BENCH_ROWS:-$WORKLOADS}
top=${BENCH_PROFILE_TOP:-15}
freq=${BENCH_PROFILE_FREQ:-20000}
[[ $top =~ ^[1-9][0-9]*$ && $freq =~ ^[1-9][0-9]*$ ]] || {
	echo "bench-profile: BENCH_PROFILE_TOP and BENCH_PROFILE_FREQ want positive numbers" >&2
	exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v perf >/dev/null; then
	echo "bench-profile: FAILED: perf is not installed (Debian: apt-get install linux-perf)" >&2
	exit 1
fi
if ! perf record -q -o "$tmp/probe.data" -- true >"$tmp/probe.out" 2>&1; then
	echo "bench-profile: FAILED: perf record cannot run here (kernel.perf_event_paranoid is $(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?')):" >&2
	sed 's/^/    /' "$tmp/probe.out" >&2
	exit 1
fi

# profile LABEL ARGS...: one run of coherent under perf, and its top
# symbols.
profile() {
	local label=$1 rc=0 samples
	shift
	perf record -q -F "$freq" -o "$tmp/perf.data" -- \
		"$coherent" run --stats "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	reached "coherent $label" "$rc" "$tmp/out" "$WL_END" || return 1
	perf report -i "$tmp/perf.data" --stdio --no-children --sort symbol \
		--percent-limit 0.5 >"$tmp/report" 2>/dev/null || {
		echo "bench-profile: FAILED: perf report on $WL_NAME" >&2
		return 1
	}
	samples=$(sed -n 's/^# Samples: \([^ ]*\) *of event .\(.*\)./\1 samples of \2/p' "$tmp/report" | head -n 1)
	echo
	echo "### $WL_NAME, $label: $(grep -m 1 'stats: insns=' "$tmp/err" | sed 's/^coherent: stats: //'), ${samples:-? samples}"
	# the model's memory, per GiB of guest RAM at the end by part
	# (per-RAM arrays, shared sets and tables) and at its peak: what
	# is left of the memory target
	if grep -q 'stats: model_bytes=' "$tmp/err"; then
		echo
		grep -m 1 'stats: model_bytes=' "$tmp/err" | sed 's/^coherent: stats: /memory: /'
	fi
	echo
	echo '```'
	# self time per symbol; the .lto_priv.N of link-time optimisation
	# and the IPC columns (empty without hardware counters) are noise to
	# a reader
	grep -E '^ +[0-9.]+%' "$tmp/report" | head -n "$top" |
		sed -E 's/\.lto_priv\.[0-9]+//; s/([[:space:]]+-){2}[[:space:]]*$//'
	echo '```'
}

fail=0
echo "## make bench-profile ($(git -C "$here" describe --always --dirty 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'), perf -F $freq, self time)"
for r in $rows; do
	rc=0
	workload "$r" || rc=$?
	case $rc in
	0) ;;
	77) echo; echo "### $r: SKIP: $WL_SKIP"; continue ;;
	2) exit 2 ;;
	*) fail=1; continue ;;
	esac
	args=(--smp "$WL_SMP" -m "$WL_MEM" "${WL_ARGS[@]}")
	profile "model on" "${args[@]}" || fail=1
	if [[ ${BENCH_PROFILE_OFF:-0} == 1 ]]; then
		profile "model off" --no-model "${args[@]}" || fail=1
	fi
done
if ((fail)); then
	echo "bench-profile: FAILED: a workload did not run to its end (above)" >&2
	exit 1
fi
