#!/usr/bin/env bash
# Guest behaviour that must end in failure, checked from outside: an
# unexpected exception dumps the registers and a backtrace, fails the test
# (EXIT: STATUS=1) and powers off instead of hanging.
# A case that cannot run is reported as a SKIP with its reason, and the
# PASS line names only what ran.
#   QEMU, EFI_FIRMWARE   override the emulator and edk2's firmware
#   GUEST_DIR            the images (default build/guest)
set -uo pipefail
cd "$(dirname "$0")/.."
QEMU=${QEMU:-qemu-system-aarch64}
GUEST_DIR=${GUEST_DIR:-build/guest}
fail=0
for machine in virt virt,virtualization=on; do
	out=$(timeout 30 "$QEMU" -nodefaults -machine "$machine" -cpu max -smp 1 -m 128 \
		-display none -serial stdio -kernel "$GUEST_DIR/selftest.bin" -append unhandled 2>&1)
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
# the last, padding to the PE FileAlignment that nothing reads, so the guest
# still runs) must fail image-integrity.
tampered=$(mktemp --suffix=.bin)
cp "$GUEST_DIR/image-integrity.bin" "$tampered"
size=$(stat -c %s "$tampered")
printf '\xff' | dd of="$tampered" bs=1 seek=$(( (size & ~7) - 8 )) conv=notrunc status=none
out=$(timeout 30 "$QEMU" -nodefaults -machine virt -cpu max -smp 1 -m 128 -display none \
	-serial stdio -kernel "$tampered" 2>&1)
rm -f "$tampered"
if [[ $out != *"FAIL: image-integrity: image checksum"* || $out != *"EXIT: STATUS=1"* ]]; then
	echo "guest-negative: a tampered image passed image-integrity"
	fail=1
fi
# Through EFI (edk2, the image as a PE/COFF -kernel): the checksum still
# means something (edk2 only rewrites the PE ImageBase field, which the
# guest discounts), so a tampered file must fail there too; and without a
# device tree (ACPI on) the EFI entry must say why and power off, not hang.
EFI_FW=${EFI_FIRMWARE:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
if [[ -r $EFI_FW ]]; then
	tampered=$(mktemp --suffix=.efi)
	cp "$GUEST_DIR/image-integrity.efi" "$tampered"
	printf '\xff' | dd of="$tampered" bs=1 seek=$(( (size & ~7) - 8 )) conv=notrunc status=none
	out=$(timeout 30 "$QEMU" -nodefaults -machine virt,acpi=off -cpu max -smp 1 -m 128 \
		-display none -serial stdio -bios "$EFI_FW" -kernel "$tampered" 2>&1)
	rm -f "$tampered"
	if [[ $out != *"FAIL: image-integrity: image checksum"* || $out != *"EXIT: STATUS=1"* ]]; then
		echo "guest-negative: a tampered image passed image-integrity through EFI"
		fail=1
	fi
	out=$(timeout 30 "$QEMU" -nodefaults -machine virt -cpu max -smp 1 -m 128 -display none \
		-serial stdio -bios "$EFI_FW" -kernel "$GUEST_DIR/selftest.efi" 2>&1)
	rc=$?
	if [[ $out != *"EFI entry: no device tree"* || $out != *"EXIT: STATUS=1"* || $rc -ne 0 ]]; then
		echo "guest-negative: EFI without a device tree did not fail cleanly (QEMU exit $rc)"
		fail=1
	fi
	ran="tampered image detected, also through EFI; EFI without a DTB fails cleanly"
else
	echo "SKIP guest-negative EFI cases (tampered image through EFI, EFI without a DTB): no readable firmware $EFI_FW (package qemu-efi-aarch64, or set EFI_FIRMWARE)"
	ran="tampered image detected; EFI cases SKIPPED"
fi
[ $fail -eq 0 ] && echo "PASS guest-negative (unexpected exception reported, no hang; $ran)"
exit $fail
