#!/usr/bin/env bash
# The --sarif and --html reports (docs/usage.md "SARIF", "HTML"): the SARIF
# of litmus cases with and without findings validates against the shipped
# SARIF 2.1.0 schema and says what the JSON says, a broken log does not
# validate; the page renders in headless Chromium, whose script draws the
# stale window of the line from the write to the read; the JSON and text
# reports are the same with them; the files are refused as --json is.
# usage: report_tests.sh COHERENT LITMUS_DIR
#   LITMUS_DIR: build/litmus (its -broken.elf and -fixed.elf images)
set -euo pipefail
coherent=$1 lit=$2
here=$(cd "$(dirname "$0")" && pwd)
validate=$here/sarif/validate.py
spans=$here/html_spans.py
RUN_TIMEOUT=30
source "$(dirname "$0")/cli_lib.sh"
# check NAME PYTHON ARGS...: the Python assertion passes
check() {
	local name=$1 code=$2; shift 2
	if python3 -c "$code" "$@" 2>"$t/err"; then ok "$name"; else bad "$name" "assertion failed"; fi
}

# ---- 1. SARIF: valid, one result per root cause, as the JSON says ----
# (case, smp): a stale load, fetch and walk, a missing barrier, set/way
cases=("mmuoff-write-cached-read 1" "code-no-icivau 1" "tables-mmuoff 1"
	"missing-dsb-dc 1" "setway-smp 2")
for c in "${cases[@]}"; do
	read -r name smp <<<"$c"
	for form in broken fixed; do
		want=$([[ $form == broken ]] && echo 126 || echo 0)
		s=$t/$name-$form.sarif j=$t/$name-$form.json
		run "$name-$form" "$want" --smp "$smp" --json "$j" --sarif "$s" \
			"$lit/$name-$form.elf" || continue
		if "$validate" "$s" 2>"$t/err"; then ok "$name-$form-valid"
		else bad "$name-$form-valid" "not valid SARIF 2.1.0"; fi
		check "$name-$form-results" '
