#!/bin/bash
# tests/linux/run.sh: Debian's arm64 kernel on the checker, with the model
# (make check-linux).
#
#   vfs        the default command line plus earlycon boots to
#              "VFS: Unable to mount root fs" with timestamps that advance
#   initramfs  with an initramfs built here (tests/linux/init.c) the kernel
#              runs /init at EL0, which prints a line and powers off
#
# Both runs must end with exactly the model's verdict on this kernel's
# boot (docs/model.md "Debian's kernel"): two findings. A
# table-link-before-init: a level-1 table linked (str x0, [x19, x21])
# before the zeroing of the table it points to is ordered before the link.
# And the stale-fetch of the patchable entry of __set_fixmap that ftrace's initialisation
# patches (NOP -> MOV x9, x30) and runs before that patch's own DC CVAU,
# IC IVAU and ISB; and, as a note, not a finding, the alternatives'
# B -> NOP patched and run before their IC IALLUIS (concurrent
# modification between two instructions of the Arm ARM's list).
#
# The kernel comes from the Debian archive at test time (scripts/debian-fetch)
# and is never committed. When the archive cannot be reached the test prints
# a SKIP line naming the reason and exits 0: a loud skip, not a pass.
set -euo pipefail
source "$(dirname "$0")/../debian-prologue.sh"
debian_test_start build/linux

# Instruction budgets (over all PEs). The boot to the VFS panic retires
# about 0.9e9 instructions on one PE; the budget leaves room for a kernel
# update without letting a livelock run for long.
VFS_BUDGET=${VFS_BUDGET:-3000000000}
INIT_BUDGET=${INIT_BUDGET:-3000000000}
APPEND_BASE="earlycon=pl011,0x9000000 console=ttyAMA0 panic=-1"

debian_test_fetch linux 'linux-image-[0-9.]+-[0-9]+-arm64-unsigned' "Debian's arm64 kernel"
kernel=$(ls "$dir"/boot/vmlinuz-*)
echo "linux: $(basename "$dir")"

fail=0
# check NAME LOG PATTERN...: every pattern (a grep -E expression) is in LOG.
check() {
	local name=$1 log=$2
	shift 2
	local p
	for p in "$@"; do
		if ! grep -qE -- "$p" "$log"; then
			echo "FAIL: linux $name: no line matching '$p' (log: $log)"
			tail -5 "$log" | sed 's/^/  | /'
			fail=1
			return
		fi
	done
	echo "PASS: linux $name"
}

# Timestamps advance: some printk time stamp is past 0.000000.
ADVANCES='^\[ *[0-9]+\.[0-9]*[1-9][0-9]*\]'

run() {
	local name=$1
	shift
	local log=$out/$name.log rc=0
	"$coherent" run --stats --verbose --json "$out/$name.json" -m 512 "$@" \
		"$kernel" >"$log" 2>"$out/$name.err" || rc=$?
	echo "linux $name: exit $rc"
	# What it cost and what the model found, for the reader of the log.
	grep -E '^coherent: stats: insns=|^SUMMARY: ' "$out/$name.err" | sed 's/^/  /' || true
	# A panic with panic=-1 resets the machine (exit 0); findings exit 126.
	# Which findings are expected is checked on the JSON (verdict).
	if [[ $rc -ne 0 && $rc -ne 126 ]]; then
		echo "FAIL: linux $name: coherent exited $rc"
		head -3 "$out/$name.err" | sed 's/^/  | /'
		fail=1
		return 1
	fi
	verdict "$name" "$out/$name.json" || { fail=1; return 1; }
}

# verdict NAME JSON: the model's findings and notes are the expected ones
# (the header above): exactly two findings, the table-link-before-init of
# "str x0, [x19, x21]" and a stale-fetch of "mov x9, x30" from the I-cache
# stale since a store (ftrace's patch of __set_fixmap);
# at least one note, a stale-fetch of a NOP that was a B. The kernel has
# no symbols here (Debian ships them in the -dbg package), so the sites
# are told by their instructions.
verdict() {
	python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
try:
    j = json.load(open(path))
except (OSError, ValueError) as e:
    sys.exit(f"FAIL: linux {name}: no usable report {path}: {e!r}")
bad = []
got = [(f["kind"], f["insn"], f["stale_copy"]) for f in j["findings"]]
want = [("table-link-before-init", "str x0, [x19, x21]", None),
        ("stale-fetch", "mov x9, x30", "I")]
if sorted(got, key=str) != sorted(want, key=str):
    bad.append(f"findings {got}, want {want}")
elif not all(any(e["kind"] == "store" for e in f["history"])
             for f in j["findings"] if f["kind"] == "stale-fetch"):
    bad.append("the stale-fetch's history has no store")
notes = [(n["insn"], n["before"]) for n in j["notes"]]
if not any(i == "nop" and b.startswith("b #") for i, b in notes):
    bad.append(f"notes {notes}, want a nop that was a b")
for b in bad:
    print(f"FAIL: linux {name}: {b} ({path})")
if bad:
    sys.exit(1)
print(f"PASS: linux {name}: the expected findings and note")
PY
}

if run vfs --max-insns "$VFS_BUDGET" --append "$APPEND_BASE"; then
	check vfs "$out/vfs.log" 'VFS: Unable to mount root fs' "$ADVANCES"
fi

aarch64-linux-gnu-gcc -Wall -Wextra -Werror -O2 -static -nostdlib \
	-ffreestanding -fno-pie -no-pie -mgeneral-regs-only \
	-fno-stack-protector -o "$out/init" tests/linux/init.c
python3 tests/linux/mkinitramfs.py "$out/initramfs.cpio" "$out/init"
if run initramfs --max-insns "$INIT_BUDGET" --initrd "$out/initramfs.cpio" \
	--append "$APPEND_BASE"; then
	check initramfs "$out/initramfs.log" \
		'^coherent-init: hello from EL0, powering off' 'reboot: Power down'
fi

exit $fail
