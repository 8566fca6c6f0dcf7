#!/usr/bin/env bash
# Tests of `coherent audit` (docs/usage.md): its options, the JSON, SARIF
# and HTML of the unmodified run, failed runs and signals. The runs that
# are signalled spin on checker/tests/guest/cmo-spin.S for about a second.
# usage: run_audit_tests.sh COHERENT GUEST_DIR LITMUS_DIR
set -uo pipefail
coherent=$1 guest=$2 litmus=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/coherent-audit-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0 n=0
spin=$guest/cmo-spin.elf fixed=$litmus/civac-undone-fixed.elf

ok() { n=$((n + 1)); echo "ok   $1"; }
bad() {
	n=$((n + 1)) fail=$((fail + 1))
	echo "FAIL $1"
	sed 's/^/     /' "$work/err" "$work/out" 2>/dev/null | head -20
}

# name, expected status, expected stderr text, audit arguments
expect() {
	local name=$1 want_rc=$2 want_err=$3 rc; shift 3
	"$coherent" audit "$@" >"$work/out" 2>"$work/err"
	rc=$?
	if [[ $rc -ne $want_rc ]]; then
		bad "$name: exit $rc, want $want_rc"
	elif [[ -n $want_err ]] && ! grep -qF -- "$want_err" "$work/err"; then
		bad "$name: stderr lacks '$want_err'"
	else
		ok "$name"
	fi
}

# -j is a number of runs from 1 to 256, nothing else.
for j in -1 abc 0 1x 257 99999999999999999999 ''; do
	expect "-j '$j'" 64 "-j" -j "$j" "$spin"
done
expect "-j missing" 64 "-j" "$spin" -j
# A trace of runs whose output is discarded is no use: refused.
expect "--trace" 64 "--trace" --trace "$spin"

# The unmodified run must finish: out of budget, the audit means nothing.
expect "base out of budget" 124 "budget" --max-insns 1000 "$spin"

# --json is the unmodified run's findings (none here), not those of a
# run with a site suppressed (with -j 1 the last one, which has one).
expect "json" 0 "" -j 1 --json "$work/f.json" "$fixed"
if grep -q '"count": 0' "$work/f.json" 2>/dev/null &&
   grep -q 'litmus_main+0x4c.*\*\*necessary\*\*' "$work/out"; then
	ok "json is the unmodified run's"
else
	bad "json is the unmodified run's: $(head -c 60 "$work/f.json" 2>&1)"
fi

# --sarif and --html likewise: no result, no root cause section (the
# runs with a site suppressed have one).
expect "sarif html" 0 "" -j 1 --sarif "$work/f.sarif" --html "$work/f.html" "$fixed"
if grep -q '"results": \[\]' "$work/f.sarif" 2>/dev/null &&
   grep -q '0 root causes' "$work/f.html" 2>/dev/null &&
   ! grep -q '<section' "$work/f.html"; then
	ok "sarif and html are the unmodified run's"
else
	bad "sarif and html are the unmodified run's"
fi
expect "--sarif missing" 64 "need a file" "$fixed" --sarif

# The pid of a child of $1 whose command line has $2, other than $3,
# once there is one.
child_of() {
	local i pid
	for i in $(seq 200); do
		pid=$(pgrep -P "$1" -f -- "$2" | grep -vx -- "${3:-0}" | head -1)
		[[ -n $pid ]] && { echo "$pid"; return 0; }
		sleep 0.05
	done
	return 1
}

# A run that is killed, or fails, is an error naming the site and how;
# the audit goes on with the other sites.
"$coherent" audit -j 1 "$spin" >"$work/out" 2>"$work/err" &
audit=$!
if c=$(child_of $audit "--audit-suppress"); then
	kill -KILL "$c"
	# With -j 1 the second site's run starts after the first is reaped.
	c2=$(child_of $audit "--audit-suppress" "$c") && kill -TERM "$c2"
