#!/bin/bash
# shellcheck disable=SC2016  # $SMP etc. are matched literally in config text
# (/bin/bash, not /usr/bin/env bash: one exec less on every run.)
# run_tests.sh: run the Coherent guest test images, kvm-unit-tests style.
#
# Reads tests/tests.cfg (kvm-unit-tests' unittests.cfg format), runs each
# selected test on QEMU (TCG, or KVM on an arm64 host) or on the coherent
# checker, and prints one result line per test and a closing summary:
#     PASS selftest-setup (5 tests, 1 skipped)
#     3 passed, 0 failed, 0 skipped
# The whole output of each test goes to logs/<test>.log, whose first line is
# the exact command that was run (paste it into a shell to rerun the test).
# One run at a time uses a log directory; a second one waits (lock_logdir).
#
# Speed is a requirement (<= 1.5x a bare QEMU run for one test; make
# bench-runner measures it), so: the config is parsed in one pass of pure
# bash (no sed/awk/grep) and the parse is reused while the text is unchanged,
# the result is read by scanning the log once with builtins, nothing sleeps
# or polls (we block in `wait -n`), and the only processes started per test
# are `timeout` and the machine it runs (per run, one `flock`).
set -u

if ((BASH_VERSINFO[0] < 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] < 1))); then
	echo "run_tests.sh: needs bash >= 5.1 (wait -n -p)" >&2
	exit 2
fi

# ---------------------------------------------------------------- settings

# Pattern matching is several times slower in a UTF-8 locale, and everything
# the runner matches is ASCII: work in the C locale.  Only when the caller
# has no LC_ALL: then ours is a plain shell variable, not exported, and
# timeout and QEMU still get the caller's locale.
if [[ ! -v LC_ALL ]]; then
	LC_ALL=C
fi

# Make a path absolute against the caller's directory: we cd to the repo root
# below, but paths given on the command line or in the environment are the
# caller's.  Sets REPLY.
abspath() {
	if [[ $1 == /* || -z $1 ]]; then REPLY=$1; else REPLY=$PWD/$1; fi
}

# A command name stays as is (looked up in PATH); a relative path is made
# absolute.  Sets REPLY.
abscmd() {
	if [[ $1 == */* ]]; then abspath "$1"; else REPLY=$1; fi
}

# Defaults are relative to the repository (we cd there in main); paths the
# caller gives (environment, -c) are the caller's, so they are made absolute
# before that.
user_path() {   # $1 = value from the environment or '', $2 = default
	if [[ -n $1 ]]; then abspath "$1"; else REPLY=$2; fi
}
abspath "${BASH_SOURCE[0]}";                         SELF=$REPLY
user_path "${TESTS_CFG:-}" tests/tests.cfg;          CFG=$REPLY
CFG_SHOWN=${TESTS_CFG:-tests/tests.cfg}    # as the user wrote it, for errors
user_path "${GUEST_DIR:-}" build/guest;              GUEST_DIR=$REPLY
user_path "${LOGDIR:-}" logs;                        LOGDIR=$REPLY
abscmd "${QEMU:-qemu-system-aarch64}";               QEMU=$REPLY
if [[ -n ${COHERENT:-} ]]; then abscmd "$COHERENT"; COHERENT=$REPLY
else COHERENT=build/checker/coherent; fi
EFI_FIRMWARE=${EFI_FIRMWARE:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
ADDR2LINE=${ADDR2LINE:-aarch64-linux-gnu-addr2line}
DEFAULT_TIMEOUT=${TIMEOUT:-90}
DEFAULT_MEM=128
KILL_AFTER=2          # seconds between timeout's SIGTERM and its SIGKILL

# Options (set by parse_options).
JOBS=1
TAP=0
VERBOSE=0
CHECKER=0
EFI=0
SMP_OVERRIDE=
EL2_ALL=0
LIST=0
ALL=0             # -a: nodefault tests too
declare -a ONLY_NAMES=()   # test names or glob patterns given as arguments
declare -a ONLY_GROUPS=()  # from -g

usage() {
	printf '%s\n' \
"Usage: ./run_tests.sh [options] [test-name|pattern ...]" \
"" \
"Runs the tests listed in tests/tests.cfg on QEMU (default) or the checker." \
"" \
"  -c FILE        config file (default tests/tests.cfg, or env TESTS_CFG)" \
"  -g G1[,G2..]   only tests in any of these groups ('nodefault' tests run" \
"                 only when named, selected by group, or with -a)" \
"  -a             run the 'nodefault' tests too" \
"  -j N           run N tests in parallel (results still in config order)" \
"  -t             TAP output" \
"  -v             print each command before running it" \
"  -l             list the selected tests (after checking the config), run nothing;" \
"                 with -v, each as 'name<TAB>file'" \
"  --checker      run on build/checker/coherent instead of QEMU" \
"  --efi          boot through edk2 (QEMU_EFI.fd), loading build/guest/<file>.efi" \
"                 (with --checker: edk2 runs on the checker, --bios)" \
"  --smp N        override every test's smp (\$SMP in test_args follows it)" \
"  --el2          enter every test at EL2" \
"  -h, --help     this text" \
"" \
"Environment: QEMU, COHERENT, COHERENT_MODEL (on|off: the checker's cache" \
"model), ACCEL (kvm|tcg), MAX_SMP, TIMEOUT (default" \
"per-test timeout), TESTS_CFG, GUEST_DIR (build/guest), LOGDIR (logs; one" \
"run at a time per directory, others wait)," \
"EFI_FIRMWARE, CHECK (replaces every test's 'check'), ERRATATXT (errata" \
"file; default errata.txt beside the config), ERRATA_* and ERRATA_FORCE" \
"(passed to the tests), KERNEL_VERSION_STRING (default uname -r), ADDR2LINE." \
"Exit status: 0 all passed or skipped, 1 a test failed, 2 usage/config error."
}

die() {
	printf 'run_tests.sh: %s\n' "$1" >&2
	exit 2
}

# Positive decimal integer?  (Globs, not =~: bash compiles a regex on every
# match, which costs ~100us each, and this runs while parsing.)
is_count() {
	[[ -n $1 && $1 != *[!0-9]* && $1 != 0* ]]
}

# -g takes a comma-separated list; repeated -g add up.
add_groups() {
	local IFS=,
	local -a list
	read -ra list <<<"$1"
	ONLY_GROUPS+=("${list[@]}")
}

parse_options() {
	while (($#)); do
		case $1 in
		-c) (($# >= 2)) || die "-c needs a file"
		    abspath "$2"; CFG=$REPLY; CFG_SHOWN=$2; shift ;;
		-g) (($# >= 2)) || die "-g needs a group list"
		    add_groups "$2"; shift ;;
		-j) { (($# >= 2)) && is_count "$2"; } || die "-j needs a positive number"
		    JOBS=$2; shift ;;
		-j[1-9]*) is_count "${1#-j}" || die "bad option '$1'"; JOBS=${1#-j} ;;
		-t) TAP=1 ;;
		-v) VERBOSE=1 ;;
		-l) LIST=1 ;;
		-a) ALL=1 ;;
		--checker) CHECKER=1 ;;
		--efi) EFI=1 ;;
		--smp) { (($# >= 2)) && is_count "$2"; } || die "--smp needs a positive number"
		       SMP_OVERRIDE=$2; shift ;;
		--smp=*) is_count "${1#--smp=}" || die "--smp needs a positive number"
		         SMP_OVERRIDE=${1#--smp=} ;;
		--el2) EL2_ALL=1 ;;
		-h|--help) usage; exit 0 ;;
		--) shift; ONLY_NAMES+=("$@"); break ;;
		-*) die "unknown option '$1' (see -h)" ;;
		*) ONLY_NAMES+=("$1") ;;
		esac
		shift
	done
	return 0
}