import json, sys
s = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
run = s["runs"][0]
res, rcs = run["results"], j["root_causes"]
assert len(res) == len(rcs), (len(res), len(rcs))
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
for r, c in zip(res, rcs):
    assert r["ruleId"] == c["kind"] and ids[r["ruleIndex"]] == c["kind"]
    assert r["properties"]["cause"] == c["cause"]
    assert r["properties"]["fix"] == c["fix"] and c["fix"] in r["message"]["text"]
    assert r["properties"]["findings"] == c["findings"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["address"]["absoluteAddress"] == int(c["first"]["pc"], 16)
    if c["first"]["file"]:
        a = loc["artifactLocation"]
        # relative to the source root: the litmus directory, not a basename
        assert a["uri"] == "litmus/" + c["first"]["file"], a
        assert a["uriBaseId"] == "SRCROOT"
        assert run["originalUriBaseIds"]["SRCROOT"]["uri"].startswith("file:///")
        assert loc["region"]["startLine"] == c["first"]["line"]
    rel = r["relatedLocations"]
    assert [x["id"] for x in rel] == list(range(1, len(rel) + 1))
    want = (c["write"] is not None) + (c["enable"] is not None) + 1
    assert len(rel) == want, (len(rel), want)
    msgs = [x["message"]["text"] for x in rel]
    if c["write"]:
        assert msgs[0].startswith("stale since: #%d " % c["write"]["seq"]), msgs
    if c["enable"]:
        assert any(m.startswith("after: #%d " % c["enable"]["seq"]) for m in msgs)
assert (len(res) > 0) == (sys.argv[3] == "broken")
' "$s" "$j" "$form"
	done
done

# Without symbols (a flat image, no ELF beside it): addresses only
objcopy_=${OBJCOPY:-aarch64-linux-gnu-objcopy}
"$objcopy_" -O binary "$lit/mmuoff-write-cached-read-broken.elf" "$t/nosym.bin"
if run nosym 126 --sarif "$t/nosym.sarif" "$t/nosym.bin"; then
	if "$validate" "$t/nosym.sarif" 2>"$t/err"; then ok nosym-valid; else bad nosym-valid "not valid SARIF"; fi
	check nosym-address '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
pc = int(json.load(open(sys.argv[2]))["root_causes"][0]["first"]["pc"], 16)
loc = run["results"][0]["locations"][0]
assert loc["physicalLocation"] == {"address": {"absoluteAddress": pc}}, loc
assert "logicalLocations" not in loc and "originalUriBaseIds" not in run
' "$t/nosym.sarif" "$t/mmuoff-write-cached-read-broken.json"
fi

# ---- 2. the validator rejects what the schema forbids ----
s=$t/mmuoff-write-cached-read-broken.sarif
for edit in 'del d["runs"][0]["results"][0]["message"]' 'del d["version"]' \
	'd["runs"][0]["results"][0]["level"] = "fatal"' \
	'd["runs"][0]["tool"]["driver"]["rules"][0].pop("id")'; do
	python3 -c "import json, sys
d = json.load(open(sys.argv[1]))
$edit
json.dump(d, open(sys.argv[2], 'w'))" "$s" "$t/bad.sarif"
	rc=0; "$validate" "$t/bad.sarif" 2>"$t/err" || rc=$?
	if [[ $rc -eq 1 ]]; then ok "invalid: $edit"; else bad "invalid: $edit" "validator exit $rc, want 1"; fi
done

# ---- 3. the other reports do not change with --sarif and --html ----
img=$lit/mmuoff-write-cached-read-broken.elf
run plain 126 --json "$t/p.json" "$img" && cp "$t/err" "$t/p.err"
run with-reports 126 --json "$t/q.json" --sarif "$t/q.sarif" --html "$t/q.html" "$img"
if cmp -s "$t/p.json" "$t/q.json"; then ok json-same; else bad json-same "JSON differs with --sarif/--html"; fi
if cmp -s "$t/p.err" "$t/err"; then ok text-same; else bad text-same "text report differs"; fi

# ---- 4. the files are refused as --json's is ----
for opt in --sarif --html; do
	cp "$img" "$t/self.elf"
	run "$opt-image" 64 "$opt" "$t/self.elf" "$t/self.elf" &&
		{ grep -qF -- "$opt $t/self.elf is the image" "$t/err" && ok "$opt-image-msg" || bad "$opt-image-msg" "no message"; }
	if cmp -s "$img" "$t/self.elf"; then ok "$opt-image-kept"; else bad "$opt-image-kept" "the image was overwritten"; fi
	run "$opt-nodir" 125 "$opt" "$t/no/such/x" "$img" &&
		{ grep -qF "$t/no/such/x" "$t/err" && ok "$opt-nodir-msg" || bad "$opt-nodir-msg" "no message"; }
	if grep -q "read back" "$t/out"; then bad "$opt-nodir-early" "the guest ran first"; else ok "$opt-nodir-early"; fi
	run "$opt-needs-file" 64 "$img" "$opt"
done
touch "$t/same"
run same-file 64 --json "$t/same" --sarif "$t/same" "$img" &&
	{ grep -qF "name the same file" "$t/err" && ok same-file-msg || bad same-file-msg "no message"; }
# not there before the run, named two ways
run same-new-file 64 --sarif "$t/new" --html "$t/./new" "$img" &&
	{ grep -qF "name the same file" "$t/err" && ok same-new-file-msg || bad same-new-file-msg "no message"; }

# ---- 5. HTML: rendered by a real browser, the stale window drawn ----
# As root Chromium runs only without its sandbox; its profile stays in $t.
chrome() {
	timeout -s KILL 60 chromium --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --no-first-run --user-data-dir="$t/chrome" \
		--dump-dom "file://$1" 2>>"$t/chrome.log"
}
if ! chrome "$t/q.html" >"$t/dom.html" || ! grep -q '</html>' "$t/dom.html"; then
	cp "$t/chrome.log" "$t/err"; bad html-renders "chromium did not render the page"
else
	ok html-renders
	"$spans" "$t/dom.html" >"$t/spans"
	wseq=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["root_causes"][0]["write"]["seq"])' "$t/q.json")
	cp "$t/spans" "$t/err"
	# the non-cacheable store made the cached copy U stale until the read
	if grep -qx "span rc-1 U $wseq read" "$t/spans"; then ok html-stale-window
	else bad html-stale-window "no U window from the store #$wseq to the read"; fi
	# and U was not stale before it: the window opens at the store
	if awk -v w="$wseq" '$1 == "row" && $3 != "read" && $3 + 0 < w + 0 && $5 ~ /U/ { f = 1 } END { exit f }' "$t/spans"
	then ok html-fresh-before; else bad html-fresh-before "U marked stale before the store"; fi
	if grep -q '^row rc-1 read read U' "$t/spans"; then ok html-read-row; else bad html-read-row "no read row with U stale"; fi
fi
# Code written twice, synchronised once (code-no-icivau): the windows
# follow the maintenance between the events. I: stale from the second
# version's first store to the fetch, and fresh just before it (the IC
# IVAU of the first version); P: stale after each store until the DC
# CVAU that follows.
run code-html 126 --html "$t/c.html" "$lit/code-no-icivau-broken.elf"
if chrome "$t/c.html" >"$t/cdom.html" && "$spans" "$t/cdom.html" >"$t/cspans"; then
	cp "$t/cspans" "$t/err"
	check html-code-windows '
import sys
rows, spans = [], []
for l in open(sys.argv[1]):
    f = l.split()
    if f[1] != "rc-1":
        continue
    (rows if f[0] == "row" else spans).append(f[2:])
