#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Subchannels asked for by the driver: the host offers them, hv_vmbus
# calls the driver's offer callback for each, the driver opens them, and
# each carries its own traffic on its own CPU.  The host's maximum clamps
# a larger request; a subchannel or a device without any refuses.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh


res=$(vrun 1 subchan 4)
expect subchan_4 "$(echo "$res" | field status) $(echo "$res" | field offered) $(echo "$res" | field max) $(echo "$res" | field have)" "0 4 8 4"
list=$(subs 1)
expect four_subchannels "$(echo $list | wc -w)" 4
expect subchannel_ids "$(for s in $list; do cat "$(chan "$s")/subchannel_id"; done | sort -n | tr '\n' ' ')" "1 2 3 4 "
expect host_subchannels "$(host vmbus-state | field subchannels)" 4
ok=0
for s in $list; do
	[ -d "$VET/$s" ] && [ "$(hchan "$s" state)" = open ] && [ "$(hchan "$s" primary)" = 1 ] &&
		[ "$(hchan "$s" sub_index)" = "$(cat "$(chan "$s")/subchannel_id")" ] && ok=$((ok + 1))
done
expect subchannels_open_in_driver "$ok" 4
ncpu=$(online_cpus | wc -w)
want=4
[ "$ncpu" -lt 4 ] && want=$ncpu
expect subchannels_spread_over_cpus "$(for s in $list; do cat "$(chan "$s")/cpu"; done | sort -u | wc -l)" "$want"

# Traffic on all four at once, each verified; host and guest counters move per channel.
for s in $list; do
	eval "in0_$s=$(hchan "$s" pkts_in) irq0_$s=$(cat "$(chan "$s")/interrupts")"
	(vcmd "$s" echo 2000 256 16; vres "$s" >/tmp/sub.$s) &
done
wait
for s in $list; do
	r=$(cat /tmp/sub.$s)
	expect "echo_on_sub_$s" "$(echo "$r" | field pkts) $(echo "$r" | field mismatches)" "2000 0"
	eval "in0=\$in0_$s irq0=\$irq0_$s"
	expect "host_pkts_sub_$s" $(($(hchan "$s" pkts_in) - in0)) 2000
	[ "$(cat "$(chan "$s")/interrupts")" -gt "$irq0" ] && pass "interrupts_rose_sub_$s" ||
		fail "interrupts_rose_sub_$s" "still $irq0"
done
expect primary_echo_still "$(vrun 1 echo 500 64 8 | field mismatches)" 0

res=$(vrun 1 subchan 20)
expect subchan_clamped_at_max "$(echo "$res" | field offered) $(echo "$res" | field max) $(echo "$res" | field have)" "8 8 8"
expect eight_subchannels "$(subs 1 | wc -l)" 8

s=$(subs 1 | head -n 1)
vcmd "$s" subchan 2 2>/dev/null && fail subchan_on_subchannel "accepted" ||
	expect subchan_on_subchannel_refused "$(vres "$s")" "status=4 error=-5"
vcmd 3 subchan 1 2>/dev/null && fail subchan_without_any "accepted" ||
	expect subchan_without_any_refused "$(vres 3)" "status=4 error=-5"
expect no_kernel_warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops')" 0
