#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host rescinds an idle open channel, then one in the middle of an
# echo flood: the running command ends promptly with ENODEV, the device
# goes, the guest closes the channel and gives the relid back, and nobody
# sees a protocol error.  (check.sh scans the console for WARN/oops.)
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

errors() { echo "$(hstat vmbus_protocol_errors) $(hstat vmbus_malformed)"; }

# rescind CASE RELID: rescind, then the device and relid must be gone.
rescind() {
	_rel=$(hstat vmbus_relids_released)
	expect "${1}_accepted" "$(host vmbus-rescind "$2")" ok
	wait_until "[ -d $VET/$2 ] && echo yes" "" 100
	expect "${1}_debugfs_gone" "$(ls "$VET" | grep -cx "$2")" 0
	expect "${1}_device_gone" "$(chan "$2")" ""
	wait_until "hstat vmbus_relids_released" $((_rel + 1)) 100
	expect "${1}_relid_released" "$(hstat vmbus_relids_released)" $((_rel + 1))
	expect "${1}_host_state" "$(hchan "$2" state)" released
}

dmesg -c >/dev/null
idle=$(relids | tail -n 1)
rescind idle "$idle"

r=$(relids | sed -n 4p)
in0=$(hchan "$r" pkts_in)
sh -c "echo echo 1000000 1024 64 >$VET/$r/cmd" 2>/tmp/rescind.err &
job=$!
# Rescind once the flood is well under way.
i=0
while [ $(($(hchan "$r" pkts_in) - in0)) -lt 2000 ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
diag "host saw $(($(hchan "$r" pkts_in) - in0)) packets before the rescind"
t0=$(cut -d' ' -f1 /proc/uptime)
rescind busy "$r"
wait_while "kill -0 $job 2>/dev/null" 100
t=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%d", (b - a) * 10 }')
if kill -0 $job 2>/dev/null; then
	fail busy_command_ended "still running 10 s after the rescind"
	kill $job
else
	wait $job
	st=$?
	diag "the command ended $((t / 10)).$((t % 10)) s after the rescind: $(cat /tmp/rescind.err)"
	expect busy_command_failed "$st" 1
	expect busy_command_enodev "$(grep -c 'No such device' /tmp/rescind.err)" 1
	expect_range busy_ended_within_5s "$t" 0 50
fi
expect no_protocol_errors "$(errors)" "0 0"
expect no_kernel_warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops')" 0
expect others_still_open "$(hchan "$(relids | head -n 1)" state)" open
