#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 20,000 host->guest packets of 512 B through 16 KiB rings: the host fills
# the ring, waits with pending_send_sz set, and the guest signals it once
# it has made room.  Every packet arrives, in order and intact.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

N=20000
r=$(relids | sed -n 3p)
[ -n "$r" ] || { fail flood "no third vmbus_echo_test device"; exit 0; }
vcmd "$r" close
expect open_16k "$(vrun "$r" open 16 | field ring_kb)" 16
waits=$(hchan "$r" ring_full_waits) out=$(hchan "$r" pkts_out)
start=$(cut -d' ' -f1 /proc/uptime)
if vcmd "$r" flood $N 512; then
	res=$(vres "$r")
	diag "$res in $(awk -v a="$start" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }') s"
	expect flood_all_in_order "$res" "received=$N misordered=0 bad=0 status=0"
else
	fail flood_all_in_order "$(vres "$r")"
fi
expect host_pkts_out $(($(hchan "$r" pkts_out) - out)) $((N + 1))
w=$(($(hchan "$r" ring_full_waits) - waits))
diag "host waited for ring space $w times"
expect_range host_waited_for_room "$w" 1 $N
vcmd "$r" close
expect reopen_default "$(vrun "$r" open | field ring_kb)" 64
vcmd "$r" echo 100 512 16 && expect echo_after "$(vres "$r" | field pkts)" 100 ||
	fail echo_after "$(vres "$r")"
