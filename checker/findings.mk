# Findings, reports, symbols and the CMO audit (included by checker.mk
# before it uses CHK_LIB_SRCS), and their unit tests.
#   make check-findings   cmocka tests, plain and ASan/UBSan
#   make check-audit      coherent audit's options, failed runs, signals
CHK_LIB_SRCS += checker/findings.c checker/history.c checker/report.c \
	checker/symbols.c checker/disasm.c checker/guestmem.c \
	checker/audit_site.c checker/audit.c
CHK_HDRS += checker/findings.h checker/history.h checker/report.h \
	checker/symbols.h checker/audit.h
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

# Without .symtab (and DWARF): symbols_open must cope.
FND_SYM_STRIPPED := $(BUILD)/checker/tests/symtest-stripped.elf
$(FND_SYM_STRIPPED): $(FND_SYM_ELF)
	aarch64-linux-gnu-strip --strip-all -o $@ $<

# test_findings also links the tests' JSON reader. (CHK_ALL_SRCS is set
# after this file is read: prerequisites name the parts known here.)
FND_JSON := checker/tests/json_mini.c checker/tests/json_mini.h
$(BUILD)/checker/tests/test_findings: checker/tests/test_findings.c $(FND_JSON) \
		checker/tests/machine_fixture.c $(CHK_LIB_SRCS) $(CHK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) -o $@ $< checker/tests/json_mini.c \
		checker/tests/machine_fixture.c $(CHK_ALL_SRCS) $(CHK_LIBS) -lcmocka
$(BUILD)/checker/tests/test_findings-san: checker/tests/test_findings.c $(FND_JSON) \
		checker/tests/machine_fixture.c $(CHK_LIB_SRCS) $(CHK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CHK_CFLAGS) $(CHK_SAN) -o $@ $< checker/tests/json_mini.c \
		checker/tests/machine_fixture.c $(CHK_ALL_SRCS) $(CHK_LIBS) -lcmocka

check-findings: $(FND_BINS) $(FND_SYM_ELF) $(FND_SYM_STRIPPED)
	@set -e; for t in $(FND_UNIT); do \
		export SYMTEST_ELF=$(FND_SYM_ELF) SYMTEST_STRIPPED_ELF=$(FND_SYM_STRIPPED); \
		echo "== $$t"; $(BUILD)/checker/tests/$$t; \
		echo "== $$t (ASan/UBSan)"; $(BUILD)/checker/tests/$$t-san; \
	done

# The audit driver (plain and ASan/UBSan; its runs are the same binary).
.PHONY: check-audit
check: check-audit
AUD_TEST_IMGS := $(CHK_DIR)/guest/cmo-spin.elf $(BUILD)/litmus/civac-undone-fixed.elf
check-audit: $(CHK_DIR)/coherent $(CHK_DIR)/coherent-san $(AUD_TEST_IMGS)
	checker/tests/run_audit_tests.sh $(CHK_DIR)/coherent $(CHK_DIR)/guest $(BUILD)/litmus
	checker/tests/run_audit_tests.sh $(CHK_DIR)/coherent-san $(CHK_DIR)/guest $(BUILD)/litmus

# The CMO necessity audit of every test image (docs/audit.md). Not part
# of make check: it runs each image once per maintenance site (minutes).
.PHONY: audit
audit: $(BUILD)/checker/coherent $(if $(wildcard guest/guest.mk),guest)
	scripts/audit-all.sh $(BUILD)/checker/coherent $(BUILD)/guest > docs/audit.md.tmp
	mv docs/audit.md.tmp docs/audit.md
