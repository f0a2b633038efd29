#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A completion with a request id the guest never issued is dropped and
# counted (comp_unknown rises by exactly one); the real completion that
# follows still completes the request, and the channel keeps working.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

r=$(relids | head -n 1)
[ -n "$r" ] || { fail badcomp "no vmbus_echo_test device"; exit 0; }
c=$(chan "$r")
for id in 0xdead0000beef 0; do
	cu=$(cat "$c/comp_unknown")
	if vcmd "$r" badcomp $id; then
		expect "badcomp_${id}_ok" "$(vres "$r" | field ok)" 1
	else
		fail "badcomp_${id}_ok" "$(vres "$r")"
	fi
	expect "badcomp_${id}_counted" $(($(cat "$c/comp_unknown") - cu)) 1
done
vcmd "$r" echo 100 64 8 && expect echo_after "$(vres "$r" | field pkts)" 100 ||
	fail echo_after "$(vres "$r")"
expect host_malformed "$(hchan "$r" malformed)" 0