# MAX_SMP: online host CPUs (like nproc), capped at 8.  Read from sysfs with
# builtins rather than forking nproc; env MAX_SMP wins.
host_max_smp() {
	local online range count=0 lo hi
	if [[ -n ${MAX_SMP:-} ]]; then
		is_count "$MAX_SMP" || die "MAX_SMP must be a positive number"
		REPLY=$MAX_SMP
		return
	fi
	if read -r online 2>/dev/null </sys/devices/system/cpu/online; then
		local IFS=,
		for range in $online; do
			lo=${range%-*}; hi=${range#*-}
			count=$((count + hi - lo + 1))
		done
	else
		count=$(nproc)
	fi
	((count > 8)) && count=8
	((count < 1)) && count=1
	REPLY=$count
}

# KVM only helps when host and guest are both arm64 and we may open /dev/kvm.
kvm_available() {
	[[ $HOSTTYPE == aarch64 && -r /dev/kvm && -w /dev/kvm ]]
}

# ---------------------------------------------------------------- config

# Per-test fields, indexed by test number in config order.  T_ARRAYS lists
# them all: the parse cache and clear_tests go by it, so a new key is one
# more array here and one more case in set_key.
T_ARRAYS=(T_NAME T_LINE T_FILE T_SMP T_EXTRA T_ARGS T_GROUPS T_TIMEOUT T_ACCEL T_EL T_ARCH T_MEM
	T_CHECK T_DISABLED T_KVMTOOL T_MACHINE)
declare -a "${T_ARRAYS[@]/%/=()}"
declare -A T_INDEX=()       # name -> index

cfg_error() {
	printf '%s:%d: %s\n' "$CFG_SHOWN" "$1" "$2" >&2
	exit 2
}

# Strip leading and trailing blanks.  Sets REPLY.  One character at a time:
# bash's ${s%%[![:space:]]*} is quadratic in the line length, and this runs
# on every line.
trim() {
	REPLY=$1
	while [[ $REPLY == [[:space:]]* ]]; do REPLY=${REPLY:1}; done
	while [[ $REPLY == *[[:space:]] ]]; do REPLY=${REPLY::-1}; done
}

# Remove one pair of matching outer quotes ('...' or "..."), as
# kvm-unit-tests configs write test_args = 'a b'.  Sets REPLY.
unquote() {
	REPLY=$1
	case $REPLY in
	\'?*\') [[ ${REPLY:1:-1} == *\'* ]] || REPLY=${REPLY:1:-1} ;;
	\"?*\") [[ ${REPLY:1:-1} == *\"* ]] || REPLY=${REPLY:1:-1} ;;
	esac
}

# Timeout values: seconds, or a number with timeout(1)'s s/m/h/d suffix.
# Returns the number of seconds in REPLY.
parse_timeout() {
	local num=${1%[smhd]}
	is_count "$num" || return 1
	case ${1#"$num"} in
	''|s) REPLY=$num ;;
	m) REPLY=$((num * 60)) ;;
	h) REPLY=$((num * 3600)) ;;
	d) REPLY=$((num * 86400)) ;;
	esac
}

# Checks that need the whole section.
end_section() {
	local i=$1
	((i >= 0)) || return 0
	[[ -n ${T_FILE[i]:-} ]] || cfg_error "${T_LINE[i]}" "section [${T_NAME[i]}] has no 'file'"
}

# Keys not given keep their defaults; filled in for the selected tests only
# (fewer statements while parsing, which is most of the runner's own time).
apply_defaults() {
	local i
	for i in "${SELECTED[@]}"; do
		: "${T_SMP[i]:=1}" "${T_MEM[i]:=$DEFAULT_MEM}" "${T_EL[i]:=1}" \
		  "${T_TIMEOUT[i]:=$DEFAULT_TIMEOUT}" "${T_EXTRA[i]:=}" "${T_ARGS[i]:=}" \
		  "${T_ACCEL[i]:=}" "${T_ARCH[i]:=}" "${T_GROUPS[i]:= }" \
		  "${T_CHECK[i]:=}" "${T_DISABLED[i]:=}" "${T_KVMTOOL[i]:=}" "${T_MACHINE[i]:=}"
	done
}

