# tests/tests.mk: the test runner's targets (included by the top Makefile).
#   make check-runner   self-tests of ./run_tests.sh (fake QEMU, no images)
#   make bench-runner   runner overhead over a bare QEMU run, suite time at -j2
#   make standalone     one self-contained script per test, build/standalone/<test>
.PHONY: check-runner bench-runner standalone

check: check-runner
bench: bench-runner

check-runner:
	@tests/runner/run.sh

# kvm-unit-tests' make standalone: each script carries the runner, the
# config and its test's image (scripts/mkstandalone).
standalone: guest-built
	@GUEST_DIR=$(BUILD)/guest scripts/mkstandalone $(BUILD)/standalone

# The benchmark runs real images; build them first when the guest rules exist.
bench-runner: $(if $(wildcard guest/guest.mk),guest)
	@scripts/bench-runner.sh

# The guest suite on the checker: part of the main job and of make check.
.PHONY: run-checker check-guest-checker
run: run-checker
run-checker: guest-built checker
	./run_tests.sh -j2 --checker
check: check-guest-checker
check-guest-checker: guest-built checker
	./run_tests.sh -j2 --checker
	./run_tests.sh -j2 --checker --smp 1
	./run_tests.sh -j2 --checker --smp 4
	tests/stage2-checker.sh $(BUILD)/checker/coherent $(BUILD)/guest

# The suite through Debian's edk2 on the checker, with the model: the EFI
# takeover checked against the firmware's real MMU-on state (about 9
# minutes at -j2 on 2 CPUs; docs/machine.md "UEFI firmware: edk2").
.PHONY: check-guest-efi-checker
check: check-guest-efi-checker
check-guest-efi-checker: guest-built checker
	./run_tests.sh -j2 --efi --checker

# Deliberate breakages, each of which some make-check target must catch
# (scripts/check-mutants). Not part of make check: it reruns targets.
.PHONY: check-mutants
check-mutants:
	scripts/check-mutants

# Debian's arm64 kernel on the checker with the model (tests/linux/run.sh):
# to the VFS panic, and through an initramfs /init to a power-off, each
# with the expected finding and note (docs/model.md "Debian's kernel").
# Part of make check; a loud SKIP when the Debian archive cannot be reached.
.PHONY: check-linux
check: check-linux
check-linux: checker
	tests/linux/run.sh

# Debian's U-Boot with --bios, driven from stdin, with and without the
# model (tests/firmware/uboot.sh), and Debian's edk2 (QEMU_EFI.fd) with
# --bios booting the framework's EFI images with and without the model
# (tests/firmware/edk2.sh; EDK2_MODEL=0 leaves the model out). Part of make
# check; a loud SKIP when the Debian archive cannot be reached.
.PHONY: check-uboot check-edk2
check: check-uboot check-edk2
check-uboot: checker
	tests/firmware/uboot.sh
check-edk2: checker guest
	tests/firmware/edk2.sh
