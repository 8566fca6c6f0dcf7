# The checker: build/checker/coherent and its tests.
#   make checker         build the host program
#   make check-checker   unit tests (cmocka, plain and ASan/UBSan), guest
#                        programs run on coherent, its command line
#                        (check-checker-cli), bounded libFuzzer runs
#   make bench-table     issue 12's table, first in make bench (docs/bench.md)
#   make bench-profile   perf's top symbols of its workloads, model on
#   make bench-checker   guest MIPS on coherent and on QEMU (TCG); the
#                        Linux boot to the VFS panic, model off and on
#   make bench-firmware  U-Boot's prompt and an EFI test through edk2,
#                        model off and on, beside QEMU
#   make check-bench-script  the bench refuses runs that did not end
# The interpreter's fragments define CHECKER_CPU_SRCS, check-cpu and
# check-ldst.
include checker/rules.mk
include checker/interp/interp.mk
include checker/interp/ldst.mk

# libfdt-dev:amd64 cannot be installed beside libfdt-dev:arm64 (the guest
# links the latter; same header), so link the runtime library by name.
CHK_LIBS := -l:libfdt.so.1 -lelf $(CPU_LDLIBS)

# Every source is compiled once per variant (plain, ASan/UBSan) into an
# archive the tests link (chk_lib); each test binary then costs one
# compile and a link, not a rebuild of the whole checker.
CHK_LIB := $(CHK_DIR)/libchecker.a
# Everything but main.c: the machine, linked into the tests too.
CHK_LIB_SRCS := checker/arch/walk.c checker/board/machine.c checker/mem/memsys.c checker/pe/mmu.c checker/pe/debug.c \
	checker/pe/access.c checker/board/pl011.c checker/board/pl031.c checker/board/psci.c checker/board/dtb.c \
	checker/board/loader.c checker/board/pflash.c checker/board/fwcfg.c checker/board/fwcfg_user.c checker/board/smbios.c checker/board/fileck.c checker/board/stuck.c \
	checker/board/pe_platform.c checker/pe/sysreg.c checker/pe/system.c \
	checker/pe/exception.c checker/pe/timer.c checker/board/gic.c checker/board/gicv3.c checker/board/gicv2.c
CHK_HDRS := checker/board/machine.h checker/board/pflash.h checker/board/fwcfg.h checker/board/smbios.h checker/board/fileck.h \
	checker/mem/memsys.h checker/pe/mmu.h \
	checker/pe/cpu.h checker/pe/debug.h checker/pe/platform.h checker/pe/timer.h checker/board/gic.h checker/pe/sysreg.h checker/pe/exception.h \
	checker/interp/exec.h $(wildcard checker/interp/exec_util.h)
# Findings, reports, symbols, audit: their sources and tests.
-include checker/report/findings.mk
# The cache model: its sources, unit tests and bench-model.
-include checker/model/cache.mk
CHK_ALL_SRCS := $(CHK_LIB_SRCS) $(CHECKER_CPU_SRCS)
# The front ends beside main.c: QEMU's command line (frontend/qemu.c).
CHK_FRONT_SRCS := checker/frontend/qemu.c
CHK_FRONT_HDRS := checker/frontend/qemu.h

$(eval $(call chk_lib,$(CHK_LIB),$(CHK_ALL_SRCS)))

.PHONY: checker check-checker bench-checker check-layers
all: checker
checker: $(CHK_DIR)/coherent $(CHK_DIR)/qemu-system-aarch64
check: check-checker check-layers

# Dependencies between the folders point down (checker/layers.conf): the
# #include graph, and the calls the plain objects make.
check-layers: $(CHK_LIB) $(call chk_objs,$(CHK_FRONT_SRCS),obj)
	scripts/check-layers.py --objs $(CHK_DIR)/obj
# Not in make bench: its crc and Linux rows are in bench-table's.

# Link-time optimisation lets the interpreter loop inline the fetch and
# load/store fast paths (access.c): about +35% guest MIPS.
$(CHK_DIR)/coherent: checker/main.c $(CHK_FRONT_SRCS) $(CHK_ALL_SRCS) $(CHK_HDRS) $(CHK_FRONT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) -flto=auto -o $@ checker/main.c $(CHK_FRONT_SRCS) $(CHK_ALL_SRCS) $(CHK_LIBS)

$(CHK_DIR)/coherent-san: checker/main.c $(CHK_FRONT_SRCS) $(CHK_LIB:.a=-san.a) $(CHK_HDRS) $(CHK_FRONT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) $(CHK_SAN) -o $@ checker/main.c $(CHK_FRONT_SRCS) $(CHK_LIB:.a=-san.a) $(CHK_LIBS)

