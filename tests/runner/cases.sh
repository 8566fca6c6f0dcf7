# Cases for tests/runner/run.sh: each t_* function is one test.  Helpers
# (cfg, runner, expect_*) and the fake machines come from run.sh; the
# fake's behaviour is chosen by words in test_args (see fake-qemu).
# shellcheck shell=bash disable=SC2034  # OUT/RC are read by the helpers

t_pass_fail_skip() {
	cfg <<-'EOF'
	[p]
	file = a.bin
	test_args = 'status=0 tests=5'
	[f]
	file = a.bin
	test_args = status=1
	[s]
	file = a.bin
	test_args = "status=77"
	[other-status]
	file = a.bin
	test_args = status=3
	EOF
	runner
	expect_rc 1
	expect_out \
		"PASS p (5 tests, 0 unexpected failures, 0 skipped)" \
		"FAIL f (3 tests, 0 unexpected failures, 0 skipped)" \
		"SKIP s (3 tests, 0 unexpected failures, 0 skipped)" \
		"FAIL other-status (3 tests, 0 unexpected failures, 0 skipped)" \
		"1 passed, 2 failed, 1 skipped"
}

t_all_pass_exits_zero() {
	cfg <<-'EOF'
	[p1]
	file = a.bin
	[s1]
	file = b.bin
	test_args = status=77 nosummary
	EOF
	runner
	expect_rc 0
	expect_out "PASS p1 (3 tests, 0 unexpected failures, 0 skipped)" \
		"SKIP s1 (all skipped)" "1 passed, 0 failed, 1 skipped"
}

t_timeout_fails() {
	cfg <<-'EOF'
	[slow]
	file = a.bin
	timeout = 1
	test_args = sleep=10
	EOF
	local t0=$SECONDS
	runner
	expect_rc 1
	expect_out "FAIL slow (timeout after 1s)" "0 passed, 1 failed, 0 skipped"
	((SECONDS - t0 < 5)) || fail "timeout took $((SECONDS - t0))s"
}

t_missing_exit_line_fails() {
	cfg <<-'EOF'
	[noexit]
	file = a.bin
	test_args = noexit
	EOF
	runner
	expect_rc 1
	expect_line "FAIL noexit (no EXIT line; 3 tests, 0 unexpected failures, 0 skipped)"
}

t_qemu_error_status_fails() {
	cfg <<-'EOF'
	[crash]
	file = a.bin
	test_args = rc=1
	EOF
	runner
	expect_rc 1
	expect_line "FAIL crash (qemu exited with status 1; 3 tests, 0 unexpected failures, 0 skipped)"
}

t_missing_image_fails() {
	cfg <<-'EOF'
	[gone]
	file = nothere.bin
	EOF
	runner
	expect_rc 1
	expect_line "FAIL gone (missing image $TMP/guest/nothere.bin)"
}

t_group_filter() {
	cfg <<-'EOF'
	[a1]
	file = a.bin
	groups = ga
	[b1]
	file = a.bin
	groups = gb shared
	[c1]
	file = a.bin
	groups = gc
	[nd]
	file = a.bin
	groups = nodefault ga
	EOF
	runner -l
	expect_out a1 b1 c1
	runner -l -g gb
	expect_out b1
	runner -l -g ga,gc
	expect_out a1 c1 nd
	runner -l -g ga -g shared
	expect_out a1 b1 nd
	runner -g gc
	expect_rc 0
	expect_out "PASS c1 (3 tests, 0 unexpected failures, 0 skipped)" "1 passed, 0 failed, 0 skipped"
	runner -g nosuchgroup
	expect_rc 2
}

t_names_as_arguments() {
	cfg <<-'EOF'
	[x-one]
	file = a.bin
	[x-two]
	file = a.bin
	[y]
	file = a.bin
	groups = nodefault
	EOF
	runner y x-one
	expect_rc 0
	# Config order, whatever the argument order.
	expect_out "PASS x-one (3 tests, 0 unexpected failures, 0 skipped)" \
		"PASS y (3 tests, 0 unexpected failures, 0 skipped)" "2 passed, 0 failed, 0 skipped"
	runner -l 'x-*'
	expect_out x-one x-two
	runner x-three
	expect_rc 2
	expect_out "run_tests.sh: no test named 'x-three' in $TMP/t.cfg"
}

