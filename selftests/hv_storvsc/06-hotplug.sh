#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# LUN hot add and remove through hvhost while another LUN of the same
# controller is under verified I/O: the new LUN appears as a disk and
# works, the removed one goes away, and the busy LUN sees no error.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | tail -1)
r=$(srelid "$h")
busy=$(disk "$h" 0)
dir=$(dirname "$(hpath "$r" 0)")
dd if=/dev/urandom of=/tmp/hp.data bs=64k count=16 2>/dev/null
want=$(sha256sum </tmp/hp.data | cut -d' ' -f1)
rm -f /tmp/hp.stop /tmp/hp.res
(
	n=0 bad=0
	while [ ! -f /tmp/hp.stop ]; do
		dd if=/tmp/hp.data of="/dev/$busy" bs=64k seek=$((n % 8 * 16)) oflag=direct 2>/dev/null ||
			bad=$((bad + 1))
		s=$(dd if="/dev/$busy" bs=64k skip=$((n % 8 * 16)) count=16 iflag=direct 2>/dev/null | sha256sum)
		[ "${s%% *}" = "$want" ] || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "$n $bad" >/tmp/hp.res
) &
job=$!
sleep 1
rs0=$(sstat "$h" rescans)
lr0=$(sstat "$h" luns_removed)
expect lun_add "$(host scsi-lun-add "$r" 5 "$dir/hot5.img:8M")" ok
wait_disk "$h" 5 1 300
new=$(disk "$h" 5)
if [ -n "$new" ]; then
	pass hot_added_disk_appears
	expect hot_added_size "$(blocks "$new")" 16384
	dd if=/dev/urandom of=/tmp/hp.new bs=64k count=16 2>/dev/null
	dd if=/tmp/hp.new of="/dev/$new" bs=64k seek=3 oflag=direct 2>/dev/null
	expect hot_added_write "$?" 0
	expect hot_added_host_file "$(hcrc "$r" 5 384 2048)" "$(crc32 </tmp/hp.new)"
	s=$(dd if="/dev/$new" bs=64k skip=3 count=16 iflag=direct 2>/dev/null | sha256sum)
	expect hot_added_readback "${s%% *}" "$(sha256sum </tmp/hp.new | cut -d' ' -f1)"
else
	fail hot_added_disk_appears "no disk at $h:0:0:5 after 30 s"
fi
expect_range rescan_ran $(($(sstat "$h" rescans) - rs0)) 1 100
expect lun_remove "$(host scsi-lun-remove "$r" 5)" ok
wait_disk "$h" 5 0 300
expect hot_removed_disk_gone "$(ls /sys/bus/scsi/devices | grep -c "^$h:0:0:5$")" 0
expect luns_removed "$(($(sstat "$h" luns_removed) - lr0))" 1
expect host_luns_after "$(host scsi-luns "$r" | wc -l)" 4
# A LUN that was never there, added and removed again before the guest
# looks: nothing appears.
expect lun_add_again "$(host scsi-lun-add "$r" 6 "$dir/hot6.img:1M")" ok
expect lun_remove_again "$(host scsi-lun-remove "$r" 6)" ok
touch /tmp/hp.stop
wait $job
res=$(cat /tmp/hp.res 2>/dev/null)
diag "busy LUN: ${res%% *} write+verify rounds during the hot plug"
expect_range busy_rounds "${res%% *}" 1 1000000
expect busy_lun_no_errors "${res##* }" 0
expect busy_lun_no_kernel_io_errors "$(io_errors "$busy")" 0
sleep 1
expect no_phantom_luns "$(ls /sys/bus/scsi/devices | grep -c "^$h:")" 4
rm -f /tmp/hp.*
