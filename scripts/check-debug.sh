#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: every suite whose description (selftests/*/settings)
# has kind=check and lists the debug kernel (kernels=... debug), booted on
# the debug kernel (scripts/debug-kernel.sh: KASAN, UBSAN, lockdep,
# DEBUG_ATOMIC_SLEEP, kmemleak) with panic_on_warn=1, through the same
# runner as make check (selftests/boot.sh --kernel debug), plus a kmemleak
# scan after each suite.  Our modules (the test build) are built against
# that kernel in a copy of the tree (build/debug/src), so the normal build
# is left alone.  Not part of make check: the kernel build takes long the
# first time and the checkers slow the guest several times over.
#
# Prints the same KTAP + "N passed, N failed" as make check; exit status 0
# only when nothing failed.  SUITES="hv_vmbus_sub hv_storvsc" boots only
# the named suites.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/selftests/lib/settings.sh"
res=$top/build/check-debug
rm -rf "$res"
mkdir -p "$res"
t0=$(date +%s)
me=check-debug
. "$top/selftests/lib/report.sh"

unknown=$(suites_unknown)
[ -z "$unknown" ] || { echo "check-debug: SUITES names no suite: $unknown" >&2; exit 2; }

kdir=$(scripts/debug-kernel.sh) || { echo "check-debug: the debug kernel did not build" >&2; exit 1; }
krel=$(make -s -C "$kdir" kernelrelease)
export HVSTACK_KERNEL=$kdir/arch/x86/boot/bzImage KVER=$krel
say "debug kernel $krel ($kdir)"

src=$top/build/debug/src
say "copying the tree to $src"
rm -rf "$src"
mkdir -p "$src"
git ls-files -co --exclude-standard | grep -v '^build/' |
	tar -cf - -T - | tar -xf - -C "$src"

if run build build_against_debug_kernel \
	make -C "$src" --no-print-directory KDIR="$kdir" KVER="$krel" initramfs; then
	# The copy's runner, so that its build/vm holds the boots.
	top=$src
	while read -r suite smp name; do
		boot_block debug "$suite" "$smp" "debug_$name"
	done < <(suite_boots check debug sim)
	top=$(cd "$(dirname "$0")/.." && pwd)
fi
report
