#!/usr/bin/env bash
# run_guest_tests.sh must reject output it does not expect: run it through
# a coherent that prints one stray line after the guest's output, and
# every case that checks stdout (all but the two trace checks) must fail.
# usage: run_guest_tests_selftest.sh COHERENT IMAGE_DIR
set -uo pipefail
coherent=$(realpath "$1") dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/coherent" <<EOF2
#!/bin/sh
"$coherent" "\$@"; rc=\$?
echo stray
exit \$rc
EOF2
chmod +x "$tmp/coherent"
out=$("$(dirname "$0")/run_guest_tests.sh" "$tmp/coherent" "$dir")
rc=$?
last=$(tail -n 1 <<<"$out")
# Only the two trace checks may pass, however many cases there are.
if [[ $rc -eq 0 || ! $last =~ ^2\ passed,\ ([0-9]+)\ failed$ ]]; then
	echo "FAIL run_guest_tests selftest: with a stray output line: exit $rc, '$last' (want '2 passed, N failed')"
	printf '%s\n' "$out"
	exit 1
fi
echo "ok   run_guest_tests.sh rejects a stray output line (${BASH_REMATCH[1]} of ${BASH_REMATCH[1]} cases)"
