#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hv_vmbus fault injection (debugfs hv_vmbus/fault/): off by default and
# bounded; with host messages delayed a hot-added device still binds and
# opens; a GPADL creation made to fail fails an open cleanly with -ENOMEM
# and the next open succeeds; with channel interrupts delayed echo still
# delivers every packet.  Every knob is back to 0 at the end.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

F=$DBG/hv_vmbus/fault
if [ ! -d "$F" ]; then
	fail fault_dir "no $F"
	exit 0
fi
expect off_by_default "$(cat $F/delay_interrupt_us) $(cat $F/delay_message_ms) $(cat $F/fail_gpadl_create)" "0 0 0"
for k in delay_interrupt_us:1001 delay_message_ms:2001 fail_gpadl_create:1001; do
	if echo "${k#*:}" >"$F/${k%%:*}" 2>/dev/null; then
		fail "${k%%:*}_bounded" "${k#*:} accepted"
	else
		expect "${k%%:*}_bounded" "$(cat "$F/${k%%:*}")" 0
	fi
done

# Host messages delayed: the offer of a hot-added device waits 300 ms in
# its work item, then the device binds and opens as usual.
inj0=$(cat $F/injected)
echo 300 >$F/delay_message_ms
t0=$(cut -d' ' -f1 /proc/uptime)
r=$(host vmbus-offer echo | field relid)
expect_range delayed_offer_accepted "$r" 1 2047
wait_until "[ -d $VET/$r ] && echo yes" yes 150
wait_until "hchan $r state" open 100
dt=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%d", (b - a) * 1000 }')
diag "hot add with delay_message_ms=300 took $dt ms"
expect delayed_offer_opened "$(hchan "$r" state)" open
expect_range delayed_offer_took_ms "$dt" 300 60000
vcmd "$r" close && vcmd "$r" open && pass delayed_reopen || fail delayed_reopen "$(vres "$r")"
echo 0 >$F/delay_message_ms
expect_range message_delays_injected "$(($(cat $F/injected) - inj0))" 1 1000

# One GPADL creation fails: the open fails with -ENOMEM, nothing leaks,
# the next open succeeds.
g0=$(host vmbus-gpadls | field count)
vcmd "$r" close || fail close "$(vres "$r")"
closed=$(hchan "$r" state)
g1=$(host vmbus-gpadls | field count)
echo 1 >$F/fail_gpadl_create
if vcmd "$r" open 2>/dev/null; then
	fail open_fails_enomem "open succeeded: $(vres "$r")"
else
	expect open_fails_enomem "$(vres "$r" | field error)" -12
fi
expect fault_consumed "$(cat $F/fail_gpadl_create)" 0
expect host_not_opened "$(hchan "$r" state) $(host vmbus-gpadls | field count)" "$closed $g1"
expect second_open "$(vrun "$r" open | field open)" 1
expect host_opened_again "$(hchan "$r" state) $(host vmbus-gpadls | field count)" "open $g0"
vcmd "$r" echo 100 64 4 && expect echo_after_failed_open "$(vres "$r" | field pkts)" 100 ||
	fail echo_after_failed_open "$(vres "$r")"

# Channel interrupts delayed 200 us each batch: echo still delivers all.
inj0=$(cat $F/injected)
echo 200 >$F/delay_interrupt_us
vcmd "$r" echo 2000 64 8 &&
	expect delayed_interrupts_echo "$(vres "$r" | field pkts) $(vres "$r" | field mismatches)" "2000 0" ||
	fail delayed_interrupts_echo "$(vres "$r")"
echo 0 >$F/delay_interrupt_us
expect_range interrupt_delays_injected "$(($(cat $F/injected) - inj0))" 1 100000000
expect all_off_at_end "$(cat $F/delay_interrupt_us) $(cat $F/delay_message_ms) $(cat $F/fail_gpadl_create)" "0 0 0"
