#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The storage stack loads: the target kernel's SCSI disk and ext4 support
# (modules from the initramfs in dependency order, or built in on the
# debug kernel) and hv_storvsc with its parameters.
. /selftests/lib/ktap.sh

for m in $(cat /lib/modules/kernel/storage.order); do
	m=${m%.ko}
	grep -q "^$(echo "$m" | tr - _) " /proc/modules && pass "loaded_$m" || fail "loaded_$m" "not in /proc/modules"
done
[ -d /sys/bus/scsi ] && pass scsi_bus || fail scsi_bus "no /sys/bus/scsi"
expect sd_block_major "$(awk '$2 == "sd" { print $1; exit }' /proc/devices)" 8
expect ext4_registered "$(grep -cw ext4 /proc/filesystems)" 1
expect ext2_through_ext4 "$(grep -cw ext2 /proc/filesystems)" 1
grep -q "^hv_storvsc " /proc/modules && pass loaded_hv_storvsc || fail loaded_hv_storvsc "not in /proc/modules"
P=/sys/module/hv_storvsc/parameters
for p in storvsc_ringbuffer_size storvsc_vcpus_per_sub_channel logging_level storvsc_timeout; do
	[ -r "$P/$p" ] && pass "param_$p" || fail "param_$p" "no $P/$p"
done
