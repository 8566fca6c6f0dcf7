# UEFI: every guest image is also a PE/COFF application for AArch64
# (guest/boot/pe_header.S), entered at efi_entry (guest/lib/efi.c). The
# .efi is the same bytes as the .bin, under the name UEFI tools expect.
#   ./run_tests.sh --efi   the suite through edk2 (QEMU_EFI.fd)
#   make check-guest-efi   the same, part of make check
#   make bench-efi         boot time through edk2 (scripts/bench-efi.sh)

GUEST_EFI_IMAGES := $(GUEST_TESTS:%=$(GB)/%.efi)
guest-all: $(GUEST_EFI_IMAGES)

$(GB)/%.efi: $(GB)/%.bin $(GB)/efi-prereloc.ok
	@if [ -f $< ]; then cp $< $@; fi   # no .bin: a test that did not build (guest.mk)

# efi_entry runs before the image has relocated itself: its object must
# read nothing through the GOT (unrelocated) and hold no initialised
# pointers (data relocations). Checked here rather than trusted.
# (Each tool's output is read whole first: piped into grep -q, a failing
# objdump, or one killed by SIGPIPE, would let the check pass.)
$(GB)/efi-prereloc.ok: $(GB)/guest/lib/efi.o
	@relocs=$$($(CROSS)objdump -r -j .text $<) && sections=$$($(CROSS)readelf -SW $<) && \
	if grep -q GOT <<<"$$relocs" || grep -qE '\.rela\.(data|rodata)' <<<"$$sections"; then \
		echo "$<: GOT or data relocations in the pre-relocation EFI entry" >&2; exit 1; fi
	@touch $@

# make check: the whole suite through edk2 as well.
.PHONY: check-guest-efi bench-efi
check: check-guest-efi
check-guest-efi: guest-built
	./run_tests.sh -j2 --efi

bench: bench-efi
bench-efi: guest
	@scripts/bench-efi.sh
