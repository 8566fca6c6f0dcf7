#!/usr/bin/env bash
# The stage-2 test's broken variant on the checker (guest/tests/stage2.c
# noclean): the hypervisor maps pages it wrote through its cacheable map
# without cleaning them to the PoC. QEMU has no caches and passes it; the
# checker must report it, as the host's missing clean (root cause
# host-not-cleaned), and exit 126. The suite (tests/tests.cfg) runs the
# correct variants clean and dc on the checker, which must stay silent.
#   $1  the checker (default build/checker/coherent)
#   $2  the guest images (default build/guest)
set -uo pipefail
cd "$(dirname "$0")/.."
CHK=${1:-build/checker/coherent}
GUEST_DIR=${2:-build/guest}
json=$(mktemp)
trap 'rm -f "$json"' EXIT
timeout 300 "$CHK" run --el2 --smp 2 --append noclean --json "$json" \
	"$GUEST_DIR/stage2.bin" >/dev/null 2>&1
rc=$?
fail=0
[ $rc -eq 126 ] || { echo "stage2-checker: noclean: exit $rc, want 126 (findings)"; fail=1; }
python3 - "$json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
causes = [r["cause"] for r in d.get("root_causes", [])]
if "host-not-cleaned" not in causes:
    sys.exit("stage2-checker: noclean: no host-not-cleaned root cause (got %s)" % causes)
PY
[ $fail -eq 0 ] && echo "PASS: stage2-checker: noclean reported as the host's missing clean"
exit $fail
