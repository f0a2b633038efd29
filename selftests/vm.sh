#!/bin/bash
# Boot one test guest on hvhost and keep what it left behind.
#   selftests/vm.sh NAME SUITE SMP [hvhost run options...]
# Results in build/vm/NAME/: console.log, ktap.log, crash.txt, hvhost.log,
# status (hvhost's exit status), seconds (wall time).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 suite=$2 smp=$3
shift 3
kver=${KVER:-$("$top/scripts/kver.sh")}
out=$top/build/vm/$name
rm -rf "$out"
mkdir -p "$out"

kernel=$top/build/vmlinux-$kver
if [ ! -s "$kernel" ]; then
	"$top/scripts/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$kernel" ||
		kernel=/boot/vmlinuz-$kver
fi

start=$(date +%s.%N)
"$top/tools/hvhost/hvhost" run \
	--kernel "$kernel" --initrd "$top/build/initramfs.cpio" \
	--append "console=ttyS0 tsc=reliable panic=-1 hvtest=$suite" \
	--smp "$smp" --mem 512 --timeout "${HVSTACK_VM_TIMEOUT:-600}" \
	--ctl-socket "$out/ctl.sock" \
	--console "$out/console.log" --ktap "$out/ktap.log" \
	--crash-report "$out/crash.txt" "$@" >"$out/hvhost.log" 2>&1
status=$?
end=$(date +%s.%N)
echo "$status" >"$out/status"
awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' >"$out/seconds"
exit "$status"
