# Cases for tests/runner/run.sh: the parts of kvm-unit-tests' config format
# and runner beyond the basics (check, disabled_if, kvmtool_params, machine,
# -a, errata), backtrace symbolisation and images that did not build.
# shellcheck shell=bash disable=SC2034,SC2016  # OUT/RC read by the helpers; $VARs literal

P3="(3 tests, 0 unexpected failures, 0 skipped)"

# kvm-unit-tests' arm/unittests.cfg syntax (kut-syntax.cfg, written here
# with every key and construct that file uses) parses and runs.
t_kut_syntax_parses() {
	cp "$HERE/kut-syntax.cfg" "$TMP/t.cfg"
	: >"$TMP/guest/one.flat"; : >"$TMP/guest/two.flat"
	runner -l
	expect_rc 0
	expect_out kut-setup kut-bare-args kut-max-smp kut-qemu-only kut-pmu kut-gic \
		kut-its-migration kut-timer kut-arm32 kut-checked kut-machine
	printf '1\n' >"$TMP/yes"
	CHECK=$TMP/yes=1 runner -a
	expect_rc 0
	expect_out "PASS kut-setup $P3" "PASS kut-bare-args $P3" "PASS kut-max-smp $P3" \
		"PASS kut-qemu-only $P3" "PASS kut-pmu $P3" "PASS kut-gic $P3" \
		"PASS kut-its-migration $P3" "PASS kut-timer $P3" "SKIP kut-arm32 (arch arm)" \
		"SKIP kut-bench (kvm not available)" "PASS kut-checked $P3" "PASS kut-machine $P3" \
		"10 passed, 0 failed, 2 skipped"
	expect_log_line kut-setup "note: kvmtool_params ignored (this runner starts QEMU or the checker, not kvmtool)"
	expect_log_line kut-gic "ARGV: gic-version=2"
	CHECK=$TMP/yes=1 runner --checker kut-qemu-only kut-timer
	expect_out "SKIP kut-qemu-only (disabled because: [[ \"\$TARGET\" != qemu ]])" \
		"PASS kut-timer $P3" "1 passed, 0 failed, 1 skipped"
}

# kvm-unit-tests' CPU cap, $((($MAX_SMP < N)?$MAX_SMP:N)): MAX_SMP when
# below N, else N (the setup's MAX_SMP is 4); any other arithmetic is
# refused.
t_smp_capped() {
	cfg <<-'EOF2'
	[below]
	file = a.bin
	smp = $((($MAX_SMP < 8)?$MAX_SMP:8))
	[capped]
	file = a.bin
	smp = $(( (${MAX_SMP} < 3) ? $MAX_SMP : 3 ))
	EOF2
	runner
	expect_rc 0
	local l
	read -r l <"$TMP/logs/below.log"
	[[ $l == *" -smp 4 "* ]] || fail "below: not -smp 4: $l"
	read -r l <"$TMP/logs/capped.log"
	[[ $l == *" -smp 3 "* ]] || fail "capped: not -smp 3: $l"
	malformed "3: bad smp value '\$((\$MAX_SMP+1))' (a number, \$MAX_SMP or \$(((\$MAX_SMP < N)?\$MAX_SMP:N)))" <<-'EOF2'
	[plus]
	file = a.bin
	smp = $(($MAX_SMP+1))
	EOF2
}

t_all_runs_nodefault() {
	cfg <<-'EOF2'
	[d]
	file = a.bin
	[nd]
	file = a.bin
	groups = nodefault slow
	EOF2
	runner -l
	expect_out d
	runner -l -a
	expect_out d nd
	runner -l -v -a
	expect_out "d	a.bin" "nd	a.bin"
}