t_parallel_summary_and_order() {
	# The first test finishes last; output must still be in config order,
	# whole lines, and the counts right.
	cfg <<-'EOF'
	[slowpass]
	file = a.bin
	test_args = sleep=1
	[fastfail]
	file = a.bin
	test_args = status=1
	[fastskip]
	file = a.bin
	test_args = status=77
	[fastpass]
	file = b.bin
	EOF
	local t0=$EPOCHREALTIME
	runner -j 2
	expect_rc 1
	expect_out \
		"PASS slowpass (3 tests, 0 unexpected failures, 0 skipped)" \
		"FAIL fastfail (3 tests, 0 unexpected failures, 0 skipped)" \
		"SKIP fastskip (3 tests, 0 unexpected failures, 0 skipped)" \
		"PASS fastpass (3 tests, 0 unexpected failures, 0 skipped)" \
		"2 passed, 1 failed, 1 skipped"
	# Really in parallel: well under two seconds of sleeping... one 1s sleep.
	local us=$(( ${EPOCHREALTIME/./} - ${t0/./} ))
	((us < 1900000)) || fail "-j 2 took ${us}us"
}

t_parallel_many() {
	local k
	for k in $(seq 1 12); do
		printf '[t%d]\nfile = a.bin\ntest_args = status=%d\n' "$k" $(( k % 3 == 0 ? 1 : 0 ))
	done | cfg
	runner -j 4
	expect_rc 1
	expect_line "8 passed, 4 failed, 0 skipped"
	[[ $(printf '%s\n' "$OUT" | wc -l) == 13 ]] || { show_out; fail "expected 13 lines"; }
	runner -j 4 -t
	expect_line "ok 1 - t1"
	expect_line "not ok 12 - t12"
}

t_tap_output() {
	cfg <<-'EOF'
	[p]
	file = a.bin
	[f]
	file = a.bin
	test_args = status=1
	[s]
	file = a.bin
	test_args = status=77 nosummary
	EOF
	runner -t
	expect_rc 1
	expect_out "TAP version 13" "1..3" \
		"ok 1 - p" \
		"not ok 2 - f" "# 3 tests, 0 unexpected failures, 0 skipped" \
		"ok 3 - s # SKIP all skipped" \
		"# 1 passed, 1 failed, 1 skipped"
}

