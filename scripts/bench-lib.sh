# Timing helpers shared by the bench scripts (sourced, not run).

# Wall time of "$@" in microseconds, into REPLY; the exit status in RC.
time_us() {
	local t0=$EPOCHREALTIME t1
	"$@" >/dev/null 2>&1 </dev/null
	RC=$?
	t1=$EPOCHREALTIME
	REPLY=$(( ${t1//[.,]/} - ${t0//[.,]/} ))
}

# Median and minimum of the numbers "$@": REPLY and MIN.
median() {
	local -a sorted
	mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
	REPLY=${sorted[$(( ${#sorted[@]} / 2 ))]}
	MIN=${sorted[0]}
}

# Microseconds as seconds with 3 decimals.
secs() {
	printf '%d.%03d' $(( $1 / 1000000 )) $(( $1 / 1000 % 1000 ))
}

# A bench row times a guest that ran to its end: console output FILE has
# the line "EXIT: STATUS=0" and the command's exit status RC is 0 or one
# of the OK statuses given (coherent's 126: findings, the guest passed).
# A run that stopped early (QEMU refusing its command line, a crash)
# would be timed as if it were fast. Otherwise says so on stderr, with
# the end of the output, and returns 1: the caller fails the bench.
# usage: ran_to_exit NAME RC FILE [OK...]
ran_to_exit() {
	local name=$1 rc=$2 out=$3 ok=0 r
	shift 3
	for r in 0 "$@"; do [[ $rc == "$r" ]] && ok=1; done
	if ((ok)) && grep -qE $'^EXIT: STATUS=0\r?$' "$out"; then
		return 0
	fi
	{
		echo "bench: FAILED: $name did not run to its 'EXIT: STATUS=0' line (exit status $rc); its output ends:"
		tail -n 5 "$out" | sed 's/^/    /'
	} >&2
	return 1
}

# The same for a guest whose end is a line of its own (Linux's panic):
# FILE contains the fixed string LINE and RC is 0 or one of the OKs.
# usage: ran_to_line NAME RC FILE LINE [OK...]
ran_to_line() {
	local name=$1 rc=$2 out=$3 line=$4 ok=0 r
	shift 4
	for r in 0 "$@"; do [[ $rc == "$r" ]] && ok=1; done
	if ((ok)) && grep -qF -- "$line" "$out"; then
		return 0
	fi
	{
		echo "bench: FAILED: $name did not run to its '$line' line (exit status $rc); its output ends:"
		tail -n 5 "$out" | sed 's/^/    /'
	} >&2
	return 1
}

# Run "$@" (stdin from file IN, stdout into OUT, stderr into ERR) until a
# line of its output matches the extended regular expression PATTERN,
# then stop it with SIGTERM (coherent then prints its --stats). REPLY:
# microseconds from the start to that line, empty when no line matched
# before the command ended; RC: its exit status.
# usage: until_line PATTERN IN OUT ERR CMD...
until_line() {
	local pat=$1 in=$2 out=$3 err=$4 fifo pid line t0=$EPOCHREALTIME t1=''
	shift 4
	fifo=$(mktemp -u "${TMPDIR:-/tmp}/bench-fifo.XXXXXX")
	mkfifo "$fifo" || return 1
	"$@" <"$in" >"$fifo" 2>"$err" &
	pid=$!
	: >"$out"
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$out"
		line=${line%$'\r'}
		if [[ $line =~ $pat ]]; then
			t1=$EPOCHREALTIME
			kill -TERM "$pid" 2>/dev/null || true
			cat >/dev/null     # the rest, so that no write blocks
			break
		fi
	done <"$fifo"
	RC=0
	wait "$pid" || RC=$?
	rm -f "$fifo"
	REPLY=
	[[ -n $t1 ]] && REPLY=$(( ${t1//[.,]/} - ${t0//[.,]/} ))
	return 0
}
