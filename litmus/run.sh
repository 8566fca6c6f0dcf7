#!/usr/bin/env bash
# Runs every litmus program (litmus/*.S, both forms) on coherent and
# compares its findings with the verdict written in the source:
#   // expect broken: ITEM, ITEM...   ITEM = KIND [may|always|any] [U|P|M|I]
#   // expect fixed: none             or "none", or "exception"
#   // expect cause: CAUSE KIND: FIX  one line per root cause of the
#   //   FIX CONTINUED                  broken form (`cause`, `kind` and
#                                     `fix` in the JSON; litmus/causes.py):
#                                     needed when it has findings; one
#                                     cause split in two is a mismatch
#   // smp: N
#   // el2: yes                       run with EL2 (--el2; QEMU
#                                     virtualization=on): harness.h
#   // contract: NAME                 --boot-contract=NAME (default: the
#                                     checker's); with "all" each cause
#                                     line names its contracts:
#                                     CAUSE KIND [CONTRACT...]: FIX
#   // status: N                      the guest's exit status (default 0)
# A qualifier or copy left out matches anything. The findings must match
# the items exactly as sets (each finding matched by an item, each item by
# a finding). "exception": the guest took an exception (harness status 3)
# and nothing was reported.
#
# usage: litmus/run.sh [--qemu] [--src DIR] COHERENT IMAGE_DIR [NAME...]
#   --src    read the sources from DIR (default: this script's; for
#            litmus/selftest.sh)
#   --qemu   run the images on qemu-system-aarch64 instead and check only
#            that each runs to its end with status 0 (an "exception"
#            verdict may also end in status 3; QEMU's TCG does not raise
#            DC ZVA's alignment fault on Device memory, so 0 is accepted)
# Exit status: 0 all match, 1 a mismatch.
set -uo pipefail
qemu=0
here=$(dirname "$0") src=$here
if [[ ${1:-} == --qemu ]]; then qemu=1; shift; fi
if [[ ${1:-} == --src ]]; then src=$2; shift 2; fi
coherent=$1 dir=$2; shift 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# The "// KEY:" header value of file $1.
header() {
	sed -n "/^\/\/ $2:/{s|^// $2: *||p;q}" "$1"
}

# Findings of a JSON file as "kind qual copy" lines.
findings() {
	python3 - "$1" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))["findings"]
except (OSError, ValueError, KeyError) as e:
    sys.exit(f"litmus: no usable report {sys.argv[1]}: {e!r}")
for f in report:
    print(f["kind"], "always" if f["always"] else "may", f["stale_copy"] or "-")
PY
}

# Does finding "$1" (kind qual copy) match expected item "$2"?
matches() {
	local -a f e
	read -ra f <<<"$1"; read -ra e <<<"$2"
	[[ ${f[0]} == "${e[0]}" ]] || return 1
	[[ -z ${e[1]:-} || ${e[1]} == any || ${e[1]} == "${f[1]}" ]] || return 1
	[[ -z ${e[2]:-} || ${e[2]} == "${f[2]}" ]]
}

# Compare: $1 expected verdict text, $2 file of findings, $3 guest status,
# $4 expected guest status.
verdict_ok() {
	local want=$1 got=$2 status=$3 want_status=$4 item line ok
	local -a items
	if [[ $want == exception ]]; then
		[[ $status == 3 && ! -s $got ]]
		return
	fi
	[[ $status == "$want_status" ]] || return 1
	if [[ $want == none ]]; then
		[[ ! -s $got ]]
		return
	fi
	IFS=, read -ra items <<<"$want"
	for item in "${items[@]}"; do               # every item is seen
		ok=0
		while read -r line; do matches "$line" "$item" && ok=1; done <"$got"
		((ok)) || return 1
	done
	while read -r line; do                      # every finding is expected
		ok=0
		for item in "${items[@]}"; do matches "$line" "$item" && ok=1; done
		((ok)) || return 1
	done <"$got"
}

