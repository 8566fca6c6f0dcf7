# Findings, reports, symbols and the CMO audit (included by checker.mk
# before it uses CHK_LIB_SRCS), and their unit tests.
#   make check-findings   cmocka tests, plain and ASan/UBSan
CHK_LIB_SRCS += checker/report/findings.c checker/report/history.c checker/report/report.c \
	checker/report/symbols.c checker/report/disasm.c checker/report/guestmem.c \
	checker/audit/audit_site.c checker/audit/audit.c
CHK_HDRS += checker/report/findings.h checker/report/history.h checker/report/report.h \
	checker/report/symbols.h checker/audit/audit.h
CHK_LIBS += -ldw -lcapstone

.PHONY: check-findings
check: check-findings

FND_UNIT := test_findings test_history test_symbols
FND_BINS := $(FND_UNIT:%=$(BUILD)/checker/tests/%) $(FND_UNIT:%=$(BUILD)/checker/tests/%-san)

# test_symbols reads a small ELF built from this source with known
# symbols and line numbers.
FND_SYM_ELF := $(BUILD)/checker/tests/symtest.elf
$(FND_SYM_ELF): checker/tests/symtest.c
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -g -O0 -ffreestanding -nostdlib -static \
		-Wl,-Ttext=0x40080000 -Wl,-e,sym_start -Wl,--build-id=none -o $@ $<

# test_findings also links the tests' JSON reader.
$(foreach t,test_history test_symbols,$(eval $(call chk_test,$(t), \
	checker/tests/$(t).c checker/tests/machine_fixture.c,$(CHK_LIB), \
	$(CHK_LIBS) -lcmocka)))
$(eval $(call chk_test,test_findings,checker/tests/test_findings.c \
	checker/tests/json_mini.c checker/tests/machine_fixture.c,$(CHK_LIB), \
	$(CHK_LIBS) -lcmocka))

check-findings: $(FND_BINS) $(FND_SYM_ELF)
	@set -e; for t in $(FND_UNIT); do \
		echo "== $$t"; SYMTEST_ELF=$(FND_SYM_ELF) $(BUILD)/checker/tests/$$t; \
		echo "== $$t (ASan/UBSan)"; SYMTEST_ELF=$(FND_SYM_ELF) $(BUILD)/checker/tests/$$t-san; \
	done

# The CMO necessity audit of every test image (docs/audit.md). Not part
# of make check: it runs each image once per maintenance site (minutes).
.PHONY: audit
audit: $(BUILD)/checker/coherent $(if $(wildcard guest/guest.mk),guest)
	scripts/audit-all.sh $(BUILD)/checker/coherent $(BUILD)/guest > docs/audit.md.tmp
	mv docs/audit.md.tmp docs/audit.md
