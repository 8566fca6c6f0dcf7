# Loads/stores and FP/SIMD groups of the A64 interpreter: unit tests and
# the unicorn differential test. Included from checker/checker.mk (after
# interp.mk, whose archive it links); standalone:
# make -f checker/interp/interp.mk -f checker/interp/ldst.mk check-ldst
LDST_DIFF_COUNT ?= 100000
LDST_FUZZ_COUNT ?= 5000000
LDST_FUZZ_SEED ?= $(shell date +%s)

LDST_TEST_DIR := $(CHK_DIR)/tests

LDST_TEST_BINS := $(LDST_TEST_DIR)/test_ldst $(LDST_TEST_DIR)/test_ldst-san \
	$(LDST_TEST_DIR)/diff_ldst $(LDST_TEST_DIR)/diff_ldst-san

$(eval $(call chk_test,test_ldst,checker/tests/test_ldst.c $(CPU_TEST_ENV),$(CPU_LIB),-lcmocka $(CPU_LDLIBS)))
$(eval $(call chk_diff,diff_ldst,gen_ldst.c))

.PHONY: check-ldst fuzz-ldst
check-ldst: $(LDST_TEST_BINS)
	$(LDST_TEST_DIR)/test_ldst
	$(LDST_TEST_DIR)/test_ldst-san
	$(LDST_TEST_DIR)/diff_ldst --seed 1 --count $(LDST_DIFF_COUNT)
	$(LDST_TEST_DIR)/diff_ldst-san --seed 2 --count 5000

fuzz-ldst: $(LDST_TEST_DIR)/diff_ldst
	$(LDST_TEST_DIR)/diff_ldst --seed $(LDST_FUZZ_SEED) --count $(LDST_FUZZ_COUNT)
