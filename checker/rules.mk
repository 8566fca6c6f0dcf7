# Build rules shared by the checker's make fragments (checker.mk and the
# fragments it includes; interp/*.mk also include it when run on their
# own): compiler flags, one object per source and variant, and the macros
# for archives and for "plain + sanitizer" test binaries.
ifndef CHK_RULES_MK
CHK_RULES_MK := 1
BUILD ?= build
CHK_DIR := $(BUILD)/checker
CHK_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ichecker
CHK_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# Headers a test binary may see: any change rebuilds the tests (their
# objects in the archives track their own headers with -MMD).
CHK_TEST_HDRS = $(wildcard checker/*/*.h checker/tests/*.h checker/tests/*/*.h)

# checker/X/y.c -> build/checker/obj/X/y.o (plain) and obj-san/X/y.o.
$(CHK_DIR)/obj/%.o: checker/%.c
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) -MMD -MP -c -o $@ $<
$(CHK_DIR)/obj-san/%.o: checker/%.c
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) $(CHK_SAN) -MMD -MP -c -o $@ $<
-include $(shell find $(CHK_DIR)/obj $(CHK_DIR)/obj-san -name '*.d' 2>/dev/null)

chk_objs = $(patsubst checker/%.c,$(CHK_DIR)/$(2)/%.o,$(1))

# $(call chk_lib,ARCHIVE,SRCS): ARCHIVE (.a) from the plain objects of
# SRCS and ARCHIVE-san.a from the sanitizer ones.
define chk_lib
$(1): $(call chk_objs,$(2),obj)
	@mkdir -p $$(@D)
	rm -f $$@ && $(AR) rcs $$@ $$^
$(1:.a=-san.a): $(call chk_objs,$(2),obj-san)
	@mkdir -p $$(@D)
	rm -f $$@ && $(AR) rcs $$@ $$^
endef

# $(call chk_test,NAME,SRCS,ARCHIVE,LDLIBS[,CFLAGS]): the test binary
# $(CHK_DIR)/tests/NAME from SRCS and ARCHIVE, and NAME-san from the same
# sources under ASan/UBSan with ARCHIVE's -san twin.
define chk_test
$(CHK_DIR)/tests/$(1): $(2) $(3) $$(CHK_TEST_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(CHK_CFLAGS) $(5) -o $$@ $(2) $(3) $(4)
$(CHK_DIR)/tests/$(1)-san: $(2) $(3:.a=-san.a) $$(CHK_TEST_HDRS)
	@mkdir -p $$(@D)
	$$(CC) $$(CHK_CFLAGS) $$(CHK_SAN) $(5) -o $$@ $(2) $(3:.a=-san.a) $(4)
endef
endif
