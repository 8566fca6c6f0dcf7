#!/bin/bash
# tests/linux/run.sh: Debian's arm64 kernel on the checker, with the model
# (make check-linux).
#
#   vfs        the default command line plus earlycon boots to
#              "VFS: Unable to mount root fs" with timestamps that advance
#   initramfs  with an initramfs built here (tests/linux/init.c) the kernel
#              runs /init at EL0, which prints a line and powers off
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
	"$coherent" run --stats -m 512 "$@" "$kernel" >"$log" 2>"$out/$name.err" || rc=$?
	echo "linux $name: exit $rc"
	# What it cost and what the model found, for the reader of the log.
	grep -E '^coherent: stats: insns=|^SUMMARY: ' "$out/$name.err" | sed 's/^/  /' || true
	# A panic with panic=-1 resets the machine (exit 0); findings exit 126
	# and are kept in the .err file: they are the kernel's to explain
	# (docs/model.md), not a failure of this workload.
	if [[ $rc -ne 0 && $rc -ne 126 ]]; then
		echo "FAIL: linux $name: coherent exited $rc"
		head -3 "$out/$name.err" | sed 's/^/  | /'
		fail=1
		return 1
	fi
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
