#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Monitored notification (MNF): on a monitored channel the guest signals
# by setting its bit in the monitor page; the host polls it.  Echo works,
# the host counts monitor-page signals and no signal hypercall; in low
# latency mode every signal is a hypercall again.  Subchannels of a
# monitored device are monitored too.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

# counts RELID: host signals_in, host mnf_signals, guest events, guest mnf_events.
counts() { echo "$(hchan "$1" signals_in) $(hchan "$1" mnf_signals) $(cat "$(chan "$1")/events") $(cat "$(chan "$1")/mnf_events")"; }

set -- $(counts 4)
res=$(vrun 4 echo 1000 64 1)
expect mnf_echo "$(echo "$res" | field pkts) $(echo "$res" | field mismatches)" "1000 0"
diag "MNF QD1: $(rate "$(echo "$res" | field pkts)" "$(echo "$res" | field ns)") pkts/s"
set -- $1 $2 $3 $4 $(counts 4)
expect no_signal_hypercalls "$(($5 - $1))" 0
ev=$(($7 - $3))
expect_range guest_signalled "$ev" 1 2000
expect all_guest_signals_through_mnf "$(($8 - $4))" "$ev"
expect_range host_polled_signals "$(($6 - $2))" 1 "$ev"

expect low_latency_on "$(vrun 4 lowlat 1 | field mnf)" 0
set -- $(counts 4)
res=$(vrun 4 echo 1000 64 1)
diag "hypercall QD1: $(rate "$(echo "$res" | field pkts)" "$(echo "$res" | field ns)") pkts/s"
set -- $1 $2 $3 $4 $(counts 4)
expect_range low_latency_hypercalls "$(($5 - $1))" 1 2000
expect low_latency_no_mnf "$(($6 - $2)) $(($8 - $4))" "0 0"
expect low_latency_off "$(vrun 4 lowlat 0 | field mnf)" 1

res=$(vrun 4 subchan 2)
expect mnf_subchan "$(echo "$res" | field offered) $(echo "$res" | field have)" "2 2"
for c in "$(dirname "$(chan 4)")"/*; do
	s=$(basename "$c")
	[ "$s" = 4 ] && continue
	expect_range "sub_${s}_monitor_id" "$(cat "$c/monitor_id")" 0 127
	m0=$(hchan "$s" mnf_signals)
	expect "sub_${s}_echo" "$(vrun "$s" echo 500 64 1 | field mismatches)" 0
	[ "$(hchan "$s" mnf_signals)" -gt "$m0" ] && pass "sub_${s}_mnf_signals" ||
		fail "sub_${s}_mnf_signals" "still $m0"
done
ids=$(cat "$(dirname "$(chan 4)")"/*/monitor_id "$(dirname "$(chan 5)")"/*/monitor_id | sort)
expect monitor_ids_unique "$(echo "$ids" | uniq | wc -l)" "$(echo "$ids" | wc -l)"
expect host_no_spurious "$(hstat vmbus_mnf_spurious)" 0
