#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vmbus_echo_test bound every echo device the host offers (the suite boots
# with --vmbus-echo 64) and opened its channel: the host sees every channel
# open, the guest has its channel directory in sysfs, the channels are
# spread over every online CPU and the host targets each one's VP.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

N=64
expect host_offers "$(host vmbus-state | field offers)" $N
expect bound "$(ls /sys/bus/vmbus/drivers/vmbus_echo_test | grep -c -- -)" $N
expect debugfs_dirs "$(relids | wc -l)" $N

# One line per channel: the guest's target CPU, then the host's view.
for r in $(relids); do
	c=$(chan "$r")
	echo "relid=$r cpu=$(cat "$c/cpu" 2>/dev/null || echo none) $(host vmbus-chan "$r")"
done >/tmp/open.txt
# bad EXPR: the relids of the channels for which the awk expression EXPR
# holds; k[]: the channel's fields, vp[]: the VP index of every CPU.
bad() {
	awk 'function kv() { delete k; for (i = 1; i <= NF; i++) { split($i, a, "="); k[a[1]] = a[2] } }
	     NR == FNR { kv(); vp[k["cpu"]] = k["vp"]; next }
	     { kv(); if ('"$1"') printf " %s", k["relid"] }' "$DBG/hv_common/synic" /tmp/open.txt
}
expect host_state_open_all "$(bad 'k["state"] != "open"')" ""
expect sysfs_channel_dir_all "$(bad 'k["cpu"] == "none"')" ""
expect host_target_vp_is_guest_cpu "$(bad 'k["target_vp"] != vp[k["cpu"]]')" ""
cpus=$(field cpu </tmp/open.txt)
used=$(echo $cpus | tr ' ' '\n' | sort -nu | tr '\n' ' ')
diag "channels per CPU: $(echo $cpus | tr ' ' '\n' | sort -n | uniq -c | tr -s ' \n' ' ')"
expect target_cpus_cover_online "$used" "$(online_cpus)"
r=$(relids | head -n 1)
c=$(chan "$r")
unreadable=""
for a in cpu in_mask out_mask read_avail write_avail events interrupts pending latency \
	 subchannel_id monitor_id intr_in_full intr_out_empty out_full_first out_full_total \
	 comp_unknown rx_dropped state; do
	[ -r "$c/$a" ] && cat "$c/$a" >/dev/null 2>&1 || unreadable="$unreadable $a"
done
expect channel_attrs_readable "$unreadable" ""
expect write_avail_empty_ring "$(cat "$c/write_avail")" $((64 * 1024 - 4096))
expect read_avail_empty_ring "$(cat "$c/read_avail")" 0
expect subchannel_id_primary "$(cat "$c/subchannel_id")" 0
