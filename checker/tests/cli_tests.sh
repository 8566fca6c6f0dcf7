#!/usr/bin/env bash
# Command-line faults of `coherent run`: files that are not regular files,
# an ELF that does not belong to the image, numbers, option names, signals
# and a closed stdout, the --json file, suppressions, --dtb/--initrd/
# --dump-dtb (docs/usage.md), and QEMU's command line through the
# qemu-system-aarch64 name (docs/machine.md).
# usage: cli_tests.sh COHERENT IMAGE_DIR LITMUS_ELF CMODX_ELF
#   IMAGE_DIR: build/checker/guest; LITMUS_ELF: a guest that passes with
#   one finding (build/litmus/mmuoff-write-cached-read-broken.elf);
#   CMODX_ELF: one that passes with one note, no finding
#   (build/litmus/cmodx-patch-fixed.elf)
set -euo pipefail
coherent=$1 dir=$2 lit=$3 cmodx=$4
OBJCOPY=${OBJCOPY:-aarch64-linux-gnu-objcopy}
source "$(dirname "$0")/cli_lib.sh"
# err_has NAME TEXT: the last run's stderr contains TEXT (fixed string).
err_has() {
	if grep -qF -- "$2" "$t/err"; then ok "$1"; else bad "$1" "stderr lacks '$2'"; fi
}

# ---- 1. not a regular file: refused at once, not read forever ----
mkfifo "$t/fifo.bin" "$t/fifo.elf"
run fifo-image 125 "$t/fifo.bin" && err_has fifo-image "fifo.bin: not a regular file"
run fifo-elf 125 --elf "$t/fifo.elf" "$dir/hello.elf" && err_has fifo-elf "fifo.elf: not a regular file"
cp "$dir/hello.bin" "$t/fifo-beside.bin"
mkfifo "$t/fifo-beside.elf"
run fifo-beside 0 "$t/fifo-beside.bin" && err_has fifo-beside "fifo-beside.elf: not a regular file"
run dir-elf 125 --elf "$t" "$dir/hello.elf" && err_has dir-elf "not a regular file"

# ---- 2. the ELF must be the image's ----
# A host executable: not AArch64 (on an arm64 host its bytes differ).
run elf-foreign 125 --elf "$coherent" "$dir/hello.bin" && err_has elf-foreign "--elf $coherent"
run elf-other 125 --elf "$dir/smp.elf" "$dir/hello.bin" && err_has elf-other "does not match"
# The ELF beside the image: a mismatch is a warning and no symbols (a
# wrong symbol is worse than none); the matching one gives symbols.
cp "$dir/stale-spin.bin" "$t/spin.bin"
cp "$dir/hello.elf" "$t/spin.elf"
if run beside-other 124 --max-insns 100000 "$t/spin.bin"; then
	err_has beside-other-warn "$t/spin.elf does not match $t/spin.bin"
	if grep -q '^  first: PE0 pc 0x[0-9a-f]*: ldr' "$t/err"; then ok beside-other-nosym
	else bad beside-other-nosym "the finding has a symbol from the wrong ELF"; fi
fi
cp "$dir/stale-spin.elf" "$t/spin.elf"
run beside-same 124 --max-insns 100000 "$t/spin.bin" && err_has beside-same "pc 0x40080034 _start+0x34: ldr"
# kvm-unit-tests' NAME.flat has its NAME.elf beside it.
cp "$dir/stale-spin.bin" "$t/kut.flat"
cp "$dir/stale-spin.elf" "$t/kut.elf"
run beside-flat 124 --max-insns 100000 "$t/kut.flat" && err_has beside-flat "pc 0x40080034 _start+0x34: ldr"

# ---- 3. symbol names are escaped on the terminal and in JSON ----
# ESC, a byte that is never UTF-8, a tab, a cut-short sequence, and a
# valid "é" that must be kept.
"$OBJCOPY" --redefine-sym "weird_name=$(printf 'w\033[31m\377\t\342\202x\303\251')" \
	"$dir/stale-chatter.elf" "$t/weird.elf"