# The guest's status from its console ("EXIT: STATUS=n").
guest_status() {
	sed -n 's/.*EXIT: STATUS=\([0-9]*\).*/\1/p' "$1" | tail -n 1
}

run_one() {   # name form smp want want_status source check_causes
	local name=$1 form=$2 smp=$3 want=$4 want_status=$5 source=$6 check_causes=$7 img=$dir/$1-$2.bin
	local rc status got expect_rc contract
	local -a copt=()
	local machine=virt
	if [[ $(header "$source" el2) == yes ]]; then
		copt+=(--el2)
		machine=virt,virtualization=on
	fi
	if ((qemu)); then
		timeout 20 qemu-system-aarch64 -M "$machine" -cpu max -m 128 -smp "$smp" -nic none \
			-display none -serial stdio -kernel "$img" \
			</dev/null >"$tmp/out" 2>&1
		rc=$?
		status=$(guest_status "$tmp/out")
		if [[ $rc == 0 && -n $status && ( $status == "$want_status" || ( $status == 3 && $want == exception ) ) ]]; then
			printf 'ok       %-34s %-6s qemu status %s\n' "$name" "$form" "$status"
			pass=$((pass + 1))
		else
			printf 'MISMATCH %-34s %-6s qemu rc %s status %s\n' "$name" "$form" "$rc" "${status:-none}"
			fail=$((fail + 1))
		fi
		return
	fi
	rm -f "$tmp/f.json"
	contract=$(header "$source" contract)
	[[ -n $contract ]] && copt+=("--boot-contract=$contract")
	"$coherent" run "${copt[@]}" --smp "$smp" --json "$tmp/f.json" "$img" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	status=$(guest_status "$tmp/out")
	# A missing or unreadable report must not read as "no findings".
	report_ok=1
	findings "$tmp/f.json" >"$tmp/got" || { report_ok=0; : >"$tmp/got"; }
	got=$(paste -sd, "$tmp/got")
	# The checker's status must follow docs/usage.md: 126 when there were
	# findings and the guest passed or skipped, else the guest's own.
	expect_rc=${status:-x}
	[[ -s $tmp/got && ( $status == 0 || $status == 77 ) ]] && expect_rc=126
	[[ $rc == "$expect_rc" ]] || status="rc$rc"
	((report_ok)) || status="no-json-report"
	: >"$tmp/causes"
	if ((report_ok && check_causes)) &&
	   ! python3 "$here/causes.py" "$source" "$tmp/f.json" >"$tmp/causes" 2>&1; then
		status="root causes differ"
	fi
	if verdict_ok "$want" "$tmp/got" "${status:-none}" "$want_status"; then
		printf 'ok       %-34s %-6s %s\n' "$name" "$form" "$want"
		pass=$((pass + 1))
	else
		printf 'MISMATCH %-34s %-6s want: %s; got: %s (status %s)\n' "$name" \
			"$form" "$want" "${got:-none}" "${status:-none}"
		cat "$tmp/causes"
		head -n 20 "$tmp/err" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

for s in "$src"/*.S; do
	name=$(basename "$s" .S)
	[[ $name == harness ]] && continue
	if (($#)); then
		sel=0
		for n in "$@"; do [[ $name == "$n" ]] && sel=1; done
		((sel)) || continue
	fi
	smp=$(header "$s" smp); smp=${smp:-1}
	want_status=$(header "$s" status); want_status=${want_status:-0}
	for form in broken fixed; do
		want=$(header "$s" "expect $form")
		if [[ -z $want ]]; then
			echo "MISMATCH $name: no '// expect $form:' line"; fail=$((fail + 1)); continue
		fi
		# The fixed form, and a verdict without findings, has no root
		# cause; the broken form's must be stated.
		check=0
		[[ $form == broken && $want != none && $want != exception ]] && check=1
		run_one "$name" "$form" "$smp" "$want" "$want_status" "$s" "$check"
	done
done
echo "litmus: $pass match, $fail mismatch"
if ((pass + fail == 0)); then echo "litmus: no program selected" >&2; exit 1; fi
((fail == 0))
