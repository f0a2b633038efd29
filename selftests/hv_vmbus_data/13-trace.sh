#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Channel message tracepoints: with events/hv_vmbus enabled, hot-adding a
# device records the host's OFFERCHANNEL (received, with its relid) and
# our OPENCHANNEL (posted, same relid) in the trace buffer.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
if [ ! -d $T/events/hv_vmbus ]; then
	fail trace_events "no $T/events/hv_vmbus"
	exit 0
fi
expect trace_events "$(ls $T/events/hv_vmbus | grep -c '^vmbus_msg_')" 2
echo 0 >$T/tracing_on
echo >$T/trace
echo 1 >$T/events/hv_vmbus/enable
echo 1 >$T/tracing_on

r=$(host vmbus-offer echo | field relid)
expect_range offer_accepted "$r" 1 2047
wait_until "[ -d $VET/$r ] && echo yes" yes 100
wait_until "hchan $r state" open 50
echo 0 >$T/tracing_on
echo 0 >$T/events/hv_vmbus/enable

grep -E 'vmbus_msg_(recv|post):' $T/trace >/tmp/vmbus_trace.txt
diag "$(wc -l </tmp/vmbus_trace.txt) channel messages traced"
expect offer_traced "$(grep -c "vmbus_msg_recv: type=1 name=OFFERCHANNEL relid=$r len=" /tmp/vmbus_trace.txt)" 1
expect open_traced "$(grep -c "vmbus_msg_post: type=5 name=OPENCHANNEL relid=$r " /tmp/vmbus_trace.txt)" 1
expect open_result_traced "$(grep -c "vmbus_msg_recv: type=6 name=OPENCHANNEL_RESULT relid=$r " /tmp/vmbus_trace.txt)" 1
expect gpadl_traced "$(grep -c "vmbus_msg_post: type=8 name=GPADL_HEADER relid=$r " /tmp/vmbus_trace.txt)" 1
echo >$T/trace
