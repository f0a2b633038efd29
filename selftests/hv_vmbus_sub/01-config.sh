#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The devices come from hvhost's config file (hvhost.conf here): five
# echo devices, the last two monitored.  Monitor ids and latencies show in
# sysfs; the driver sees which channels signal through the monitor page.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

expect relids_from_config "$(echo $(relids))" "1 2 3 4 5"
expect host_state "$(host vmbus-state | field offers) $(host vmbus-state | field subchannels)" "5 0"
for r in 1 2 3; do
	expect "monitor_id_none_$r" "$(cat "$(chan $r)/monitor_id")" 255
	expect "latency_none_$r" "$(cat "$(chan $r)/latency")" 0
	expect "no_mnf_$r" "$(vrun $r lowlat 0 | field mnf)" 0
done
m4=$(cat "$(chan 4)/monitor_id") m5=$(cat "$(chan 5)/monitor_id")
expect_range monitor_id_4 "$m4" 0 127
expect_range monitor_id_5 "$m5" 0 127
[ "$m4" != "$m5" ] && pass monitor_ids_distinct || fail monitor_ids_distinct "both $m4"
expect monitor_id_host_agrees "$(hchan 4 monitor_id) $(hchan 5 monitor_id)" "$m4 $m5"
# hvhost's default MNF latency: 100 us, in 100 ns units.
expect latency_100us "$(cat "$(chan 4)/latency") $(cat "$(chan 5)/latency")" "1000 1000"
expect pending_bit "$(cat "$(chan 4)/pending")" 0
expect uses_mnf "$(vrun 4 lowlat 0 | field mnf) $(vrun 5 lowlat 0 | field mnf)" "1 1"
