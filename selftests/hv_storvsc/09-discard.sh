#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Discard: the disk advertises it (UNMAP from the host's VPD pages), and
# blkdiscard of 4 MiB reaches the host as a hole of exactly that range in
# the backing file; the data next to it stays; the range reads as zeros.
# Zeroing (BLKZEROOUT) goes to the host as WRITE SAME.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | tail -1)
r=$(srelid "$h")
need_disk "$h" 1
expect_range discard_max_bytes "$(cat /sys/block/$d/queue/discard_max_bytes)" 1 999999999999
expect provisioning_mode "$(cat /sys/block/$d/device/scsi_disk/*/provisioning_mode)" unmap
dd if=/dev/urandom of=/tmp/dc.data bs=1M count=1 2>/dev/null
for k in 4 5 6 7 8; do
	dd if=/tmp/dc.data of="/dev/$d" bs=1M seek=$k oflag=direct 2>/dev/null
done
alloc() { host scsi-lun-allocated "$r" 1 "$1" "$2" | field allocated; }
expect allocated_before "$(alloc 8192 8192)" 4194304
u0=$(hscsi "$r" unmaps)
blkdiscard -o 4194304 -l 4194304 "/dev/$d"
expect blkdiscard "$?" 0
expect_range host_got_unmap $(($(hscsi "$r" unmaps) - u0)) 1 100
expect range_is_a_hole "$(alloc 8192 8192)" 0
expect next_mib_kept "$(alloc 16384 2048)" 1048576
expect next_mib_data "$(hcrc "$r" 1 16384 2048)" "$(crc32 </tmp/dc.data)"
s=$(dd if="/dev/$d" bs=1M skip=4 count=4 iflag=direct 2>/dev/null | sha256sum)
z=$(dd if=/dev/zero bs=1M count=4 2>/dev/null | sha256sum)
expect discarded_reads_zeros "${s%% *}" "${z%% *}"

expect_range write_zeroes_max_bytes "$(cat /sys/block/$d/queue/write_zeroes_max_bytes)" 1 999999999999
dd if=/tmp/dc.data of="/dev/$d" bs=1M seek=12 oflag=direct 2>/dev/null
ws0=$(hscsi "$r" write_sames)
w0=$(hscsi "$r" writes)
blkzero "/dev/$d" 12582912 1048576
expect blkzeroout "$?" 0
expect_range host_got_write_same $(($(hscsi "$r" write_sames) - ws0)) 1 64
expect no_plain_writes_for_zeroing "$(($(hscsi "$r" writes) - w0))" 0
z=$(dd if=/dev/zero bs=1M count=1 2>/dev/null | crc32)
expect host_range_zeroed "$(hcrc "$r" 1 24576 2048)" "$z"
expect guest_reads_zeros "$(dd if="/dev/$d" bs=1M skip=12 count=1 iflag=direct 2>/dev/null | crc32)" "$z"
rm -f /tmp/dc.*
