#!/bin/bash
# Build the test guest's initramfs: busybox-static, our modules, the test
# modules (hv_common_test, vmbus_echo_test), the target kernel's SCSI and
# ext4 modules, e2fsprogs' mke2fs as /bin/mkfs.ext4 (busybox's mke2fs, ext2
# only, stays), the guest tools and the test scripts.  Uncompressed cpio:
# under TCG decompression costs more than reading the bytes.
#   selftests/mkinitramfs.sh [OUT]           (default build/initramfs.cpio)
#   selftests/mkinitramfs.sh --bench [OUT]   (default build/initramfs-bench.cpio)
# --bench adds what make bench's storage run needs and the tests do not:
# Debian's fio with every shared library it loads (about 84 MB: fio is
# linked, BIND_NOW, against the Ceph, Gluster, RDMA and PMEM client
# libraries, none of which can be left out) and the virtio-blk modules,
# listed in lib/modules/kernel/virtio.order (modules=kernel/virtio).
# A separate image so that every test boot does not carry fio.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bench=0
if [ "${1:-}" = --bench ]; then
	bench=1
	shift
fi
if [ $bench = 1 ]; then
	out=${1:-$top/build/initramfs-bench.cpio}
	stage=$top/build/initramfs-bench
else
	out=${1:-$top/build/initramfs.cpio}
	stage=$top/build/initramfs
fi
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
	[ -f "$top/$ko" ] || { echo "mkinitramfs: $ko is not built (make test-modules)" >&2; exit 1; }
	cp "$top/$ko" "$stage/lib/modules/hvstack/"
done
# The test build only: a production hv_vmbus.ko (make modules) has no
# fault injection, and the suites need it.
if ! nm "$top/hv/vmbus/hv_vmbus.ko" | grep ' vmbus_fault_debugfs$' >/dev/null; then
	echo "mkinitramfs: hv/vmbus/hv_vmbus.ko is a production build (run make test-modules)" >&2
	exit 1
fi
# Modules of the target kernel the storage suites need (SCSI disks, ext4
# for ext2 file systems), with their dependencies from modules.dep, in
# load order (dependencies first) in lib/modules/kernel/storage.order
# (a suite's modules=kernel/storage).  A kernel that has them built in
# (the debug kernel) needs none.
kver=${KVER:-$("$top/scripts/kver.sh")}
kmoddir=/lib/modules/$kver
kdep=$kmoddir/modules.dep
[ -f "$kdep" ] || kdep=/dev/null
kbuiltin=$kmoddir/modules.builtin
[ -f "$kbuiltin" ] || kbuiltin=${KDIR:-$kmoddir/build}/modules.builtin
[ -f "$kbuiltin" ] || kbuiltin=/dev/null
mkdir -p "$stage/lib/modules/kernel"
: >"$stage/lib/modules/kernel/storage.order"
declare -A kmod_done=()
# kmod_add REL [LIST]: module REL (modules.dep path) after its dependencies,
# appended to LIST (default storage.order) unless some list has it already.
kmod_add() {
	local rel=$1 list=${2:-storage.order} dep
	[ -n "${kmod_done[$rel]:-}" ] && return 0
	kmod_done[$rel]=1
	for dep in $(awk -v m="$rel:" '$1 == m { $1 = ""; print }' "$kdep"); do
		kmod_add "$dep" "$list"
	done
	cp "$kmoddir/$rel" "$stage/lib/modules/kernel/"
	basename "$rel" >>"$stage/lib/modules/kernel/$list"
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
# add_kmods LIST NAME...: the named modules of the target kernel and their
# dependencies into LIST (load order), skipping built-in ones.
add_kmods() {
	local list=$1 m rel
	shift
	for m in "$@"; do
		rel=$(kmod_path "$kdep" "$m")
		if [ -n "$rel" ]; then
			kmod_add "$rel" "$list"
		elif [ -z "$(kmod_path "$kbuiltin" "$m")" ]; then
			echo "mkinitramfs: $m is neither a module of $kver nor built in" >&2
			exit 1
		fi
	done
}

# add_dyn BIN DEST: a dynamically linked host binary as DEST and every
# library it loads (ldd: the whole closure), each at the path ldd names
# (the library's content, not the symlink), the dynamic loader included.
# The guest has no ld.so.cache: the loader finds them in its default
# directories (/lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu) or
# through their RUNPATH.
add_dyn() {
	local bin=$1 dest=$2 libs lib
	[ -x "$bin" ] || { echo "mkinitramfs: $bin is missing (scripts/deps.sh installs it)" >&2; exit 1; }
	if ! libs=$(ldd "$bin") || echo "$libs" | grep -q 'not found'; then
		echo "mkinitramfs: $bin: ldd failed or a library is missing:" >&2
		echo "$libs" >&2
		exit 1
	fi
	install -D -m 0755 "$bin" "$stage/$dest"
	for lib in $(echo "$libs" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
		[ -e "$stage/$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$stage/$lib"
	done
}

add_kmods storage.order scsi_common scsi_mod sd_mod ext4

# e2fsprogs' mke2fs as mkfs.ext4 (busybox's mke2fs makes only ext2).
add_dyn /sbin/mke2fs /bin/mkfs.ext4
install -D -m 0644 /etc/mke2fs.conf "$stage/etc/mke2fs.conf"

if [ $bench = 1 ]; then
	: >"$stage/lib/modules/kernel/virtio.order"
	add_kmods virtio.order virtio_pci virtio_blk
	add_dyn /usr/bin/fio /bin/fio
fi

for tool in hostctl blkzero scsireset scsicmd; do
	[ -x "$top/selftests/tools/$tool" ] || { echo "mkinitramfs: selftests/tools/$tool is not built" >&2; exit 1; }
	cp "$top/selftests/tools/$tool" "$stage/bin/"
done

install -m 0755 "$top/tools/hv/lsvmbus" "$stage/bin/lsvmbus"

cp "$top/selftests/runner.sh" "$stage/selftests/"
cp -r "$top/selftests/lib" "$stage/selftests/"
# Every suite (a folder with a settings file): its description, its test
# scripts (NN-name.sh) and its guest script (guest=), nothing host-side.
for f in "$top"/selftests/*/settings; do
	sdir=$(dirname "$f")
	suite=$(basename "$sdir")
	mkdir -p "$stage/selftests/$suite"
	cp "$f" "$stage/selftests/$suite/"
	guest=$(sed -n 's/^guest=//p' "$f" | tail -n 1)
	for t in "$sdir"/[0-9][0-9]-*.sh ${guest:+"$sdir/$guest"}; do
		[ -f "$t" ] && cp "$t" "$stage/selftests/$suite/"
	done
done

# An initial console for PID 1 before devtmpfs is mounted.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$stage/dev/console" c 5 1
fi
(cd "$stage" && find . -print0 | sort -z | cpio --null -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "  INITRD  $out ($(( $(stat -c %s "$out") / 1024 )) KiB)"
