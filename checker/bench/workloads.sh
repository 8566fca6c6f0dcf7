# shellcheck shell=bash disable=SC2154   # here, bdir, gdir: the caller's
# The workloads of issue 12's table (table.sh) and of its profile
# (profile.sh): one definition, so that the profile is of the runs the
# table times. Sourced, not run; needs $here (checker/bench), and $bdir
# (the bench images) and $gdir (the guest images).

# shellcheck disable=SC2034   # WL_* are for the caller
WORKLOADS="crc selftest-smp mmu-onoff linux setup-4g"
EXIT_END='EXIT: STATUS=0'
LINUX_END='Kernel panic - not syncing: VFS: Unable to mount root fs'
# tests/linux/run.sh's command line
LINUX_APPEND="earlycon=pl011,0x9000000 console=ttyAMA0 panic=-1"

# workload NAME [QUICK]: sets WL_NAME (the row's label), WL_END (the line
# the guest ends with), WL_SMP, WL_MEM (MiB), WL_ARGS (coherent's options
# and image, after --smp and -m) and WL_QARGS (QEMU's image and options).
# QUICK=1: the short crc image. Status 2: no such workload; 77: it cannot
# be run here, why in WL_SKIP; 1: failed, said on stderr.
workload() {
	local quick=${2:-0} img kernel dir who rc=0
	WL_END=$EXIT_END WL_SMP=1 WL_MEM=128 WL_ARGS=() WL_QARGS=() WL_SKIP=''
	case $1 in
	crc)
		# The long image runs for seconds, long enough for QEMU's JIT
		# to be timed beside its start-up. The program writes its BSS
		# with the MMU off and never invalidates it: under the default
		# contract every load is a finding (the reporting path, not the
		# model, would be timed); speed is measured on a correct
		# program, so the caches start clean.
		img=$bdir/crc-long.bin
		[[ $quick != 1 ]] || img=$bdir/crc.bin
		WL_NAME="crc ($(basename "$img"), 1 PE, MMU off)"
		WL_ARGS=(--boot-contract=clean "$img") WL_QARGS=(-kernel "$img") ;;
	selftest-smp)
		WL_NAME="selftest smp (2 PEs)" WL_SMP=2
		WL_ARGS=(--append smp "$gdir/selftest.bin")
		WL_QARGS=(-kernel "$gdir/selftest.bin" -append smp) ;;
	mmu-onoff)
		WL_NAME="mmu-onoff (4 PEs)" WL_SMP=4
		WL_ARGS=("$gdir/mmu-onoff.bin") WL_QARGS=(-kernel "$gdir/mmu-onoff.bin") ;;
	linux)
		kernel=${BENCH_KERNEL:-} who=''
		if [[ -z $kernel ]]; then
			dir=$("$here/../../scripts/debian-fetch" arm64 \
				'linux-image-[0-9.]+-[0-9]+-arm64-unsigned') || rc=$?
			if [[ $rc -eq 77 ]]; then
				WL_SKIP="Debian's arm64 kernel is not available (scripts/debian-fetch, see above)"
				return 77
			fi
			if [[ $rc -ne 0 ]]; then
				echo "bench: FAILED: scripts/debian-fetch exited $rc" >&2
				return 1
			fi
			kernel=$(ls "$dir"/boot/vmlinuz-*)
			who='Debian '
		fi
		WL_NAME="linux (${who}$(basename "$kernel"), 1 PE, 512 MiB)"
		WL_END=$LINUX_END WL_MEM=512
		WL_ARGS=(--max-insns 3000000000 --append "$LINUX_APPEND" "$kernel")
		WL_QARGS=(-no-reboot -kernel "$kernel" -append "$LINUX_APPEND") ;;
	setup-4g)
		WL_NAME="selftest setup (8 PEs, 4 GiB)" WL_SMP=8 WL_MEM=4096
		WL_ARGS=(--append "setup smp=8 mem=4096" "$gdir/selftest.bin")
		WL_QARGS=(-kernel "$gdir/selftest.bin" -append "setup smp=8 mem=4096") ;;
	*)
		echo "bench: no workload '$1' (the workloads: $WORKLOADS)" >&2
		return 2 ;;
	esac
}

# reached NAME RC FILE END: the run (exit status RC, console output FILE)
# ran to END, its EXIT line or a line of its own; else why not on stderr
# and status 1 (scripts/bench-lib.sh; coherent's 126, findings, allowed).
reached() {
	if [[ $4 == "$EXIT_END" ]]; then
		ran_to_exit "$1" "$2" "$3" 126
	else
		ran_to_line "$1" "$2" "$3" "$4" 126
	fi
}
