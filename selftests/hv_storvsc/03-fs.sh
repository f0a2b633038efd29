#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A file system on a storvsc disk: mkfs, files of many sizes written and
# synced, unmount, caches dropped, mount again: every checksum matches;
# the host saw the writes and the flushes.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | head -1)
r=$(srelid "$h")
need_disk "$h" 1
if command -v mkfs.ext4 >/dev/null; then
	mkfs.ext4 -q -F "/dev/$d" >/tmp/fs.mkfs 2>&1
	expect mkfs "$?" 0
	fstype=ext4
else
	mke2fs -q "/dev/$d" >/tmp/fs.mkfs 2>&1
	expect mkfs "$?" 0
	fstype=ext2
fi
diag "file system: $fstype on /dev/$d ($(blocks "$d") blocks)"
mkdir -p /mnt/fs
mount -t ext4 "/dev/$d" /mnt/fs
expect mount "$?" 0
w0=$(hscsi "$r" writes)
f0=$(hscsi "$r" flushes)
mkdir -p /mnt/fs/a/b/c
n=0
for size in 1 511 512 4096 4097 65536 131071 1048576 3000000 7340032; do
	head -c "$size" /dev/urandom >"/mnt/fs/a/f$n"
	n=$((n + 1))
done
for k in 1 2 3 4 5 6 7 8; do
	dd if=/dev/urandom of="/mnt/fs/a/b/c/g$k" bs=4k count=$((k * 16)) 2>/dev/null
done
(cd /mnt/fs && find . -type f | sort | xargs sha256sum) >/tmp/fs.sums
expect files_written "$(wc -l </tmp/fs.sums)" 18
sync
expect_range host_saw_writes $(($(hscsi "$r" writes) - w0)) 1 100000000
if [ "$fstype" = ext4 ]; then
	expect_range host_saw_flushes $(($(hscsi "$r" flushes) - f0)) 1 100000000
fi
umount /mnt/fs
expect umount "$?" 0
echo 3 >/proc/sys/vm/drop_caches
mount -t ext4 "/dev/$d" /mnt/fs
expect remount "$?" 0
(cd /mnt/fs && sha256sum -c /tmp/fs.sums) >/tmp/fs.check 2>&1
expect checksums_after_remount "$?" 0
expect all_files_ok "$(grep -c ': OK$' /tmp/fs.check)" 18
umount /mnt/fs
expect final_umount "$?" 0
expect no_io_errors "$(io_errors "$d")" 0
