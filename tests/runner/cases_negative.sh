# Cases for tests/guest-negative.sh, run by tests/runner/run.sh like those
# in cases.sh: a fake QEMU that prints every line the script looks for, so
# what is under test is the script's own reporting of what ran.
# shellcheck shell=bash disable=SC2034  # OUT/RC are read by the helpers

# Run guest-negative.sh with firmware $1; output in OUT, status in RC.
negative() {
	cat >"$TMP/qemu" <<-'Q'
	#!/bin/sh
	printf '%s\n' "Unhandled exception: el1h_sync" "esr 96000005 (ec 0x25)" \
		"Backtrace:" "FAIL: selftest: no unexpected exception" \
		"FAIL: image-integrity: image checksum" "EFI entry: no device tree" \
		"EXIT: STATUS=1"
	Q
	chmod +x "$TMP/qemu"
	for f in selftest.bin selftest.efi image-integrity.bin image-integrity.efi; do
		head -c 4096 /dev/zero >"$TMP/guest/$f"
	done
	OUT=$(GUEST_NEGATIVE_LIBRARY=0 QEMU=$TMP/qemu EFI_FIRMWARE=$1 \
		"$ROOT/tests/guest-negative.sh" 2>&1)
	RC=$?
}

# No firmware: the EFI cases are a loud SKIP with the reason, and the
# PASS line does not claim them.
t_negative_efi_skip_is_loud() {
	negative "$TMP/no-such-firmware.fd"
	expect_rc 0
	expect_line "SKIP guest-negative EFI cases (tampered image through EFI, EFI without a DTB): no readable firmware $TMP/no-such-firmware.fd (package qemu-efi-aarch64, or set EFI_FIRMWARE)"
	expect_line "PASS guest-negative (unexpected exception reported, no hang; library cases LEFT OUT (GUEST_NEGATIVE_LIBRARY=0); tampered image detected; EFI cases SKIPPED)"
}

t_negative_efi_run() {
	: >"$TMP/firmware.fd"
	negative "$TMP/firmware.fd"
	expect_rc 0
	expect_out "PASS guest-negative (unexpected exception reported, no hang; library cases LEFT OUT (GUEST_NEGATIVE_LIBRARY=0); tampered image detected, also through EFI; EFI without a DTB fails cleanly)"
}
