#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host rescinds one subchannel in the middle of a flood on it: the
# command ends with ENODEV, the driver's rescind callback drops it, the
# channel goes and its relid is released; the other channels keep
# working, and asking for subchannels again gets a replacement.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

dmesg -c >/dev/null
list=$(subs 1)
expect_range have_subchannels "$(echo $list | wc -w)" 2 8
r=$(echo $list | cut -d' ' -f2)
other=$(echo $list | cut -d' ' -f1)
in0=$(hchan "$r" pkts_in)
rel=$(hstat vmbus_relids_released)
sh -c "echo echo 1000000 512 32 >$VET/$r/cmd" 2>/tmp/subr.err &
job=$!
wait_while '[ $(($(hchan "$r" pkts_in) - in0)) -lt 1000 ]' 300
expect rescind_accepted "$(host vmbus-rescind "$r")" ok
wait_while "kill -0 $job 2>/dev/null" 100
if kill -0 $job 2>/dev/null; then
	fail command_ended "still running 10 s after the rescind"
	kill $job
else
	wait $job
	expect command_failed "$?" 1
	expect command_enodev "$(grep -c 'No such device' /tmp/subr.err)" 1
fi
wait_until "[ -d $VET/$r ] && echo yes" "" 100
expect debugfs_gone "$(ls "$VET" | grep -cx "$r")" 0
expect sysfs_gone "$(chan "$r")" ""
wait_until "hstat vmbus_relids_released" $((rel + 1)) 100
expect relid_released "$(hstat vmbus_relids_released) $(hchan "$r" state)" "$((rel + 1)) released"
expect other_sub_still_echoes "$(vrun "$other" echo 500 64 8 | field mismatches)" 0
expect primary_still_echoes "$(vrun 1 echo 500 64 8 | field mismatches)" 0
n=$(echo $list | wc -w)
res=$(vrun 1 subchan "$n")
expect replacement_offered "$(echo "$res" | field offered) $(echo "$res" | field have)" "$n $n"
expect no_protocol_errors "$(hstat vmbus_protocol_errors) $(hstat vmbus_malformed)" "0 0"
expect no_kernel_warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops')" 0
