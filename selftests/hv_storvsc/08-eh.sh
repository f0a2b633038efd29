#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Error handling.  Late and lost completions: hvhost delays completions
# (the I/O waits, no error), then drops one: the command times out (device
# timeout 4 s), the error handler resets the LUN and forgets the request,
# the midlayer retries it and the read succeeds with the right data.
# Resets asked for from user space (SG_SCSI_RESET, as sg_reset does) with
# a read held by the host: a LUN reset and a host reset (RESET_BUS) each
# reach the host, which drops the held command; the driver hands it back
# for a retry and the read still returns the right data.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | head -1)
r=$(srelid "$h")
need_disk "$h" 3
dd if=/dev/urandom of=/tmp/to.data bs=4k count=1 2>/dev/null
want=$(sha256sum </tmp/to.data | cut -d' ' -f1)
dd if=/tmp/to.data of="/dev/$d" bs=4k seek=10 oflag=direct 2>/dev/null
expect setup_write "$?" 0
# now: uptime in tenths of a second
now() { awk '{ printf "%d", $1 * 10 }' /proc/uptime; }

expect delay_armed "$(host scsi-fault "$r" delay 700)" ok
t0=$(now)
s=$(dd if="/dev/$d" bs=4k skip=10 count=1 iflag=direct 2>/dev/null | sha256sum)
t1=$(now)
expect delayed_read_data "${s%% *}" "$want"
expect_range delayed_read_tenths $((t1 - t0)) 7 100
expect fault_cleared "$(host scsi-fault "$r" clear)" ok

echo 4 >"/sys/block/$d/device/timeout"
to0=$(sstat "$h" timeouts)
rs0=$(sstat "$h" resets)
ca0=$(sstat "$h" cancelled)
dr0=$(hscsi "$r" dropped)
expect drop_armed "$(host scsi-fault "$r" drop 1)" ok
t0=$(now)
s=$(dd if="/dev/$d" bs=4k skip=10 count=1 iflag=direct 2>/tmp/to.err | sha256sum)
t1=$(now)
expect read_after_lost_completion "${s%% *}" "$want"
diag "read with a lost completion took $(((t1 - t0) / 10)).$(((t1 - t0) % 10)) s: $(cat /tmp/to.err | tr '\n' ' ')"
expect_range took_about_the_timeout $((t1 - t0)) 35 300
expect host_dropped_one "$(($(hscsi "$r" dropped) - dr0))" 1
expect timeouts_counted "$(($(sstat "$h" timeouts) - to0))" 1
expect_range lun_reset_sent $(($(sstat "$h" resets) - rs0)) 1 3
expect_range request_forgotten $(($(sstat "$h" cancelled) - ca0)) 1 3
expect device_still_running "$(cat /sys/block/$d/device/state)" running
s=$(dd if="/dev/$d" bs=4k skip=10 count=1 iflag=direct 2>/dev/null | sha256sum)
expect next_read_normal "${s%% *}" "$want"
echo 30 >"/sys/block/$d/device/timeout"

for scope in device host; do
	rs0=$(sstat "$h" resets)
	dr0=$(hscsi "$r" dropped)
	expect "${scope}_reset_delay_armed" "$(host scsi-fault "$r" delay 1500)" ok
	sh -c "dd if=/dev/$d bs=4k skip=10 count=1 iflag=direct 2>/dev/null | sha256sum >/tmp/to.bg" &
	job=$!
	sleep 0.5
	scsireset "/dev/$d" "$scope" 2>/tmp/to.err
	expect "${scope}_reset_ok" "$?" 0
	expect "${scope}_reset_delay_cleared" "$(host scsi-fault "$r" clear)" ok
	wait $job
	s=$(cat /tmp/to.bg)
	expect "${scope}_reset_read_retried_ok" "${s%% *}" "$want"
	expect "${scope}_reset_sent" "$(($(sstat "$h" resets) - rs0))" 1
	expect_range "${scope}_reset_host_dropped_held_read" $(($(hscsi "$r" dropped) - dr0)) 1 2
done
expect device_running_after_resets "$(cat /sys/block/$d/device/state)" running
expect no_io_errors "$(io_errors "$d")" 0
rm -f /tmp/to.*
