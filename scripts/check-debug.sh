#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the guest suites of make check on the debug kernel
# (scripts/debug-kernel.sh: KASAN, UBSAN, lockdep, DEBUG_ATOMIC_SLEEP,
# kmemleak), booted with panic_on_warn=1.  Our modules are built against
# that kernel in a copy of the tree (build/debug/src), so the normal build
# is left alone.  Not part of make check: the kernel build takes long the
# first time and the checkers slow the guest several times over.
#
# Prints the same KTAP + "N passed, N failed" as make check; exit status 0
# only when nothing failed.  Each console log is also scanned for kmemleak
# reports (init.sh runs a kmemleak scan after the suite on such kernels).
# HVSTACK_DEBUG_ONLY="vmbus_sub storvsc" boots only the named ones.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/selftests/lib/logscan.sh"
res=$top/build/check-debug
rm -rf "$res"
mkdir -p "$res"
t0=$(date +%s)
say() { echo "check-debug: [$(($(date +%s) - t0))s] $*" >&2; }

kdir=$(scripts/debug-kernel.sh) || { echo "check-debug: the debug kernel did not build" >&2; exit 1; }
krel=$(make -s -C "$kdir" kernelrelease)
image=$kdir/arch/x86/boot/bzImage
say "debug kernel $krel ($kdir)"

src=$top/build/debug/src
say "copying the tree to $src"
rm -rf "$src"
mkdir -p "$src"
git ls-files -co --exclude-standard | grep -v '^build/' |
	tar -cf - -T - | tar -xf - -C "$src"

lines=()
add() { lines+=("$@"); }
if make -C "$src" --no-print-directory KDIR="$kdir" KVER="$krel" initramfs \
	>"$res/build.log" 2>&1; then
	add "PASS build_against_debug_kernel"
else
	add "FAIL build_against_debug_kernel # see build/check-debug/build.log"
fi

# boot NAME SUITE SMP [hvhost options]
boot() {
	local name=$1 suite=$2 smp=$3 d=$src/build/vm/debug_$1
	shift 3
	# HVSTACK_DEBUG_ONLY="vmbus_sub ...": only these boots (a quick re-run).
	if [ -n "${HVSTACK_DEBUG_ONLY:-}" ] && ! [[ " $HVSTACK_DEBUG_ONLY " == *" $name "* ]]; then
		return 0
	fi
	say "booting $suite with -smp $smp $*"
	HVSTACK_KERNEL=$image HVSTACK_APPEND="panic_on_warn=1 kmemleak=on" \
	HVSTACK_VM_TIMEOUT=1800 KVER=$krel \
		"$src/selftests/vm.sh" "debug_$name" "$suite" "$smp" "$@"
	local st=$?
	if [ -s "$d/ktap.log" ]; then
		awk -f selftests/lib/ktap-flatten.awk "$d/ktap.log" | sed "s/^\(PASS\|FAIL\|SKIP\) /\1 $name./"
	else
		echo "FAIL $name.ktap # no KTAP from the guest ($d/console.log)"
	fi
	[ "$st" = 0 ] && echo "PASS $name.vm_exit_status" ||
		echo "FAIL $name.vm_exit_status # hvhost exited $st"
	scan_log "$name.console_clean" "$d/console.log"
	grep -aq 'init: leak scan done' "$d/console.log" &&
		echo "PASS $name.kmemleak_scanned" ||
		echo "FAIL $name.kmemleak_scanned # init.sh logged no kmemleak scan"
	echo "# $name took $(cat "$d/seconds" 2>/dev/null) s"
}

if [ "${lines[0]}" = "PASS build_against_debug_kernel" ]; then
	{
		boot smp2 hv_common 2
		boot vmbus hv_vmbus 2 --vmbus-echo 32
		boot vmbus_data hv_vmbus_data 2 --vmbus-echo 64
		[ -d selftests/hv_vmbus_hostile ] && boot vmbus_hostile hv_vmbus_hostile 2 --vmbus-echo 4
		boot vmbus_sub hv_vmbus_sub 4 --vmbus-config "$PWD/selftests/hv_vmbus_sub/hvhost.conf"
		# shellcheck disable=SC2046
		boot storvsc hv_storvsc 4 $(selftests/storvsc-args.sh "$PWD/build/vm/storvsc")
	} >"$res/boots.res"
fi

{
	printf '%s\n' "${lines[@]}"
	cat "$res/boots.res" 2>/dev/null
} >"$res/all.res"
echo "KTAP version 1"
echo "1..1"
awk -v name="check_debug" -v idx=1 -f selftests/lib/ktap-emit.awk "$res/all.res"
passed=$(grep -c '^PASS ' "$res/all.res")
failed=$(grep -c '^FAIL ' "$res/all.res")
echo "# make check-debug took $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
