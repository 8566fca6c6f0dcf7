# Guest images: freestanding arm64, position independent, each a flat
# arm64 Linux Image (build/guest/<test>.bin) with its ELF beside it.

CROSS ?= aarch64-linux-gnu-
GUEST_CC := $(CROSS)gcc
GUEST_LD := $(CROSS)ld
GUEST_OBJCOPY := $(CROSS)objcopy
GB := $(BUILD)/guest

# -mstrict-align: code runs with the MMU off, where every data access is
# Device memory and an unaligned one faults. Hidden visibility (types.h)
# keeps every symbol reference PC-relative, so the relocator runs before
# anything is read through the GOT.
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
	-mgeneral-regs-only -mstrict-align -fpie -fno-plt \
	-fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-common -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-Iguest/lib -isystem $(GB)/include -MMD -MP
GUEST_ASFLAGS := -Iguest/lib -MMD -MP
# One PT_LOAD for the whole image is intended: it is loaded as a flat
# binary and sets its own permissions in its page tables.
GUEST_LDFLAGS := -pie --no-dynamic-linker -z norelro -z noexecstack --no-warn-rwx-segments \
	--no-undefined -T guest/boot/image.lds
# Debian's arm64 libfdt (package libfdt-dev:arm64): a static PIC archive
# that links freestanding given our string functions.
GUEST_LIBFDT := /usr/lib/aarch64-linux-gnu/libfdt.a

