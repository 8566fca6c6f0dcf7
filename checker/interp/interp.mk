# The A64 integer interpreter and its tests. Included from
# checker/checker.mk; standalone: make -f checker/interp/interp.mk check-cpu
BUILD ?= build
CPU_CFLAGS ?= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ichecker
CPU_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# exec_ldst.c and exec_fp.c are written separately; pick them up once
# they exist (until then the test environment's weak stubs make those
# groups UNDEFINED).
CHECKER_CPU_SRCS := checker/interp/exec.c checker/interp/exec_dp_imm.c \
	checker/interp/exec_branch.c checker/interp/exec_dp_reg.c \
	$(wildcard checker/interp/exec_ldst.c checker/interp/exec_fp.c)
CHECKER_CPU_HDRS := checker/pe/cpu.h checker/interp/exec.h \
	checker/interp/exec_util.h checker/pe/sysreg.h

CPU_TEST_DIR := $(BUILD)/checker/tests
CPU_TEST_ENV := checker/tests/cpu_test_env.c checker/tests/cpu_test_env.h
CPU_TEST_DEPS := $(CHECKER_CPU_SRCS) $(CHECKER_CPU_HDRS) $(CPU_TEST_ENV)
CPU_DIFF_COUNT ?= 20000
CPU_FUZZ_COUNT ?= 2000000
CPU_FUZZ_SEED ?= $(shell date +%s)

CPU_TEST_BINS := $(CPU_TEST_DIR)/test_exec $(CPU_TEST_DIR)/test_exec-san \
	$(CPU_TEST_DIR)/diff_unicorn $(CPU_TEST_DIR)/diff_unicorn-san \
	$(CPU_TEST_DIR)/bench_cpu

$(CPU_TEST_DIR)/test_exec: checker/tests/test_exec.c $(CPU_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPU_CFLAGS) -o $@ $(filter %.c,$^) -lcmocka
$(CPU_TEST_DIR)/test_exec-san: checker/tests/test_exec.c $(CPU_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPU_CFLAGS) $(CPU_SAN_FLAGS) -o $@ $(filter %.c,$^) -lcmocka
$(CPU_TEST_DIR)/diff_unicorn: checker/tests/diff_unicorn.c $(CPU_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPU_CFLAGS) -o $@ $(filter %.c,$^) -lunicorn
$(CPU_TEST_DIR)/diff_unicorn-san: checker/tests/diff_unicorn.c $(CPU_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPU_CFLAGS) $(CPU_SAN_FLAGS) -o $@ $(filter %.c,$^) -lunicorn
$(CPU_TEST_DIR)/bench_cpu: checker/tests/bench_cpu.c $(CPU_TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CPU_CFLAGS) -o $@ $(filter %.c,$^)

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