# The same program under QEMU's name: main() dispatches on argv[0], so a
# harness given QEMU=build/checker/qemu-system-aarch64 runs on the checker.
$(CHK_DIR)/qemu-system-aarch64: $(CHK_DIR)/coherent
	ln -sf coherent $@
$(CHK_DIR)/san/qemu-system-aarch64: $(CHK_DIR)/coherent-san
	@mkdir -p $(@D)
	ln -sf ../coherent-san $@

# ---- unit tests (cmocka) ----
CHK_UNIT := test_mmu test_stage2 test_exception test_sysreg test_debug test_psci test_loader test_dtb test_gic \
	test_pflash test_uart_rtc test_fwcfg test_smbios \
	test_console
CHK_UNIT_BINS := $(CHK_UNIT:%=$(CHK_DIR)/tests/%) $(CHK_UNIT:%=$(CHK_DIR)/tests/%-san)
$(foreach t,$(CHK_UNIT),$(eval $(call chk_test,$(t),checker/tests/$(t).c \
	checker/tests/machine_fixture.c,$(CHK_LIB),$(CHK_LIBS) -lcmocka)))

# ---- guest programs run on coherent ----
CHK_GUEST_SRCS := $(wildcard checker/tests/guest/*.S)
CHK_GUEST_IMGS := $(CHK_GUEST_SRCS:checker/tests/guest/%.S=$(CHK_DIR)/guest/%.elf)
$(CHK_DIR)/guest/%.elf: checker/tests/guest/%.S checker/tests/guest/guest.lds \
		$(wildcard checker/tests/guest/*.h)
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -nostdlib -static -Wl,-T,checker/tests/guest/guest.lds \
		-Wl,--build-id=none $(CHK_GUEST_EXTRA) -o $@ $<
$(CHK_DIR)/guest/%.bin: $(CHK_DIR)/guest/%.elf
	aarch64-linux-gnu-objcopy -O binary $< $@

# ---- fuzzing (clang libFuzzer), bounded runs ----
CHK_FUZZ_FLAGS := -std=gnu11 -O1 -g -Ichecker -fsanitize=fuzzer,address,undefined
$(CHK_DIR)/tests/fuzz_loader: checker/tests/fuzz_loader.c $(CHK_ALL_SRCS) $(CHK_HDRS)
	@mkdir -p $(@D)
	clang $(CHK_FUZZ_FLAGS) -o $@ $< $(CHK_ALL_SRCS) $(CHK_LIBS)
$(CHK_DIR)/tests/fuzz_decode: checker/tests/fuzz_decode.c $(CHK_ALL_SRCS) $(CHK_HDRS)
	@mkdir -p $(@D)
	clang $(CHK_FUZZ_FLAGS) -o $@ $< $(CHK_ALL_SRCS) $(CHK_LIBS)

check-checker: check-cpu check-ldst check-checker-unit check-checker-guest check-checker-cli \
	check-checker-fuzz

.PHONY: check-checker-unit check-checker-guest check-checker-cli check-checker-fuzz
check-checker-unit: $(CHK_UNIT_BINS)
	@set -e; for t in $(CHK_UNIT); do \
		echo "== $$t"; $(CHK_DIR)/tests/$$t; \
		echo "== $$t (ASan/UBSan)"; $(CHK_DIR)/tests/$$t-san; \
	done

check-checker-guest: $(CHK_DIR)/coherent $(CHK_DIR)/coherent-san $(CHK_GUEST_IMGS) \
		$(CHK_GUEST_IMGS:.elf=.bin)
	checker/tests/run_guest_tests.sh $(CHK_DIR)/coherent $(CHK_DIR)/guest
	checker/tests/run_guest_tests.sh $(CHK_DIR)/coherent-san $(CHK_DIR)/guest
	checker/tests/run_guest_tests_selftest.sh $(CHK_DIR)/coherent $(CHK_DIR)/guest

# The command line: files, numbers, signals, --json, suppressions, QEMU's
# command line (cli_tests.sh; a litmus program for a finding in a passing
# guest); the device tree against QEMU virt's (dtb_vs_qemu.sh).
CHK_CLI_LITMUS := $(BUILD)/litmus/mmuoff-write-cached-read-broken.elf \
	$(BUILD)/litmus/cmodx-patch-fixed.elf
check-checker-cli: $(CHK_DIR)/coherent $(CHK_DIR)/coherent-san $(CHK_GUEST_IMGS) \
		$(CHK_GUEST_IMGS:.elf=.bin) $(CHK_CLI_LITMUS) \
		$(BUILD)/litmus/entry-dirty-broken.elf $(BUILD)/litmus/entry-dirty-fixed.elf
	checker/tests/cli_tests.sh $(CHK_DIR)/coherent $(CHK_DIR)/guest $(CHK_CLI_LITMUS)
	checker/tests/cli_tests.sh $(CHK_DIR)/coherent-san $(CHK_DIR)/guest $(CHK_CLI_LITMUS)
	checker/tests/dtb_vs_qemu.sh $(CHK_DIR)/coherent $(CHK_DIR)/guest

# A crash fails the target (pipefail: see the top Makefile); its input is
# written under $(CHK_FUZZ_ART), not into the working directory.
CHK_FUZZ_ART := $(CHK_DIR)/fuzz-artifacts
check-checker-fuzz: $(CHK_DIR)/tests/fuzz_loader $(CHK_DIR)/tests/fuzz_decode
	rm -rf $(CHK_DIR)/fuzz_corpus && cp -r checker/tests/fuzz_corpus $(CHK_DIR)/fuzz_corpus
	mkdir -p $(CHK_FUZZ_ART)
	$(CHK_DIR)/tests/fuzz_loader -runs=20000 -max_total_time=20 -seed=1 \
		-artifact_prefix=$(CHK_FUZZ_ART)/loader- $(CHK_DIR)/fuzz_corpus 2>&1 | tail -3
	$(CHK_DIR)/tests/fuzz_decode -runs=100000 -max_total_time=30 -seed=1 \
		-artifact_prefix=$(CHK_FUZZ_ART)/decode- 2>&1 | tail -3

# ---- benchmark ----
CHK_BENCH_CFLAGS := -O2 -ffreestanding -nostdlib -static -mgeneral-regs-only -mstrict-align \
	-fno-pie -no-pie -Wl,--build-id=none
$(CHK_DIR)/bench/%.elf: checker/bench/%.c checker/bench/start.S checker/bench/bench.lds
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc $(CHK_BENCH_CFLAGS) -Wl,-T,checker/bench/bench.lds \
		-o $@ checker/bench/start.S $<
$(CHK_DIR)/bench/%.bin: $(CHK_DIR)/bench/%.elf
	aarch64-linux-gnu-objcopy -O binary $< $@

# crc.bin ten times over: seconds of work, which QEMU's JIT takes long
# enough to be timed beside its start-up.
$(CHK_DIR)/bench/crc-long.elf: checker/bench/crc.c checker/bench/start.S checker/bench/bench.lds
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc $(CHK_BENCH_CFLAGS) -DPASSES=480 -Wl,-T,checker/bench/bench.lds \
		-o $@ checker/bench/start.S $<

# Issue 12's table, first in make bench (Makefile). BENCH_QUICK=1: a few
# minutes; other knobs in checker/bench/table.sh.
.PHONY: bench-table
bench-table: $(CHK_DIR)/coherent $(CHK_DIR)/bench/crc.bin $(CHK_DIR)/bench/crc-long.bin \
		$(CHK_DIR)/bench/empty.bin $(BUILD)/guest/selftest.bin $(BUILD)/guest/mmu-onoff.bin
	checker/bench/table.sh $(CHK_DIR)/coherent $(CHK_DIR)/bench $(BUILD)/guest

# perf's top symbols of each of the table's workloads with the model on
# (docs/bench.md); not in make bench.
.PHONY: bench-profile
bench-profile: $(CHK_DIR)/coherent $(CHK_DIR)/bench/crc.bin $(CHK_DIR)/bench/crc-long.bin \
		$(BUILD)/guest/selftest.bin $(BUILD)/guest/mmu-onoff.bin
	checker/bench/profile.sh $(CHK_DIR)/coherent $(CHK_DIR)/bench $(BUILD)/guest

bench-checker: $(CHK_DIR)/coherent $(CHK_DIR)/bench/crc.bin $(CHK_DIR)/bench/empty.bin
	checker/bench/run.sh $(CHK_DIR)/coherent $(CHK_DIR)/bench
	checker/bench/linux.sh $(CHK_DIR)/coherent
# Debian's U-Boot to its prompt and edk2 to an EFI test's first line,
# model off and on, beside QEMU (under a minute); BENCH_FIRMWARE_MODEL=0
# leaves the model rows out, =uboot edk2's.
.PHONY: bench-firmware
bench: bench-firmware
BENCH_FIRMWARE_MODEL ?= 1
bench-firmware: $(CHK_DIR)/coherent $(if $(wildcard guest/guest.mk),guest)
	BENCH_FIRMWARE_MODEL=$(BENCH_FIRMWARE_MODEL) checker/bench/firmware.sh $(CHK_DIR)/coherent $(BUILD)/guest
# The bench script refuses rows of guests that did not run to their end
# (fake QEMUs; a few seconds).
.PHONY: check-bench-script
check-checker: check-bench-script
check-bench-script: $(CHK_DIR)/coherent $(CHK_DIR)/bench/empty.bin
	checker/bench/selftest.sh $(CHK_DIR)/coherent $(CHK_DIR)/bench
