# Litmus programs (litmus/*.S): each is built in its broken (FIXED=0)
# and fixed (FIXED=1) form and run on coherent by litmus/run.sh, which
# compares the findings with the "// expect" lines in the source.
#   make litmus         build the images
#   make check-litmus   run them (part of make check)
LIT_DIR := $(BUILD)/litmus
LIT_SRCS := $(filter-out litmus/harness.S,$(wildcard litmus/*.S))
LIT_NAMES := $(LIT_SRCS:litmus/%.S=%)
LIT_ELFS := $(foreach n,$(LIT_NAMES),$(LIT_DIR)/$(n)-broken.elf $(LIT_DIR)/$(n)-fixed.elf)
LIT_BINS := $(LIT_ELFS:.elf=.bin)
LIT_CC := aarch64-linux-gnu-gcc
LIT_FLAGS := -nostdlib -static -no-pie -g -Ilitmus -Wl,-T,litmus/harness.lds \
	-Wl,--build-id=none -Wl,-z,norelro -Wl,--no-warn-rwx-segments

.PHONY: litmus check-litmus
all: litmus
check: check-litmus
litmus: $(LIT_ELFS) $(LIT_BINS)

$(LIT_DIR)/%-broken.elf: litmus/%.S litmus/harness.S litmus/harness.h litmus/harness.lds $(wildcard litmus/*.inc)
	@mkdir -p $(@D)
	$(LIT_CC) $(LIT_FLAGS) -DFIXED=0 -o $@ litmus/harness.S $<
$(LIT_DIR)/%-fixed.elf: litmus/%.S litmus/harness.S litmus/harness.h litmus/harness.lds $(wildcard litmus/*.inc)
	@mkdir -p $(@D)
	$(LIT_CC) $(LIT_FLAGS) -DFIXED=1 -o $@ litmus/harness.S $<
$(LIT_DIR)/%.bin: $(LIT_DIR)/%.elf
	aarch64-linux-gnu-objcopy -O binary $< $@

check-litmus: $(LIT_ELFS) $(LIT_BINS) $(BUILD)/checker/coherent
	litmus/run.sh $(BUILD)/checker/coherent $(LIT_DIR)
	litmus/selftest.sh $(BUILD)/checker/coherent $(LIT_DIR)

# The store chains' exactness check (docs/model.md "Store chains"): the
# litmus programs and the guest suite on the checker (one pass, at each
# test's own SMP) with COHERENT_EXACT_CHECK=1, which aborts on any
# difference between a chain and the exact set. Its own log directory:
# it does not wait for check-guest-checker's.
.PHONY: check-exact
check: check-exact
check-exact: $(LIT_ELFS) $(LIT_BINS) $(BUILD)/checker/coherent guest-built
	COHERENT_EXACT_CHECK=1 litmus/run.sh $(BUILD)/checker/coherent $(LIT_DIR)
	COHERENT_EXACT_CHECK=1 LOGDIR=$(BUILD)/logs-exact ./run_tests.sh -j2 --checker
