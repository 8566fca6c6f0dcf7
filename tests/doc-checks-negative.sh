#!/usr/bin/env bash
# The document checks must be able to fail: scripts/check-doc-refs on
# broken references, scripts/check-audit-fresh on a changed source. Each
# runs on a small tree in a temporary directory.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect_fail NAME PATTERN CMD...: CMD exits non-zero and prints PATTERN.
expect_fail() {
	local name=$1 pat=$2 out; shift 2
	if out=$("$@" 2>&1); then
		echo "FAIL $name: passed, expected a failure"; fail=1
	elif ! grep -qF -- "$pat" <<<"$out"; then
		echo "FAIL $name: no '$pat' in:"; echo "$out"; fail=1
	else
		echo "PASS $name"
	fi
}
expect_pass() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then echo "PASS $name"; else echo "FAIL $name:"; echo "$out"; fail=1; fi
}

# A tree whose references all resolve.
mk_tree() {
	rm -rf "$tmp/t"; mkdir -p "$tmp/t/docs" "$tmp/t/src"
	printf '# Doc\n\n## The state at entry\n\nSee [the top](#doc) and [other](other.md#part-two).\n' >"$tmp/t/docs/a.md"
	printf '# Other\n\n## Part two\n' >"$tmp/t/docs/other.md"
	printf '/* See docs/a.md "The state at entry" and docs/other.md. */\n' >"$tmp/t/src/x.c"
	printf '// Wrapped: docs/a.md\n// "The state at entry".\n' >"$tmp/t/src/y.S"
}
refs="$here/scripts/check-doc-refs"
mk_tree; expect_pass "doc-refs: good tree" "$refs" "$tmp/t"
mk_tree; printf '/* docs/a.md "No such section" */\n' >>"$tmp/t/src/x.c"
expect_fail "doc-refs: missing section" 'src/x.c:2: docs/a.md has no section "No such section"' "$refs" "$tmp/t"
mk_tree; printf '/* (checker-model.md "Findings") */\n' >>"$tmp/t/src/x.c"
expect_fail "doc-refs: file outside the repository" "'checker-model.md' is not a file of this repository" "$refs" "$tmp/t"
mk_tree; printf '/* ../shared/design/boot-cmo.md */\n' >>"$tmp/t/src/x.c"
expect_fail "doc-refs: design path" "'../shared/design/boot-cmo.md' is not a file" "$refs" "$tmp/t"
mk_tree; printf '/* docs/a.md, "The state at entry" */\n' >>"$tmp/t/src/x.c"
expect_fail "doc-refs: comma form" 'write docs/a.md "Section"' "$refs" "$tmp/t"
mk_tree; printf '/* docs/a.md section Overview */\n' >>"$tmp/t/src/x.c"
expect_fail "doc-refs: 'section' form" 'write docs/a.md "Section"' "$refs" "$tmp/t"
mk_tree; printf '/* docs/a.md#the-state-at-entry */\n' >>"$tmp/t/src/x.c"
expect_fail "doc-refs: anchor in a comment" 'anchors only in Markdown links' "$refs" "$tmp/t"
mk_tree; printf 'A [link](other.md#part-three).\n' >>"$tmp/t/docs/a.md"
expect_fail "doc-refs: bad anchor" "docs/other.md has no heading with anchor '#part-three'" "$refs" "$tmp/t"

# Audit freshness: a tree with a recorded hash, then one source changed.
rm -rf "$tmp/a"; mkdir -p "$tmp/a/docs" "$tmp/a/guest" "$tmp/a/checker/tests" "$tmp/a/tests"
echo 'int x;' >"$tmp/a/guest/x.c"; echo 'int y;' >"$tmp/a/checker/y.c"
echo '[t]' >"$tmp/a/tests/tests.cfg"; echo 'unit' >"$tmp/a/checker/tests/u.c"
h=$("$here/scripts/audit-sources-hash" "$tmp/a")
printf '# CMO necessity audit\n\nSources hash: `%s` (x)\n' "$h" >"$tmp/a/docs/audit.md"
fresh="$here/scripts/check-audit-fresh"
expect_pass "audit-fresh: matching hash" "$fresh" "$tmp/a"
echo 'changed' >>"$tmp/a/checker/tests/u.c"
expect_pass "audit-fresh: a checker unit test does not count" "$fresh" "$tmp/a"
echo 'int z;' >>"$tmp/a/guest/x.c"
expect_fail "audit-fresh: guest source changed" "docs/audit.md is stale: run make audit" "$fresh" "$tmp/a"
echo 'int x;' >"$tmp/a/guest/x.c"; echo '[u]' >>"$tmp/a/tests/tests.cfg"
expect_fail "audit-fresh: tests.cfg changed" "docs/audit.md is stale: run make audit" "$fresh" "$tmp/a"
printf '# CMO necessity audit\n' >"$tmp/a/docs/audit.md"
expect_fail "audit-fresh: no hash recorded" "docs/audit.md is stale: run make audit" "$fresh" "$tmp/a"
exit $fail
