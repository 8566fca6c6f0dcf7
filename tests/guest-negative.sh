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
# A loaded image that differs from the build (one word of the file changed:
# the last, a GOT entry that relocation rewrites, so the guest still runs)
# must fail image-integrity.
tampered=$(mktemp --suffix=.bin)
cp build/guest/image-integrity.bin "$tampered"
size=$(stat -c %s "$tampered")
printf '\xff' | dd of="$tampered" bs=1 seek=$(( (size & ~7) - 8 )) conv=notrunc status=none
out=$(timeout 30 "$QEMU" -nodefaults -machine virt -cpu max -smp 1 -m 128 -display none \
	-serial stdio -kernel "$tampered" 2>&1)
rm -f "$tampered"
if [[ $out != *"FAIL: image-integrity: image checksum"* || $out != *"EXIT: STATUS=1"* ]]; then
	echo "guest-negative: a tampered image passed image-integrity"
	fail=1
fi
[ $fail -eq 0 ] && echo "PASS guest-negative (unexpected exception reported, no hang; tampered image detected)"
exit $fail
