#!/bin/bash
# tests/firmware/uboot.sh: Debian's U-Boot for QEMU (u-boot-qemu,
# qemu_arm64/u-boot.bin) on the checker with --bios (make check-uboot).
#
#   no-model  without the cache model: the "=>" prompt, "version" typed on
#             stdin answers with U-Boot's version, "qfw cpus" finds fw_cfg
#             and reads the CPU count from it, "qfw list" lists its file
#             directory (QEMU 7.2 virt's files, sorted as QEMU sorts
#             them, and one given with --fw-cfg), "poweroff" turns the
#             system off through PSCI SYSTEM_OFF (exit 0)
#   model     the same with the cache model (a start from reset: the
#             clean boot contract), and no findings
#   firmware  the same under --boot-contract=firmware (the I-cache may
#             hold lines at entry): U-Boot's __asm_invalidate_icache_all
#             (arch/arm/cpu/armv8/cache.S: `ic ialluis; isb`, no DSB) is
#             ONE missing-barrier root cause, first read at that ISB
#             (found in u-boot.bin by its three words), with the DSB as
#             its fix. From reset it is silent: no line the relocated
#             code occupies was in the I-cache, so the fetches return the
#             same bytes whether or not the invalidation completed.
#
# U-Boot comes from the Debian archive at test time (scripts/debian-fetch)
# and is never committed. When the archive cannot be reached the test prints
# a SKIP line naming the reason and exits 0: a loud skip, not a pass.
set -euo pipefail
source "$(dirname "$0")/../debian-prologue.sh"
debian_test_start build/firmware

# U-Boot reaches the prompt and runs the script in about 7.4e7
# instructions; the budget leaves room for another U-Boot release, and
# a hang (U-Boot waiting for input that never comes) ends at it.
BUDGET=${UBOOT_BUDGET:-1000000000}

debian_test_fetch uboot u-boot-qemu "Debian's u-boot-qemu"
bios=$dir/usr/lib/u-boot/qemu_arm64/u-boot.bin
[[ -f $bios ]] || { echo "FAIL: uboot: no $bios in the package"; exit 1; }
echo "uboot: $(basename "$dir")"

# The first key stops the autoboot countdown (and is eaten by it); the
# input comes from a file, so it is all there at U-Boot's first look.
printf '\nversion\nqfw cpus\nqfw list\npoweroff\n' >"$out/input"

fail=0
run() {
	local name=$1 ok=$2 log=$out/$1.log err=$out/$1.err rc=0 t0 t1 p
	shift 2
	t0=$(date +%s.%N)
	"$coherent" run --stats --max-insns "$BUDGET" "$@" --bios "$bios" \
		--fw-cfg opt/coherent/test,string=1 \
		<"$out/input" >"$log" 2>"$err" || rc=$?
	t1=$(date +%s.%N)
	echo "uboot $name: exit $rc, $(sed -n 's/.*stats: \(insns=[0-9]*\).*/\1/p' "$err")," \
		"wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s, $(sed -n 's/^SUMMARY: coherent: .* \([0-9][0-9]*\) findings\{0,1\}.*/\1/p' "$err" | grep . || echo 0) findings"
	if [[ " $ok " != *" $rc "* ]]; then
		echo "FAIL: uboot $name: coherent exited $rc (expected one of: $ok)"
		grep -v '^ ' "$err" | head -3 | sed 's/^/  | /'
		fail=1
		return
	fi
	# qfw list prints the names in the directory's order (CRLF lines,
	# padded with blanks).
	if ! tr -d '\r' <"$log" | sed -n '/^=> qfw list/,/^=> poweroff/p' |
		sed '1d;$d;s/ *$//' | tr '\n' ' ' |
		grep -qx 'bios-geometry bootorder etc/boot-fail-wait etc/smbios/smbios-anchor etc/smbios/smbios-tables opt/coherent/test '; then
		echo "FAIL: uboot $name: qfw list does not list the fw_cfg files in order (log: $log)"
		sed -n '/^=> qfw list/,/^=> poweroff/p' "$log" | sed 's/^/  | /'
		fail=1
		return
	fi
	for p in '^=> version' '^U-Boot 20[0-9][0-9]\.' '^1 cpu\(s\) online' \
		'^=> poweroff' '^poweroff \.\.\.'; do
		if ! grep -qE -- "$p" "$log"; then
			echo "FAIL: uboot $name: no line matching '$p' (log: $log)"
			tail -5 "$log" | sed 's/^/  | /'
			fail=1
			return
		fi
	done
	echo "PASS: uboot $name"
}

run no-model 0 --no-model
run model 0
run firmware 126 --boot-contract=firmware --json "$out/firmware.json"
if [[ -f $out/firmware.json ]] &&
   ! python3 - "$bios" "$out/firmware.json" <<'PY'
import json, struct, sys
code = open(sys.argv[1], "rb").read()
# ic ialluis; isb; ret
helper = code.find(struct.pack("<3I", 0xd508711f, 0xd5033fdf, 0xd65f03c0))
rcs = json.load(open(sys.argv[2]))["root_causes"]
bar = [r for r in rcs if r["cause"] == "missing-barrier"]
ic = [r for r in bar if r["text"].startswith("no DSB and ISB between IC")]
ok = True
def need(cond, what):
    global ok
    if not cond:
        print(f"FAIL: uboot firmware: {what}")
        ok = False
need(helper >= 0, "no `ic ialluis; isb; ret` in u-boot.bin")
need(len(ic) == 1, f"{len(ic)} IC missing-barrier root causes, want 1")
if ic and helper >= 0:
    r = ic[0]
    pc = int(r["first"]["pc"], 16)
    # U-Boot runs relocated by a page multiple: the ISB's page offset.
    need((pc - (helper + 4)) % 4096 == 0,
         f"first read at {pc:#x}, not the helper's ISB (+{helper + 4:#x})")
    need(r["fix"].startswith("DSB ISH"), f"fix {r['fix']!r}")
    need(r["findings"] > 1000, f"{r['findings']} findings, want them all")
    print(f"uboot firmware: the missing barrier is one root cause: "
          f"{r['findings']} findings, first at {pc:#x}; fix: {r['fix']}")
sys.exit(0 if ok else 1)
PY
then
	fail=1
fi
exit $fail