if run weird 124 --max-insns 100000 --json "$t/weird.json" "$t/weird.elf"; then
	err_has weird-term 'w\x1b[31m\xff\x09\xe2\x82xé+0x0'
	if LC_ALL=C grep -q $'\033' "$t/err"; then bad weird-term-raw "raw ESC on the terminal"; else ok weird-term-raw; fi
	if python3 -c 'import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
assert j["findings"][0]["symbol"] == "w\x1b[31m\ufffd\t\ufffd\ufffdx\u00e9", j["findings"][0]["symbol"]' \
		"$t/weird.json" 2>"$t/err"; then ok weird-json; else bad weird-json "invalid JSON or symbol"; fi
fi

# ---- 4. numbers are decimal; errors name the option ----
run smp-octal 64 --smp 010x "$dir/hello.elf" && err_has smp-octal "--smp: '010x'"
run smp-08 0 --smp 08 "$dir/hello.elf" && ok smp-08-decimal
run mem-hex 64 -m 0x80 "$dir/hello.elf" && err_has mem-hex "-m: '0x80'"
run insns-hex 64 --max-insns 0x100 "$dir/hello.elf" && err_has insns-hex "--max-insns: '0x100'"
run unknown 64 --bogus "$dir/hello.elf" && err_has unknown "unknown option '--bogus'"
rc=0
ASAN_OPTIONS=allocator_may_return_null=1 timeout -s KILL 20 "$coherent" run -m 65536 "$dir/hello.elf" >"$t/out" 2>"$t/err" || rc=$?
if [[ $rc -eq 0 ]]; then
	n=$((n + 1)); echo "SKIP mem-huge: this host allocated 64 GiB of guest RAM"
elif [[ $rc -eq 125 ]]; then
	err_has mem-huge "65536 MiB of guest RAM (-m 65536)"
else
	bad mem-huge "exit $rc, want 125"
fi

# ---- 5. a stopped run keeps its findings, JSON and last console line ----
# sigrun SIGNAL WANT_RC: stale-spin stopped by SIGNAL once its guest runs
# (its first console line is out: a signal before the run starts has no
# findings to keep, and a loaded host may take seconds to get there). A
# background job of a script starts with SIGINT ignored, which coherent
# keeps (docs/usage.md): env gives the run the default disposition.
sigrun() {
	local sig=$1 want=$2 rc=0 pid i
	rm -f "$t/sig.json" "$t/out"
	env --default-signal=INT,TERM "$coherent" run --json "$t/sig.json" \
		"$dir/stale-spin.elf" >"$t/out" 2>"$t/err" &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[[ -s $t/out ]] && grep -q 'line one' "$t/out" && break
		sleep 0.1
	done
	sleep 0.2
	kill -s "$sig" "$pid"
	wait "$pid" || rc=$?
	if [[ $rc -ne $want ]]; then bad "sig$sig" "exit $rc, want $want"; return; fi
	err_has "sig$sig-summary" "SUMMARY: coherent: 1 root cause, 1 finding (1 occurrence)"
	err_has "sig$sig-why" "stopped by SIG$sig"
	if [[ $(<"$t/out") == $'line one\npartial' ]]; then ok "sig$sig-console"
	else bad "sig$sig-console" "stdout is '$(<"$t/out")'"; fi
	if python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["count"] == 1' \
		"$t/sig.json" 2>/dev/null; then ok "sig$sig-json"; else bad "sig$sig-json" "no JSON with the finding"; fi
}
sigrun TERM 143
sigrun INT 130
# stdout closed by its reader: the findings still go to stderr and JSON.
rm -f "$t/sig.json"
{
	rc=0
	timeout -s KILL 20 "$coherent" run --json "$t/sig.json" "$dir/stale-chatter.elf" \
		2>"$t/err" || rc=$?
	echo "$rc" >"$t/rc"
} | head -1 >"$t/out"
rc=$(<"$t/rc")
if [[ $rc -ne 141 ]]; then bad sigPIPE "exit $rc, want 141"
else
	err_has sigPIPE-summary "SUMMARY: coherent: 1 root cause, 1 finding (1 occurrence)"
	if python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["count"] == 1' \
		"$t/sig.json" 2>/dev/null; then ok sigPIPE-json; else bad sigPIPE-json "no JSON with the finding"; fi
fi

