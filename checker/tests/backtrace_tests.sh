#!/usr/bin/env bash
# Backtraces (docs/usage.md "Root causes"): a guest case that writes and
# reads its stale line three calls deep (guest/stale-frames.S) shows both
# the first read's and the write's three frames, symbolised with file and
# line, in the text report, the JSON, the SARIF stacks and the HTML page.
# usage: backtrace_tests.sh COHERENT GUEST_DIR
set -euo pipefail
coherent=$1 dir=$2
RUN_TIMEOUT=30
source "$(dirname "$0")/cli_lib.sh"
elf=$dir/stale-frames.elf
check() {
	local name=$1 code=$2; shift 2
	if python3 -c "$code" "$@" 2>"$t/err"; then ok "$name"; else bad "$name" "assertion failed"; fi
}

if run text 126 --max-insns 100000 --json "$t/j" --sarif "$t/s" \
	--html "$t/h" "$elf"; then
	cp "$t/err" "$t/text"
	check text '
import re, sys
err = open(sys.argv[1]).read()
def frames(after):
    # the frame lines that follow the line starting with after
    lines = err.split("\n")
    i = next(k for k, l in enumerate(lines) if l.startswith(after))
    out = []
    for l in lines[i + 1:]:
        if not l.startswith("    #"):
            break
        out.append(l.split())
    return out
def want(fr, names):
    assert [f[0] for f in fr] == ["#%d" % k for k in range(len(names))], fr
    for f, n in zip(fr, names):
        assert re.fullmatch(r"0x[0-9a-f]+", f[1]), f
        assert f[2].startswith(n + "+0x"), (f, n)
        assert re.fullmatch(r"stale-frames\.S:[0-9]+", f[3]), f
want(frames("  first: "), ["read_inner", "read_outer", "_start"])
want(frames("  stale since: "), ["setup_inner", "setup_outer", "_start"])
# mmu_on is a leaf without a frame record, called with x29 = 0
want(frames("  after: "), ["mmu_on"])
' "$t/text"
	check json '
import json, sys
j = json.load(open(sys.argv[1]))
rc, = j["root_causes"]
names = lambda bt: [f["symbol"] for f in bt]
assert names(rc["first"]["backtrace"]) == ["read_inner", "read_outer", "_start"], rc["first"]
assert names(rc["write"]["backtrace"]) == ["setup_inner", "setup_outer", "_start"], rc["write"]
assert all(f["file"] == "stale-frames.S" and f["line"] > 0 for f in rc["write"]["backtrace"])
f, = j["findings"]
assert names(f["backtrace"]) == ["read_inner", "read_outer", "_start"]
' "$t/j"
	check sarif '
import json, sys
s = json.load(open(sys.argv[1]))
r, = s["runs"][0]["results"]
st = {k["message"]["text"]: k for k in r["stacks"]}
def names(k):
    return [f["location"]["logicalLocations"][0]["name"] for f in k["frames"]]
assert names(st["first read"]) == ["read_inner", "read_outer", "_start"], st.keys()
assert names(st["stale since"]) == ["setup_inner", "setup_outer", "_start"]
assert all(f["location"]["physicalLocation"]["region"]["startLine"] > 0
           for f in st["stale since"]["frames"])
' "$t/s"
	check html '
import re, sys
h = open(sys.argv[1]).read()
bts = re.findall(r"<ol class=\"bt\"[^>]*>(.*?)</ol>", h, re.S)
def names(b):
    return re.findall(r"<li>#\d+ <code>0x[0-9a-f]+</code> ([A-Za-z_]+)\+0x", b)
got = [names(b) for b in bts]
assert ["read_inner", "read_outer", "_start"] in got, got
assert ["setup_inner", "setup_outer", "_start"] in got, got
' "$t/h"
fi
finish
