#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# HvCallSignalEvent -> event flag set by the host -> the flag seen by the
# ISR on the signalling CPU, for flags 1..2047.
. /selftests/lib/ktap.sh

N=500
echo $N >$DBG/hv_common_test/events || fail events_write "write failed"
res=$(cat $DBG/hv_common_test/events)
for c in $(online_cpus); do
	l=$(echo "$res" | line_with cpu "$c")
	diag "$l"
	expect "cpu${c}_signaled" "$(echo "$l" | field signaled)" $N
	expect "cpu${c}_received" "$(echo "$l" | field received)" $N
	expect "cpu${c}_on_signalling_cpu" "$(echo "$l" | field wrong_cpu)" 0
	expect "cpu${c}_no_timeouts_or_errors" \
		"$(echo "$l" | field timeouts)/$(echo "$l" | field errors)" 0/0
done