seqs = [r[0] for r in rows]
kind = {r[0]: r[1] for r in rows}
stale = {r[0]: r[2] for r in rows}
i_win = [(a, b) for c, a, b in spans if c == "I"]
last = i_win[-1]
assert last[1] == "read" and kind[last[0]] == "store", i_win
before = seqs[seqs.index(last[0]) - 1]
assert kind[before] == "cmo" and "I" not in stale[before], (before, stale)
assert len(i_win) >= 2, i_win
for c, a, b in spans:
    if c == "P":
        nxt = seqs[seqs.index(b) + 1]
        assert kind[a] == kind[b] == "store" and kind[nxt] == "cmo", (a, b, nxt)
        assert "P" not in stale[nxt], stale
assert any(c == "P" for c, a, b in spans), spans
' "$t/cspans"
else cp "$t/chrome.log" "$t/err"; bad html-code-windows "chromium did not render the page"; fi
run fixed-html 0 --html "$t/f.html" "$lit/mmuoff-write-cached-read-fixed.elf"
if chrome "$t/f.html" >"$t/fdom.html" && grep -q '0 root causes' "$t/fdom.html" &&
	"$spans" "$t/fdom.html" >"$t/fspans" && ! [[ -s $t/fspans ]]; then ok html-fixed
else cp "$t/chrome.log" "$t/err"; bad html-fixed "the page of a clean run"; fi
# self-contained: nothing loaded from elsewhere
if grep -qiE '<(link|img|iframe)|src=|https?:' "$t/q.html"; then bad html-self-contained "refers outside the page"
else ok html-self-contained; fi

# ---- 6. names from the ELF are data, not markup ----
# The same image with its function renamed to markup, quotes and a
# control character: the SARIF stays valid and says the name, the page
# carries no element of it.
OBJCOPY=${OBJCOPY:-aarch64-linux-gnu-objcopy}
weird=$'<img src=x onerror="alert(1)">\x1b[31m&\''
"$OBJCOPY" -O binary "$img" "$t/w.bin"
"$OBJCOPY" --redefine-sym "litmus_main=$weird" "$img" "$t/w.elf"
if run weird 126 --elf "$t/w.elf" --sarif "$t/w.sarif" --html "$t/w.html" "$t/w.bin"; then
	if "$validate" "$t/w.sarif" 2>"$t/err"; then ok weird-sarif-valid; else bad weird-sarif-valid "not valid SARIF"; fi
	check weird-sarif-name '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]["results"][0]
assert r["locations"][0]["logicalLocations"][0]["name"].startswith("<img src=x onerror=\"alert(1)\">")
' "$t/w.sarif"
	if chrome "$t/w.html" >"$t/wdom.html" && ! grep -q '<img' "$t/wdom.html" &&
		grep -qF '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;\x1b' "$t/w.html"
	then ok weird-html-escaped; else cp "$t/w.html" "$t/err"; bad weird-html-escaped "the name became markup"; fi
fi

# ---- 7. --boot-contract=all: the merged runs as SARIF and HTML ----
# One result and one section per root cause, each naming the contracts
# it appears under, as the merged JSON does; the SARIF valid, the page's
# timeline drawn by Chromium.
if run all-reports 126 --boot-contract=all --json "$t/all.json" \
	--sarif "$t/all.sarif" --html "$t/all.html" "$img"; then
	if "$validate" "$t/all.sarif" 2>"$t/err"; then ok all-sarif-valid
	else bad all-sarif-valid "not valid SARIF 2.1.0"; fi
	check all-sarif-contracts '
import json, sys
s = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
res, rcs = s["runs"][0]["results"], j["root_causes"]
assert len(res) == len(rcs) > 0, (len(res), len(rcs))
for r, c in zip(res, rcs):
    assert r["properties"]["contracts"] == c["contracts"], (r["properties"], c)
    assert r["properties"]["fix"] == c["fix"]
    assert r["stacks"][0]["frames"], r["stacks"]
assert res[0]["properties"]["contracts"] == ["firmware", "booting", "kvm"]
' "$t/all.sarif" "$t/all.json"
	check all-html-contracts '
import json, re, sys
h = open(sys.argv[1]).read(); j = json.load(open(sys.argv[2]))
secs = re.findall(r"<section class=\"rootcause\" id=\"rc-(\d+)\"", h)
assert secs == [str(i + 1) for i in range(len(j["root_causes"]))], secs
under = re.findall(r"<p class=\"contracts\">Under: ([a-z ]+);", h)
assert under == [" ".join(c["contracts"]) for c in j["root_causes"]], under
' "$t/all.html" "$t/all.json"
	if chrome "$t/all.html" >"$t/adom.html" && "$spans" "$t/adom.html" >"$t/aspans" &&
		grep -q '^span rc-1 U ' "$t/aspans"; then ok all-html-window
	else cp "$t/chrome.log" "$t/err"; bad all-html-window "no stale window drawn"; fi
fi

finish
