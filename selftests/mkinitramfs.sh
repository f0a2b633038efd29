#!/bin/bash
# Build the test guest's initramfs: busybox-static, our modules, the test
# modules (hv_common_test, vmbus_echo_test), the guest tools and the test
# scripts.  Uncompressed cpio: under TCG decompression costs more than
# reading the bytes.
#   selftests/mkinitramfs.sh [OUT]   (default build/initramfs.cpio)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/initramfs.cpio}
stage=$top/build/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,lib/modules/hvstack,selftests}

busybox=/bin/busybox
if ! file -L "$busybox" | grep -q 'statically linked'; then
	echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2
	exit 1
fi
cp "$busybox" "$stage/bin/busybox"
install -m 0755 "$top/selftests/init.sh" "$stage/init"

for ko in hv/common/hv_common.ko arch/sim/hv_sim.ko hv/vmbus/hv_vmbus.ko \
	  drivers/storvsc/hv_storvsc.ko selftests/modules/hv_common_test.ko \
	  selftests/modules/vmbus_echo/vmbus_echo_test.ko; do
	[ -f "$top/$ko" ] || { echo "mkinitramfs: $ko is not built (make modules)" >&2; exit 1; }
	cp "$top/$ko" "$stage/lib/modules/hvstack/"
done
# Modules of the target kernel the storage suites need (SCSI disks, ext4
# for ext2 file systems), with their dependencies from modules.dep, in
# load order (dependencies first) in lib/modules/kernel/load.order.  A
# kernel that has them built in (the debug kernel) needs none.
kver=${KVER:-$("$top/scripts/kver.sh")}
kmoddir=/lib/modules/$kver
kdep=$kmoddir/modules.dep
[ -f "$kdep" ] || kdep=/dev/null
kbuiltin=$kmoddir/modules.builtin
[ -f "$kbuiltin" ] || kbuiltin=${KDIR:-$kmoddir/build}/modules.builtin
[ -f "$kbuiltin" ] || kbuiltin=/dev/null
mkdir -p "$stage/lib/modules/kernel"
: >"$stage/lib/modules/kernel/load.order"
declare -A kmod_done=()
kmod_add() {
	local rel=$1 dep
	[ -n "${kmod_done[$rel]:-}" ] && return 0
	kmod_done[$rel]=1
	for dep in $(awk -v m="$rel:" '$1 == m { $1 = ""; print }' "$kdep"); do
		kmod_add "$dep"
	done
	cp "$kmoddir/$rel" "$stage/lib/modules/kernel/"
	basename "$rel" >>"$stage/lib/modules/kernel/load.order"
}
# kmod_path FILE NAME: the line of FILE (modules.dep or .builtin) for NAME.ko.
kmod_path() {
	awk -F: -v m="/$2.ko" 'substr($1, length($1) - length(m) + 1) == m { print $1; exit }' "$1"
}
# crc-t10dif and crc64-rocksoft look their crypto algorithms up at load time,
# ext4 its crc32c at mount time
# (no modprobe in the guest): the generic implementations go first, where
# the kernel has them as modules at all.
for m in crct10dif_generic crc64_rocksoft_generic crc32c_generic; do
	rel=$(kmod_path "$kdep" "$m")
	[ -z "$rel" ] || kmod_add "$rel"
done
for m in scsi_common scsi_mod sd_mod ext4; do
	rel=$(kmod_path "$kdep" "$m")
	if [ -n "$rel" ]; then
		kmod_add "$rel"
	elif [ -z "$(kmod_path "$kbuiltin" "$m")" ]; then
		echo "mkinitramfs: $m is neither a module of $kver nor built in" >&2
		exit 1
	fi
done

for tool in hostctl blkzero; do
	[ -x "$top/selftests/tools/$tool" ] || { echo "mkinitramfs: selftests/tools/$tool is not built" >&2; exit 1; }
	cp "$top/selftests/tools/$tool" "$stage/bin/"
done

install -m 0755 "$top/tools/hv/lsvmbus" "$stage/bin/lsvmbus"

cp "$top/selftests/runner.sh" "$top/selftests/demo.sh" "$stage/selftests/"
cp -r "$top/selftests/lib" "$stage/selftests/"
for suite in "$top"/selftests/hv_*/; do
	suite=$(basename "$suite")
	[ "$suite" = "hv_common_test" ] && continue
	mkdir -p "$stage/selftests/$suite"
	cp "$top/selftests/$suite"/*.sh "$stage/selftests/$suite/"
done

# An initial console for PID 1 before devtmpfs is mounted.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$stage/dev/console" c 5 1
fi
(cd "$stage" && find . -print0 | sort -z | cpio --null -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "  INITRD  $out ($(( $(stat -c %s "$out") / 1024 )) KiB)"
