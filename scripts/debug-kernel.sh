#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) the debug kernel make check-debug boots: Debian's
# linux-source-6.1 with KASAN, UBSAN, lockdep (PROVE_LOCKING),
# DEBUG_ATOMIC_SLEEP and KMEMLEAK, configured from x86_64_defconfig plus
# what the test guest needs (PVH entry, PCI/MSI-X, serial, initramfs,
# devtmpfs, debugfs, modules, CPU hotplug).  The in-tree Hyper-V drivers are
# off: our modules take their place.
#
# Cached outside the tree, in $HVSTACK_CACHE (default /var/cache/hvstack):
#   linux-debug/            the configured and built source tree (KDIR)
#   linux-debug/vmlinux     the PVH-bootable image
#   linux-debug/.hvstack-ok written last: the cache is complete; holds the
#                           key of the inputs it was built from
# The key is the hash of this script's code (the configuration is in it;
# comments do not count) and of the source package's version: a second
# run with the same inputs does nothing, a changed input rebuilds.  Prints the KDIR path on stdout.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HVSTACK_CACHE:-/var/cache/hvstack}
kdir=$cache/linux-debug
jobs=${HVSTACK_JOBS:-$(nproc)}

tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "debug-kernel: linux-source-6.1 is not installed" >&2; exit 1; }
key=$({ grep -v "^[[:space:]]*#" "$0"
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null; } | sha256sum | cut -d' ' -f1)
if [ -f "$kdir/.hvstack-ok" ] && [ "$(cat "$kdir/.hvstack-ok")" = "$key" ]; then
	echo "$kdir"
	exit 0
fi

"$top/scripts/deps.sh" bison flex libelf-dev bc libssl-dev dwarves >&2

log() { echo "debug-kernel: $*" >&2; }
mkdir -p "$cache"
# A tree built from other inputs is unpacked afresh.
[ -f "$kdir/.hvstack-ok" ] && rm -rf "$kdir"
if [ ! -f "$kdir/Makefile" ]; then
	log "unpacking $tarball into $kdir"
	rm -rf "$kdir.tmp"
	mkdir -p "$kdir.tmp"
	tar -xf "$tarball" -C "$kdir.tmp" --strip-components=1
	rm -rf "$kdir"
	mv "$kdir.tmp" "$kdir"
fi

cd "$kdir"
log "configuring"
make -s x86_64_defconfig >&2
c=scripts/config
$c --set-str LOCALVERSION "-hvstack-debug" -d LOCALVERSION_AUTO
# What the test guest needs.
$c -e PVH -e PARAVIRT -e HYPERVISOR_GUEST -e PCI -e PCI_MSI -e HOTPLUG_CPU \
   -e SERIAL_8250 -e SERIAL_8250_CONSOLE -e BLK_DEV_INITRD -e DEVTMPFS \
   -e DEVTMPFS_MOUNT -e TMPFS -e DEBUG_FS -e MAGIC_SYSRQ -e MODULES \
   -e MODULE_UNLOAD -d MODULE_SIG -d MODULE_COMPRESS_ZSTD -e CRC32 \
   -e X86_X2APIC -e NO_HZ_IDLE -e HIGH_RES_TIMERS
# Ours replace the in-tree Hyper-V drivers.
$c -d HYPERV -d HYPERV_VSOCKETS -d HYPERV_NET -d HYPERV_STORAGE
# The checkers.
$c -e KASAN -e KASAN_GENERIC -e KASAN_INLINE -e KASAN_VMALLOC \
   -e UBSAN -e UBSAN_BOUNDS -e UBSAN_SHIFT -e UBSAN_SANITIZE_ALL \
   -e PROVE_LOCKING -e DEBUG_LOCKDEP -e DEBUG_ATOMIC_SLEEP -e DEBUG_SPINLOCK \
   -e DEBUG_MUTEXES -e DEBUG_KMEMLEAK -d DEBUG_KMEMLEAK_DEFAULT_OFF \
   -e DEBUG_KMEMLEAK_AUTO_SCAN --set-val DEBUG_KMEMLEAK_MEM_POOL_SIZE 32000 \
   -e SOFTLOCKUP_DETECTOR -e DETECT_HUNG_TASK -e DEBUG_OBJECTS \
   -e DEBUG_OBJECTS_TIMERS -e DEBUG_OBJECTS_WORK -e DEBUG_LIST \
   -e DEBUG_INFO_NONE -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_BTF
make -s olddefconfig >&2
for opt in PVH KASAN UBSAN PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK MODULES PCI_MSI; do
	grep -q "^CONFIG_$opt=y" .config || { log "CONFIG_$opt did not stick"; exit 1; }
done
grep -q '^CONFIG_HYPERV=' .config && { log "CONFIG_HYPERV is still on"; exit 1; }

log "building with $jobs jobs (this takes a while, once)"
make -j"$jobs" -s >&2
echo "$key" >.hvstack-ok
log "done: $kdir ($(make -s kernelrelease))"
echo "$kdir"
