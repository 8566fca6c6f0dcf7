# Loads/stores and FP/SIMD groups of the A64 interpreter: unit tests and
# the unicorn differential test. Included from checker/checker.mk;
# standalone: make -f checker/interp/ldst.mk check-ldst
BUILD ?= build
LDST_CFLAGS ?= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ichecker
LDST_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
LDST_DIFF_COUNT ?= 100000
LDST_FUZZ_COUNT ?= 5000000
LDST_FUZZ_SEED ?= $(shell date +%s)

LDST_TEST_DIR := $(BUILD)/checker/tests
LDST_SRCS := checker/interp/exec_ldst.c checker/interp/exec_fp.c \
	checker/tests/stub_machine.c
LDST_DEPS := $(LDST_SRCS) checker/pe/cpu.h checker/interp/exec.h \
	checker/pe/sysreg.h checker/tests/stub_machine.h

LDST_TEST_BINS := $(LDST_TEST_DIR)/test_ldst $(LDST_TEST_DIR)/test_ldst-san \
	$(LDST_TEST_DIR)/diff_ldst $(LDST_TEST_DIR)/diff_ldst-san

$(LDST_TEST_DIR)/test_ldst: checker/tests/test_ldst.c $(LDST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDST_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka
$(LDST_TEST_DIR)/test_ldst-san: checker/tests/test_ldst.c $(LDST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDST_CFLAGS) $(LDST_SAN_FLAGS) -o $@ $(filter %.c,$^) -lcmocka
$(LDST_TEST_DIR)/diff_ldst: checker/tests/diff_gen_ldst.c $(LDST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDST_CFLAGS) -DDIFF_LDST_MAIN -o $@ $(filter %.c,$^) -lunicorn
$(LDST_TEST_DIR)/diff_ldst-san: checker/tests/diff_gen_ldst.c $(LDST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LDST_CFLAGS) $(LDST_SAN_FLAGS) -DDIFF_LDST_MAIN -o $@ \
		$(filter %.c,$^) -lunicorn

.PHONY: check-ldst fuzz-ldst
check-ldst: $(LDST_TEST_BINS)
	$(LDST_TEST_DIR)/test_ldst
	$(LDST_TEST_DIR)/test_ldst-san
	$(LDST_TEST_DIR)/diff_ldst --seed 1 --count $(LDST_DIFF_COUNT)
	$(LDST_TEST_DIR)/diff_ldst-san --seed 2 --count 5000

fuzz-ldst: $(LDST_TEST_DIR)/diff_ldst
	$(LDST_TEST_DIR)/diff_ldst --seed $(LDST_FUZZ_SEED) --count $(LDST_FUZZ_COUNT)
