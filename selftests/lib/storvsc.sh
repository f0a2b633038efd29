# SPDX-License-Identifier: GPL-2.0
# Helpers for the hv_storvsc suites.  Source after ktap.sh.
#
# Names: a controller is a SCSI host number H (hostH in sysfs, storvsc/H
# in debugfs); its VMBus primary relid is what hvhost's scsi-* commands
# take.  Disks are named by (H, LUN): LUNs sit at channel 0, target 0.

SDBG=$DBG/storvsc

# ctrls: the storvsc host numbers, ascending.
ctrls() { ls "$SDBG" 2>/dev/null | sort -n; }

# sstat H KEY: one counter of controller H (debugfs stats, "key value").
sstat() { awk -v k="$2" '$1 == k { print $2 }' "$SDBG/$1/stats"; }

# srelid H: the primary relid of controller H.
srelid() { awk '$1 == "chan" && $3 == "sub=0" { sub("relid=", "", $2); print $2 }' "$SDBG/$1/stats"; }

# ctrl_of RELID: the host number whose primary is RELID (empty if none).
ctrl_of() {
	for _h in $(ctrls); do
		[ "$(srelid "$_h")" = "$1" ] && echo "$_h"
	done
}

# schans H: "relid cpu" of every channel of controller H, one per line.
schans() {
	awk '$1 == "chan" { r = $2; c = $4; sub("relid=", "", r); sub("cpu=", "", c); print r, c }' \
		"$SDBG/$1/stats"
}

# disk H LUN: the block device name of that LUN (empty if none).
disk() {
	for _b in /sys/bus/scsi/devices/"$1":0:0:"$2"/block/*; do
		[ -d "$_b" ] && basename "$_b"
	done
}

# need_disk H LUN: that LUN's disk name into $d; without one, a failed
# "disk" test and the end of the script.
need_disk() {
	d=$(disk "$1" "$2")
	[ -b "/dev/$d" ] && return 0
	fail disk "no LUN $2 on host$1"
	exit 0
}

# wait_disk H LUN PRESENT(1|0) [TENTHS]: wait up to TENTHS/10 s (default
# 100) for the disk to appear (1) or go (0).
wait_disk() {
	if [ "$3" = 1 ]; then
		wait_while "! disk_ready $1 $2" "${4:-100}"
	else
		wait_while "[ -d /sys/bus/scsi/devices/$1:0:0:$2 ]" "${4:-100}"
	fi
}

# disk_ready H LUN: the LUN's disk has its block device node.
disk_ready() { _dd=$(disk "$1" "$2") && [ -n "$_dd" ] && [ -b "/dev/$_dd" ]; }

# hscsi RELID KEY: one counter of the host's scsi-stats for controller RELID.
hscsi() { host scsi-stats "$1" | field "$2"; }

# hsrbs RELID CHANRELID: SRBs the host queued from channel CHANRELID.
hsrbs() { host scsi-stats "$1" | tr ' ' '\n' | awk -F'[=:]' -v r="$2" '$1 == "relid" && $2 == r { print $4 }'; }

# hcrc RELID LUN LBA COUNT: the host's CRC-32 of those blocks of the file.
hcrc() { host scsi-lun-crc32 "$@" | field crc32; }

# hpath RELID LUN: the backing file of a LUN on the host.
hpath() { host scsi-luns "$1" | line_with lun "$2" | field path; }

# blocks DEV: size in 512-byte blocks.
blocks() { cat "/sys/class/block/$1/size"; }

# chan_irqs RELID: the guest's interrupt count of channel RELID.
chan_irqs() {
	for _c in /sys/bus/vmbus/devices/*/channels/"$1"; do
		[ -d "$_c" ] && cat "$_c/interrupts"
	done
}

# io_errors DEV: the block layer's I/O error lines for DEV in dmesg.
io_errors() { dmesg | grep -c "I/O error, dev $1,"; }
