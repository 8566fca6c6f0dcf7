# The cache model (checker/model/, docs/model.md): included by checker.mk
# before it uses CHK_LIB_SRCS.
#   make check-cache   model unit tests (cmocka), plain and ASan/UBSan:
#                      test_cachemodel, test_lineset, test_alloc,
#                      test_alloc_s2, test_cmodx, test_modelrules
#   make bench-model   guest MIPS with the model on and off, model memory
CACHE_SRCS := checker/model/lineset.c checker/model/cachemodel.c \
	checker/model/alloc.c checker/model/leafcnt.c checker/model/ptshadow.c checker/model/icache.c \
	checker/model/pending.c \
	checker/model/contract.c checker/model/cmodx.c checker/model/walkorder.c \
	checker/model/nonshare.c checker/model/quiet.c
CACHE_HDRS := checker/model/cache.h checker/model/lineset.h \
	checker/model/model.h checker/model/sink.h checker/model/ptshadow.h \
	checker/model/leafcnt.h
CHK_LIB_SRCS += $(CACHE_SRCS)
CHK_HDRS += $(CACHE_HDRS)

.PHONY: check-cache bench-model
check: check-cache
bench: bench-model

CACHE_TEST := $(BUILD)/checker/tests/test_cachemodel
$(eval $(call chk_test,test_cachemodel,checker/tests/test_cachemodel.c \
	checker/tests/machine_fixture.c,$(CHK_LIB),$(CHK_LIBS) -lcmocka))

# The sets alone, under many live sets: a regression there was a hang
# (an intern table probed for a free slot it did not have), so the runs
# are cut off.
LS_TEST := $(BUILD)/checker/tests/test_lineset
$(eval $(call chk_test,test_lineset,checker/tests/test_lineset.c,$(CHK_LIB),-lcmocka))

# Allocatability on a 100 k-leaf table: work per barrier (test_alloc.c).
ALLOC_TEST := $(BUILD)/checker/tests/test_alloc
$(eval $(call chk_test,test_alloc,checker/tests/test_alloc.c \
	checker/tests/machine_fixture.c,$(CHK_LIB),$(CHK_LIBS) -lcmocka))

# Allocatability under stage 2 (test_alloc_s2.c).
ALLOC_S2_TEST := $(BUILD)/checker/tests/test_alloc_s2
$(eval $(call chk_test,test_alloc_s2,checker/tests/test_alloc_s2.c \
	checker/tests/machine_fixture.c,$(CHK_LIB),$(CHK_LIBS) -lcmocka))

# Concurrent modification: which stale fetches are notes (cmodx.c).
CMODX_TEST := $(BUILD)/checker/tests/test_cmodx
$(eval $(call chk_test,test_cmodx,checker/tests/test_cmodx.c \
	checker/tests/machine_fixture.c,$(CHK_LIB),$(CHK_LIBS) -lcmocka))

# Memory types and rules across PEs (test_modelrules.c).
RULES_TEST := $(BUILD)/checker/tests/test_modelrules
$(eval $(call chk_test,test_modelrules,checker/tests/test_modelrules.c \
	checker/tests/machine_fixture.c,$(CHK_LIB),$(CHK_LIBS) -lcmocka))

check-cache: $(CACHE_TEST) $(CACHE_TEST)-san $(LS_TEST) $(LS_TEST)-san \
		$(ALLOC_TEST) $(ALLOC_TEST)-san $(ALLOC_S2_TEST) $(ALLOC_S2_TEST)-san \
		$(CMODX_TEST) $(CMODX_TEST)-san $(RULES_TEST) $(RULES_TEST)-san
	@echo "== test_cachemodel"; $(CACHE_TEST)
	@echo "== test_cachemodel (ASan/UBSan)"; $(CACHE_TEST)-san
	@echo "== test_lineset"; timeout 60 $(LS_TEST)
	@echo "== test_lineset (ASan/UBSan)"; timeout 120 $(LS_TEST)-san
	@echo "== test_alloc"; $(ALLOC_TEST)
	@echo "== test_alloc (ASan/UBSan)"; $(ALLOC_TEST)-san
	@echo "== test_alloc_s2"; $(ALLOC_S2_TEST)
	@echo "== test_alloc_s2 (ASan/UBSan)"; $(ALLOC_S2_TEST)-san
	@echo "== test_cmodx"; $(CMODX_TEST)
	@echo "== test_cmodx (ASan/UBSan)"; $(CMODX_TEST)-san
	@echo "== test_modelrules"; $(RULES_TEST)
	@echo "== test_modelrules (ASan/UBSan)"; $(RULES_TEST)-san

bench-model: $(BUILD)/checker/coherent $(BUILD)/checker/bench/crc.bin \
		$(BUILD)/guest/selftest.bin $(BUILD)/guest/mmu-onoff.bin
	checker/model/bench-model.sh $(BUILD)/checker/coherent \
		$(BUILD)/checker/bench/crc.bin $(BUILD)/guest/selftest.bin \
		$(BUILD)/guest/mmu-onoff.bin
