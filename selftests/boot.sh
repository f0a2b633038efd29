#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one suite from its description (selftests/SUITE/settings) and turn
# what the boot left behind into result lines.
#   selftests/boot.sh [--kernel normal|debug] [--platform sim] SUITE SMP NAME
# Results in build/vm/NAME/ (emptied first): results (PASS/FAIL lines and
# "# " diagnostics, ready for a KTAP block), and what selftests/vm.sh
# keeps (console.log, ktap.log, crash.txt, hvhost.log, status, seconds).
# Exit status 0 when no line failed.
#
# The lines: the guest's KTAP flattened (ktap=yes); vm_exit_status
# (hvhost's exit status is expect_status); ended_by_reset_register
# (reset=yes: the guest ended itself through the emulated reset register);
# hvhost_ctl_socket_ping (the control socket answered from outside while
# the guest ran); console_clean (no oops, WARN, lockdep, KASAN... on the
# console; console=panic-ok allows the panic); kmemleak_scanned (debug
# kernel, reset=yes); then the suite's own host-check.sh VMDIR PLATFORM,
# if it has one.
#
# --kernel debug boots $HVSTACK_KERNEL (scripts/check-debug.sh sets it and
# KVER) with panic_on_warn=1 kmemleak=on and debug_vm_timeout.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib/settings.sh"
. "$top/selftests/lib/logscan.sh"

kernel=normal platform=sim
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--platform) platform=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "boot.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 3 ]; then
	echo "usage: selftests/boot.sh [--kernel normal|debug] [--platform sim] SUITE SMP NAME" >&2
	exit 2
fi
suite=$1 smp=$2 name=$3
sdir=$top/selftests/$suite
d=$top/build/vm/$name
rm -rf "$d"
mkdir -p "$d"
out=$d/results
: >"$out"
r() { printf '%s\n' "$@" >>"$out"; }
finish() { ! grep -q '^FAIL ' "$out"; exit $?; }

if ! suite_valid "$suite" 2>"$d/settings.err"; then
	r "FAIL settings # $(head -n 1 "$d/settings.err")"
	finish
fi
case $kernel in
normal)
	vm_timeout=$(setting "$suite" vm_timeout)
	append= ;;
debug)
	vm_timeout=$(setting "$suite" debug_vm_timeout)
	append="panic_on_warn=1 kmemleak=on"
	if [ ! -s "${HVSTACK_KERNEL:-}" ]; then
		r "FAIL boot # --kernel debug needs HVSTACK_KERNEL (scripts/check-debug.sh)"
		finish
	fi ;;
*)
	r "FAIL boot # unknown kernel '$kernel'"
	finish ;;
esac

case $(setting "$suite" initramfs) in
bench) initrd=${HVSTACK_INITRD:-$top/build/initramfs-bench.cpio} ;;
*) initrd=${HVSTACK_INITRD:-$top/build/initramfs.cpio} ;;
esac
if [ ! -s "$initrd" ]; then
	r "FAIL boot # no initramfs $initrd (selftests/mkinitramfs.sh)"
	finish
fi

if [ -x "$sdir/host-prepare.sh" ] && ! "$sdir/host-prepare.sh" "$d" >"$d/prepare.log" 2>&1; then
	r "FAIL host_prepare # $(tail -n 1 "$d/prepare.log")"
	finish
fi

# The hvhost arguments, with the boot's and the suite's folders filled in.
# Word splitting is wanted: hvhost= is a list of options.
hv=$(setting "$suite" hvhost)
hv=${hv//@VMDIR@/$d}
hv=${hv//@SUITEDIR@/$sdir}

# While the guest runs, reach hvhost from outside through its control socket.
(for _ in $(seq 300); do
	if [ -S "$d/ctl.sock" ]; then
		"$top/tools/hvhost/hvhost" ctl --socket "$d/ctl.sock" ping >"$d/ctl.ping" 2>&1
		break
	fi
	sleep 0.1
done) &
poller=$!
echo "boot: $name: suite $suite, $kernel kernel, $platform platform, -smp $smp $hv" >&2
# shellcheck disable=SC2086
HVSTACK_INITRD=$initrd HVSTACK_MEM=$(setting "$suite" mem) HVSTACK_VM_TIMEOUT=$vm_timeout \
HVSTACK_APPEND="hvplatform=$platform $append ${HVSTACK_APPEND:-}" \
	"$top/selftests/vm.sh" "$name" "$suite" "$smp" $hv
st=$?
wait $poller

if [ "$(setting "$suite" ktap)" = yes ]; then
	if [ -s "$d/ktap.log" ]; then
		awk -f "$top/selftests/lib/ktap-flatten.awk" "$d/ktap.log" >>"$out"
		grep -a '^ *# ' "$d/ktap.log" | grep -aE 'p50|p99|took|boot' | sed 's/^ *# /# /' >>"$out"
	else
		r "FAIL ktap # the guest wrote no KTAP (build/vm/$name/console.log)"
	fi
fi
want=$(setting "$suite" expect_status)
if [ "$st" = "$want" ]; then
	r "PASS vm_exit_status"
else
	r "FAIL vm_exit_status # hvhost exited $st, expected $want (build/vm/$name/hvhost.log)"
fi
if [ "$(setting "$suite" reset)" = yes ]; then
	if grep -q '^hvhost: guest requested reset' "$d/hvhost.log"; then
		r "PASS ended_by_reset_register"
	else
		r "FAIL ended_by_reset_register # hvhost logged no reset request"
	fi
fi
if [ "$(cat "$d/ctl.ping" 2>/dev/null)" = pong ]; then
	r "PASS hvhost_ctl_socket_ping"
else
	r "FAIL hvhost_ctl_socket_ping # $(head -c 120 "$d/ctl.ping" 2>/dev/null)"
fi
# shellcheck disable=SC2046
r "$(scan_log console_clean "$d/console.log" $([ "$(setting "$suite" console)" = panic-ok ] && echo panic-ok))"
if [ "$kernel" = debug ] && [ "$(setting "$suite" reset)" = yes ]; then
	if grep -aq 'init: leak scan done' "$d/console.log"; then
		r "PASS kmemleak_scanned"
	else
		r "FAIL kmemleak_scanned # init.sh logged no kmemleak scan"
	fi
fi
if [ -x "$sdir/host-check.sh" ]; then
	"$sdir/host-check.sh" "$d" "$platform" >>"$out" 2>"$d/host-check.err" ||
		r "FAIL host_check # host-check.sh exited $? ($(head -n 1 "$d/host-check.err"))"
fi
r "# boot+suite took $(cat "$d/seconds" 2>/dev/null) s"
[ -f "$d/retried" ] && r "# QEMU crashed before the guest ran any test and was $(cat "$d/retried")"
finish