# Each malformed config must be rejected with file:line and status 2 before
# any test runs.
malformed() {   # $1 = expected message after "file:", stdin = config
	cfg
	rm -f "$TMP"/logs/*
	runner
	expect_rc 2
	expect_out "$TMP/t.cfg:$1"
	[[ -z $(ls "$TMP/logs") ]] || fail "a test ran despite the config error"
}

t_malformed_configs() {
	malformed "3: unknown key 'fille'" <<-'EOF'
	[ok]
	file = a.bin
	fille = a.bin
	EOF
	malformed "2: 'file = a.bin' is outside any [section]" <<-'EOF'
	# comment
	file = a.bin
	EOF
	malformed "3: expected 'key = value', got 'smp 2'" <<-'EOF'
	[ok]
	file = a.bin
	smp 2
	EOF
	malformed "2: bad smp value 'two' (a number, \$MAX_SMP or \$(((\$MAX_SMP < N)?\$MAX_SMP:N)))" <<-'EOF'
	[ok]
	smp = two
	file = a.bin
	EOF
	malformed "3: bad smp value '0' (a number, \$MAX_SMP or \$(((\$MAX_SMP < N)?\$MAX_SMP:N)))" <<-'EOF'
	[ok]
	file = a.bin
	smp = 0
	EOF
	malformed "4: bad timeout value 'soon' (seconds, or N with s/m/h/d)" <<-'EOF'
	[ok]
	file = a.bin

	timeout = soon
	EOF
	malformed "3: bad el value '3' (1 or 2)" <<-'EOF'
	[ok]
	file = a.bin
	el = 3
	EOF
	malformed "4: duplicate section [ok] (first at line 1)" <<-'EOF'
	[ok]
	file = a.bin
	# again
	[ok]
	file = b.bin
	EOF
	malformed "3: section [nofile] has no 'file'" <<-'EOF'
	[ok]
	file = a.bin
	[nofile]
	smp = 2
	[later]
	file = a.bin
	EOF
	malformed "3: section [last] has no 'file'" <<-'EOF'
	[ok]
	file = a.bin
	[last]
	EOF
	malformed "1: bad section header '[a b]' (want [name], name of letters, digits, _ . + -)" <<-'EOF'
	[a b]
	file = a.bin
	EOF
	malformed "3: duplicate key 'file' in [ok]" <<-'EOF'
	[ok]
	file = a.bin
	file = b.bin
	EOF
	malformed "3: bad mem value 'lots' (MiB)" <<-'EOF'
	[ok]
	file = a.bin
	mem = lots
	EOF
	malformed "3: bad accel value 'hvf' (kvm or tcg)" <<-'EOF'
	[ok]
	file = a.bin
	accel = hvf
	EOF
}

t_log_first_line_is_command() {
	cfg <<-'EOF'
	[logged]
	file = a.bin
	smp = 2
	mem = 256
	test_args = status=0 x="y z" it's
	extra_params = -device 'virtio-rng-device,id=a b' -name "n m" -machine virt,x=y
	EOF
	runner -v
	expect_rc 0
	local first
	read -r first <"$TMP/logs/logged.log"
	# -v prints the same line.
	expect_line "$first"
	local want="$QEMU -nodefaults -machine virt -accel tcg -cpu max"
	want+=" -smp 2 -m 256 -display none -serial stdio -kernel $TMP/guest/a.bin"
	want+=" -append 'status=0 x=\"y z\" it'\\''s' -initrd $TMP/logs/logged.env"
	want+=" -device 'virtio-rng-device,id=a b' -name 'n m'"
	want+=" -machine virt,x=y"
	[[ $first == "$want" ]] || fail "log line 1: $first" "expected:   $want"
	# The rest is the whole output, and the line reruns the test as is.
	expect_log_line logged "ARGV: virtio-rng-device,id=a b"
	expect_log_line logged "ARGV: status=0 x=\"y z\" it's"
	expect_log_line logged "EXIT: STATUS=0"
	local again
	again=$(eval "$first") || fail "rerunning the logged command failed"
	[[ $again == *"ARGV: status=0 x=\"y z\" it's"* ]] || fail "rerun got other arguments: $again"
}

t_smp_override_and_expansion() {
	cfg <<-'EOF'
	[setup]
	file = a.bin
	smp = 2
	test_args = 'setup smp=$SMP mem=$MEM max=${MAX_SMP}'
	[maxed]
	file = a.bin
	smp = $MAX_SMP
	test_args = 'smp=$SMP'
	EOF
	runner
	expect_rc 0
	expect_log_line setup "ARGV: setup smp=2 mem=128 max=4"
	expect_log_line maxed "ARGV: smp=4"
	expect_log_line maxed "ARGV: 4"
	runner --smp 3
	expect_rc 0
	expect_log_line setup "ARGV: setup smp=3 mem=128 max=4"
	expect_log_line setup "ARGV: 3"
	expect_log_line maxed "ARGV: smp=3"
	runner --smp 0
	expect_rc 2
}

t_el2() {
	cfg <<-'EOF'
	[el1]
	file = a.bin
	[el2]
	file = a.bin
	el = 2
	EOF
	runner
	expect_rc 0
	expect_log_line el1 "ARGV: virt"
	expect_log_line el2 "ARGV: virt,virtualization=on"
	runner --el2 el1
	expect_log_line el1 "ARGV: virt,virtualization=on"
}

t_checker_command_line() {
	cfg <<-'EOF'
	[c]
	file = a.bin
	smp = 2
	test_args = 'status=0 smp=$SMP'
	extra_params = -device foo
	[c2]
	file = b.bin
	el = 2
	mem = 64
	EOF
	runner --checker
	expect_rc 0
	local first want
	read -r first <"$TMP/logs/c.log"
	want="$COHERENT run --smp 2 -m 128 --append 'status=0 smp=2' --initrd $TMP/logs/c.env $TMP/guest/a.bin"
	[[ $first == "$want" ]] || fail "c: $first" "expected: $want"
	read -r first <"$TMP/logs/c2.log"
	want="$COHERENT run --smp 1 -m 64 --el2 --initrd $TMP/logs/c2.env $TMP/guest/b.bin"
	[[ $first == "$want" ]] || fail "c2: $first" "expected: $want"
}

# extra_params' -numa node options become --mem-nodes (one node: none).
t_checker_mem_nodes() {
	cfg <<-'EOF'
	[n2]
	file = a.bin
	extra_params = -object memory-backend-ram,id=m0,size=64M -object memory-backend-ram,id=m1,size=64M -numa node,memdev=m0 -numa node,memdev=m1
	[n1]
	file = a.bin
	extra_params = -numa node
	EOF
	runner --checker
	expect_rc 0
	local first want
	read -r first <"$TMP/logs/n2.log"
	want="$COHERENT run --smp 1 -m 128 --mem-nodes 2 --initrd $TMP/logs/n2.env $TMP/guest/a.bin"
	[[ $first == "$want" ]] || fail "n2: $first" "expected: $want"
	read -r first <"$TMP/logs/n1.log"
	want="$COHERENT run --smp 1 -m 128 --initrd $TMP/logs/n1.env $TMP/guest/a.bin"
	[[ $first == "$want" ]] || fail "n1: $first" "expected: $want"
}

t_checker_statuses() {
	cfg <<-'EOF'
	[findings]
	file = a.bin
	test_args = 'status=0 rc=126'
	[budget]
	file = a.bin
	test_args = 'noexit rc=124'
	[machine]
	file = a.bin
	test_args = 'noexit rc=125'
	[mismatch]
	file = a.bin
	test_args = 'status=1 rc=0'
	[skip]
	file = a.bin
	test_args = 'status=77 nosummary'
	[pass]
	file = a.bin
	test_args = 'nosummary'
	EOF
	runner --checker
	expect_rc 1
	expect_out \
		"FAIL findings (checker findings reported; 3 tests, 0 unexpected failures, 0 skipped)" \
		"FAIL budget (instruction budget exhausted; 3 tests, 0 unexpected failures, 0 skipped)" \
		"FAIL machine (machine error; 3 tests, 0 unexpected failures, 0 skipped)" \
		"FAIL mismatch (checker status 0 but guest said EXIT: STATUS=1; 3 tests, 0 unexpected failures, 0 skipped)" \
		"SKIP skip (all skipped)" \
		"PASS pass" \
		"1 passed, 4 failed, 1 skipped"
}

t_checker_missing() {
	cfg <<-'EOF'
	[c]
	file = a.bin
	EOF
	COHERENT=$TMP/nothing runner --checker
	expect_rc 2
	QEMU=no-such-qemu-binary runner
	expect_rc 2
	QEMU=$TMP/no-such-qemu runner
	expect_rc 2
}

t_arch_and_accel_skips() {
	cfg <<-'EOF'
	[other-arch]
	file = x86-only.bin
	arch = x86_64
	[this-arch]
	file = a.bin
	arch = aarch64
	[needs-kvm]
	file = a.bin
	accel = kvm
	EOF
	runner other-arch this-arch
	expect_rc 0
	expect_out "SKIP other-arch (arch x86_64)" \
		"PASS this-arch (3 tests, 0 unexpected failures, 0 skipped)" \
		"1 passed, 0 failed, 1 skipped"
	if [[ $HOSTTYPE != aarch64 ]]; then
		runner needs-kvm
		expect_out "SKIP needs-kvm (kvm not available)" "0 passed, 0 failed, 1 skipped"
	fi
}

t_efi_plumbing() {
	cfg <<-'EOF'
	[e]
	file = a.bin
	test_args = 'x y'
	[noefi]
	file = b.bin
	[small]
	file = a.bin
	mem = 64
	EOF
	: >"$TMP/guest/a.efi"
	: >"$TMP/fw.fd"
	EFI_FIRMWARE=$TMP/fw.fd runner --efi
	expect_rc 1
	expect_line "FAIL noefi (missing image $TMP/guest/b.efi)"
	expect_line "SKIP small (edk2 needs mem >= 128)"
	expect_log_line e "ARGV: virt,acpi=off"
	expect_log_line e "ARGV: $TMP/fw.fd"
	expect_log_line e "ARGV: $TMP/guest/a.efi"
	expect_log_line e "ARGV: x y"
	# On the checker: edk2 from flash (--bios), the .efi as the kernel,
	# the same skips and missing images; COHERENT_MODEL=off is --no-model.
	EFI_FIRMWARE=$TMP/fw.fd runner --efi --checker
	expect_rc 1
	expect_line "FAIL noefi (missing image $TMP/guest/b.efi)"
	expect_line "SKIP small (edk2 needs mem >= 128)"
	expect_log_line e "ARGV: --bios"
	expect_log_line e "ARGV: $TMP/fw.fd"
	expect_log_line e "ARGV: $TMP/guest/a.efi"
	expect_log_line e "ARGV: x y"
	grep -q -- '--no-model' "$TMP/logs/e.log" && fail "--no-model without COHERENT_MODEL=off"
	COHERENT_MODEL=off EFI_FIRMWARE=$TMP/fw.fd runner --efi --checker e
	expect_rc 0
	expect_log_line e "ARGV: --no-model"
	COHERENT_MODEL=maybe runner --checker e
	expect_rc 2
	expect_line "run_tests.sh: COHERENT_MODEL=maybe: it is on or off"
	EFI_FIRMWARE=$TMP/no-such.fd runner --efi --checker e
	expect_rc 2
	expect_line "run_tests.sh: --efi: firmware '$TMP/no-such.fd' not found (install qemu-efi-aarch64, or set EFI_FIRMWARE=)"
}

t_options() {
	cfg <<-'EOF'
	[a]
	file = a.bin
	EOF
	runner -h
	expect_rc 0
	runner --bogus
	expect_rc 2
	runner -j 0
	expect_rc 2
	runner -j
	expect_rc 2
	OUT=$(TESTS_CFG=$TMP/t.cfg "$RUNNER" -l 2>&1)
	[[ $OUT == a ]] || fail "TESTS_CFG not honoured: $OUT"
	runner -c "$TMP/none.cfg"
	expect_rc 2
}

t_comments_and_format_details() {
	cfg <<-'EOF'
	   # indented comment

	[  spaced  ]
	EOF
	runner -l
	expect_rc 2
	cfg <<-'EOF'
	# kvm-unit-tests style with CRLF and odd spacing
	[a]
	file=a.bin
	  smp   =   2
	qemu_params = -name x
	timeout = 1m
	groups = g1,g2
	arch = arm64
	EOF
	sed -i 's/$/\r/' "$TMP/t.cfg"
	runner -g g2
	expect_rc 0
	expect_log_line a "ARGV: x"
	expect_log_line a "ARGV: 2"
}

t_real_config_parses() {
	OUT=$("$RUNNER" -c "$ROOT/tests/tests.cfg" -l 2>&1); RC=$?
	expect_rc 0
	expect_line selftest-setup
	expect_line alloc-el2
	OUT=$("$RUNNER" -c "$ROOT/tests/tests.cfg" -l -g el2 2>&1)
	[[ $(printf '%s\n' "$OUT" | grep -c -- '-el2$') == "$(printf '%s\n' "$OUT" | wc -l)" ]] ||
		fail "el2 group has non-el2 tests: $OUT"
}

t_sigterm_stops_tests() {
	local pidfile=$TMP/fake.pid pid fake='' k
	cfg <<-EOF
	[hang]
	file = a.bin
	test_args = 'sleep=30 pidfile=$pidfile'
	EOF
	"$RUNNER" -c "$TMP/t.cfg" >"$TMP/out" 2>&1 &
	pid=$!
	# Wait (test side only) until the fake machine is running.
	for ((k = 0; k < 50; k++)); do
		[[ -s $pidfile ]] && read -r fake <"$pidfile" && [[ -n $fake ]] && break
		sleep 0.1
	done
	if [[ -z $fake ]] || ! kill -0 "$fake" 2>/dev/null; then fail "fake machine never started"; fi
	kill -TERM "$pid"
	wait "$pid"
	RC=$?
	expect_rc 130
	# The runner waited for its tests before exiting: the fake is gone
	# (and reaped), not merely signalled.
	! kill -0 "$fake" 2>/dev/null || fail "test (pid $fake) still running after SIGTERM"
}

t_default_timeout_env() {
	cfg <<-'EOF'
	[slow]
	file = a.bin
	test_args = sleep=10
	EOF
	TIMEOUT=1 runner
	expect_out "FAIL slow (timeout after 1s)" "0 passed, 1 failed, 0 skipped"
	TIMEOUT=soon runner
	expect_rc 2
}

t_parse_cache() {
	cfg <<-'EOF'
	[a]
	file = a.bin
	test_args = tests=5
	EOF
	runner
	expect_out "PASS a (5 tests, 0 unexpected failures, 0 skipped)" "1 passed, 0 failed, 0 skipped"
	local cache=("$TMP"/logs/.cfg-cache*)
	[[ -r ${cache[0]} ]] || fail "no parse cache written"
	# Same text: the cache is used (and gives the same answer).
	runner
	expect_out "PASS a (5 tests, 0 unexpected failures, 0 skipped)" "1 passed, 0 failed, 0 skipped"
	# ...really used: a doctored cache shows through.
	sed -i 's/^tests=5$/tests=7/' "${cache[0]}"
	runner
	expect_line "PASS a (7 tests, 0 unexpected failures, 0 skipped)"
	sed -i 's/^tests=7$/tests=5/' "${cache[0]}"
	# Changed text, even within the same mtime tick: parsed again.
	sed -i 's/tests=5/tests=6/' "$TMP/t.cfg"
	runner
	expect_line "PASS a (6 tests, 0 unexpected failures, 0 skipped)"
	# A config error is reported even though a good parse is cached.
	printf 'bogus = 1\n' >>"$TMP/t.cfg"
	runner
	expect_rc 2
	expect_out "$TMP/t.cfg:4: unknown key 'bogus'"
	# Another MAX_SMP changes what $MAX_SMP means: parsed again.
	# shellcheck disable=SC2016
	printf '[m]\nfile = a.bin\nsmp = $MAX_SMP\n' | cfg
	MAX_SMP=2 runner
	expect_log_line m "ARGV: 2"
	MAX_SMP=3 runner
	expect_log_line m "ARGV: 3"
	# A cache cut short (a concurrent writer) is not used.
	head -c 40 "${cache[0]}" >"$TMP/cut" && cat "$TMP/cut" >"${cache[0]}"
	MAX_SMP=3 runner
	expect_rc 0
	expect_log_line m "ARGV: 3"
}

t_kvm_command_line() {
	# Pretend to be an arm64 host (bash takes HOSTTYPE from the environment).
	[[ -r /dev/kvm && -w /dev/kvm ]] || { echo "    (no /dev/kvm: skipped)"; return 0; }
	cfg <<-'EOF'
	[k]
	file = a.bin
	[k-el2]
	file = a.bin
	el = 2
	[k-el2-forced]
	file = a.bin
	el = 2
	accel = kvm
	[t]
	file = a.bin
	accel = tcg
	EOF
	unset ACCEL
	HOSTTYPE=aarch64 runner
	expect_out \
		"PASS k (3 tests, 0 unexpected failures, 0 skipped)" \
		"PASS k-el2 (3 tests, 0 unexpected failures, 0 skipped)" \
		"SKIP k-el2-forced (EL2 needs TCG (no nested virt on KVM))" \
		"PASS t (3 tests, 0 unexpected failures, 0 skipped)" \
		"3 passed, 0 failed, 1 skipped"
	local first
	read -r first <"$TMP/logs/k.log"
	[[ $first == *" -machine virt,gic-version=host -accel kvm -cpu host "* ]] || fail "k: $first"
	read -r first <"$TMP/logs/k-el2.log"
	[[ $first == *" -machine virt,virtualization=on -accel tcg -cpu max "* ]] || fail "k-el2: $first"
	read -r first <"$TMP/logs/t.log"
	[[ $first == *" -accel tcg -cpu max "* ]] || fail "t: $first"
	HOSTTYPE=aarch64 ACCEL=tcg runner k
	expect_log_line k "ARGV: tcg"
}

# The log line number of the first EXIT line in test $1's log.  Sets REPLY.
exit_at() {
	local l
	REPLY=0
	while IFS= read -r l; do
		REPLY=$((REPLY + 1))
		[[ $l == EXIT:* ]] && return 0
	done <"$TMP/logs/$1.log"
	fail "no EXIT line in the log of $1"
}

t_exit_line_strict() {
	# Only a whole line "EXIT: STATUS=<0..255>" (LF, or CRLF as through a
	# firmware console) is a verdict; anything else that says EXIT: fails,
	# and says why.
	cfg <<-'EOF2'
	[lf]
	file = a.bin
	test_args = 'eol=lf nosummary'
	[crlf]
	file = a.bin
	test_args = 'nosummary'
	[s255]
	file = a.bin
	test_args = 'status=255 nosummary'
	[s256]
	file = a.bin
	test_args = 'status=256 nosummary'
	[s1000]
	file = a.bin
	test_args = 'status=1000 nosummary'
	[neg]
	file = a.bin
	test_args = 'status=-1 nosummary'
	[word]
	file = a.bin
	test_args = 'status=zero nosummary'
	[empty]
	file = a.bin
	test_args = 'status= nosummary'
	[hex]
	file = a.bin
	test_args = 'status=0x0 nosummary'
	[lead0]
	file = a.bin
	test_args = 'status=00 nosummary'
	[plus]
	file = a.bin
	test_args = 'status=+0 nosummary'
	[junk]
	file = a.bin
	test_args = 'status=0junk nosummary'
	[blank]
	file = a.bin
	test_args = 'eol=sp nosummary'
	[crcr]
	file = a.bin
	test_args = 'eol=crcr nosummary'
	[prefix]
	file = a.bin
	test_args = 'pre=x nosummary'
	[nonl]
	file = a.bin
	test_args = 'eol=none nosummary'
	[nul]
	file = a.bin
	test_args = 'nulexit nosummary'
	[nul-mid]
	file = a.bin
	test_args = 'nulexit exit2=0 nosummary'
	[twice]
	file = a.bin
	test_args = 'exit2=0 nosummary'
	[fail-then-pass]
	file = a.bin
	test_args = 'status=1 exit2=0 nosummary'
	EOF2
	runner
	expect_rc 1
	local want="want a line exactly EXIT: STATUS=<0..255>" e
	exit_at lf; e=$REPLY
	expect_out \
		"PASS lf" \
		"PASS crlf" \
		"FAIL s255 (EXIT: STATUS=255)" \
		"FAIL s256 (bad EXIT line 'EXIT: STATUS=256' at log line $e; $want)" \
		"FAIL s1000 (bad EXIT line 'EXIT: STATUS=1000' at log line $e; $want)" \
		"FAIL neg (bad EXIT line 'EXIT: STATUS=-1' at log line $e; $want)" \
		"FAIL word (bad EXIT line 'EXIT: STATUS=zero' at log line $e; $want)" \
		"FAIL empty (bad EXIT line 'EXIT: STATUS=' at log line $e; $want)" \
		"FAIL hex (bad EXIT line 'EXIT: STATUS=0x0' at log line $e; $want)" \
		"FAIL lead0 (bad EXIT line 'EXIT: STATUS=00' at log line $e; $want)" \
		"FAIL plus (bad EXIT line 'EXIT: STATUS=+0' at log line $e; $want)" \
		"FAIL junk (bad EXIT line 'EXIT: STATUS=0junk' at log line $e; $want)" \
		"FAIL blank (bad EXIT line 'EXIT: STATUS=0 ' at log line $e; $want)" \
		"FAIL crcr (bad EXIT line \$'EXIT: STATUS=0\\r' at log line $e; $want)" \
		"FAIL prefix (bad EXIT line 'xEXIT: STATUS=0' at log line $e; $want)" \
		"FAIL nonl (output ends in a line without a newline (cut short, or a NUL byte): 'EXIT: STATUS=0')" \
		"FAIL nul (output ends in a line without a newline (cut short, or a NUL byte): '')" \
		"FAIL nul-mid (NUL byte in the output at log line $e)" \
		"FAIL twice (several EXIT lines, at log lines $e $((e + 1)))" \
		"FAIL fail-then-pass (several EXIT lines, at log lines $e $((e + 1)))" \
		"2 passed, 18 failed, 0 skipped"
	# Also when the checker's exit status says otherwise.
	runner --checker s256 twice
	expect_rc 1
	exit_at twice; e=$REPLY
	expect_line "FAIL s256 (bad EXIT line 'EXIT: STATUS=256' at log line $e; $want)"
	expect_line "FAIL twice (several EXIT lines, at log lines $e $((e + 1)))"
}

# Two runs sharing one log directory: the second waits for the first, so
# neither reads the other's output, and logs/<test>.log is the last run's.
t_two_runs_one_logdir() {
	cat >"$TMP/a.cfg" <<-'EOF2'
	[t]
	file = a.bin
	test_args = 'sleep=2 noexit run-a'
	EOF2
	cat >"$TMP/b.cfg" <<-'EOF2'
	[t]
	file = a.bin
	test_args = 'run-b'
	EOF2
	"$RUNNER" -c "$TMP/a.cfg" >"$TMP/a.out" 2>&1 &
	local pid=$! k
	# Wait (test side only) until run a's machine has started.
	for ((k = 0; k < 100; k++)); do
		[[ -r $TMP/logs/t.log && $(<"$TMP/logs/t.log") == *'ARGV: sleep=2 noexit run-a'* ]] && break
		sleep 0.05
	done
	((k < 100)) || fail "run a never started its test"
	local out_b rc_b
	out_b=$("$RUNNER" -c "$TMP/b.cfg" 2>&1); rc_b=$?
	wait "$pid"; RC=$?
	OUT=$(<"$TMP/a.out")
	# Run a's test printed no EXIT line: it must not pass on run b's.
	expect_rc 1
	expect_out "FAIL t (no EXIT line; 3 tests, 0 unexpected failures, 0 skipped)" \
		"0 passed, 1 failed, 0 skipped"
	OUT=$out_b RC=$rc_b
	expect_rc 0
	expect_line "PASS t (3 tests, 0 unexpected failures, 0 skipped)"
	[[ $OUT == *"run_tests.sh: waiting for the run (pid $pid) using $TMP/logs"* ]] ||
		{ show_out; fail "run b did not say what it waited for"; }
	expect_log_line t "ARGV: run-b"
	[[ $(<"$TMP/logs/t.log") != *run-a* ]] || fail "run b's log holds run a's output"
}

# The parse cache is data: shell code in it is never run, wherever it is.
t_cache_is_not_code() {
	cfg <<-'EOF2'
	[a]
	file = a.bin
	smp = 2
	timeout = 30
	test_args = tests=5
	EOF2
	runner
	expect_out "PASS a (5 tests, 0 unexpected failures, 0 skipped)" "1 passed, 0 failed, 0 skipped"
	local cache=("$TMP"/logs/.cfg-cache*) k bad
	[[ -r ${cache[0]} ]] || fail "no parse cache written"
	cp "${cache[0]}" "$TMP/good"
	local -a lines
	mapfile -t lines <"$TMP/good"
	local p=$TMP/pwned
	# Each line replaced by code (a[...] runs it if it reaches arithmetic),
	# and each line with code appended.
	local -a evil=("=x[\$(touch $p)]" "+\$(touch $p)" "+;touch $p;\`touch $p\`")
	for ((k = 0; k < ${#lines[@]}; k++)); do
		for bad in "${evil[@]}"; do
			if [[ $bad == =* ]]; then bad=${bad#=}; else bad=${lines[k]}${bad#+}; fi
			printf '%s\n' "${lines[@]::k}" "$bad" "${lines[@]:k+1}" >"${cache[0]}"
			runner
			[[ ! -e $p ]] || { show_out; fail "cache line $((k + 1)) as '$bad' ran code"; }
			# (A doctored value may be taken, as data: a test can fail.)
			[[ $RC == [01] ]] || { show_out; fail "cache line $((k + 1)) as '$bad': status $RC"; }
		done
	done
	# And the runner still gives the right answer from a good cache.
	cp "$TMP/good" "${cache[0]}"
	runner
	expect_out "PASS a (5 tests, 0 unexpected failures, 0 skipped)" "1 passed, 0 failed, 0 skipped"
}
