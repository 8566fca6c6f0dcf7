#!/usr/bin/env bash
# Command-line faults of `coherent run`: files that are not regular files,
# an ELF that does not belong to the image, numbers, option names, signals
# and a closed stdout, and the --json file (docs/usage.md).
# usage: cli_tests.sh COHERENT IMAGE_DIR   (IMAGE_DIR: build/checker/guest)
set -euo pipefail
coherent=$1 dir=$2
OBJCOPY=${OBJCOPY:-aarch64-linux-gnu-objcopy}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0 n=0

ok()  { n=$((n + 1)); echo "ok   $1"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "FAIL $1: $2"; sed 's/^/     | /' "$t/err" | head -20; }

# run NAME WANT_RC ARGS...: coherent run ARGS with stdout in $t/out and
# stderr in $t/err; a hang is killed after 20 s (status 137).
run() {
	local name=$1 want=$2; shift 2
	rc=0
	timeout -s KILL 20 "$coherent" run "$@" >"$t/out" 2>"$t/err" || rc=$?
	if [[ $rc -ne $want ]]; then bad "$name" "exit $rc, want $want"; return 1; fi
}
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
	if grep -q '^coherent: stale-load .*pc 0x[0-9a-f]*: ldr' "$t/err"; then ok beside-other-nosym
	else bad beside-other-nosym "the finding has a symbol from the wrong ELF"; fi
fi
cp "$dir/stale-spin.elf" "$t/spin.elf"
run beside-same 124 --max-insns 100000 "$t/spin.bin" && err_has beside-same "pc 0x40080034 _start+0x34: ldr"

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
	err_has "sig$sig-summary" "coherent: 1 finding (1 occurrence)"
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
	err_has sigPIPE-summary "coherent: 1 finding (1 occurrence)"
	if python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["count"] == 1' \
		"$t/sig.json" 2>/dev/null; then ok sigPIPE-json; else bad sigPIPE-json "no JSON with the finding"; fi
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

# ---- 7. firmware: --bios, --pflash1, a kernel for fw_cfg ----
run bios-noarg 64 --bios && err_has bios-noarg "--bios needs a firmware file"
run bios-missing 125 --bios "$t/no-such.fd" && err_has bios-missing "$t/no-such.fd: cannot open"
run bios-fifo 125 --bios "$t/fifo.bin" && err_has bios-fifo "fifo.bin: not a regular file (a FIFO)"
truncate -s 65M "$t/big.fd"
run bios-big 125 --bios "$t/big.fd" && err_has bios-big "larger than the 64 MiB flash bank"
run pflash1-missing 125 --pflash1 "$t/no-vars.fd" "$dir/hello.elf" && err_has pflash1-missing "$t/no-vars.fd: cannot open for writing"
run pflash1-fifo 125 --pflash1 "$t/fifo.elf" "$dir/hello.elf" && err_has pflash1-fifo "fifo.elf: not a regular file (a FIFO)"
run bios-kernel-missing 125 --bios "$dir/hello.bin" "$t/no-kernel" && err_has bios-kernel-missing "$t/no-kernel"

echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
