# The A64 integer interpreter and its tests. Included from
# checker/checker.mk; standalone: make -f checker/interp/interp.mk check-cpu
include checker/rules.mk

# The interpreter's sources; its tests link them from one archive.
CHECKER_CPU_SRCS := checker/interp/exec.c checker/interp/exec_dp_imm.c \
	checker/interp/exec_branch.c checker/interp/exec_dp_reg.c \
	checker/interp/exec_ldst.c checker/interp/exec_fp.c \
	checker/interp/exec_fparith.c \
	checker/interp/exec_block.c checker/interp/block_decode.c
CPU_LIB := $(CHK_DIR)/libinterp.a
# exec_fparith.c's fma() and friends.
CPU_LDLIBS := -lm
$(eval $(call chk_lib,$(CPU_LIB),$(CHECKER_CPU_SRCS)))

CPU_TEST_DIR := $(CHK_DIR)/tests
# The one fake machine side the interpreter's tests link against.
CPU_TEST_ENV := checker/tests/fake_machine.c
CPU_DIFF_COUNT ?= 20000
CPU_FUZZ_COUNT ?= 2000000
CPU_FUZZ_SEED ?= $(shell date +%s)

CPU_TEST_BINS := $(CPU_TEST_DIR)/test_exec $(CPU_TEST_DIR)/test_exec-san \
	$(CPU_TEST_DIR)/diff_unicorn $(CPU_TEST_DIR)/diff_unicorn-san \
	$(CPU_TEST_DIR)/bench_cpu

$(eval $(call chk_test,test_exec,checker/tests/test_exec.c $(CPU_TEST_ENV),$(CPU_LIB),-lcmocka $(CPU_LDLIBS)))

# $(call chk_diff,NAME,GENERATOR): the unicorn differential test NAME
# (and NAME-san): the one harness with checker/tests/diff/GENERATOR.
chk_diff = $(call chk_test,$(1),checker/tests/diff/harness.c \
	checker/tests/diff/$(2) $(CPU_TEST_ENV),$(CPU_LIB),-lunicorn $(CPU_LDLIBS), \
	-Ichecker/tests)
$(eval $(call chk_diff,diff_unicorn,gen_int.c))
$(CPU_TEST_DIR)/bench_cpu: checker/tests/bench_cpu.c $(CPU_TEST_ENV) $(CPU_LIB) $(CHK_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) -o $@ checker/tests/bench_cpu.c $(CPU_TEST_ENV) $(CPU_LIB) $(CPU_LDLIBS)

.PHONY: check-cpu fuzz-cpu bench-cpu
check-cpu: $(CPU_TEST_BINS)
	$(CPU_TEST_DIR)/test_exec
	$(CPU_TEST_DIR)/test_exec-san
	$(CPU_TEST_DIR)/diff_unicorn --seed 1 --count $(CPU_DIFF_COUNT)
	$(CPU_TEST_DIR)/diff_unicorn-san --seed 2 --count 3000

fuzz-cpu: $(CPU_TEST_DIR)/diff_unicorn
	$(CPU_TEST_DIR)/diff_unicorn --seed $(CPU_FUZZ_SEED) --count $(CPU_FUZZ_COUNT)

bench-cpu: $(CPU_TEST_DIR)/bench_cpu
	$(CPU_TEST_DIR)/bench_cpu

# `make bench` prints the interpreter's raw throughput too.
bench: bench-cpu
