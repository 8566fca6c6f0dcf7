# The README's examples must build and work (included by the top Makefile
# after guest/guest.mk, whose flags and library it uses).
#   make check-readme   every ```c block compiled and linked as a guest
#                       image and run on the checker (2 PEs, test_args);
#                       every ```ini block (a tests.cfg snippet) parsed
#                       by ./run_tests.sh -l
RDM := $(BUILD)/readme
-include $(RDM)/blocks.mk
# Rewritten on every make run that reads this file, so make never sees it
# out of date after the rule ran; the block files keep their dates unless
# their text changed.
$(RDM)/blocks.mk: README.md scripts/readme-blocks
	@scripts/readme-blocks README.md $(RDM)

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
check-readme: $(RDM)/blocks.mk $(foreach b,$(README_C),$(RDM)/$(b).o $(RDM)/$(b).elf $(RDM)/$(b).bin) \
		$(BUILD)/checker/coherent
	@set -e; for b in $(README_CFG); do \
		echo "== README $$b: ./run_tests.sh -l"; \
		GUEST_DIR=$(RDM) ./run_tests.sh -c $(RDM)/$$b.cfg -l; \
	done
	@set -e; for b in $(README_C); do \
		echo "== README $$b: on coherent --smp 2"; \
		$(BUILD)/checker/coherent run --smp 2 --append "one two" $(RDM)/$$b.bin; \
	done
