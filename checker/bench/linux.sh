#!/usr/bin/env bash
# The Linux boot row of make bench: Debian's arm64 kernel to the VFS panic
# (the command line of tests/linux/run.sh), on coherent with --no-model and
# with the model (instructions, wall and CPU time, MIPS), and on QEMU TCG
# (wall time, and MIPS over coherent's instruction count for the same
# boot); the model's peak memory per GiB of guest RAM. One run of each:
# a boot is seconds long, start-up is noise.
# Every run must print the kernel's "VFS: Unable to mount root fs" panic
# and exit as a reset does (coherent: 0, or 126 with findings; QEMU with
# -no-reboot: 0), else the bench fails (ran_to_line, scripts/bench-lib.sh).
# Without the Debian archive: a loud SKIP line and exit 0.
# usage: linux.sh COHERENT [KERNEL]   (KERNEL: an Image, instead of Debian's)
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench-lib.sh
. "$here/../../scripts/bench-lib.sh"
coherent=$1 kernel=${2:-}
qemu=$(command -v qemu-system-aarch64 || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
APPEND="earlycon=pl011,0x9000000 console=ttyAMA0 panic=-1"
END='Kernel panic - not syncing: VFS: Unable to mount root fs'
BUDGET=3000000000

if [[ -z $kernel ]]; then
	rc=0
	dir=$("$here/../../scripts/debian-fetch" arm64 \
		'linux-image-[0-9.]+-[0-9]+-arm64-unsigned') || rc=$?
	if [[ $rc -eq 77 ]]; then
		echo "SKIP: bench linux row: Debian's arm64 kernel is not available (see the line above)"
		exit 0
	fi
	[[ $rc -eq 0 ]] || { echo "bench: FAILED: scripts/debian-fetch exited $rc" >&2; exit 1; }
	kernel=$(ls "$dir"/boot/vmlinuz-*)
fi

# coherent_boot NAME ARGS...: one boot; prints "insns wall cpu"
coherent_boot() {
	local name=$1 rc=0 stats
	shift
	"$coherent" run --stats -m 512 --max-insns "$BUDGET" --append "$APPEND" \
		"$@" "$kernel" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null || rc=$?
	ran_to_line "coherent $name" "$rc" "$tmp/$name.out" "$END" 126 || exit 1
	stats=$(grep -m 1 'stats: insns=' "$tmp/$name.err") || {
		echo "bench: FAILED: no --stats line from coherent $name" >&2
		exit 1
	}
	sed 's/.*insns=\([0-9]*\) wall=\([0-9.]*\) cpu=\([0-9.]*\).*/\1 \2 \3/' <<<"$stats"
}

# (assignments, not process substitution: a failed run must end the bench)
off=$(coherent_boot no-model --no-model)
on=$(coherent_boot model)
read -r off_insns off_wall off_cpu <<<"$off"
read -r on_insns on_wall on_cpu <<<"$on"
mips() { awk "BEGIN{printf \"%.1f\", $1 / $2 / 1e6}"; }
echo "Linux boot to the VFS panic ($(basename "$kernel"), -m 512, one run each)"
printf '%-28s %14s %9s %9s %11s %10s\n' "engine" "instructions" "wall s" \
	"cpu s" "MIPS wall" "MIPS cpu"
printf '%-28s %14s %9s %9s %11s %10s\n' "coherent --no-model" "$off_insns" \
	"$off_wall" "$off_cpu" "$(mips "$off_insns" "$off_wall")" \
	"$(mips "$off_insns" "$off_cpu")"
printf '%-28s %14s %9s %9s %11s %10s\n' "coherent (model)" "$on_insns" \
	"$on_wall" "$on_cpu" "$(mips "$on_insns" "$on_wall")" \
	"$(mips "$on_insns" "$on_cpu")"
peak=$(sed -n 's/.* model_peak_mib_per_gib=\([0-9.]*\).*/\1/p' "$tmp/model.err")
echo "model on / off (cpu): $(awk "BEGIN{printf \"%.2f\", $off_cpu / $on_cpu}");" \
	"model peak: ${peak:-?} MiB per GiB of guest RAM"
if [[ -n $qemu ]]; then
	rc=0
	s=$EPOCHREALTIME
	timeout 600 "$qemu" -machine virt -cpu max -nographic -nic none -m 512 \
		-no-reboot -kernel "$kernel" -append "$APPEND" \
		>"$tmp/qemu.out" 2>&1 </dev/null || rc=$?
	e=$EPOCHREALTIME
	ran_to_line "qemu linux boot" "$rc" "$tmp/qemu.out" "$END" || exit 1
	q_wall=$(awk "BEGIN{printf \"%.3f\", $e - $s}")
	# QEMU counts no instructions: coherent's count for the same boot.
	# The guest's timer runs in host time on QEMU, in instructions on
	# coherent, so its waits are not the same length: approximate.
	printf '%-28s %14s %9s %9s %11s %10s\n' "qemu tcg -cpu max" \
		"~$off_insns" "$q_wall" "-" "~$(mips "$off_insns" "$q_wall")" "-"
else
	echo "SKIP qemu tcg linux row: qemu-system-aarch64 is not installed (scripts/install-deps installs it)"
fi
