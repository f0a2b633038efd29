#!/bin/bash
# Boot one test guest on hvhost and keep what it left behind.  The low
# level under selftests/boot.sh, which boots a suite from its description.
#   selftests/vm.sh NAME SUITE SMP [hvhost run options...]
# Results in build/vm/NAME/: console.log, ktap.log, crash.txt, hvhost.log,
# status (hvhost's exit status), seconds (wall time).  Other files there
# (a suite's disk images) are left alone.
# Environment: HVSTACK_KERNEL (boot this image instead of the Debian
# kernel's, e.g. the debug kernel), HVSTACK_APPEND (extra command line),
# HVSTACK_HVHOST (run this hvhost binary instead of tools/hvhost/hvhost),
# HVSTACK_INITRD (this initramfs instead of build/initramfs.cpio),
# HVSTACK_MEM (guest MiB, default 512), HVSTACK_VM_TIMEOUT (seconds, 600),
# HVSTACK_QEMU (this QEMU instead of the system's, e.g. the test QEMU that
# scripts/qemu-hv.sh builds).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 suite=$2 smp=$3
shift 3
kver=${KVER:-$("$top/scripts/kver.sh")}
out=$top/build/vm/$name
mkdir -p "$out"
rm -f "$out"/{console.log,ktap.log,crash.txt,hvhost.log,status,seconds,retried,ctl.sock}

kernel=${HVSTACK_KERNEL:-$top/build/vmlinux-$kver}
if [ ! -s "$kernel" ]; then
	"$top/scripts/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$kernel" ||
		kernel=/boot/vmlinuz-$kver
fi

boot() {
	"${HVSTACK_HVHOST:-$top/tools/hvhost/hvhost}" run \
	--kernel "$kernel" --initrd "${HVSTACK_INITRD:-$top/build/initramfs.cpio}" \
	--append "console=ttyS0 tsc=reliable panic=-1 hvtest=$suite ${HVSTACK_APPEND:-}" \
	--smp "$smp" --mem "${HVSTACK_MEM:-512}" --timeout "${HVSTACK_VM_TIMEOUT:-600}" \
	--ctl-socket "$out/ctl.sock" \
	--console "$out/console.log" --ktap "$out/ktap.log" \
	--crash-report "$out/crash.txt" ${HVSTACK_QEMU:+--qemu "$HVSTACK_QEMU"} \
	"$@" >"$out/hvhost.log" 2>&1
}

start=$(date +%s.%N)
boot "$@"
status=$?
# QEMU itself has been seen to crash (SIGSEGV inside QEMU while the guest
# scans PCI, about once in 25 boots, before any module of ours is loaded).
# That one case, and only before the guest reported anything, is retried
# once; the retry is recorded for the report.
if grep -q 'QEMU failed (signal' "$out/hvhost.log" && [ ! -s "$out/ktap.log" ]; then
	mv "$out/hvhost.log" "$out/hvhost.first.log"
	mv "$out/console.log" "$out/console.first.log" 2>/dev/null
	echo "retried: $(grep -m1 'QEMU failed' "$out/hvhost.first.log")" >"$out/retried"
	boot "$@"
	status=$?
fi
end=$(date +%s.%N)
echo "$status" >"$out/status"
awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' >"$out/seconds"
exit "$status"