# ---- 5b. root causes by default, every finding with --verbose ----
# stale-spin: one stale load in a loop. The default report is its root
# cause (paragraph, table, SUMMARY) without the per-finding block.
if run rc-default 124 --max-insns 100000 "$dir/stale-spin.elf"; then
	err_has rc-head "coherent: root cause 1 of 1: stale-load ("
	err_has rc-fix "  fix: "
	err_has rc-table "coherent: root causes, largest first:"
	if [[ $(tail -n 1 "$t/err") == "SUMMARY: coherent: 1 root cause, 1 finding ("* ]]; then ok rc-summary-last
	else bad rc-summary-last "last line '$(tail -n 1 "$t/err")'"; fi
	if grep -q '^coherent: stale-load (may) on PE' "$t/err"; then bad rc-quiet "per-finding block without --verbose"; else ok rc-quiet; fi
fi
if run rc-verbose 124 --max-insns 100000 --verbose "$dir/stale-spin.elf"; then
	err_has rc-verbose-finding "coherent: stale-load (may) on PE 0"
	err_has rc-verbose-history "  history of line 0x"
	err_has rc-verbose-cause "coherent: root cause 1 of 1: stale-load ("
fi

# ---- 5c. suppressions: generated, read back, malformed ----
if run supp-gen 126 --gen-suppressions "$lit"; then
	grep '^stale-load ' "$t/err" >"$t/gen.supp" || true
	if [[ $(<"$t/gen.supp") == "stale-load litmus_main mmuoff-write-cached-read.S" ]]; then ok supp-gen-entry
	else bad supp-gen-entry "entries '$(<"$t/gen.supp")'"; fi
fi
if run supp-match 0 --suppressions "$t/gen.supp" --json "$t/supp.json" "$lit"; then
	err_has supp-count "SUMMARY: coherent: 0 root causes, 0 findings; 1 suppressed (1 occurrence)"
	if python3 -c 'import json, sys; j = json.load(open(sys.argv[1]))
assert j["count"] == 0 and j["suppressed"] == 1, j' "$t/supp.json" 2>/dev/null; then ok supp-json
	else bad supp-json "JSON count/suppressed wrong"; fi
fi
printf '# not this one\nstale-load other_fn *\n* litmus_main *.c\n' >"$t/miss.supp"
run supp-miss 126 --suppressions "$t/miss.supp" "$lit" && err_has supp-miss "SUMMARY: coherent: 1 root cause, 1 finding (1 occurrence)"
printf 'stale-* litmus_m?in\n' >"$t/glob.supp"
run supp-kindglob 64 --suppressions "$t/glob.supp" "$lit" && err_has supp-kindglob "glob.supp:1: unknown finding kind 'stale-*'"
printf '* litmus_m?in mmuoff-*.S\n' >"$t/glob.supp"
run supp-glob 0 --suppressions "$t/glob.supp" "$lit" && err_has supp-glob "1 suppressed"
printf 'stale-load x\n\nstale-lod litmus_main\n' >"$t/bad.supp"
run supp-badkind 64 --suppressions "$t/bad.supp" "$lit" && err_has supp-badkind "bad.supp:3: unknown finding kind 'stale-lod'"
printf 'stale-load\n' >"$t/bad.supp"
run supp-nosym 64 --suppressions "$t/bad.supp" "$lit" && err_has supp-nosym "bad.supp:1: no symbol pattern"
printf 'stale-load a b c\n' >"$t/bad.supp"
run supp-fields 64 --suppressions "$t/bad.supp" "$lit" && err_has supp-fields "bad.supp:1: more than three fields"
run supp-nofile 64 --suppressions "$t/none.supp" "$lit" && err_has supp-nofile "none.supp: No such file"
run supp-noarg 64 --suppressions && err_has supp-noarg "--suppressions needs a file"

# ---- 5d. notes: in --verbose and the JSON, not findings ----
run note-quiet 0 "$cmodx"
if grep -q 'note\|SUMMARY' "$t/err"; then bad note-quiet "a note without --verbose"; else ok note-quiet; fi
run note-verbose 0 --verbose --json "$t/note.json" "$cmodx" &&
	err_has note-verbose "coherent: note: stale-fetch (not a finding) on PE 0 at EL1, pc 0x40082000 code+0x0: b #0x40082008" &&
	err_has note-before "  before the modification: nop"
