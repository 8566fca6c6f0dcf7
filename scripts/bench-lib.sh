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
