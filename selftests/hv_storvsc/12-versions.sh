#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VSTOR version negotiation, newest first: with hvhost accepting at most
# 6.0, then 5.1, a reloaded hv_storvsc settles on that version and its
# disks work; with no version accepted the probe fails with a log line
# and leaves no SCSI host; back at 6.2 everything returns.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | head -1)
r=$(srelid "$h")
want=$(hcrc "$r" 0 0 2048)
# reload VERSION: cap the host, reload the driver, wait for the controller.
reload() {
	expect "cap_$1" "$(host scsi-max-version "$r" "$1")" ok
	rmmod hv_storvsc
	insmod /lib/modules/hvstack/hv_storvsc.ko
	wait_until "ctrls | wc -w" 1 100
	h=$(ctrls | head -1)
	[ -n "$h" ] && wait_disk "$h" 3 1 200
}
for v in 6.0 5.1; do
	dmesg -c >/dev/null
	reload $v
	expect "v${v}_negotiated" "$(sstat "$h" version)" "$v"
	expect "v${v}_luns" "$(ls /sys/bus/scsi/devices | grep -c "^$h:")" 4
	d=$(disk "$h" 0)
	expect "v${v}_reads_data" "$(dd if="/dev/$d" bs=1M count=1 iflag=direct 2>/dev/null | crc32)" "$want"
	expect "v${v}_log_names_version" "$(dmesg | grep -c "VSTOR $v")" 1
done
dmesg -c >/dev/null
expect cap_none "$(host scsi-max-version "$r" none)" ok
rmmod hv_storvsc
insmod /lib/modules/hvstack/hv_storvsc.ko
expect insmod_without_version "$?" 0
sleep 1
expect no_controller "$(ctrls | wc -w)" 0
# Only ours: a kernel with built-in ATA has hosts of its own.
expect no_scsi_host "$(cat /sys/class/scsi_host/*/proc_name 2>/dev/null | grep -c '^hv_storvsc$')" 0
expect_range probe_failure_logged "$(dmesg | grep -ciE 'hv_storvsc.*(version|QUERY_PROTOCOL_VERSION)')" 1 10
reload 6.2
expect back_to_6.2 "$(sstat "$h" version)" 6.2
expect luns_back "$(ls /sys/bus/scsi/devices | grep -c "^$h:")" 4
