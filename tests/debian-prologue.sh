# Sourced by the tests that run a Debian binary on the checker
# (tests/linux/run.sh, tests/firmware/uboot.sh, edk2.sh): the start they
# share.
#
#   debian_test_start OUT
#       cd to the repository; coherent (COHERENT or the build's) and out
#       (OUT under the repository, created) for the caller
#   debian_test_fetch NAME PACKAGE WHAT
#       dir: the unpacked PACKAGE (scripts/debian-fetch arm64, a regular
#       expression), its name printed as "NAME: <dir's name>". When the
#       archive cannot be reached: "SKIP: NAME: WHAT is not available" and
#       exit 0, a loud skip, not a pass; another failure: FAIL, exit 1.

debian_test_start() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	cd "$root"
	coherent=${COHERENT:-build/checker/coherent}
	out=$1
	mkdir -p "$out"
}

debian_test_fetch() {
	local name=$1 package=$2 what=$3 rc
	set +e
	dir=$(scripts/debian-fetch arm64 "$package")
	rc=$?
	set -e
	if [[ $rc -eq 77 ]]; then
		echo "SKIP: $name: $what is not available (see the line above)"
		exit 0
	fi
	[[ $rc -eq 0 ]] || { echo "FAIL: $name: scripts/debian-fetch exited $rc"; exit 1; }
}
