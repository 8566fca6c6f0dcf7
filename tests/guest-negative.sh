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
# The runner's self-tests (tests/runner/cases_negative.sh) run this script
# against a fake QEMU to test its own reporting; they set
# GUEST_NEGATIVE_LIBRARY=0 to leave out the cases below, which need the
# real selftest image.
if [[ ${GUEST_NEGATIVE_LIBRARY:-1} == 1 ]]; then
# The report API and the library's error messages (selftest subtests, the
# framework's issue 16): each case's output must hold every line given.
run_selftest() {	# smp args...
	local smp=$1
	shift
	timeout 30 "$QEMU" -nodefaults -machine virt -cpu max -smp "$smp" -m 128 \
		-display none -serial stdio -kernel "$GUEST_DIR/selftest.bin" "$@" 2>&1
}
expect_lines() {	# case output wanted...
	# Newlines around it: $(...) dropped the last, the first line has none.
	local name=$1 out=$'\n'$2$'\n' want
	shift 2
	for want in "$@"; do
		if [[ $out != *"$want"* ]]; then
			echo "guest-negative ($name): missing '$want'"
			fail=1
		fi
	done
}
long=$(printf 'x%.0s' $(seq 698))y
expect_lines report-api "$(run_selftest 1 -append report-api)" \
	$'\nXFAIL: selftest: report-api: report_xfail(xfail, fail): XFAIL\n' \
	$'\nKFAIL: selftest: report-api: report_kfail(kfail, fail): KFAIL\n' \
	$'\nPASS: selftest: report-api: report_kfail(kfail, pass): PASS\n' \
	$'\nSKIP: selftest: report-api: report_skip\n' \
	$'\nINFO: selftest: report-api: an INFO line is not a test\n' \
	$'\nPASS: selftest: report-api: cpu0: inner: two prefixes pushed\n' \
	$'\nPASS: selftest: report-api: both popped\n' \
	$'\nPASS: selftest: report-api: long message '"$long"$'\n' \
	$'\nSUMMARY: 13 tests, 1 known failures, 1 expected failures, 1 skipped\n' \
	$'\nEXIT: STATUS=0\n'
expect_lines report-xpass "$(run_selftest 1 -append report-xpass)" \
	$'\nXPASS: selftest: an expected failure that passes\n' \
	$'\nSUMMARY: 1 tests, 1 unexpected failures\n' $'\nEXIT: STATUS=1\n'
expect_lines report-abort "$(run_selftest 1 -append report-abort)" \
	$'\nABORT: selftest: giving up at step 3\n' $'\nSUMMARY: 0 tests\n' \
	$'\nEXIT: STATUS=1\n'
expect_lines assert-msg "$(run_selftest 1 -append assert-msg)" \
	"selftest.c:" ": assert failed: argc == 99: argc is 2"$'\n' "Backtrace:" \
	$'\nEXIT: STATUS=1\n'
expect_lines prefix-delim "$(run_selftest 1 -append prefix-delim)" \
	'report_prefix_push: prefix "a: b" contains the delimiter ": "' $'\nEXIT: STATUS=1\n'
expect_lines on-cpu-bad "$(run_selftest 2 -append on-cpu-bad)" \
	$'\non_cpu: CPU 2 does not exist: this machine has 2 CPUs (0 .. 1)\n' \
	$'\nEXIT: STATUS=1\n'
expect_lines double-free "$(run_selftest 1 -append double-free)" \
	"): already freed"$'\n' $'\nEXIT: STATUS=1\n'
expect_lines too-many-args "$(run_selftest 1 -append "setup $(seq -s ' ' 31)")" \
	$'\nboot: more than 31 words on the command line\n' $'\nEXIT: STATUS=1\n'
# Failures before the console of the device tree print on the early UART:
# a device tree without /cpus (found with the MMU on, before the UART or
# RAM is mapped: the message and a power-off) and an image with a
# relocation the relocator refuses (found with the MMU off: the message;
# no PSCI conduit is known yet, so the guest then waits and the timeout
# ends it).
scratch=$(mktemp -d)
"$QEMU" -nodefaults -machine virt,dumpdtb="$scratch/virt.dtb" -cpu max -smp 1 -m 128 \
	-display none >/dev/null 2>&1
if fdtput -r "$scratch/virt.dtb" /cpus 2>/dev/null; then
	out=$(run_selftest 1 -dtb "$scratch/virt.dtb" -append setup)
	rc=$?
	expect_lines early-dtb "$out" "boot: cannot use the device tree at 0x" \
		$': no /cpus node\n' $'\nEXIT: STATUS=1\n'
	[ $rc -eq 0 ] || { echo "guest-negative (early-dtb): QEMU exit $rc (no power-off?)"; fail=1; }
else
	echo "guest-negative (early-dtb): cannot make a device tree without /cpus (dtc's fdtput)"
	fail=1
fi
cp "$GUEST_DIR/selftest.bin" "$scratch/badrel.bin"
rela=$(${CROSS:-aarch64-linux-gnu-}nm "$GUEST_DIR/selftest.elf" | while read -r a _ n; do
	[[ $n == __rela_start ]] && echo $((16#$a)); done)
# The first entry's r_info: type 257 (R_AARCH64_ABS64), which the image must not have.
printf '\x01\x01\x00\x00' | dd of="$scratch/badrel.bin" bs=1 seek=$((rela + 8)) conv=notrunc status=none
out=$(timeout 5 "$QEMU" -nodefaults -machine virt -cpu max -smp 1 -m 128 -display none \
	-serial stdio -kernel "$scratch/badrel.bin" 2>&1)
expect_lines early-reloc "$out" $'boot: unsupported relocation in the image\nEXIT: STATUS=1\n'
rm -rf "$scratch"
fi

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
lib="report API lines, library error messages, early boot failures printed; "
[[ ${GUEST_NEGATIVE_LIBRARY:-1} == 1 ]] || lib="library cases LEFT OUT (GUEST_NEGATIVE_LIBRARY=0); "
[ $fail -eq 0 ] && echo "PASS guest-negative (unexpected exception reported, no hang; $lib$ran)"
exit $fail
