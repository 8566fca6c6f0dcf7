#!/usr/bin/env bash
# Guest behaviour that must end in failure, checked from outside: an
# unexpected exception dumps the registers and a backtrace, fails the test
# (EXIT: STATUS=1) and powers off instead of hanging.
set -u
cd "$(dirname "$0")/.."
QEMU=${QEMU:-qemu-system-aarch64}
fail=0
for machine in virt virt,virtualization=on; do
	out=$(timeout 30 "$QEMU" -nodefaults -machine "$machine" -cpu max -smp 1 -m 128 \
		-display none -serial stdio -kernel build/guest/selftest.bin -append unhandled 2>&1)
	rc=$?
	for want in "Unhandled exception: el1h_sync" "esr 96000005 (ec 0x25)" "Backtrace:" \
		    "FAIL: selftest: no unexpected exception" "EXIT: STATUS=1"; do
		if [[ $out != *"$want"* ]]; then
			echo "guest-negative ($machine): missing '$want'"
			fail=1
		fi
	done
	[ $rc -eq 0 ] || { echo "guest-negative ($machine): QEMU exit $rc (timeout?)"; fail=1; }
done
[ $fail -eq 0 ] && echo "PASS guest-negative (unexpected exception reported, no hang)"
exit $fail
