#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Echo without completion requests: the host answers with inband packets,
# which the driver matches by the sequence number in the header.  No
# request id is used, so no completion can be unknown.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

r=$(relids | sed -n 2p)
[ -n "$r" ] || { fail nocomp "no second vmbus_echo_test device"; exit 0; }
c=$(chan "$r")
cu=$(cat "$c/comp_unknown")
for qd in 1 16; do
	in=$(hchan "$r" pkts_in) out=$(hchan "$r" pkts_out)
	if vcmd "$r" echo 1000 100 $qd nocomp; then
		res=$(vres "$r")
		diag "qd$qd: $res"
		expect "nocomp_qd$qd" "$(echo "$res" | field pkts) $(echo "$res" | field mismatches)" "1000 0"
	else
		fail "nocomp_qd$qd" "$(vres "$r")"
	fi
	expect "nocomp_qd${qd}_host_pkts" "$(($(hchan "$r" pkts_in) - in)) $(($(hchan "$r" pkts_out) - out))" \
		"1000 1000"
done
expect no_unknown_completions "$(cat "$c/comp_unknown")" "$cu"
