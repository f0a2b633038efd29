#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot a guest on hvhost with the stack loaded, as the demo
# suite's description (selftests/demo/settings) says; the guest prints what
# it found and does real work with it (selftests/demo/demo.sh) on the
# console, which is this terminal, then ends itself.  SMP=N overrides the
# vCPU count.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib/settings.sh"
suite_valid demo
"$top/selftests/mkinitramfs.sh"
kver=${KVER:-$("$top/scripts/kver.sh")}
kernel=$top/build/vmlinux-$kver
[ -s "$kernel" ] || "$top/scripts/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$kernel" ||
	kernel=/boot/vmlinuz-$kver
smp=${SMP:-$(setting demo smp)}
d=$top/build/vm/demo
rm -rf "$d"
mkdir -p "$d"
hv=$(setting demo hvhost)
hv=${hv//@VMDIR@/$d}
hv=${hv//@SUITEDIR@/$top/selftests/demo}
echo "run: booting $kernel on hvhost (QEMU TCG, $smp vCPUs, $hv); the guest console follows"
set +e
# shellcheck disable=SC2086
"$top/tools/hvhost/hvhost" run --kernel "$kernel" --initrd "$top/build/initramfs.cpio" \
	--append "console=ttyS0 tsc=reliable panic=-1 quiet hvtest=demo hvplatform=sim" \
	--smp "$smp" --mem "$(setting demo mem)" --timeout "$(setting demo vm_timeout)" $hv
st=$?
echo "run: hvhost exited with status $st"
exit $st