if python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(not (j["count"] == 0 and len(j["notes"]) == 1 and j["notes"][0]["before"] == "nop"))' "$t/note.json"; then
	ok note-json
else
	bad note-json "want no finding and one note before which was a nop: $(cat "$t/note.json")"
fi

# ---- 6. --json is checked before the run ----
run json-nodir 125 --json "$t/no/such/dir/x.json" "$dir/hello.elf" && err_has json-nodir "$t/no/such/dir/x.json"
if grep -q "hello from coherent" "$t/out"; then bad json-nodir-early "the guest ran first"; else ok json-nodir-early; fi
cp "$dir/hello.elf" "$t/self.elf"
run json-image 64 --json "$t/self.elf" "$t/self.elf" && err_has json-image "is the image"
if cmp -s "$dir/hello.elf" "$t/self.elf"; then ok json-image-kept; else bad json-image-kept "the image was overwritten"; fi
cp "$dir/hello.bin" "$t/h.bin"
cp "$dir/hello.elf" "$t/h.elf"
ln "$t/h.elf" "$t/h-link.json"
run json-elf 64 --json "$t/h-link.json" "$t/h.bin" && err_has json-elf "is the ELF"
if cmp -s "$dir/hello.elf" "$t/h.elf"; then ok json-elf-kept; else bad json-elf-kept "the ELF was overwritten"; fi

# ---- 7. --dtb, --initrd, --dump-dtb: bad files are refused at once ----
run dtb-missing 125 --dtb "$t/no.dtb" "$dir/hello.bin" && err_has dtb-missing "--dtb $t/no.dtb: cannot open"
run dtb-junk 125 --dtb "$dir/hello.bin" "$dir/hello.bin" && err_has dtb-junk "--dtb $dir/hello.bin: not a device tree blob"
run dtb-fifo 125 --dtb "$t/fifo.bin" "$dir/hello.bin" && err_has dtb-fifo "fifo.bin: not a regular file"
run initrd-dir 125 --initrd "$t" "$dir/hello.bin" && err_has initrd-dir "--initrd $t: not a regular file"
run gic-4 64 --gic-version 4 "$dir/hello.bin" && err_has gic-4 "--gic-version: '4'"
run gic2-smp9 64 --gic-version 2 --smp 9 "$dir/hello.bin" && err_has gic2-smp9 "at most 8 PEs"
if run dump 0 --gic-version 2 --smp 2 -m 256 --append "a b" --dump-dtb "$t/d.dtb" "$dir/hello.bin"; then
	if dtc -q -I dtb -O dts "$t/d.dtb" 2>/dev/null | grep -q 'bootargs = "a b"' &&
	   dtc -q -I dtb -O dts "$t/d.dtb" | grep -q 'compatible = "arm,cortex-a15-gic"'; then
		ok dump-contents; else bad dump-contents "no bootargs or GICv2 node in the dump"; fi
	if grep -q "hello from coherent" "$t/out"; then bad dump-norun "the guest ran"; else ok dump-norun; fi
fi
# The dumped tree given back: the guest runs with it.
run dtb-given 0 --dtb "$t/d.dtb" "$dir/hello.bin" && ok dtb-given

# ---- 8. qemu-system-aarch64: QEMU's command line ----
ln -s "$(realpath "$coherent")" "$t/qemu-system-aarch64"
# qrun NAME WANT_RC ARGS...: the front end, as run() runs coherent run.
qrun() {
	local name=$1 want=$2; shift 2
	rc=0
	timeout -s KILL 20 "$t/qemu-system-aarch64" "$@" >"$t/out" 2>"$t/err" || rc=$?
	if [[ $rc -ne $want ]]; then bad "$name" "exit $rc, want $want"; return 1; fi
}
out_has() {
	if grep -qF -- "$2" "$t/out"; then ok "$1"; else bad "$1" "stdout lacks '$2'"; fi
}
# kvm-unit-tests' arm/run command line (scripts/arch-run.bash), as is.
kut=(-nodefaults -machine virt -accel tcg -cpu max -device virtio-serial-device
     -device virtconsole,chardev=ctd -chardev testdev,id=ctd -display none -serial stdio)