# kvm-unit-tests' `check = path=value ...` (docs/unittests.txt): each
# file must hold exactly that value, or the test is skipped.  Neither part
# may hold a blank, '=' or a wildcard.  Sets CHECK_ERR when $1 is not that.
check_valid() {
	local w
	CHECK_ERR=
	for w in $1; do
		[[ $w == ?*=* && ${w#*=} != *=* && $w != *[*?[]* ]] || {
			CHECK_ERR="bad check '$w' (want path=value, without blanks, a second '=' or wildcards)"
			return 1
		}
	done
}

# Does every path=value of check list $1 hold?  Sets SKIP_REASON if not.
# A file's value is its text without the trailing newlines, as the shell's
# $(cat path) that kvm-unit-tests compares (scripts/runtime.bash).
check_holds() {
	local w path want have
	for w in $1; do
		path=${w%%=*} want=${w#*=} have=
		if [[ -f $path && -r $path ]]; then
			IFS= read -r -d '' have <"$path"
			while [[ $have == *$'\n' ]]; do have=${have%$'\n'}; done
		fi
		if [[ ! -f $path || $have != "$want" ]]; then
			SKIP_REASON="$path not equal to $want"
			return 1
		fi
	done
}

# disabled_if: kvm-unit-tests hands the condition to bash's `if`
# (scripts/runtime.bash); a config is not code here (split_words, the
# parse cache), so this evaluates the part of that language its configs
# use: [[ WORD OP WORD ]] (OP one of == = !=; an unquoted right side is a
# pattern, as in bash), [[ -z WORD ]], [[ -n WORD ]], [[ WORD ]], true,
# false, each optionally negated with !, joined by && and || (left to
# right, equal precedence, as in a bash list).  WORDs may be quoted and
# use the variables of COND_VARS; anything else is an error (COND_ERR).
COND_NAMES='TARGET ACCEL MACHINE ARCH CONFIG_EFI HOST MAX_SMP'
declare -A COND_VARS=([TARGET]='' [ACCEL]='' [MACHINE]='' [ARCH]='' [CONFIG_EFI]='' [HOST]='' [MAX_SMP]='')

# Expand word $1 of a condition: REPLY its value, COND_QUOTED whether it
# was quoted.  Fails with COND_ERR set.
cond_word() {
	local w=$1 out='' name
	COND_QUOTED=0
	case $w in
	\'*\')
		if ((${#w} >= 2)) && [[ ${w:1:-1} != *\'* ]]; then
			REPLY=${w:1:-1} COND_QUOTED=1
			return 0
		fi ;;
	\"*\")
		((${#w} >= 2)) && { w=${w:1:-1}; COND_QUOTED=1; } ;;
	esac
	if [[ $w == *[\"\'\`\\\(\)\;\<\>\|\&]* ]]; then
		COND_ERR="cannot evaluate the word $1 (quote a whole word, no other shell syntax)"
		return 1
	fi
	while [[ $w == *'$'* ]]; do
		out+=${w%%'$'*}; w=${w#*'$'}
		if [[ $w == '{'* ]]; then
			name=${w#\{}
			[[ $name == *'}'* ]] || { COND_ERR="unclosed \${ in $1"; return 1; }
			name=${name%%\}*}; w=${w#*\}}
		else
			name=${w%%[!A-Za-z0-9_]*}; w=${w#"$name"}
		fi
		if [[ -z $name || $name == *[!A-Za-z0-9_]* || -z ${COND_VARS[$name]+set} ]]; then
			COND_ERR="unknown variable '\$$name' in $1 (known: $COND_NAMES)"
			return 1
		fi
		out+=${COND_VARS[$name]}
	done
	REPLY=$out$w
}

# Evaluate condition $1: status 0 true, 1 false; on an error COND_ERR says
# what (and the status is 2).
cond_eval() {
	local -a tok in
	local k=0 n m result=-1 op='' neg val l r rq
	COND_ERR=
	read -ra tok <<<"$1"
	n=${#tok[@]}
	((n)) || { COND_ERR="empty condition"; return 2; }
	while ((k < n)); do
		neg=0
		[[ ${tok[k]} == '!' ]] && { neg=1; k=$((k + 1)); }
		case ${tok[k]:-} in
		true) val=0; k=$((k + 1)) ;;
		false) val=1; k=$((k + 1)) ;;
		'[[')
			in=()
			for ((k++; k < n; k++)); do
				[[ ${tok[k]} == ']]' ]] && break
				in+=("${tok[k]}")
			done
			((k < n)) || { COND_ERR="'[[' without ']]' in '$1'"; return 2; }
			k=$((k + 1))
			m=${#in[@]}
			if ((m == 1)); then
				cond_word "${in[0]}" || return 2
				[[ -n $REPLY ]]; val=$?
			elif ((m == 2)) && [[ ${in[0]} == -[zn] ]]; then
				cond_word "${in[1]}" || return 2
				[[ -z $REPLY ]]; val=$?
				[[ ${in[0]} == -n ]] && val=$((!val))
			elif ((m == 3)) && [[ ${in[1]} == '==' || ${in[1]} == '=' || ${in[1]} == '!=' ]]; then
				cond_word "${in[0]}" || return 2
				l=$REPLY
				cond_word "${in[2]}" || return 2
				r=$REPLY rq=$COND_QUOTED
				# shellcheck disable=SC2053  # unquoted: a pattern, as bash
				if ((rq)); then [[ $l == "$r" ]]; else [[ $l == $r ]]; fi
				val=$?
				[[ ${in[1]} == '!=' ]] && val=$((!val))
			else
				COND_ERR="cannot evaluate '[[ ${in[*]} ]]' (want [[ A == B ]], [[ A != B ]], [[ -z A ]], [[ -n A ]])"
				return 2
			fi ;;
		*)
			COND_ERR="cannot evaluate '${tok[k]:-}' in '$1' (want [[ ... ]], true or false, joined by && or ||)"
			return 2 ;;
		esac
		((neg)) && val=$((!val))
		case $op in
		'') result=$val ;;
		'&&') ((result == 0)) && result=$val ;;
		'||') ((result != 0)) && result=$val ;;
		esac
		((k < n)) || break
		op=${tok[k]}
		[[ $op == '&&' || $op == '||' ]] ||
			{ COND_ERR="expected && or || before '$op' in '$1'"; return 2; }
		k=$((k + 1))
		((k < n)) || { COND_ERR="nothing after '$op' in '$1'"; return 2; }
	done
	return "$result"
}

# Set key $3 of test $1 from line $2 to value $4 (already trimmed).
set_key() {
	local i=$1 n=$2 key=$3 value=$4
	case $value in      # one pair of outer quotes, except for QEMU words
	[\'\"]*) [[ $key == extra_params || $key == qemu_params ]] || { unquote "$value"; value=$REPLY; } ;;
	esac
	case $key in
	file)
		[[ -n $value ]] || cfg_error "$n" "empty 'file'"
		T_FILE[i]=$value ;;
	smp)
		# kvm-unit-tests caps the CPUs with bash arithmetic,
		# $((($MAX_SMP < N)?$MAX_SMP:N)); that one form is read as data.
		local max='\$(MAX_SMP|\{MAX_SMP\})' cap
		cap="^\\$\\(\\( *\\( *$max *< *([0-9]+) *\\) *\\? *$max *: *([0-9]+) *\\)\\)$"
		if [[ $value == '$MAX_SMP' || $value == '${MAX_SMP}' ]]; then
			T_SMP[i]=$HOST_MAX_SMP
		elif is_count "$value"; then
			T_SMP[i]=$value
		elif [[ $value =~ $cap ]] && is_count "${BASH_REMATCH[2]}" &&
				is_count "${BASH_REMATCH[4]}"; then
			if ((HOST_MAX_SMP < 10#${BASH_REMATCH[2]})); then
				T_SMP[i]=$HOST_MAX_SMP
			else
				T_SMP[i]=$((10#${BASH_REMATCH[4]}))
			fi
		else
			cfg_error "$n" "bad smp value '$value' (a number, \$MAX_SMP or \$(((\$MAX_SMP < N)?\$MAX_SMP:N)))"
		fi ;;
	extra_params|qemu_params)
		T_EXTRA[i]=$value ;;
	test_args)
		T_ARGS[i]=$value ;;
	groups)
		T_GROUPS[i]=" ${value//,/ } " ;;
	timeout)
		parse_timeout "$value" ||
			cfg_error "$n" "bad timeout value '$value' (seconds, or N with s/m/h/d)"
		T_TIMEOUT[i]=$REPLY ;;
	accel)
		[[ $value == kvm || $value == tcg || -z $value ]] ||
			cfg_error "$n" "bad accel value '$value' (kvm or tcg)"
		T_ACCEL[i]=$value ;;
	el)
		[[ $value == 1 || $value == 2 ]] ||
			cfg_error "$n" "bad el value '$value' (1 or 2)"
		T_EL[i]=$value ;;
	arch)
		T_ARCH[i]=$value ;;
	mem)
		is_count "${value%[Mm]}" ||
			cfg_error "$n" "bad mem value '$value' (MiB)"
		T_MEM[i]=${value%[Mm]} ;;
	check)
		check_valid "$value" || cfg_error "$n" "$CHECK_ERR"
		T_CHECK[i]=$value ;;
	disabled_if)
		# Evaluated when the test is launched (it depends on ACCEL);
		# here only whether it can be, with any values.
		cond_eval "$value"
		[[ -z $COND_ERR ]] || cfg_error "$n" "disabled_if: $COND_ERR"
		T_DISABLED[i]=$value ;;
	kvmtool_params)
		# kvm-unit-tests' parameters for kvmtool instead of QEMU: this
		# runner starts QEMU or the checker, so they cannot apply
		# (launch notes that in the log).
		T_KVMTOOL[i]=$value ;;
	machine)
		T_MACHINE[i]=$value ;;
	*)
		cfg_error "$n" "unknown key '$key'" ;;
	esac
}

