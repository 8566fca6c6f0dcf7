# Coherent: guest images (cross-compiled) and the checker (host).
# Each part's rules live beside it: guest/guest.mk, checker/checker.mk,
# tests/tests.mk, litmus/litmus.mk, docs/docs.mk.
#   make          build everything
#   make run      the main job: the guest suite on QEMU and on the checker
#   make check    every test
#   make bench    benchmarks, printed as tables (docs/bench.md;
#                 BENCH_QUICK=1 for a quick run)
#   make bench-profile  perf's top symbols of each model-on workload
#   make check-fresh  make check in a freshly bootstrapped minimal Debian 12
#                 root (scripts/fresh-root; root only), as CI runs it
# run, check and bench install the Debian packages they need first
# (scripts/install-deps): `deps` is their first prerequisite, so it runs
# before anything the included fragments add.
.PHONY: all run check bench clean deps check-fresh
all:
run: deps
check: deps
# make bench: issue 12's table first (bench-table), then the tables the
# fragments add. One benchmark at a time: two at once on a -j build
# would slow each other.
bench: deps bench-table
ifneq ($(filter bench bench-%,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

BUILD ?= build
# A recipe that pipes fails when any stage fails, not only the last
# (`fuzzer | tail -3` must not hide a crash).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
-include guest/guest.mk
-include checker/checker.mk
-include tests/tests.mk
-include litmus/litmus.mk
-include tests/readme.mk
-include docs/docs.mk

deps:
	@scripts/install-deps

# Proves that README's commands install everything they need.
check-fresh:
	BUILD=$(BUILD) scripts/fresh-root make check

clean:
	rm -rf $(BUILD) logs