qrun kut-hello 0 "${kut[@]}" -kernel "$dir/hello.bin" -smp 1 -append 'x y' && out_has kut-hello "hello from coherent"
# The guest's EXIT: STATUS=n is the exit status, as QEMU's chr-testdev
# gives it ((code << 1) | 1: kvm-unit-tests' arm/run reads it).
qrun kut-status 77 "${kut[@]}" -kernel "$dir/status.elf" && out_has kut-status "EXIT: STATUS=77"
# A finding fails the run (126) though the guest passed (STATUS=1 is
# kvm-unit-tests' pass); the console keeps its EXIT line, the finding
# goes to stderr. coherent run keeps 1 (a failed guest, its own status).
qrun kut-finding 126 "${kut[@]}" -kernel "$dir/stale-exit.elf" && err_has kut-finding "SUMMARY: coherent: 1 root cause, 1 finding"
[[ $(<"$t/out") == "EXIT: STATUS=1" ]] && ok kut-finding-stdout || bad kut-finding-stdout "stdout is '$(<"$t/out")'"
run finding-run 1 "$dir/stale-exit.elf" && err_has finding-run "SUMMARY: coherent: 1 root cause, 1 finding"
rc=0; COHERENT_MODEL=off timeout -s KILL 20 "$t/qemu-system-aarch64" "${kut[@]}" \
	-kernel "$dir/stale-exit.elf" >"$t/out" 2>"$t/err" || rc=$?
[[ $rc -eq 1 && ! -s $t/err ]] && ok model-off || bad model-off "exit $rc, want 1 and no stderr"
rc=0; COHERENT_MODEL=maybe "$t/qemu-system-aarch64" -kernel "$dir/hello.bin" >"$t/out" 2>"$t/err" || rc=$?
[[ $rc -eq 1 ]] && err_has model-bad "COHERENT_MODEL=maybe" || bad model-bad "exit $rc, want 1"
rc=0; COHERENT_ARGS="--max-insns 100000 --json $t/q.json" timeout -s KILL 20 "$t/qemu-system-aarch64" \
	-kernel "$dir/stale-spin.elf" >"$t/out" 2>"$t/err" || rc=$?
[[ $rc -eq 124 && -s $t/q.json ]] && ok coherent-args || bad coherent-args "exit $rc, want 124 and $t/q.json"
rc=0; COHERENT_ARGS="--bogus" "$t/qemu-system-aarch64" -kernel "$dir/hello.bin" >"$t/out" 2>"$t/err" || rc=$?
[[ $rc -eq 1 ]] && err_has coherent-args-bad "unknown option '--bogus'" || bad coherent-args-bad "exit $rc, want 1"
qrun el2-gic3 0 -M virt,gic-version=3,virtualization=on -cpu max -smp 2 -m 64M -nographic \
	-no-reboot -kernel "$dir/el2.elf" && ok el2-gic3
qrun mem-g 0 -machine virt,gic-version=max,dumpdtb="$t/q.dtb" -m 2G
if dtc -q -I dtb -O dts "$t/q.dtb" | grep -q 'reg = <0x00 0x40000000 0x00 0x80000000>' &&
   dtc -q -I dtb -O dts "$t/q.dtb" | grep -q 'compatible = "arm,gic-v3"'; then ok dumpdtb
else bad dumpdtb "no 2 GiB memory node or GICv3 node in $t/q.dtb"; fi
# Probes harnesses make before they run anything.
qrun probe-help 0 -h && out_has probe-help "QEMU emulator version"
qrun probe-machine 0 -machine '?' && out_has probe-machine "ARM Virtual Machine"
qrun probe-virt 0 -machine virt,help && out_has probe-virt "gic-version"
qrun probe-device 0 -machine virt -device '?' && out_has probe-device "virtconsole"
qrun probe-chardev 0 -chardev help && out_has probe-chardev "testdev"
# kvm-unit-tests' premature_failure() needs QEMU's words for no kernel.
qrun no-kernel-file 1 -kernel _NO_FILE_4Uhere_ -smp 2 && err_has no-kernel-file "could not load kernel '_NO_FILE_4Uhere_'"
qrun no-kernel 1 -machine virt && err_has no-kernel "no -kernel"
# -bios: QEMU's words for a firmware file it cannot load.
qrun bios-no-file 1 -bios _NO_ROM_4Uhere_ && err_has bios-no-file "Could not load ROM image '_NO_ROM_4Uhere_'"
qrun bios-append-alone 1 -bios "$dir/hello.bin" -append x &&
	err_has bios-append-alone "-append only allowed with -kernel option"
