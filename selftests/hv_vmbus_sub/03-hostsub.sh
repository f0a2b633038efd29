#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Subchannels the host offers on its own (hvhost ctl vmbus-offer-sub):
# the driver's offer callback runs for each, the driver opens them and
# echo works on them.  Past the device's maximum the host refuses.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

ans=$(host vmbus-offer-sub 2 2)
list=$(echo "$ans" | field relids | tr ',' ' ')
expect host_offered_two "$(echo $list | wc -w)" 2
for s in $list; do
	wait_until "[ -d $VET/$s ] && hchan $s state" open 100
	expect "driver_opened_$s" "$(hchan "$s" state)" open
	expect "echo_on_$s" "$(vrun "$s" echo 300 1000 4 | field mismatches)" 0
	expect "sysfs_of_$s" "$(cat "$(chan "$s")/subchannel_id")" "$(hchan "$s" sub_index)"
done
host vmbus-offer-sub 2 7 >/dev/null 2>&1 && fail offer_past_max "accepted" || pass offer_past_max_refused
host vmbus-offer-sub 3 1 >/dev/null 2>&1 && fail offer_on_max_0 "accepted" || pass offer_on_max_0_refused
