#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The storage stack loads: the target kernel's SCSI disk and ext4 modules
# (from the initramfs, in dependency order) and hv_storvsc with its
# parameters.
. /selftests/lib/ktap.sh

for m in scsi_mod sd_mod ext4 hv_storvsc; do
	grep -q "^$m " /proc/modules && pass "loaded_$m" || fail "loaded_$m" "not in /proc/modules"
done
P=/sys/module/hv_storvsc/parameters
for p in storvsc_ringbuffer_size storvsc_vcpus_per_sub_channel logging_level storvsc_timeout; do
	[ -r "$P/$p" ] && pass "param_$p" || fail "param_$p" "no $P/$p"
done
expect ext2_registered "$(grep -cw ext2 /proc/filesystems)" 1