# -fw_cfg goes through to --fw-cfg.
qrun fwcfg-front 125 -fw_cfg opt/a -kernel "$dir/hello.elf" &&
	err_has fwcfg-front "-fw_cfg opt/a: name, plus exactly one of"
qrun initrd-no-kernel 1 -machine virt,dumpdtb="$t/q.dtb" -initrd "$dir/hello.bin" &&
	err_has initrd-no-kernel "-initrd only allowed with -kernel option"
# Refused: one line naming the option, exit 1.
refused() {
	local name=$1 want=$2; shift 2
	if qrun "$name" 1 "$@" -kernel "$dir/hello.bin"; then
		if [[ $(wc -l <"$t/err") -eq 1 ]]; then err_has "$name" "$want"
		else bad "$name" "not one line"; fi
	fi
}
refused mte "-machine virt,mte=on: MTE" -machine virt,mte=on
refused secure "secure=on" -machine virt,secure=on
refused acpi-on "ACPI tables are not modelled" -machine virt,acpi=on
refused gic-host "gic-version is 2, 3 or max" -machine virt,gic-version=host
refused machine-other "-machine raspi3b" -machine raspi3b
refused machine-prop "-machine virt,iommu=smmuv3" -machine virt,iommu=smmuv3
refused cpu-a53 "-cpu cortex-a53" -cpu cortex-a53
refused cpu-sve "feature 'sve=on'" -cpu max,sve=on
refused cpu-aarch32 "feature 'aarch64=off'" -cpu host,aarch64=off
refused accel-kvm "-accel kvm" -accel kvm
refused smp-topo "-smp 2,sockets=2" -smp 2,sockets=2
refused mem-frac "-m 1.5G" -m 1.5G
refused mem-huge "-m 65G" -m 65G
refused smp-0 "-smp 0" -smp 0
refused pci-testdev "-device pci-testdev" -device pci-testdev
refused chardev-pty "-chardev pty,id=x" -chardev pty,id=x
refused serial "-serial mon:stdio" -serial mon:stdio
refused display "-display gtk" -display gtk
refused gdb "-S: option not supported" -S
refused disk "disk.img: a disk image" disk.img
qrun q-gic2-smp9 1 -machine virt,gic-version=2 -smp 9 -kernel "$dir/hello.bin" && err_has q-gic2-smp9 "at most 8 CPUs"
# Accepted and harmless.
qrun harmless 0 -machine virt,highmem=off,its=off,acpi=off,accel=tcg -cpu max,sve=off,pauth=off \
	-accel tcg,thread=single --nographic -smp cpus=2 -m size=64 -kernel "$dir/hello.bin" && ok harmless

# ---- 7. firmware: --bios, --pflash1, a kernel for fw_cfg ----
run bios-noarg 64 --bios && err_has bios-noarg "--bios needs a firmware file"
run bios-missing 125 --bios "$t/no-such.fd" && err_has bios-missing "$t/no-such.fd: cannot open"
run bios-fifo 125 --bios "$t/fifo.bin" && err_has bios-fifo "fifo.bin: not a regular file (a FIFO)"
truncate -s 65M "$t/big.fd"
run bios-big 125 --bios "$t/big.fd" && err_has bios-big "larger than the 64 MiB flash bank"
run pflash1-missing 125 --pflash1 "$t/no-vars.fd" "$dir/hello.elf" && err_has pflash1-missing "$t/no-vars.fd: cannot open for writing"
run pflash1-fifo 125 --pflash1 "$t/fifo.elf" "$dir/hello.elf" && err_has pflash1-fifo "fifo.elf: not a regular file (a FIFO)"
run bios-kernel-missing 125 --bios "$dir/hello.bin" "$t/no-kernel" && err_has bios-kernel-missing "$t/no-kernel"
# --fw-cfg (QEMU's -fw_cfg): QEMU's words, before the run.
run fwcfg-noarg 64 --fw-cfg && err_has fwcfg-noarg "--fw-cfg needs name=NAME,file=FILE"
run fwcfg-neither 125 --fw-cfg opt/a "$dir/hello.elf" &&
	err_has fwcfg-neither "name, plus exactly one of file, string and gen_id, are needed"
