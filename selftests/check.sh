#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every stage reports PASS/FAIL lines into a block; at the end
# the blocks are printed as one KTAP document followed by the closing line
# "N passed, N failed".  Exit status 0 only when nothing failed.
#
# Stages: build (the test build of the modules with W=1 and no warning,
# exported symbols, hvhost, guest tools), static (checkpatch, sparse),
# maintainers (every tracked file has a MAINTAINERS entry), harness (the
# suite descriptions and SUITES= behave), production
# (the build users and DKMS get has none of the test-only code), hvhost's
# unit tests, then one boot per suite whose description
# (selftests/*/settings) says kind=check, on the normal kernel and the sim
# platform (selftests/boot.sh).
#
# SUITES="hv_storvsc unit" (make check SUITES=...) runs only the named
# suites and host-side stages (static, maintainers, harness, production,
# unit);
# the build always runs.  The full run is the default and what CI runs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/selftests/lib/settings.sh"
res=$top/build/check
rm -rf "$res"
mkdir -p "$res"
export KVER=${KVER:-$("$top/scripts/kver.sh")}
export KDIR=${KDIR:-/lib/modules/$KVER/build}
t0=$(date +%s)
me=check
. "$top/selftests/lib/report.sh"

unknown=$(suites_unknown)
if [ -n "$unknown" ]; then
	echo "check: SUITES names no suite or stage: $unknown (suites: $(echo $(suites)); stages: static maintainers harness production unit)" >&2
	exit 2
fi
for s in $(suites); do
	suite_valid "$s" || { echo "check: selftests/$s/settings is not valid (above)" >&2; exit 2; }
done

# ---------------------------------------------------------------- build
built=1
run build modules_w1 make --no-print-directory -j"$(nproc)" test-modules || built=0
run build hvhost make --no-print-directory hvhost || built=0
run build guest_tools make --no-print-directory tools || built=0

# ---------------------------------------------------------------- static
if selected static; then
	run static checkpatch scripts/style.sh
	if [ $built = 1 ]; then
		run static sparse scripts/sparse.sh
	else
		add static "FAIL sparse # not run: the build failed"
	fi
fi
selected maintainers && run_lines maintainers scripts/check-maintainers.sh
selected harness && run_lines harness scripts/check-harness.sh
selected production && run_lines production scripts/check-production.sh

# ---------------------------------------------------------------- unit
if selected unit; then
	say "hvhost unit tests"
	if make --no-print-directory -C tools/hvhost unit >"$res/unit.ktap" 2>"$res/unit.err"; then
		urc=0
	else
		urc=$?
	fi
	awk -f selftests/lib/ktap-flatten.awk "$res/unit.ktap" >"$res/unit.flat"
	add_file hvhost_unit "$res/unit.flat"
	[ $urc -ne 0 ] && ! grep -q '^FAIL' "$res/hvhost_unit.res" &&
		add hvhost_unit "FAIL unit_exit_status # make unit exited $urc (build/check/unit.err)"
fi

# ---------------------------------------------------------------- guest
boots=$(suite_boots check normal sim)
[ -z "$boots" ] && [ -z "${SUITES:-}" ] &&
	add guest "FAIL suites # no kind=check suite found in selftests/*/settings"
if [ -n "$boots" ]; then
	if [ $built = 1 ] && run build initramfs selftests/mkinitramfs.sh; then
		while read -r suite smp name; do
			boot_block normal "$suite" "$smp" "$name"
		done <<<"$boots"
	else
		while read -r suite smp name; do
			add "guest_$name" "FAIL boot # not run: the build failed"
		done <<<"$boots"
	fi
fi

report