t_check_key() {
	printf 'Y\n\n' >"$TMP/param"
	printf '0' >"$TMP/zero"
	cfg <<-EOF2
	[holds]
	file = a.bin
	check = $TMP/param=Y $TMP/zero=0
	[differs]
	file = a.bin
	check = $TMP/param=Y $TMP/zero=1
	[absent]
	file = a.bin
	check = $TMP/nothing=Y
	EOF2
	runner
	expect_rc 0
	expect_out "PASS holds $P3" "SKIP differs ($TMP/zero not equal to 1)" \
		"SKIP absent ($TMP/nothing not equal to Y)" "1 passed, 0 failed, 2 skipped"
	# CHECK replaces every test's list, as in kvm-unit-tests.
	CHECK="$TMP/zero=0" runner
	expect_line "3 passed, 0 failed, 0 skipped"
	# An empty CHECK is no CHECK (kvm-unit-tests: ${CHECK:-...}).
	CHECK= runner
	expect_line "1 passed, 0 failed, 2 skipped"
	CHECK="nonsense" runner
	expect_rc 2
	expect_out "run_tests.sh: CHECK: bad check 'nonsense' (want path=value, without blanks, a second '=' or wildcards)"
	malformed "3: bad check '/a/*=1' (want path=value, without blanks, a second '=' or wildcards)" <<-'EOF2'
	[x]
	file = a.bin
	check = /a/*=1
	EOF2
	malformed "3: bad check 'a=b=c' (want path=value, without blanks, a second '=' or wildcards)" <<-'EOF2'
	[x]
	file = a.bin
	check = a=b=c
	EOF2
}

t_disabled_if() {
	cfg <<-'EOF2'
	[qemu-only]
	file = a.bin
	disabled_if = [[ "$TARGET" != qemu ]]
	[not-on-tcg]
	file = a.bin
	disabled_if = [[ $ACCEL == tcg ]]
	[efi-and-qemu]
	file = a.bin
	disabled_if = [[ "$TARGET" != qemu ]] && [[ "${CONFIG_EFI}" = y ]]
	[and-chain]
	file = a.bin
	disabled_if = [[ $TARGET == qemu ]] && [[ $CONFIG_EFI == y ]]
	[or-chain]
	file = a.bin
	disabled_if = [[ $ARCH == arm ]] || ! [[ -n "$MACHINE" ]] || [[ $HOST == nohost ]]
	[or-true]
	file = a.bin
	disabled_if = [[ $ARCH == arm ]] || [[ $TARGET == coherent ]]
	[pattern]
	file = a.bin
	disabled_if = [[ $MACHINE == v* ]]
	[literal]
	file = a.bin
	disabled_if = [[ $MACHINE == "v*" ]]
	[always]
	file = a.bin
	disabled_if = true
	EOF2
	runner
	expect_rc 0
	expect_out "PASS qemu-only $P3" "SKIP not-on-tcg (disabled because: [[ \$ACCEL == tcg ]])" \
		"PASS efi-and-qemu $P3" "PASS and-chain $P3" "PASS or-chain $P3" "PASS or-true $P3" \
		"SKIP pattern (disabled because: [[ \$MACHINE == v* ]])" "PASS literal $P3" \
		"SKIP always (disabled because: true)" "6 passed, 0 failed, 3 skipped"
	runner --checker
	expect_line "SKIP qemu-only (disabled because: [[ \"\$TARGET\" != qemu ]])"
	expect_line "PASS not-on-tcg $P3"
	expect_line "SKIP or-true (disabled because: [[ \$ARCH == arm ]] || [[ \$TARGET == coherent ]])"
	: >"$TMP/guest/a.efi"; : >"$TMP/fw.fd"
	EFI_FIRMWARE=$TMP/fw.fd runner --efi efi-and-qemu and-chain
	expect_line "PASS efi-and-qemu $P3"
	expect_line "SKIP and-chain (disabled because: [[ \$TARGET == qemu ]] && [[ \$CONFIG_EFI == y ]])"
}

t_disabled_if_refuses_what_it_cannot_evaluate() {
	local p=$TMP/pwned
	local bad
	for bad in "[[ \$(touch $p) ]]" "[[ \`touch $p\` == x ]]" "touch $p" "[[ a -eq 1 ]]" \
		"[[ a == b" "[[ a == b ]] &&" "[[ a == b ]] ; touch $p" "[[ \$NOPE == y ]]" \
		"[[ a =~ b ]]" '[[ "a" == "b ]]'; do
		printf '[x]\nfile = a.bin\ndisabled_if = %s\n' "$bad" | cfg
		runner
		expect_rc 2
		[[ $OUT == "$TMP/t.cfg:3: disabled_if: "* ]] || { show_out; fail "'$bad': no clear error"; }
		[[ ! -e $p ]] || fail "'$bad' ran code"
	done
	printf '[x]\nfile = a.bin\ndisabled_if = [[ $NOPE == y ]]\n' | cfg
	runner
	expect_out "$TMP/t.cfg:3: disabled_if: unknown variable '\$NOPE' in \$NOPE (known: TARGET ACCEL MACHINE ARCH CONFIG_EFI HOST MAX_SMP)"
}

t_machine_key() {
	cfg <<-'EOF2'
	[v]
	file = a.bin
	machine = virt
	[other]
	file = a.bin
	machine = s390-ccw-virtio
	EOF2
	runner
	expect_rc 0
	expect_out "PASS v $P3" "SKIP other (machine s390-ccw-virtio only)" "1 passed, 0 failed, 1 skipped"
}

# The errata environment reaches the test as kvm-unit-tests passes it: a
# file of NAME=value lines given to QEMU as the initrd.
t_errata_environment() {
	cat >"$TMP/errata.txt" <<-'EOF2'
	#---------------:---------------:----------------
	# commit        : minimum kernel: summary
	#---------------:---------------:----------------
	aaaaaaaaaaaa    : 4.9           : fixed long ago
	bbbbbbbbbbbb    : 6.1.5         : fixed in a stable release
	cccccccccccc    : 6.2           : fixed later
	dddddddddddd    : 6.1           : overridden by the caller
	EOF2
	cfg <<-'EOF2'
	[e]
	file = a.bin
	EOF2
	local env=$TMP/logs/e.env first
	KERNEL_VERSION_STRING=6.1.0-18-amd64 ERRATA_dddddddddddd=n ERRATA_OTHER=1 runner
	expect_rc 0
	read -r first <"$TMP/logs/e.log"
	[[ $first == *" -initrd $env"* ]] || fail "no -initrd: $first"
	[[ $(<"$env") == $'ERRATA_OTHER=1\nERRATA_dddddddddddd=n\nERRATA_aaaaaaaaaaaa=y\nERRATA_bbbbbbbbbbbb=n\nERRATA_cccccccccccc=n\nERRATA_FORCE=y' ]] ||
		fail "environment:" "$(<"$env")"
	KERNEL_VERSION_STRING=6.2 runner
	[[ $(<"$env") == $'ERRATA_aaaaaaaaaaaa=y\nERRATA_bbbbbbbbbbbb=y\nERRATA_cccccccccccc=y\nERRATA_dddddddddddd=y\nERRATA_FORCE=y' ]] ||
		fail "environment at 6.2:" "$(<"$env")"
	# The checker takes it as --initrd.
	runner --checker
	read -r first <"$TMP/logs/e.log"
	[[ $first == *" --initrd $env "* ]] || fail "no --initrd for the checker: $first"
	# A named errata file that is not there, or a bad line: exit 2, saying what.
	ERRATATXT=$TMP/none.txt runner
	expect_rc 2
	expect_out "run_tests.sh: errata file '$TMP/none.txt' not found (ERRATATXT=$TMP/none.txt)"
	printf 'eeee : four.nine : x\n' >"$TMP/bad.txt"
	ERRATATXT=$TMP/bad.txt runner
	expect_rc 2
	expect_out "run_tests.sh: $TMP/bad.txt:1: bad minimum kernel version 'four.nine'"
	printf 'no colon here\n' >"$TMP/bad.txt"
	ERRATATXT=$TMP/bad.txt runner
	expect_rc 2
	expect_out "run_tests.sh: $TMP/bad.txt:1: want <commit>:<minimum kernel version>:<summary>, got 'nocolonhere'"
}

t_backtrace_symbolised() {
	local cc=aarch64-linux-gnu-gcc
	command -v "$cc" >/dev/null || fail "$cc not installed (scripts/install-deps installs it)"
	# A tiny ELF linked at 0, like a guest image: f at 0, g after it.
	printf 'int f(void)\n{\n\treturn 1;\n}\nint g(void)\n{\n\treturn f() + 1;\n}\n' >"$TMP/bt.c"
	"$cc" -g -O0 -nostdlib -static -Wl,-Ttext=0 -Wl,-e,f -o "$TMP/guest/a.elf" "$TMP/bt.c" ||
		fail "cannot build the test ELF"
	local g
	g=$(aarch64-linux-gnu-nm "$TMP/guest/a.elf" | while read -r a _ n; do [[ $n == g ]] && echo "0x${a##+(0)}"; done)
	g=0x$(printf '%x' "$g")
	cfg <<-EOF2
	[bt]
	file = a.bin
	test_args = 'status=1 bt=0x0,$g,0x0'
	[nobt]
	file = b.bin
	test_args = 'status=1 bt=0x10'
	EOF2
	runner
	expect_rc 1
	local log=$TMP/logs/bt.log
	grep -q "^run_tests.sh: backtrace symbolised (aarch64-linux-gnu-addr2line -a -f -i -p -e $TMP/guest/a.elf):$" "$log" ||
		fail "no symbolised backtrace:" "$(cat "$log")"
	grep -q "^0x0*: f at $TMP/bt.c:[23]$" "$log" || fail "frame 0x0 not resolved to f in bt.c:" "$(cat "$log")"
	grep -q "^0x0*${g#0x}: g at $TMP/bt.c:[67]$" "$log" ||
		fail "frame $g not resolved to g in bt.c:" "$(cat "$log")"
	[[ $(grep -c ': f at ' "$log") == 1 ]] || fail "a repeated offset resolved twice"
	expect_log_line nobt "run_tests.sh: backtrace not symbolised: no $TMP/guest/b.elf"
	# The result is the guest's, whatever the symbolisation appended.
	expect_line "FAIL bt $P3"
}

t_image_that_did_not_build() {
	printf 'guest/tests/b.c:3:1: error: expected declaration\n' >"$TMP/guest/b.broken"
	rm -f "$TMP/guest/b.bin"
	cfg <<-'EOF2'
	[fine]
	file = a.bin
	[broken]
	file = b.bin
	[absent]
	file = c.bin
	EOF2
	runner
	expect_rc 1
	expect_out "PASS fine $P3" "FAIL broken (image did not build: see $TMP/guest/b.broken)" \
		"FAIL absent (missing image $TMP/guest/c.bin)" "1 passed, 2 failed, 0 skipped"
	expect_log_line broken "guest/tests/b.c:3:1: error: expected declaration"
}

# scripts/guest-broken, which `make guest` and guest-built run after
# building with -k: a broken test is named and fails `make guest` only;
# a test neither built nor broken (the library failed) fails both.
t_guest_broken_script() {
	local s=$ROOT/scripts/guest-broken d=$TMP/guest
	: >"$d/c.broken"
	OUT=$("$s" 2 "$d" a b c 2>&1); RC=$?
	expect_rc 1
	expect_out "*** BROKEN guest test c: guest/tests/c.c did not build ($d/c.broken); the other tests are built"
	OUT=$("$s" --continue 2 "$d" a b c 2>&1); RC=$?
	expect_rc 0
	expect_line "*** going on with the other tests; the run reports c as FAIL"
	rm "$d/c.broken"
	OUT=$("$s" --continue 2 "$d" a b 2>&1); RC=$?
	expect_rc 1
	expect_out "*** guest build failed"
	OUT=$("$s" --continue 2 "$d" a b c 2>&1); RC=$?
	expect_rc 1
	expect_out "*** guest build failed (not built: c)"
	OUT=$("$s" 0 "$d" a b 2>&1); RC=$?
	expect_rc 0
	expect_out ""
}

# make standalone's scripts: self-contained (they run with the image
# directory gone, on the same bytes), with run_tests.sh's verdict and exit
# status for their one test, the log printed first.
t_standalone_scripts() {
	head -c 5000 /dev/urandom >"$TMP/guest/a.bin"
	: >"$TMP/guest/a.elf"
	local want
	want=$(cksum <"$TMP/guest/a.bin")
	cfg <<-'EOF2'
	[p]
	file = a.bin
	test_args = 'sum tests=5'
	[f]
	file = a.bin
	test_args = status=1
	[s]
	file = a.bin
	test_args = 'status=77 nosummary'
	[nd]
	file = a.bin
	groups = nodefault
	[gone]
	file = nothere.bin
	EOF2
	OUT=$(TESTS_CFG=$TMP/t.cfg GUEST_DIR=$TMP/guest "$ROOT/scripts/mkstandalone" "$TMP/sa" 2>&1); RC=$?
	expect_rc 1
	expect_out "mkstandalone: gone: no image $TMP/guest/nothere.bin (or its ELF): not generated" \
		"mkstandalone: 4 scripts in $TMP/sa"
	rm -rf "$TMP/guest"
	OUT=$("$TMP/sa/p" 2>&1); RC=$?
	expect_rc 0
	expect_line "KERNEL: $want"
	expect_line "EXIT: STATUS=0"$'\r'
	[[ ${OUT##*$'\n'} == "1 passed, 0 failed, 0 skipped" ]] || { show_out; fail "last line"; }
	expect_line "PASS p (5 tests, 0 unexpected failures, 0 skipped)"
	OUT=$("$TMP/sa/f" 2>&1); RC=$?
	expect_rc 1
	expect_line "FAIL f $P3"
	OUT=$("$TMP/sa/s" 2>&1); RC=$?
	expect_rc 0
	expect_line "SKIP s (all skipped)"
	OUT=$("$TMP/sa/nd" -t 2>&1); RC=$?
	expect_rc 0
	expect_line "ok 1 - nd"
	OUT=$("$TMP/sa/p" --bogus 2>&1); RC=$?
	expect_rc 2
	LOGDIR=$TMP/keep "$TMP/sa/f" >/dev/null 2>&1
	[[ -r $TMP/keep/f.log ]] || fail "LOGDIR did not keep the log"
}

# scripts/run-one: QEMU-style arguments become the one test's smp, mem,
# test_args and extra parameters.
t_run_one() {
	local r=$ROOT/scripts/run-one
	OUT=$("$r" "$TMP/guest/a.bin" -smp 3 -m 64M -append "status=1 it's" -device 'x y' 2>&1); RC=$?
	expect_rc 1
	local want="$QEMU -nodefaults -machine virt -accel tcg -cpu max -smp 3 -m 64 -display none"
	want+=" -serial stdio -kernel $TMP/guest/a.bin -append 'status=1 it'\\''s'"
	[[ ${OUT%%$'\n'*} == "$want -initrd "*" -device 'x y'" ]] ||
		{ show_out; fail "command line, expected $want -initrd ... -device 'x y'"; }
	expect_line "ARGV: x y"
	expect_line "FAIL a $P3"
	OUT=$(cd "$TMP/guest" && "$r" -v a.bin 2>&1); RC=$?
	expect_rc 0
	expect_line "PASS a $P3"
	OUT=$("$r" "$TMP/guest/a.bin" -smp two 2>&1); RC=$?
	expect_rc 2
	expect_out "run-one: -smp 'two': want a number of CPUs"
	OUT=$("$r" "$TMP/guest/none.bin" 2>&1); RC=$?
	expect_rc 2
	expect_out "run-one: cannot read image '$TMP/guest/none.bin'"
	OUT=$("$r" "$TMP/guest/a.bin" -append 2>&1); RC=$?
	expect_rc 2
	expect_out "run-one: -append needs a value"
}
