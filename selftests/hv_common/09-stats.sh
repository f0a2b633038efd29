#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# After the suite: interrupts reached every CPU, no host message was
# malformed, and the transport never timed out.
. /selftests/lib/ktap.sh

stats=$(cat $DBG/hv_common/stats)
sim=$(cat $DBG/hv_sim/stats)
diag "$(echo "$stats" | tr '\n' ';')"
diag "$(echo "$sim" | tr '\n' ';')"
for c in $(online_cpus); do
	l=$(echo "$stats" | line_with cpu "$c")
	expect_range "cpu${c}_interrupts" "$(echo "$l" | field interrupts)" 1 1000000000
	expect "cpu${c}_no_malformed_or_unclaimed" \
		"$(echo "$l" | field malformed)/$(echo "$l" | field unclaimed)" 0/0
	s=$(echo "$sim" | line_with vp "$c")
	expect "vp${c}_no_transport_timeouts" "$(echo "$s" | field timeouts)" 0
done
