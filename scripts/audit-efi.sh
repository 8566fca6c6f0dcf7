#!/usr/bin/env bash
# The EFI part of docs/audit.md (called by scripts/audit-all.sh): the CMO
# necessity audit of one test booted through edk2, its .efi given to the
# firmware as the kernel (QEMU -bios with -kernel).
#
# The model runs edk2 at about 0.25 MIPS (3.4e8 instructions to the
# image: 25 minutes a run), so the audit starts the model where the image
# starts maintaining its caches (--model-after, docs/model.md "Starting
# mid-run"), and lists only the image's sites, its ELF placed where edk2
# loaded it (--kernel-elf-at). Both come from one run without the model,
# which records every site with the instruction count of its first
# quantum (coherent run --audit-record):
#   load address  the site of efi_takeover's IC IALLU, less that
#                 instruction's offset in the ELF;
#   model start   the first quantum of the earliest site inside the image
#                 (efi_entry cleaning the image to the PoC).
# usage: audit-efi.sh COHERENT FIRMWARE EFI ELF [coherent run options]
# Prints the table (coherent audit) or "(audit failed: ...)"; exit 1 then.
set -u
coherent=$1 fw=$2 efi=$3 elf=$4
shift 4
objdump=${OBJDUMP:-aarch64-linux-gnu-objdump}
rec=$(mktemp "${TMPDIR:-/tmp}/audit-efi.XXXXXX")
trap 'rm -f "$rec"' EXIT

fail() { echo "(audit failed: $*)"; exit 1; }

"$coherent" run --no-model --audit-record "$rec" "$@" --bios "$fw" "$efi" \
	</dev/null >/dev/null 2>&1 || fail "the run without the model exited $?"
off=$("$objdump" -d --disassemble=efi_takeover "$elf" |
	awk '$3 == "ic" && $4 == "iallu" { sub(":", "", $1); print "0x" $1; exit }')
[[ -n $off ]] || fail "no IC IALLU in efi_takeover of $elf"
size=$(stat -c %s "$efi")
# S lines: S key ops calls location; T lines: T key first-quantum.
read -r load start < <(python3 - "$rec" "$off" "$size" <<'PY'
import sys
off, size = int(sys.argv[2], 0), int(sys.argv[3])
load, first = None, {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "S" and f[2].startswith("IC IALLU"):
        k = int(f[1], 0) - off
        if k > 0 and k % 4096 == 0:
            load = k
    elif f[0] == "T":
        first[int(f[1], 0)] = int(f[2])
if load:
    inside = [n for k, n in first.items() if load <= k < load + size]
    if inside:
        print(hex(load), min(inside))
PY
)
[[ -n ${load:-} && -n ${start:-} ]] ||
	fail "no site of the image found in the run without the model"
# The model needs a start past 0; the earliest site has edk2 before it.
((start > 0)) || fail "the image's first site is in the first quantum"
printf 'Load address %s, model from instruction %s.\n\n' "$load" "$start"
"$coherent" audit -j "${AUDIT_JOBS:-2}" --model-after "$start" \
	--kernel-elf-at "$load" "$@" --bios "$fw" "$efi" </dev/null ||
	fail "coherent audit exited $?"