# One pass over the config lines "$@", builtins only.
parse_cfg() {
	local -A keys_seen=()
	local line key value n=0 cur=-1

	for line in "$@"; do
		((++n))
		# Cheap tests first: most lines need no trimming (each statement
		# counts here: this loop is most of the runner's own time).
		case $line in
		''|'#'*) continue ;;
		[[:space:]]*|*[[:space:]])
			trim "$line"; line=$REPLY     # also drops a DOS \r
			[[ -z $line || $line == '#'* ]] && continue ;;
		esac

		if [[ $line == '['* ]]; then
			end_section "$cur"
			key=${line#[}; key=${key%]}
			[[ $line == *']' && -n $key && $key != *[!A-Za-z0-9_.+-]* ]] ||
				cfg_error "$n" "bad section header '$line' (want [name], name of letters, digits, _ . + -)"
			[[ -z ${T_INDEX[$key]+set} ]] ||
				cfg_error "$n" "duplicate section [$key] (first at line ${T_LINE[T_INDEX[$key]]})"
			cur=${#T_NAME[@]}
			T_NAME[cur]=$key T_LINE[cur]=$n T_INDEX[$key]=$cur
			keys_seen=()
			continue
		fi

		((cur >= 0)) || cfg_error "$n" "'$line' is outside any [section]"
		[[ $line == *=* ]] || cfg_error "$n" "expected 'key = value', got '$line'"
		key=${line%%=*} value=${line#*=}
		[[ $key == *[[:space:]] ]] && { trim "$key"; key=$REPLY; }
		[[ $value == [[:space:]]* ]] && { trim "$value"; value=$REPLY; }
		[[ -n $key ]] || cfg_error "$n" "missing key before '='"
		[[ -z ${keys_seen[$key]+set} ]] || cfg_error "$n" "duplicate key '$key' in [${T_NAME[cur]}]"
		keys_seen[$key]=1
		set_key "$cur" "$n" "$key" "$value"
	done
	end_section "$cur"
	((${#T_NAME[@]})) || die "no tests in '$CFG_SHOWN'"
}

# Even in pure bash, parsing is the largest part of the runner's own time
# (~50us a line on a loaded machine, ~5ms for tests.cfg).  So a good parse
# is saved in $LOGDIR/.cfg-cache-* and reused when the config's text
# (compared in full, not by mtime) and every input of the parse are the
# same.  Config errors are never cached: they exit first.
#
# The cache is data, never code: whoever can write to logs/ must not be
# able to run commands through it.  It is read with mapfile and assigned
# by slices, nothing is eval'ed, and the fields that reach arithmetic
# (where bash would expand a[$(cmd)]) are checked to be plain numbers.
# Layout, one value a line (a config line cannot hold a newline):
#     header (format and the parse's inputs)
#     L, then the L config lines
#     N, then N values of each T_* array in T_ARRAYS order (unset = empty)
#     end
# Anything else, including a cache cut short by a reader racing the
# writer, does not match and the config is parsed again.
CACHE_HEADER="run_tests.sh parse cache, format 3"
declare -a CFG_LINES=()
CACHE_FILE=
CACHE_STALE=0      # parsed: save_cache writes the result (under the lock)

# Positive decimals or empty, separated by blanks?  $1 = the values joined
# with one blank each, between blanks.
plain_counts() {
	[[ $1 != *[!0-9\ ]* && $1 != *' 0'* ]]
}

# Load the cache into T_*; fails (leaving T_* empty) unless it is whole and
# describes exactly this config text.
read_cache() {
	local -a C
	local nl nt b
	[[ $CACHE_FILE -nt $SELF ]] || return 1   # an older script's cache
	mapfile -t C 2>/dev/null <"$CACHE_FILE" || return 1
	[[ ${C[0]:-} == "$CACHE_HEADER $HOST_MAX_SMP" ]] || return 1
	nl=${C[1]:-}
	[[ $nl == [1-9]* && $nl != *[!0-9]* && ${#nl} -le 7 ]] || return 1
	nt=${C[nl + 2]:-}
	[[ $nt == [1-9]* && $nt != *[!0-9]* && ${#nt} -le 7 ]] || return 1
	((${#C[@]} == nl + 3 + ${#T_ARRAYS[@]} * nt + 1)) && [[ ${C[-1]} == end ]] || return 1
	local IFS=$'\n' a
	[[ "${C[*]:2:nl}" == "${CFG_LINES[*]}" ]] || return 1
	b=$((nl + 3))
	for a in "${T_ARRAYS[@]}"; do
		local -n arr=$a
		# shellcheck disable=SC2034  # arr names a T_* array
		arr=("${C[@]:b:nt}"); b=$((b + nt))
		unset -n arr
	done
	IFS=' '
	local names=" ${T_NAME[*]} " accel=" ${T_ACCEL[*]} " el=" ${T_EL[*]} "
	accel=${accel//' kvm '/ }; accel=${accel//' tcg '/ }
	if [[ $names == *[!A-Za-z0-9_.+\ -]* || $names == *'  '* || $accel == *[!\ ]* ||
	      $el == *[!12\ ]* || $el == *[12][12]* ]] ||
	   ! plain_counts " ${T_LINE[*]} ${T_SMP[*]} ${T_TIMEOUT[*]} ${T_MEM[*]} "; then
		clear_tests
		return 1
	fi
	local i
	for i in "${!T_NAME[@]}"; do T_INDEX[${T_NAME[i]}]=$i; done
	((${#T_INDEX[@]} == nt)) || { clear_tests; return 1; }   # a name twice
}

clear_tests() {
	local a
	for a in "${T_ARRAYS[@]}"; do unset "$a"; declare -ga "$a=()"; done
	T_INDEX=()
}

load_cfg() {
	[[ -r $CFG ]] || die "cannot read config '$CFG_SHOWN'"
	mapfile -t CFG_LINES <"$CFG"
	CACHE_FILE=$LOGDIR/.cfg-cache${CFG//\//_}
	read_cache && return 0
	parse_cfg "${CFG_LINES[@]}"
	CACHE_STALE=1
}

# The N values of array $1 (unset ones empty), one a line, onto REPLY.
cache_values() {
	local -n vals=$1
	local i
	for ((i = 0; i < ${#T_NAME[@]}; i++)); do REPLY+=${vals[i]:-}$'\n'; done
}

# Called with the log directory locked: no two writers at once, and a
# reader meanwhile sees a file cut short, which does not match.
save_cache() {
	local a
	((CACHE_STALE)) && [[ -w $LOGDIR ]] || return 0
	REPLY=
	for a in "${T_ARRAYS[@]}"; do cache_values "$a"; done
	printf '%s\n' "$CACHE_HEADER $HOST_MAX_SMP" "${#CFG_LINES[@]}" "${CFG_LINES[@]}" \
		"${#T_NAME[@]}" "${REPLY}end" >"$CACHE_FILE" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------- selection

declare -a SELECTED=()      # test indexes to run, config order

# Does test $1 belong to one of the -g groups?
in_groups() {
	local g
	for g in "${ONLY_GROUPS[@]}"; do
		[[ ${T_GROUPS[$1]:-} == *" $g "* ]] && return 0
	done
	return 1
}

# Does test $1 match one of the names/patterns given as arguments?
named() {
	local pat
	for pat in "${ONLY_NAMES[@]}"; do
		# shellcheck disable=SC2053  # $pat is a glob on purpose
		[[ ${T_NAME[$1]} == $pat ]] && return 0
	done
	return 1
}

select_tests() {
	local i pat found
	# A name that matches nothing is a typo, not an empty run.
	for pat in "${ONLY_NAMES[@]}"; do
		found=0
		for i in "${!T_NAME[@]}"; do
			# shellcheck disable=SC2053
			[[ ${T_NAME[i]} == $pat ]] && { found=1; break; }
		done
		((found)) || die "no test named '$pat' in $CFG_SHOWN"
	done

	for i in "${!T_NAME[@]}"; do
		if ((${#ONLY_NAMES[@]})); then
			named "$i" || continue
		fi
		if ((${#ONLY_GROUPS[@]})); then
			in_groups "$i" || continue
		elif ((${#ONLY_NAMES[@]} == 0 && ALL == 0)); then
			[[ ${T_GROUPS[i]:-} == *' nodefault '* ]] && continue
		fi
		SELECTED+=("$i")
	done
	((${#SELECTED[@]})) || die "no test selected (groups: ${ONLY_GROUPS[*]:-none})"
}

# ---------------------------------------------------------------- commands

declare -a CMD=()           # command for the test being launched
SKIP_REASON=                # set instead of CMD when a test cannot run here

# Split a QEMU parameter string into words the way a shell would (quotes and
# backslashes), without eval, so a config cannot run commands.  Sets WORDS.
declare -a WORDS=()
split_words() {
	local s=$1 c word='' have=0 quote='' k
	WORDS=()
	for ((k = 0; k < ${#s}; k++)); do
		c=${s:k:1}
		if [[ -n $quote ]]; then
			if [[ $c == "$quote" ]]; then quote=
			elif [[ $c == \\ && $quote == '"' && $((k + 1)) -lt ${#s} ]]; then
				k=$((k + 1)); word+=${s:k:1}
			else word+=$c; fi
		elif [[ $c == [[:space:]] ]]; then
			((have)) && WORDS+=("$word")
			word=''; have=0
		elif [[ $c == \' || $c == \" ]]; then
			quote=$c; have=1
		elif [[ $c == \\ && $((k + 1)) -lt ${#s} ]]; then
			k=$((k + 1)); word+=${s:k:1}; have=1
		else
			word+=$c; have=1
		fi
	done
	((have)) && WORDS+=("$word")
	return 0
}

# Replace $SMP / $MAX_SMP / $MEM (and the ${...} forms) in $1.  Sets REPLY.
expand_vars() {
	local s=$1 smp=$2 mem=$3
	s=${s//'${MAX_SMP}'/$HOST_MAX_SMP}; s=${s//'$MAX_SMP'/$HOST_MAX_SMP}
	s=${s//'${SMP}'/$smp};              s=${s//'$SMP'/$smp}
	s=${s//'${MEM}'/$mem};              s=${s//'$MEM'/$mem}
	REPLY=$s
}

# ---------------------------------------------------------------- errata

# kvm-unit-tests' errata (scripts/arch-run.bash env_errata and
# env_generate_errata; lib/errata.h reads them in the guest): a test asks
# ERRATA_<commit> whether the host kernel has a fix, ERRATA_FORCE=y says
# "run everything" and is set on TCG, where no host KVM bug can apply.
# Each line "<commit>:<minimum kernel version>:<summary>" of the errata
# file gives ERRATA_<commit>=y if the host kernel is at least that version,
# else n; a variable the caller set wins.  (kvm-unit-tests skips the file
# on TCG; with ERRATA_FORCE=y the guest's answer is "y" either way.)
declare -a FILE_ERRATA=() CALLER_ERRATA=() ENV_LINES=()
ENV_FILE=

# A kernel version "v.p[.s][-x...]" as a comparable number, missing parts
# 0 (as env_generate_errata compares them).  Fails unless v and p are
# numbers.  Sets REPLY.
kernel_version_key() {
	local v p s x rest
	IFS=. read -r v p rest <<<"$1"
	IFS=- read -r s x <<<"$rest"
	s=${s%%[!0-9]*} x=${x%%[!0-9]*}
	[[ -n $v && $v != *[!0-9]* && -n $p && $p != *[!0-9]* && ${#v} -le 4 && ${#p} -le 4 ]] || return 1
	[[ ${#s} -le 4 && ${#x} -le 4 ]] || return 1
	REPLY=$(( ((10#$v * 10000 + 10#$p) * 10000 + 10#${s:-0}) * 10000 + 10#${x:-0} ))
}

errata_setup() {
	local file line n=0 commit minver have kernel name
	if [[ -v ERRATATXT ]]; then
		file=$ERRATATXT
		[[ -f $file && -r $file ]] || die "errata file '$file' not found (ERRATATXT=$ERRATATXT)"
	else
		file=${CFG%/*}/errata.txt
		[[ -f $file ]] || file=
	fi
	if [[ -n $file ]]; then
		kernel=${KERNEL_VERSION_STRING:-}
		[[ -n $kernel ]] || read -r kernel </proc/sys/kernel/osrelease ||
			die "cannot read the host kernel version (/proc/sys/kernel/osrelease)"
		kernel_version_key "$kernel" || die "cannot parse the host kernel version '$kernel'"
		kernel=$REPLY
		local -a raw
		mapfile -t raw <"$file"
		for line in "${raw[@]}"; do
			((++n))
			line=${line//[[:blank:]$'\r']/}
			[[ -z $line || $line == '#'* ]] && continue
			[[ $line == *:* ]] || die "$file:$n: want <commit>:<minimum kernel version>:<summary>, got '$line'"
			commit=${line%%:*} minver=${line#*:}; minver=${minver%%:*}
			[[ -n $commit ]] || continue
			[[ $commit != *[!A-Za-z0-9_]* ]] || die "$file:$n: bad commit '$commit' (letters, digits, _)"
			kernel_version_key "$minver" || die "$file:$n: bad minimum kernel version '$minver'"
			if ((kernel >= REPLY)); then have=y; else have=n; fi
			name=ERRATA_$commit
			[[ -n ${!name:-} ]] && continue
			FILE_ERRATA+=("$name=$have")
		done
	fi
	[[ ${ERRATA_FORCE:-} != *$'\n'* ]] || die "ERRATA_FORCE holds a newline"
	# The caller's own ERRATA_* go to every test as they are.
	for name in ${!ERRATA_@}; do
		[[ $name == ERRATA_FORCE ]] && continue
		[[ ${!name} != *$'\n'* ]] || die "$name holds a newline (the tests get NAME=value lines)"
		CALLER_ERRATA+=("$name=${!name}")
	done
}

# The environment of test $1 (after build_cmd chose its accelerator):
# ENV_LINES, and ENV_FILE where launch writes them.
errata_env() {
	ENV_FILE=$LOGDIR/${T_NAME[$1]}.env
	ENV_LINES=("${CALLER_ERRATA[@]}" "${FILE_ERRATA[@]}")
	if ((CHECKER)) || [[ $ACCEL_USE == tcg ]]; then
		ENV_LINES+=(ERRATA_FORCE=y)
	elif [[ -n ${ERRATA_FORCE:-} ]]; then
		ENV_LINES+=("ERRATA_FORCE=$ERRATA_FORCE")
	fi
}

# Pick TCG or KVM for test $1 (with effective el $2).  Sets ACCEL_USE, or
# SKIP_REASON when the test demands what this host lacks.
choose_accel() {
	local i=$1 el=$2 want=${T_ACCEL[$1]}
	[[ -n $want ]] || want=${ACCEL:-}
	if [[ -z $want ]]; then
		# EL2 needs nested virtualization, which QEMU 7.2 KVM does not offer.
		if ((el == 1)) && kvm_available; then want=kvm; else want=tcg; fi
	fi
	if [[ $want == kvm ]]; then
		kvm_available || { SKIP_REASON="kvm not available"; return; }
		((el == 1)) || { SKIP_REASON="EL2 needs TCG (no nested virt on KVM)"; return; }
	fi
	ACCEL_USE=$want
}

# Is test $1 disabled here (its disabled_if, with this run's values)?
# Sets SKIP_REASON (or FAIL_REASON, for a condition a doctored parse cache
# slipped past the parser).
disabled() {
	local i=$1 rc=0
	[[ -n ${T_DISABLED[i]} ]] || return 1
	COND_VARS[ACCEL]=$2
	cond_eval "${T_DISABLED[i]}" || rc=$?
	if ((rc == 2)); then FAIL_REASON="disabled_if: $COND_ERR"; return 0; fi
	((rc == 0)) && SKIP_REASON="disabled because: ${T_DISABLED[i]}"
	((rc == 0))
}

# Build CMD for test $1, or set SKIP_REASON (or FAIL_REASON).
build_cmd() {
	local i=$1 smp=${SMP_OVERRIDE:-${T_SMP[$1]}} el=${T_EL[$1]} mem=${T_MEM[$1]}
	local image=$GUEST_DIR/${T_FILE[$1]} args machine=virt
	CMD=(); SKIP_REASON='' FAIL_REASON='' ACCEL_USE=''
	((EL2_ALL)) && el=2
	case ${T_ARCH[i]} in
	''|aarch64|arm64) ;;
	*) SKIP_REASON="arch ${T_ARCH[i]}"; return ;;
	esac
	# kvm-unit-tests' machine key: the one machine here is QEMU's virt
	# (and the checker's model of it).
	case ${T_MACHINE[i]} in
	''|virt) ;;
	*) SKIP_REASON="machine ${T_MACHINE[i]} only"; return ;;
	esac
	check_holds "${CHECK:-${T_CHECK[i]}}" || return
	if ((CHECKER == 0)); then
		choose_accel "$i" "$el"
		[[ -n $SKIP_REASON ]] && return
	fi
	disabled "$i" "$ACCEL_USE" && return
	((EFI)) || [[ -r $image ]] || return   # no CMD: reported as a missing image
	expand_vars "${T_ARGS[i]}" "$smp" "$mem"; args=$REPLY
	errata_env "$i"

	if ((CHECKER)); then
		# edk2 (ArmVirtQemu) hangs in its own early code below 128 MiB.
		if ((EFI && mem < 128)); then SKIP_REASON="edk2 needs mem >= 128"; return; fi
		CMD=("$COHERENT" run --smp "$smp" -m "$mem")
		[[ ${COHERENT_MODEL:-on} == off ]] && CMD+=(--no-model)
		[[ -n $args ]] && CMD+=(--append "$args")
		((el == 2)) && CMD+=(--el2)
		# The machine properties of extra_params the checker models:
		# QEMU virt's gic-version, and the number of -numa node
		# options as memory nodes (the rest are QEMU's alone).
		if [[ ${T_EXTRA[i]} =~ gic-version=([23])([^0-9]|$) ]]; then
			CMD+=(--gic-version "${BASH_REMATCH[1]}")
		fi
		local nodes=0 w
		for w in ${T_EXTRA[i]}; do [[ $w == node || $w == node,* ]] && nodes=$((nodes + 1)); done
		((nodes > 1)) && CMD+=(--mem-nodes "$nodes")
		if ((EFI)); then
			# As QEMU's -bios with -kernel below: edk2 from flash
			# starts the .efi from fw_cfg; no initrd (the EFI entry
			# reads none).
			local efi=${image%.bin}.efi
			[[ -r $efi ]] || { CMD=(); return; }     # reported as missing image
			CMD+=(--bios "$EFI_FIRMWARE" "$efi")
			return
		fi
		# The environment as for QEMU, below.
		((${#ENV_LINES[@]})) && CMD+=(--initrd "$ENV_FILE")
		CMD+=("$image")
		return
	fi
	# edk2 (ArmVirtQemu) hangs in its own early code below 128 MiB.
	if ((EFI && mem < 128)); then SKIP_REASON="edk2 needs mem >= 128"; return; fi
	((el == 2)) && machine+=,virtualization=on
	# edk2 publishes the device tree (the EFI_DTB_TABLE the guest reads)
	# only when QEMU gives it no ACPI tables (ArmVirtPkg PlatformHasAcpiDtDxe).
	((EFI)) && machine+=,acpi=off
	# With KVM the GIC must be the host's kind (as kvm-unit-tests does).
	[[ $ACCEL_USE == kvm ]] && machine+=,gic-version=host
	CMD=("$QEMU" -nodefaults -machine "$machine")
	if [[ $ACCEL_USE == kvm ]]; then CMD+=(-accel kvm -cpu host)
	else CMD+=(-accel tcg -cpu max); fi
	CMD+=(-smp "$smp" -m "$mem" -display none -serial stdio)
	if ((EFI)); then
		# edk2 starts a PE/COFF -kernel (from fw_cfg) as an EFI
		# application with -append as its LoadOptions: no shell, no
		# startup.nsh, no disk.
		local efi=${image%.bin}.efi
		[[ -r $efi ]] || { CMD=(); return; }     # reported as missing image
		CMD+=(-bios "$EFI_FIRMWARE" -kernel "$efi")
	else
		CMD+=(-kernel "$image")
	fi
	[[ -n $args ]] && CMD+=(-append "$args")
	# The environment the way kvm-unit-tests hands it over: a file of
	# NAME=value lines as the initrd (scripts/arch-run.bash initrd_create).
	# Not through edk2: our EFI entry takes only LoadOptions and the DTB.
	((EFI == 0 && ${#ENV_LINES[@]})) && CMD+=(-initrd "$ENV_FILE")
	if [[ -n ${T_EXTRA[i]} ]]; then
		expand_vars "${T_EXTRA[i]}" "$smp" "$mem"
		split_words "$REPLY"
		CMD+=("${WORDS[@]}")
	fi
}

# ---------------------------------------------------------------- results

declare -a RESULT=() DETAIL=()   # per test index: PASS/FAIL/SKIP, text
declare -A START=()              # test index -> $EPOCHREALTIME at launch
declare -A RUNNING=()            # pid of timeout -> test index
NPASS=0 NFAIL=0 NSKIP=0

# Microseconds since the epoch from $EPOCHREALTIME (builtin, no fork; the
# separator follows the locale).
now_us() {
	local t=$EPOCHREALTIME
	REPLY=${t//[.,]/}
}

# Read the guest's verdict from the log: its EXIT and SUMMARY lines.  Line
# 1 (our command line, which may contain anything) is never looked at.
# Only a whole line exactly "EXIT: STATUS=<0..255>" is a verdict: the guest
# ends its output with one (printf through the PL011, LF only; a test that
# fails before leaving UEFI prints it through the firmware console, CRLF),
# and QEMU's stdio chardev passes the bytes through unchanged.  So one CR
# before the LF is dropped, and anything else that says EXIT:, a second
# EXIT line, a NUL byte or a last line without its newline makes LOG_BAD
# the reason for a FAIL: what the runner cannot read is not a pass.
# Sets LOG_STATUS ('' if none), LOG_SUMMARY and LOG_BAD.
scan_log() {
	local -a L
	local k n line at=''
	LOG_STATUS='' LOG_SUMMARY='' LOG_BAD='' LOG_BT=0
	# Newlines kept: mapfile ends an element at a NUL byte and drops the
	# rest of that line, newline included, so an element without one is a
	# NUL, or the end of output cut short.
	mapfile L <"$1"
	n=${#L[@]}
	for ((k = 1; k < n; k++)); do
		line=${L[k]}
		if [[ $line != *$'\n' ]]; then
			if ((k < n - 1)); then
				LOG_BAD="NUL byte in the output at log line $((k + 1))"
			else
				LOG_BAD="output ends in a line without a newline (cut short, or a NUL byte): ${line@Q}"
			fi
			LOG_STATUS=
			return
		fi
		line=${line%$'\n'}; line=${line%$'\r'}
		if [[ $line == *EXIT:* ]]; then
			at+=" $((k + 1))"
			if [[ $line == 'EXIT: STATUS='[0-9]* ]] && exit_status "${line#EXIT: STATUS=}"; then
				LOG_STATUS=${line#EXIT: STATUS=}
			else
				LOG_BAD="bad EXIT line ${line@Q} at log line $((k + 1)); want a line exactly EXIT: STATUS=<0..255>"
				LOG_STATUS=
				return
			fi
		elif [[ $line == *SUMMARY:\ * ]]; then
			LOG_SUMMARY=${line#*SUMMARY: }
		elif [[ $line == *'(image+0x'* ]]; then
			LOG_BT=1
		fi
	done
	if [[ $at == ' '*' '* ]]; then
		LOG_BAD="several EXIT lines, at log lines${at}"
		LOG_STATUS=
	fi
}

# Is $1 a status 0..255, in decimal without leading zeros?
exit_status() {
	[[ $1 == 0 || ($1 == [1-9]* && $1 != *[!0-9]* && ${#1} -le 3) ]] && (($1 <= 255))
}

# Classify test $1 whose command exited with $2 after $3 microseconds.
classify() {
	local i=$1 rc=$2 elapsed=$3 log=$LOGDIR/${T_NAME[$1]}.log
	local limit_us=$((T_TIMEOUT[$1] * 1000000)) status why=''
	scan_log "$log"
	status=$LOG_STATUS

	# timeout(1) exits 124 when it killed the test; so does the checker when
	# its instruction budget runs out, which elapsed time tells apart.
	if ((rc == 124 && (CHECKER == 0 || elapsed >= limit_us))); then
		why="timeout after ${T_TIMEOUT[i]}s"
	elif ((rc == 137 && elapsed >= limit_us)); then
		why="timeout after ${T_TIMEOUT[i]}s, then SIGKILL"
	elif ((rc > 128 && rc < 160)); then
		why="killed by signal $((rc - 128))"
	elif ((CHECKER)); then
		case $rc in
		0|1|77) [[ -z $status || $status == "$rc" ]] ||
				why="checker status $rc but guest said EXIT: STATUS=$status" ;;
		124) why="instruction budget exhausted" ;;
		125) why="machine error" ;;
		126) why="checker findings reported" ;;
		*) why="checker exited with status $rc" ;;
		esac
	elif ((rc != 0)); then
		why="qemu exited with status $rc"
	fi
	if [[ -z $why && -n $LOG_BAD ]]; then
		why=$LOG_BAD
	elif [[ -z $why && -z $status ]]; then
		why="no EXIT line"
	fi

	if [[ -n $why ]]; then
		RESULT[i]=FAIL
		DETAIL[i]=$why${LOG_SUMMARY:+; $LOG_SUMMARY}
	elif [[ $status == 0 ]]; then
		RESULT[i]=PASS; DETAIL[i]=$LOG_SUMMARY
	elif [[ $status == 77 ]]; then
		RESULT[i]=SKIP; DETAIL[i]=${LOG_SUMMARY:-all skipped}
	else
		RESULT[i]=FAIL; DETAIL[i]=${LOG_SUMMARY:-EXIT: STATUS=$status}
	fi
}

# Colours only for a terminal, and never in TAP.
# shellcheck disable=SC2034  # C_PASS etc. are read as ${!c} in print_result
setup_colours() {
	if [[ -t 1 ]] && ((TAP == 0)); then
		C_PASS=$'\e[32m' C_FAIL=$'\e[31m' C_SKIP=$'\e[33m' C_OFF=$'\e[0m'
	else
		C_PASS='' C_FAIL='' C_SKIP='' C_OFF=''
	fi
}

# Print the result of the test at position $1 of SELECTED.
print_result() {
	local pos=$1 i=${SELECTED[$1]} res detail
	res=${RESULT[i]} detail=${DETAIL[i]}
	case $res in
	PASS) NPASS=$((NPASS + 1)) ;;
	FAIL) NFAIL=$((NFAIL + 1)) ;;
	SKIP) NSKIP=$((NSKIP + 1)) ;;
	esac
	if ((TAP)); then
		case $res in
		PASS) printf 'ok %d - %s\n' $((pos + 1)) "${T_NAME[i]}" ;;
		SKIP) printf 'ok %d - %s # SKIP %s\n' $((pos + 1)) "${T_NAME[i]}" "$detail" ;;
		FAIL) printf 'not ok %d - %s\n# %s\n' $((pos + 1)) "${T_NAME[i]}" "$detail" ;;
		esac
	else
		local c=C_$res
		printf '%s%s%s %s%s\n' "${!c}" "$res" "$C_OFF" "${T_NAME[i]}" "${detail:+ ($detail)}"
	fi
}

# Results are printed in config order: everything finished up to the first
# test still running.
NEXT_PRINT=0
flush_results() {
	while ((NEXT_PRINT < ${#SELECTED[@]})) && [[ -n ${RESULT[SELECTED[NEXT_PRINT]]:-} ]]; do
		print_result "$NEXT_PRINT"
		NEXT_PRINT=$((NEXT_PRINT + 1))
	done
}

# ---------------------------------------------------------------- running

# The words "$@" as one line a shell reads back as the same words: words with
# nothing special stay bare, others are single-quoted (printf %q would also
# escape every comma of -machine virt,virtualization=on).  Sets REPLY.
shell_line() {
	local w line=''
	for w in "$@"; do
		if [[ -z $w || $w == *[!A-Za-z0-9_./,:=+@%-]* ]]; then
			w=\'${w//\'/\'\\\'\'}\'
		fi
		line+=${line:+ }$w
	done
	REPLY=$line
}

# Start test $1 in the background.  Its log gets the command line first.
launch() {
	local i=$1 log=$LOGDIR/${T_NAME[$1]}.log cmdline
	build_cmd "$i"
	if [[ -n $FAIL_REASON ]]; then
		printf 'FAIL: %s\n' "$FAIL_REASON" >"$log"
		RESULT[i]=FAIL; DETAIL[i]=$FAIL_REASON
		return
	fi
	if [[ -n $SKIP_REASON ]]; then
		printf 'SKIP: %s\n' "$SKIP_REASON" >"$log"
		RESULT[i]=SKIP; DETAIL[i]=$SKIP_REASON
		return
	fi
	if ((${#CMD[@]} == 0)); then
		local what=$GUEST_DIR/${T_FILE[i]}
		((EFI)) && what=${what%.bin}.efi
		# guest/guest.mk leaves <image>.broken (the compiler's output)
		# for a test that did not build.
		local broken=${what%.*}.broken
		if [[ -f $broken ]]; then
			printf 'image %s did not build; the build said:\n' "$what" >"$log"
			cat "$broken" >>"$log"
			RESULT[i]=FAIL; DETAIL[i]="image did not build: see $broken"
		else
			printf 'missing image %s\n' "$what" >"$log"
			RESULT[i]=FAIL; DETAIL[i]="missing image $what"
		fi
		return
	fi
	shell_line "${CMD[@]}"; cmdline=$REPLY
	local why='the EFI entry reads no initrd'
	{
		printf '%s\n' "$cmdline"
		# Notes never repeat config text: it could say EXIT:.
		[[ -n ${T_KVMTOOL[i]} ]] &&
			printf 'note: kvmtool_params ignored (this runner starts QEMU or the checker, not kvmtool)\n'
		((${#ENV_LINES[@]} && EFI)) &&
			printf 'note: environment (%s) not passed: %s\n' "${ENV_LINES[*]%%=*}" "$why"
	} >"$log"
	((${#ENV_LINES[@]})) && printf '%s\n' "${ENV_LINES[@]}" >"$ENV_FILE"
	if ((VERBOSE)); then
		if ((TAP)); then printf '# %s\n' "$cmdline"; else printf '%s\n' "$cmdline"; fi
	fi
	now_us; START[$i]=$REPLY
	# stdin from /dev/null: QEMU's stdio chardev must not touch the terminal
	# (parallel tests, and timeout(1) puts the test in its own process group).
	timeout -k "$KILL_AFTER" "${T_TIMEOUT[i]}" "${CMD[@]}" >>"$log" 2>&1 </dev/null &
	RUNNING[$!]=$i
}

# Wait for any running test to end and record its result.
reap_one() {
	local pid rc i
	wait -n -p pid
	rc=$?
	[[ -n ${pid:-} && -n ${RUNNING[$pid]+set} ]] || return 0
	i=${RUNNING[$pid]}
	unset "RUNNING[$pid]"
	now_us
	classify "$i" "$rc" $((REPLY - START[$i]))
	((LOG_BT)) && symbolise "$i"
}

# The guest prints backtrace frames as image offsets, "(image+0x...)"
# (guest/lib/exceptions.c); the image is linked at 0, so an offset is an
# address in the ELF beside it.  Append them resolved to function and
# file:line (one addr2line for all), after the output, which is already
# classified.
symbolise() {
	local i=$1 log=$LOGDIR/${T_NAME[$1]}.log line off elf
	local -a L offs=()
	local -A seen=()
	elf=$GUEST_DIR/${T_FILE[i]}; elf=${elf%.*}.elf
	mapfile -t L <"$log"
	for line in "${L[@]:1}"; do
		while [[ $line == *'(image+0x'[0-9a-f]*')'* ]]; do
			line=${line#*'(image+'}; off=${line%%')'*}; line=${line#*')'}
			[[ $off == 0x*[!0-9a-f]* || -n ${seen[$off]+set} ]] && continue
			seen[$off]=1; offs+=("$off")
		done
	done
	((${#offs[@]})) || return 0
	{
		if [[ ! -r $elf ]]; then
			printf 'run_tests.sh: backtrace not symbolised: no %s\n' "$elf"
		elif ! hash "$ADDR2LINE" 2>/dev/null; then
			printf 'run_tests.sh: backtrace not symbolised: no %s (binutils-aarch64-linux-gnu)\n' "$ADDR2LINE"
		else
			printf 'run_tests.sh: backtrace symbolised (%s -a -f -i -p -e %s):\n' "$ADDR2LINE" "$elf"
			"$ADDR2LINE" -a -f -i -p -e "$elf" "${offs[@]}" 2>&1
		fi
	} >>"$log"
}

# Ctrl-C / SIGTERM: stop the tests we started (timeout passes the signal on
# to QEMU), then leave.
on_signal() {
	trap - INT TERM
	((${#RUNNING[@]})) && kill -TERM "${!RUNNING[@]}" 2>/dev/null
	wait
	printf 'run_tests.sh: interrupted\n' >&2
	exit 130
}

check_backend() {
	if ((CHECKER)); then
		[[ -x $COHERENT ]] || die "checker '$COHERENT' not found (make checker, or set COHERENT=)"
		case ${COHERENT_MODEL:-on} in
		on|off) ;;
		*) die "COHERENT_MODEL=$COHERENT_MODEL: it is on or off" ;;
		esac
	else
		[[ -z ${ACCEL:-} || $ACCEL == kvm || $ACCEL == tcg ]] ||
			die "bad ACCEL '$ACCEL' (kvm or tcg)"
		# A bare name is run by its full path: timeout(1) would otherwise
		# try execve in every PATH directory before the right one.
		if [[ $QEMU == */* ]]; then
			[[ -x $QEMU ]]
		else
			hash "$QEMU" 2>/dev/null && QEMU=${BASH_CMDS[$QEMU]}
		fi || die "'$QEMU' not found (install qemu-system-arm, or set QEMU=)"
	fi
	if ((EFI)) && [[ ! -r $EFI_FIRMWARE ]]; then
		die "--efi: firmware '$EFI_FIRMWARE' not found (install qemu-efi-aarch64, or set EFI_FIRMWARE=)"
	fi
}

# One run at a time per log directory: two runs writing logs/<test>.log at
# once mix their outputs, and each would read the other's EXIT line.  The
# second run waits (flock(1) blocks in the kernel: no polling) rather than
# fails, so `make -j` with two suites in one tree still works.  The lock is
# on an open file, so it ends with the process whatever kills it; the tests
# inherit the descriptor, so a machine left running by a killed runner, still
# writing its log, keeps the next run out until it ends too.
lock_logdir() {
	local lock=$LOGDIR/.lock holder='' rc=0
	[[ -d $LOGDIR ]] || mkdir -p "$LOGDIR" || die "cannot create '$LOGDIR'"
	exec {LOCK_FD}<>"$lock" || die "cannot open '$lock'"
	flock -n -E 75 "$LOCK_FD" || rc=$?
	if ((rc == 75)); then
		read -r holder <"$lock"
		printf 'run_tests.sh: waiting for the run (pid %s) using %s to finish (set LOGDIR to run beside it)\n' \
			"${holder:-?}" "$LOGDIR" >&2
		rc=0
		flock "$LOCK_FD" || rc=$?
	fi
	((rc == 0)) || die "cannot lock '$lock' (flock failed)"
	# For the message above; fixed width, as nothing truncates the file.
	printf '%-10d\n' "$$" >&"$LOCK_FD"
}

run_all() {
	local pos
	trap on_signal INT TERM
	if ((TAP)); then
		printf 'TAP version 13\n1..%d\n' "${#SELECTED[@]}"
	fi
	for pos in "${!SELECTED[@]}"; do
		while ((${#RUNNING[@]} >= JOBS)); do reap_one; flush_results; done
		launch "${SELECTED[pos]}"
		flush_results
	done
	while ((${#RUNNING[@]})); do reap_one; flush_results; done
	flush_results

	if ((TAP)); then printf '# '; fi
	printf '%d passed, %d failed, %d skipped\n' "$NPASS" "$NFAIL" "$NSKIP"
	((NFAIL == 0))
}

main() {
	parse_options "$@"
	# Config paths (tests/tests.cfg, build/guest, logs) are relative to the
	# repository, wherever we are called from.
	cd "${SELF%/*}" || die "cannot cd to the repository"
	setup_colours
	host_max_smp; HOST_MAX_SMP=$REPLY
	parse_timeout "$DEFAULT_TIMEOUT" || die "bad TIMEOUT '$DEFAULT_TIMEOUT' (seconds, or N with s/m/h/d)"
	DEFAULT_TIMEOUT=$REPLY
	load_cfg
	select_tests
	if ((LIST)); then
		local i
		for i in "${SELECTED[@]}"; do
			if ((VERBOSE)); then printf '%s\t%s\n' "${T_NAME[i]}" "${T_FILE[i]}"
			else printf '%s\n' "${T_NAME[i]}"; fi
		done
		return 0
	fi
	[[ -z ${CHECK:-} ]] || check_valid "$CHECK" || die "CHECK: $CHECK_ERR"
	errata_setup
	# disabled_if's variables, as kvm-unit-tests defines them (TARGET is
	# its VMM: qemu, or here the checker; ARCH its arm64 name; ACCEL is
	# set per test).
	COND_VARS[TARGET]=qemu COND_VARS[MACHINE]=virt COND_VARS[ARCH]=arm64
	((CHECKER)) && COND_VARS[TARGET]=coherent
	COND_VARS[CONFIG_EFI]=n
	((EFI)) && COND_VARS[CONFIG_EFI]=y
	COND_VARS[HOST]=$HOSTTYPE COND_VARS[MAX_SMP]=$HOST_MAX_SMP
	check_backend
	lock_logdir
	save_cache      # before apply_defaults: the cache holds the parse only
	apply_defaults
	run_all
}

main "$@"