fi
wait $audit
rc=$?
if [[ $rc -ne 123 ]]; then
	bad "killed run: exit $rc, want 123"
elif ! grep -q '_start+0x4.*signal 9' "$work/err"; then
	bad "killed run: stderr lacks the site and signal 9"
elif ! grep -q '_start+0xc.*\(signal 15\|status 143\)' "$work/err"; then
	bad "killed run: stderr lacks the second site's SIGTERM"
elif grep -q 'necessary\*\*' "$work/out"; then
	bad "killed run: counted as necessary"
else
	ok "killed runs are errors"
fi

# SIGTERM or SIGHUP to the audit: its runs are killed, its temporary
# files removed, and it exits 128 + the signal.
for sig in TERM HUP; do
	"$coherent" audit "$spin" >"$work/out" 2>"$work/err" &
	audit=$!
	if ! c=$(child_of $audit "--audit-record"); then
		kill -KILL $audit; wait $audit
		bad "SIG$sig: no run started"
		continue
	fi
	dir=$(tr '\0' '\n' </proc/"$c"/cmdline | sed -n '/^--audit-record$/{n;p}')
	dir=${dir%/*}
	kill -"$sig" $audit
	wait $audit
	rc=$?
	want=$((128 + $(kill -l "$sig")))
	for i in $(seq 40); do kill -0 "$c" 2>/dev/null || break; sleep 0.05; done
	if [[ $rc -ne $want ]]; then
		bad "SIG$sig: exit $rc, want $want"
	elif [[ -z $dir || -e $dir ]]; then
		bad "SIG$sig: temporary directory '$dir' left"
		rm -rf "$dir"
	elif kill -0 "$c" 2>/dev/null; then
		bad "SIG$sig: run $c still alive"
		kill -KILL "$c"
	else
		ok "SIG$sig cleans up"
	fi
done

# SIGKILL cannot be caught: the runs die with the audit all the same
# (PR_SET_PDEATHSIG); only its temporary directory is left.
"$coherent" audit "$spin" >"$work/out" 2>"$work/err" &
audit=$!
if c=$(child_of $audit "--audit-record"); then
	dir=$(tr '\0' '\n' </proc/"$c"/cmdline | sed -n '/^--audit-record$/{n;p}')
	kill -KILL $audit
	wait $audit
	for i in $(seq 40); do kill -0 "$c" 2>/dev/null || break; sleep 0.05; done
	if kill -0 "$c" 2>/dev/null; then
		bad "SIGKILL: run $c outlived the audit"
		kill -KILL "$c"
	else
		ok "SIGKILL: no run outlives the audit"
	fi
	[[ -n $dir ]] && rm -rf "${dir%/*}"
else
	kill -KILL $audit; wait $audit
	bad "SIGKILL: no run started"
fi

# A symbol's tab, ESC or non-UTF-8 byte neither splits the record's fields
# nor reaches the table raw: shown as \xNN, the source column intact.
aarch64-linux-gnu-objcopy --redefine-sym "_start=$(printf 'w\033[31m\377\tx')" \
	"$spin" "$work/weird.elf"
if "$coherent" audit "$work/weird.elf" >"$work/out" 2>"$work/err" &&
   grep -qF '| `w\x1b[31m\xff\x09x+0x4` | - |' "$work/out" &&
   ! LC_ALL=C grep -q $'\033' "$work/out"; then
	ok "escaped symbol names"
else
	bad "escaped symbol names"
fi

# A '|' in a cell is escaped, or it would split the Markdown table's row.
aarch64-linux-gnu-objcopy --redefine-sym "_start=a|b" "$spin" "$work/pipe.elf"
if "$coherent" audit "$work/pipe.elf" >"$work/out" 2>"$work/err" &&
   grep -qF '| `a\|b+0x4` | - |' "$work/out"; then
	ok "escaped | in the table"
else
	bad "escaped | in the table"
fi

echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
