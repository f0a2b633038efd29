#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot a guest on hvhost with the stack loaded; the guest prints
# what it found and the echo round-trip latency, then ends itself.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/selftests/mkinitramfs.sh"
kver=${KVER:-$("$top/scripts/kver.sh")}
kernel=$top/build/vmlinux-$kver
[ -s "$kernel" ] || "$top/scripts/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$kernel" ||
	kernel=/boot/vmlinuz-$kver
echo "run: booting $kernel on hvhost (QEMU TCG, 2 vCPUs); the guest console follows"
set +e
"$top/tools/hvhost/hvhost" run --kernel "$kernel" --initrd "$top/build/initramfs.cpio" \
	--append "console=ttyS0 tsc=reliable panic=-1 quiet hvtest=demo" \
	--smp "${SMP:-2}" --mem 512 --timeout 300 --vmbus-echo 4
st=$?
echo "run: hvhost exited with status $st"
exit $st