GUEST_LIB_SRCS := $(wildcard guest/lib/*.c)
GUEST_BOOT_SRCS := $(wildcard guest/boot/*.S)
GUEST_LIB_OBJS := $(GUEST_LIB_SRCS:%.c=$(GB)/%.o) $(GUEST_BOOT_SRCS:%.S=$(GB)/%.o)
GUEST_TESTS := $(basename $(notdir $(wildcard guest/tests/*.c)))
GUEST_IMAGES := $(GUEST_TESTS:%=$(GB)/%.bin)

.PHONY: guest guest-built guest-all
all: guest
# The ELFs (symbols for backtraces and the checker's findings) and the
# objects are targets in their own right, not intermediates make deletes.
guest-all: $(GUEST_IMAGES) $(GUEST_IMAGES:.bin=.elf) $(GUEST_LIB_OBJS) \
	$(GUEST_TESTS:%=$(GB)/guest/tests/%.o) $(GB)/payload.img $(GB)/s2guest.img

# One test that does not compile or link must not stop the others: its
# compile and link rules record the failure in $(GB)/<test>.broken (what
# the compiler or linker said), remove its stale files and succeed, its
# later rules make nothing from the missing input, and the targets below
# name it once everything else is built.  `make guest` then fails;
# guest-built, which the suites depend on, goes on, so they run the rest,
# report the broken test as a FAIL (run_tests.sh reads the .broken file)
# and fail in turn.  A broken library still stops the build: no test can
# link.  (One make, no -k sub-make: other targets build the library
# objects too, and two makes would race on them.)
guest guest-built: guest-all
	@scripts/guest-broken $(if $(filter guest-built,$@),--continue) 0 $(GB) $(GUEST_TESTS)

# The test's compile and link rules on failure: the tool's output (in
# $@.log) becomes <test>.broken, and the test's old files go.
guest_broken = { cat $@.log >&2; mv $@.log $(GB)/$(1).broken; \
	rm -f $@ $(GB)/$(1).bin $(GB)/$(1).elf $(GB)/$(1).efi; }

# libfdt's headers live in the host's /usr/include; expose only them
# (its environment header is our own: guest/lib/libfdt_env.h).
$(GB)/include/libfdt.h:
	@mkdir -p $(@D)
	ln -sf /usr/include/libfdt.h /usr/include/fdt.h $(@D)/

$(GB)/%.o: %.c $(GB)/include/libfdt.h
	@mkdir -p $(@D)
	@echo "  CC      $<"; $(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GB)/guest/tests/%.o: guest/tests/%.c $(GB)/include/libfdt.h
	@mkdir -p $(@D)
	@echo "  CC      $<"; if $(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@ 2>$@.log; then \
		cat $@.log >&2; rm -f $@.log $(GB)/$*.broken; else $(call guest_broken,$*); fi

$(GB)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"; $(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GB)/%.elf: $(GB)/guest/tests/%.o $(GUEST_LIB_OBJS) guest/boot/image.lds
	@[ -f $< ] || exit 0; echo "  LD      $@"; \
	if $(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^) $(GUEST_LIBFDT) 2>$@.log; then \
		cat $@.log >&2; rm -f $@.log $(GB)/$*.broken; else $(call guest_broken,$*); fi

# The handoff test carries a second image: guest/payload, linked on its
# own (no relocations, checksum trailer) and embedded with .incbin.
PAYLOAD_OBJS := $(GB)/guest/payload/entry.o $(GB)/guest/payload/payload.o
$(GB)/payload.elf: $(PAYLOAD_OBJS) guest/payload/payload.lds
	@echo "  LD      $@"; $(GUEST_LD) -pie --no-dynamic-linker -z noexecstack --no-warn-rwx-segments \
		-T guest/payload/payload.lds -o $@ $(PAYLOAD_OBJS)
$(GB)/payload.img: $(GB)/payload.elf
	@$(GUEST_OBJCOPY) -O binary $< $@
	@scripts/append-checksum $@ $< $(CROSS)
$(GB)/guest/payload/blob.o: guest/payload/blob.S $(GB)/payload.img
	@mkdir -p $(@D)
	@echo "  AS      $<"; $(GUEST_CC) $(GUEST_ASFLAGS) -DPAYLOAD_BIN='"$(GB)/payload.img"' -c $< -o $@
$(GB)/handoff.elf: $(GB)/guest/payload/blob.o

# The stage2 test carries its guest the same way: guest/s2guest, with the
# payload's entry and linker script (both image-independent).
S2GUEST_OBJS := $(GB)/guest/payload/entry.o $(GB)/guest/s2guest/s2guest.o
$(GB)/s2guest.elf: $(S2GUEST_OBJS) guest/payload/payload.lds
	@echo "  LD      $@"; $(GUEST_LD) -pie --no-dynamic-linker -z noexecstack --no-warn-rwx-segments \
		-T guest/payload/payload.lds -o $@ $(S2GUEST_OBJS)
$(GB)/s2guest.img: $(GB)/s2guest.elf
	@$(GUEST_OBJCOPY) -O binary $< $@
	@scripts/append-checksum $@ $< $(CROSS)
$(GB)/guest/s2guest/blob.o: guest/s2guest/blob.S $(GB)/s2guest.img
	@mkdir -p $(@D)
	@echo "  AS      $<"; $(GUEST_CC) $(GUEST_ASFLAGS) -DS2GUEST_BIN='"$(GB)/s2guest.img"' -c $< -o $@
$(GB)/stage2.elf: $(GB)/guest/s2guest/blob.o

$(GB)/%.bin: $(GB)/%.elf
	@[ -f $< ] || exit 0; $(GUEST_OBJCOPY) -O binary $< $@ && \
	scripts/embed-checksum $@ $< $(GUEST_OBJCOPY) && \
	scripts/check-image $@ && \
	touch $@	# embed-checksum rewrote the ELF after the binary was cut

include guest/efi.mk

-include $(shell find $(GB) -name '*.d' 2>/dev/null)

# The guest suite on QEMU: as configured, then with every test at -smp 1
# and at -smp 4 (tests.cfg has EL1 and EL2 entries for each).
.PHONY: run-qemu check-guest
run: run-qemu
run-qemu: guest-built
	./run_tests.sh -j2
check: check-guest
check-guest: guest-built
	./run_tests.sh -j2
	./run_tests.sh -j2 --smp 1
	./run_tests.sh -j2 --smp 4
	tests/guest-negative.sh
	scripts/check-cmo-doc $(BUILD)
.DELETE_ON_ERROR:

.PHONY: bench-guest
bench: bench-guest
bench-guest: guest
	@scripts/bench-guest.sh
