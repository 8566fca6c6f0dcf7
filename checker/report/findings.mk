# Findings, reports, symbols and the CMO audit (included by checker.mk
# before it uses CHK_LIB_SRCS), and their unit tests.
#   make check-findings   cmocka tests, plain and ASan/UBSan; backtraces
#   make check-audit      coherent audit's options, failed runs, signals
#   make check-reports    --sarif against the SARIF schema, --html in Chromium
CHK_LIB_SRCS += checker/report/findings.c checker/report/history.c checker/report/report.c checker/report/rootcause.c checker/report/allrun.c checker/report/suppress.c \
	checker/report/sarif.c checker/report/html.c \
	checker/report/symbols.c checker/report/disasm.c checker/report/guestmem.c \
	checker/report/backtrace.c checker/report/btcache.c \
	checker/audit/audit_site.c checker/audit/audit.c
CHK_HDRS += checker/report/findings.h checker/report/history.h checker/report/report.h checker/report/rootcause.h checker/report/allrun.h checker/report/suppress.h \
	checker/report/sarif.h checker/report/html.h checker/report/reportfmt.h \
	checker/report/disasm.h checker/report/guestmem.h checker/report/backtrace.h checker/report/btcache.h \
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

# Without .symtab (and DWARF): symbols_open must cope.
FND_SYM_STRIPPED := $(BUILD)/checker/tests/symtest-stripped.elf
$(FND_SYM_STRIPPED): $(FND_SYM_ELF)
	aarch64-linux-gnu-strip --strip-all -o $@ $<

# test_findings also links the tests' JSON reader.
$(foreach t,test_history test_symbols,$(eval $(call chk_test,$(t), \
	checker/tests/$(t).c checker/tests/machine_fixture.c,$(CHK_LIB), \
	$(CHK_LIBS) -lcmocka)))
$(eval $(call chk_test,test_findings,checker/tests/test_findings.c \
	checker/tests/json_mini.c checker/tests/machine_fixture.c,$(CHK_LIB), \
	$(CHK_LIBS) -lcmocka))

check-findings: $(FND_BINS) $(FND_SYM_ELF) $(FND_SYM_STRIPPED) \
		$(CHK_DIR)/coherent $(CHK_DIR)/coherent-san $(CHK_DIR)/guest/stale-frames.elf
	@set -e; for t in $(FND_UNIT); do \
		export SYMTEST_ELF=$(FND_SYM_ELF) SYMTEST_STRIPPED_ELF=$(FND_SYM_STRIPPED); \
		echo "== $$t"; $(BUILD)/checker/tests/$$t; \
		echo "== $$t (ASan/UBSan)"; $(BUILD)/checker/tests/$$t-san; \
	done
	checker/tests/backtrace_tests.sh $(CHK_DIR)/coherent $(CHK_DIR)/guest
	checker/tests/backtrace_tests.sh $(CHK_DIR)/coherent-san $(CHK_DIR)/guest

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

# --sarif and --html (plain and ASan/UBSan): the SARIF of litmus cases
# against the shipped SARIF 2.1.0 schema (Debian's python3-jsonschema),
# the page in headless Chromium (report_tests.sh).
.PHONY: check-reports
check: check-reports
REP_LITMUS := mmuoff-write-cached-read code-no-icivau tables-mmuoff missing-dsb-dc setway-smp
check-reports: $(CHK_DIR)/coherent $(CHK_DIR)/coherent-san \
		$(foreach n,$(REP_LITMUS),$(BUILD)/litmus/$(n)-broken.elf $(BUILD)/litmus/$(n)-fixed.elf)
	checker/tests/report_tests.sh $(CHK_DIR)/coherent $(BUILD)/litmus
	checker/tests/report_tests.sh $(CHK_DIR)/coherent-san $(BUILD)/litmus

# Backtraces of a guest case (backtrace_tests.sh): its functions with
# line numbers (-g), three frames deep.
$(CHK_DIR)/guest/stale-frames.elf: CHK_GUEST_EXTRA := -g
