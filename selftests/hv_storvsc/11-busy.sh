#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Back-pressure: hv_storvsc reloaded with the smallest rings (16 KiB) and
# a saturated host: hvhost holds every completion and takes no new
# request while one waits in its queue.  32 readers spread over the CPUs
# and the four LUNs, each one direct 2 MiB read (two 1 MiB commands at
# once), fill the rings while nothing completes (however slowly the
# readers start): the driver answers "host busy" (busy_returns rises)
# and the midlayer resubmits.  Then the host lets go; nothing was
# dropped and every read returns the data the host has.
# Then the driver is reloaded with its defaults.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

rmmod hv_storvsc
expect rmmod "$?" 0
insmod /lib/modules/hvstack/hv_storvsc.ko storvsc_ringbuffer_size=16384
expect insmod_small_rings "$?" 0
expect ring_param "$(cat /sys/module/hv_storvsc/parameters/storvsc_ringbuffer_size)" 16384
wait_until "ctrls | wc -w" 1 100
h=$(ctrls | head -1)
r=$(srelid "$h")
wait_disk "$h" 3 1 200
need_disk "$h" 0
# Reader k: LUN k % 4, the k / 4-th 2 MiB; expected: what the host's file holds.
k=0
while [ $k -lt 32 ]; do
	hcrc "$r" $((k % 4)) $((k / 4 * 4096)) 4096 >"/tmp/bz.want.$k"
	k=$((k + 1))
done
b0=$(sstat "$h" busy_returns)
e0=$(hscsi "$r" errors)
# Held for at most 20 s, well under the 30 s command timeout.
expect delay_armed "$(host scsi-fault "$r" delay 20000)" ok
expect queue_limited "$(host scsi-fault "$r" queue 1)" ok
ncpu=$(grep -c ^processor /proc/cpuinfo)
k=0
while [ $k -lt 32 ]; do
	taskset -c $((k % ncpu)) sh -c "dd if=/dev/$(disk "$h" $((k % 4))) bs=2M skip=$((k / 4)) count=1 \
		iflag=direct 2>/dev/null | crc32 >/tmp/bz.got.$k" &
	k=$((k + 1))
done
wait_until "[ \$((\$(sstat $h busy_returns) - $b0)) -gt 0 ] && echo yes" yes 150
diag "busy_returns +$(($(sstat "$h" busy_returns) - b0)) with the host holding"
expect released "$(host scsi-fault "$r" delay 0)" ok
wait
expect fault_cleared "$(host scsi-fault "$r" clear)" ok
bad=0
k=0
while [ $k -lt 32 ]; do
	[ "$(cat "/tmp/bz.got.$k")" = "$(cat "/tmp/bz.want.$k")" ] || bad=$((bad + 1))
	k=$((k + 1))
done
expect all_reads_correct "$bad" 0
diag "busy_returns +$(($(sstat "$h" busy_returns) - b0)) in all with 32 readers x 2 MiB on 16 KiB rings"
expect_range busy_returns_rose $(($(sstat "$h" busy_returns) - b0)) 1 1000000000
expect no_host_errors "$(($(hscsi "$r" errors) - e0))" 0
expect no_timeouts "$(sstat "$h" timeouts)" 0
expect no_io_errors "$(io_errors "$d")" 0

rmmod hv_storvsc
expect rmmod_again "$?" 0
insmod /lib/modules/hvstack/hv_storvsc.ko
expect insmod_defaults "$?" 0
wait_until "ctrls | wc -w" 1 100
wait_disk "$(ctrls | head -1)" 3 1 200
expect luns_back "$(ls /sys/bus/scsi/devices | grep -c "^$(ctrls | head -1):")" 4
rm -f /tmp/bz.*
