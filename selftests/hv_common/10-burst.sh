#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The message-pending/EOM protocol end to end.  hvhost queues 64 messages
# for SINT 5 of a VP at once, from that VP's own mailbox: the CPU spins
# with interrupts off meanwhile, so one message lands in the slot and 63
# wait behind MessagePending.  All 64 must arrive, in order and intact,
# through exactly 63 EOMs.
. /selftests/lib/ktap.sh

N=64
for c in $(online_cpus); do
	echo 0 >$DBG/hv_common_test/burst
	eoms() { cat $DBG/hv_common/stats | line_with cpu "$c" | field eoms; }
	e0=$(eoms)
	ans=$(taskset -c "$c" hostctl post "$c" 5 0x45434832 $N)
	expect "cpu${c}_host_queued" "$ans" "queued=$N"
	i=0
	while [ $i -lt 30 ]; do
		l=$(cat $DBG/hv_common_test/burst | line_with cpu "$c")
		[ "$(echo "$l" | field received)" = $N ] && break
		sleep 0.1
		i=$((i + 1))
	done
	diag "$l eoms=$(( $(eoms) - e0 ))"
	expect "cpu${c}_all_delivered" "$(echo "$l" | field received)" $N
	expect "cpu${c}_in_order_intact" \
		"$(echo "$l" | field out_of_order)/$(echo "$l" | field bad_payload)" 0/0
	expect "cpu${c}_one_eom_per_pending_message" $(( $(eoms) - e0 )) $((N - 1))
	other=$(cat $DBG/hv_common_test/burst | grep -v "^cpu=$c " | field received | grep -vc '^0$')
	expect "cpu${c}_nothing_elsewhere" "$other" 0
done
# A masked SINT is refused by the host, and nothing is queued.
if hostctl post 0 7 0x45434832 1 >/tmp/post7 2>&1; then
	fail masked_sint_refused "host accepted: $(cat /tmp/post7)"
else
	expect masked_sint_refused "$(grep -o 'status 0x[0-9a-f]*' /tmp/post7)" "status 0x0018"
fi
