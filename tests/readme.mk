# The README's examples must build and work (included by the top Makefile
# after guest/guest.mk, whose flags and library it uses).
#   make check-readme   every ```c block compiled and linked as a guest
#                       image and run on the checker (2 PEs, test_args);
#                       every ```ini block (a tests.cfg snippet) parsed
#                       by ./run_tests.sh -l
RDM := $(BUILD)/readme
# The block list is made by check-readme's recipe (after `deps` installed
# python3), then read by a second make for readme-run: a makefile that
# make remade while parsing would run before any package is installed,
# and a failed -include would leave no block to test.
ifneq ($(filter readme-run,$(MAKECMDGOALS)),)
include $(RDM)/blocks.mk
endif

$(RDM)/%.o: $(RDM)/%.c $(GB)/include/libfdt.h
	@echo "  CC      $<"; $(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@
$(RDM)/%.elf: $(RDM)/%.o $(GUEST_LIB_OBJS) guest/boot/image.lds
	@echo "  LD      $@"; $(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^) $(GUEST_LIBFDT)
$(RDM)/%.bin: $(RDM)/%.elf
	@$(GUEST_OBJCOPY) -O binary $< $@
	@scripts/embed-checksum $@ $< $(GUEST_OBJCOPY)
	@scripts/check-image $@
	@touch $@

.PHONY: check-readme
check: check-readme
-include $(wildcard $(RDM)/*.d)
# (The objects and ELFs are named so that make keeps them.)
check-readme: deps
	@scripts/readme-blocks README.md $(RDM)
	@$(MAKE) --no-print-directory readme-run
.PHONY: readme-run
readme-run: $(foreach b,$(README_C),$(RDM)/$(b).o $(RDM)/$(b).elf $(RDM)/$(b).bin) \
		$(BUILD)/checker/coherent
	@if [ -z "$(README_C)" ] || [ -z "$(README_CFG)" ]; then \
		echo "check-readme: README.md has no C example or no tests.cfg snippet"; exit 1; fi
	@set -e; for b in $(README_CFG); do \
		echo "== README $$b: ./run_tests.sh -l"; \
		GUEST_DIR=$(RDM) ./run_tests.sh -c $(RDM)/$$b.cfg -l; \
	done
	@set -e; for b in $(README_C); do \
		echo "== README $$b: on coherent --smp 2"; \
		$(BUILD)/checker/coherent run --smp 2 --append "one two" $(RDM)/$$b.bin; \
	done
