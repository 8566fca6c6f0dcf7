# Coherent: guest images (cross-compiled) and the checker (host).
# Each part's rules live beside it: guest/guest.mk, checker/checker.mk.
#   make          build everything
#   make run      the main job: the guest suite on QEMU and on the checker
#   make check    every test: host unit/differential/fuzz tests, sanitizers,
#                 the guest suite on QEMU (-smp 1, 2, 4) and on the checker
#   make bench    benchmarks, printed as tables
.PHONY: all run check bench clean deps
all:

BUILD ?= build
-include guest/guest.mk
-include checker/checker.mk
-include tests/tests.mk

deps:
	@scripts/install-deps

clean:
	rm -rf $(BUILD) logs