run fwcfg-dup 125 --fw-cfg opt/a,string=1 -fw_cfg name=opt/a,string=2 "$dir/hello.elf" &&
	err_has fwcfg-dup "duplicate fw_cfg file name: opt/a"
run fwcfg-nofile 125 --fw-cfg "opt/a,file=$t/no-such" "$dir/hello.elf" &&
	err_has fwcfg-nofile "$t/no-such: cannot open"
run fwcfg-warn 0 --fw-cfg etc/a,string=1 "$dir/hello.elf" &&
	err_has fwcfg-warn "should be prefixed with \"opt/\""

# ---- 8. boot contracts: names, old names, all ----
run contract-bad 64 --boot-contract=bogus "$dir/hello.bin" &&
	err_has contract-bad "--boot-contract is firmware, booting, reset, kvm or all"
run contract-alias 126 --boot-contract=loaded "$lit" &&
	err_has contract-alias "  contract firmware: a line outside the loaded image"
run contract-kvm 126 --boot-contract=kvm "$lit" &&
	err_has contract-kvm "  contract kvm: every line of guest RAM may be allocated"
run contract-reset 0 --boot-contract=clean "$lit" && ok contract-reset
# all: one report, the root cause tagged, one console, the JSON merged.
if run contract-all 126 --boot-contract=all --json "$t/all.json" "$lit"; then
	err_has contract-all "  under: firmware booting kvm; not under: reset"
	if [[ $(grep -c 'EXIT: STATUS=0' "$t/out") == 1 ]]; then ok contract-all-console
	else bad contract-all-console "not one console"; fi
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["root_causes"][0]["contracts"] == ["firmware","booting","kvm"], d; assert len(d["findings"]) == 3' "$t/all.json" 2>"$t/err"
	then ok contract-all-json; else bad contract-all-json "$(cat "$t/err")"; fi
fi
run contract-all-bad 125 --boot-contract=all "$t/no-such.bin" && err_has contract-all-bad "no-such.bin"

# ---- 9. --model-after, --kernel-elf-at (docs/model.md "Starting mid-run") ----
# The litmus's finding comes after its first instruction: the model
# attached after one still sees it; one attached past the end sees
# nothing, and the run says the model never started.
run model-after-1 126 --model-after 1 "$lit" && err_has model-after-1 "stale-load"
run model-after-end 0 --model-after 100000000 "$lit" &&
	err_has model-after-end "--model-after 100000000: the run ended after"
# The state it starts from: a line may be dirty past the PoU with memory
# stale, so RAM written and read with the MMU off without invalidating it
# first is reported (litmus/entry-dirty.S; silent under reset).
ed=$(dirname "$lit")/entry-dirty
run model-after-dirty 126 --model-after 1 "$ed-broken.elf" &&
	err_has model-after-dirty "stale-load (boot-dirty)"
run model-after-dirty-fixed 0 --model-after 1 "$ed-fixed.elf" && ok model-after-dirty-fixed
run model-after-zero 64 --model-after 0 "$lit"
run model-after-no-model 64 --model-after 5 --no-model "$lit" &&
	err_has model-after-no-model "need the model"
run model-after-contract 64 --model-after 5 --boot-contract=reset "$lit" &&
	err_has model-after-contract "no --boot-contract"
run kernel-at-no-bios 64 --kernel-elf-at 0x1000 "$lit" &&
	err_has kernel-at-no-bios "a kernel loaded by --bios"
run kernel-at-bad 64 --kernel-elf-at zz --bios "$lit" "$lit" &&
	err_has kernel-at-bad "--kernel-elf-at needs an address"

finish
