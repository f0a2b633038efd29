#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unbinding the driver closes every subchannel (the host sees them
# offered, no GPADL left); binding again reports the subchannels the host
# still offers to the new probe, which opens them.  Reloading hv_vmbus
# (UNLOAD, a new connection) drops the subchannels: only primaries come
# back, and the driver can ask again.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

# states: host states of every channel of every device, counted.
chans() { for c in "$D"/*/channels/*; do basename "$c"; done | sort -n; }
states() {
	for _r in $1; do host vmbus-chan "$_r"; done | field state | sort | uniq -c |
		awk '{ printf "%s%d %s", (NR > 1 ? ", " : ""), $1, $2 }'
}
list=$(chans)
n=$(echo $list | wc -w)
nsub=$(host vmbus-state | field subchannels)
expect_range subchannels_before "$nsub" 8 20
expect all_open_before "$(states "$list")" "$n open"

rmmod vmbus_echo_test && pass rmmod || fail rmmod "rmmod failed"
expect host_all_closed "$(states "$list")" "$n offered"
expect host_no_gpadls "$(host vmbus-gpadls)" "count=0 pages=0"
insmod $MODDIR/vmbus_echo_test.ko && pass insmod || fail insmod "insmod failed"
expect probe_reopened_subchannels "$(echo $(relids)) / $(states "$list")" "$(echo $list) / $n open"
s=$(echo $list | tr ' ' '\n' | grep -vxE '1|3|4|5' | head -n 1)
expect echo_on_reported_subchannel "$(vrun "$s" echo 300 64 8 | field mismatches)" 0

rmmod vmbus_echo_test && rmmod hv_vmbus && pass rmmod_stack || fail rmmod_stack "rmmod failed"
expect host_dropped_subchannels "$(host vmbus-state | field connected) $(host vmbus-state | field subchannels)" "0 0"
insmod $MODDIR/hv_vmbus.ko && insmod $MODDIR/vmbus_echo_test.ko && pass insmod_stack ||
	fail insmod_stack "insmod failed"
expect primaries_only "$(echo $(chans))" "1 3 4 5"
res=$(vrun 1 subchan 3)
expect subchan_after_reload "$(echo "$res" | field offered) $(echo "$res" | field have)" "3 3"
