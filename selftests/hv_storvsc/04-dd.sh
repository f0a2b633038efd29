#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 256 MiB of pseudo-random data written with dd (direct I/O, 1 MiB
# blocks, each one SCSI command): read back in the guest it has the same SHA-256, and on the host
# each 32 MiB of the backing file has the CRC-32 the guest reads there.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | head -1)
r=$(srelid "$h")
need_disk "$h" 0
expect_range disk_big_enough "$(blocks "$d")" 524288 999999999
# hvhost offers 1 MiB transfers (the driver's cap), so each 1 MiB direct
# write is one command whose PFN list the driver allocates for the send.
expect max_hw_sectors_kb "$(cat "/sys/block/$d/queue/max_hw_sectors_kb")" 1024
wb0=$(hscsi "$r" write_bytes)
w0=$(hscsi "$r" writes)
rm -f /tmp/dd.f1 /tmp/dd.f2
mkfifo /tmp/dd.f1 /tmp/dd.f2
sha256sum </tmp/dd.f1 | cut -d' ' -f1 >/tmp/dd.sha &
crc32 </tmp/dd.f2 >/tmp/dd.crc &
start=$(cut -d' ' -f1 /proc/uptime)
dd if=/dev/urandom bs=1M count=256 2>/dev/null | tee /tmp/dd.f1 /tmp/dd.f2 |
	dd of="/dev/$d" bs=1M iflag=fullblock oflag=direct 2>/tmp/dd.err
expect dd_write "$?" 0
wait
end=$(cut -d' ' -f1 /proc/uptime)
diag "256 MiB written in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s"
expect host_write_bytes "$(($(hscsi "$r" write_bytes) - wb0))" 268435456
expect host_writes_of_1mib "$(($(hscsi "$r" writes) - w0))" 256
got=$(dd if="/dev/$d" bs=1M count=256 iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)
expect guest_readback_sha256 "$got" "$(cat /tmp/dd.sha)"
# The host's file, in 32 MiB pieces: one host command must stay well
# under hv_sim's 2 s transaction limit even on a loaded machine.
bad=0
k=0
while [ $k -lt 8 ]; do
	g=$(dd if="/dev/$d" bs=1M skip=$((k * 32)) count=32 iflag=direct 2>/dev/null | crc32)
	[ "$(hcrc "$r" 0 $((k * 65536)) 65536)" = "$g" ] || bad=$((bad + 1))
	k=$((k + 1))
done
expect host_file_matches_in_8_pieces "$bad" 0
# Buffered reads (page cache, readahead, large merged requests) agree too.
echo 3 >/proc/sys/vm/drop_caches
got=$(dd if="/dev/$d" bs=64k count=4096 2>/dev/null | sha256sum | cut -d' ' -f1)
expect guest_buffered_sha256 "$got" "$(cat /tmp/dd.sha)"
expect no_io_errors "$(io_errors "$d")" 0
# 10-rescind checks that the data survives a module reload.
cp /tmp/dd.crc /tmp/dd.crc.keep
rm -f /tmp/dd.f1 /tmp/dd.f2
