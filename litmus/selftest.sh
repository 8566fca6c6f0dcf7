#!/usr/bin/env bash
# litmus/run.sh must notice a wrong verdict: given every program's broken
# and fixed images swapped, every run must be a mismatch. Two programs
# (a stale load, a stale fetch): the whole set takes minutes.
# usage: litmus/selftest.sh COHERENT IMAGE_DIR
set -uo pipefail
coherent=$1 dir=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
names=(mmuoff-write-cached-read code-no-icivau)
n=0
for name in "${names[@]}"; do
	ln -s "$dir/$name-fixed.bin" "$tmp/$name-broken.bin"
	ln -s "$dir/$name-broken.bin" "$tmp/$name-fixed.bin"
	n=$((n + 2))
done
out=$("$(dirname "$0")/run.sh" "$coherent" "$tmp" "${names[@]}" 2>&1)
rc=$?
last=$(tail -n 1 <<<"$out")
if [[ $rc -ne 1 || $last != "litmus: 0 match, $n mismatch" ]]; then
	echo "FAIL litmus selftest: images swapped: exit $rc, '$last' (want 'litmus: 0 match, $n mismatch')"
	grep '^ok' <<<"$out"
	exit 1
fi
echo "ok   litmus/run.sh rejects every swapped verdict ($n of $n)"

# A stated root cause that differs from the run's (its fix text, then its
# kind) must be a mismatch of the broken form only.
name=mmuoff-write-cached-read
for edit in 's|^\(// expect cause: .*\)DC IVAC|\1DC CIVAC|' \
	    's|^// expect cause: not-invalidated|// expect cause: not-cleaned|'; do
	mkdir -p "$tmp/src"
	sed "$edit" "$(dirname "$0")/$name.S" >"$tmp/src/$name.S"
	if cmp -s "$tmp/src/$name.S" "$(dirname "$0")/$name.S"; then
		echo "FAIL litmus selftest: '$edit' changed nothing in $name.S"
		exit 1
	fi
	out=$("$(dirname "$0")/run.sh" --src "$tmp/src" "$coherent" "$dir" "$name" 2>&1)
	rc=$?
	last=$(tail -n 1 <<<"$out")
	if [[ $rc -ne 1 || $last != "litmus: 1 match, 1 mismatch" ]] ||
	   ! grep -q '^MISMATCH.* broken .*root causes differ' <<<"$out"; then
		echo "FAIL litmus selftest: root cause edited by '$edit': exit $rc, '$last'"
		exit 1
	fi
done
echo "ok   litmus/run.sh rejects a root cause with the wrong fix or cause"
