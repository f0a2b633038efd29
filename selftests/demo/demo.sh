#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: show what the stack found and do real work with it.
. /selftests/lib/ktap.sh

# Only warnings and worse on the console while the demo talks.
echo 4 >/proc/sys/kernel/printk

say() { echo "demo: $*"; }
say "----------------------------------------------------------------"
say "platform (hv_common info):"
sed 's/^/demo:   /' $DBG/hv_common/info
say "SynIC per CPU (guest registers read back on each CPU):"
sed 's/^/demo:   /' $DBG/hv_common/synic
say "the host's view (hvhost vp-state through the host-control path):"
host vp-state | sed 's/^/demo:   /'
say "echo: 1000 HvCallPostMessage -> SynIC message round trips per CPU..."
echo 1000 >$DBG/hv_common_test/echo
cat $DBG/hv_common_test/echo | while read -r l; do
	say "  $(echo "$l" | field cpu | sed 's/^/cpu /'): received $(echo "$l" | field received)/$(echo "$l" | field sent)," \
	    "on the sending CPU: $(( $(echo "$l" | field received) - $(echo "$l" | field wrong_cpu) ))," \
	    "median $(( $(echo "$l" | field p50_ns) / 1000 )) us, p99 $(( $(echo "$l" | field p99_ns) / 1000 )) us"
done
say "events: 200 HvCallSignalEvent -> event flag round trips per CPU..."
echo 200 >$DBG/hv_common_test/events
sed 's/^/demo:   /' $DBG/hv_common_test/events
say "reference time: $(cat $DBG/hv_common_test/regs | grep -E '^(ref_time|time_ref_3)=' | tr '\n' ' ')(100 ns units)"
if [ -d /sys/bus/vmbus ]; then
	. /selftests/lib/echo.sh
	say "VMBus: version $(cat /sys/bus/vmbus/version); devices (lsvmbus -v):"
	lsvmbus -v | sed 's/^/demo:   /'
	r=$(relids | head -n 1)
	if [ -n "$r" ]; then
		say "echo device $r: 20000 packets of 1 KiB, 64 in flight, every reply checked..."
		say "  $(vrun "$r" echo 20000 1024 64 || vres "$r")"
		say "echo device $r: CRC-32 of 1 MiB the host reads through GPA ranges..."
		say "  $(vrun "$r" checksum 1048576 mpb || vres "$r")"
		c=$(chan "$r")
		say "  channel $r: cpu $(cat "$c/cpu"), interrupts $(cat "$c/interrupts"), signals to the host $(cat "$c/events")"
		say "  the host's view: $(host vmbus-chan "$r")"
	fi
fi
if [ -d "$DBG/storvsc" ]; then
	. /selftests/lib/storvsc.sh
	# The first scan runs from a work item: wait for the last LUN's disk.
	wait_while '[ -z "$(ctrls)" ]' 100
	wait_disk "$(ctrls | head -n 1)" 1 1 200
	for h in $(ctrls); do
		say "storage: SCSI host $h (storvsc, VMBus relid $(srelid "$h"), $(schans "$h" | wc -l) channels):"
		for l in /sys/bus/scsi/devices/"$h":0:0:*; do
			[ -d "$l" ] || continue
			dk=$(disk "$h" "${l##*:}")
			say "  LUN ${l##*:}: $(cat "$l/vendor" "$l/model" | tr -s ' \n' ' ')" \
			    "/dev/$dk, $(( $(blocks "$dk") / 2048 )) MiB"
		done
	done
	h=$(ctrls | head -n 1)
	dk=$(disk "$h" 0)
	if [ -n "$dk" ] && mkfs.ext4 -q -F "/dev/$dk" >/tmp/demo.mkfs 2>&1; then
		mkdir -p /mnt/demo
		mount -t ext4 "/dev/$dk" /mnt/demo
		say "  ext4 on /dev/$dk: writing 16 MiB, dropping caches, reading it back..."
		dd if=/dev/urandom of=/tmp/demo.data bs=1M count=16 2>/dev/null
		cp /tmp/demo.data /mnt/demo/data
		sync
		umount /mnt/demo
		echo 3 >/proc/sys/vm/drop_caches
		mount -t ext4 "/dev/$dk" /mnt/demo
		a=$(sha256sum </tmp/demo.data | cut -c1-16)
		b=$(sha256sum </mnt/demo/data | cut -c1-16)
		[ "$a" = "$b" ] && say "  read back equals written (sha256 $a...)" ||
			say "  MISMATCH: wrote $a..., read $b..."
		umount /mnt/demo
		say "  the host's view: $(host scsi-stats "$(srelid "$h")" | cut -d' ' -f1-8)"
	fi
fi
say "interrupt statistics:"
sed 's/^/demo:   /' $DBG/hv_common/stats
say "----------------------------------------------------------------"
