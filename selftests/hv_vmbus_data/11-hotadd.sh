#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A device the host hot-adds binds to vmbus_echo_test, which opens it;
# echo works on it at once.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

before=$(relids | wc -l)
offer=$(host vmbus-offer echo)
r=$(echo "$offer" | field relid)
expect_range offer_accepted "$r" 1 2047
wait_until "[ -d $VET/$r ] && echo yes" yes 100
expect bound_and_in_debugfs "$(relids | wc -l) $(ls "$VET" | grep -cx "$r")" "$((before + 1)) 1"
wait_until "hchan $r state" open 50
expect host_state_open "$(hchan "$r" state)" open
vcmd "$r" echo 100 64 4 && expect echo "$(vres "$r" | field pkts) $(vres "$r" | field mismatches)" "100 0" ||
	fail echo "$(vres "$r")"
expect_range channel_interrupts "$(cat "$(chan "$r")/interrupts")" 1 1000
