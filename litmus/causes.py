#!/usr/bin/env python3
"""Compares the root causes of a litmus run with those its source states.

usage: causes.py SOURCE.S REPORT.json

The source states each expected root cause of its broken form as
    // expect cause: CAUSE KIND [CONTRACT...]: FIX
    //   FIX CONTINUED
CAUSE and KIND are the report's `cause` and `kind` words, FIX its `fix`
text (continuation lines, starting "//   ", are joined with one space),
CONTRACT... the `contracts` of a --boot-contract=all run, optional.
The root causes must match as a multiset: one cause split in two, or two
merged, is a mismatch. Exit status: 0 match, 1 mismatch, 2 bad input.
"""
import json
import re
import sys

HEAD = re.compile(r"^// expect cause: (\S+) (\S+)(?: \[([^\]]*)\])?: (.+)$")


def expected(path):
    out, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if cur is not None and line.startswith("//   "):
                cur[3] += " " + line[5:].strip()
                continue
            cur = None
            if line.startswith("// expect cause:"):
                m = HEAD.match(line)
                if not m:
                    sys.exit(f"{path}: bad '// expect cause:' line: {line}")
                cur = [m[1], m[2], m[3], m[4].strip()]
                out.append(cur)
            elif line.startswith("// expect causes:"):
                sys.exit(f"{path}: '// expect causes:' is gone: state each "
                         "root cause as '// expect cause: CAUSE KIND: FIX'")
    return out


def key(cause, kind, contracts, fix, with_contracts):
    c = " ".join(sorted(contracts.split())) if with_contracts else ""
    return (cause, kind, c, fix)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    want = expected(sys.argv[1])
    try:
        got = json.load(open(sys.argv[2]))["root_causes"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"litmus: no usable root causes in {sys.argv[2]}: {e!r}")
    tagged = any(w[2] is not None for w in want)
    w = sorted(key(a, b, c or "", d, tagged) for a, b, c, d in want)
    g = sorted(key(r["cause"], r["kind"], " ".join(r.get("contracts", [])),
                   r["fix"], tagged) for r in got)
    if w == g:
        return 0
    for k in w:
        if k not in g:
            print("    want cause:", " / ".join(x for x in k if x))
    for k in g:
        if k not in w:
            print("    got cause: ", " / ".join(x for x in k if x))
    if not w:
        print(f"    {sys.argv[1]}: no '// expect cause:' line")
    return 1


sys.exit(main())
