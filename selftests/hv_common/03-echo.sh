#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 1000 HvCallPostMessage -> echo -> SynIC message round trips per CPU; every
# reply must arrive on the CPU that sent the request.
. /selftests/lib/ktap.sh

N=1000
cpus=$(online_cpus)
ncpu=$(echo $cpus | wc -w)
before=$(host stats | field echo_replies)
echo $N >$DBG/hv_common_test/echo || fail echo_write "write failed"
res=$(cat $DBG/hv_common_test/echo)
after=$(host stats | field echo_replies)
for c in $cpus; do
	l=$(echo "$res" | line_with cpu "$c")
	diag "$l"
	expect "cpu${c}_sent" "$(echo "$l" | field sent)" $N
	expect "cpu${c}_received" "$(echo "$l" | field received)" $N
	expect "cpu${c}_all_on_sending_cpu" "$(echo "$l" | field wrong_cpu)" 0
	expect "cpu${c}_payload_intact" "$(echo "$l" | field bad_payload)" 0
	expect "cpu${c}_no_timeouts_or_errors" \
		"$(echo "$l" | field timeouts)/$(echo "$l" | field errors)" 0/0
done
expect_range host_saw_every_echo $((after - before)) $((N * ncpu)) $((N * ncpu))
stats=$(cat $DBG/hv_common/stats)
for c in $cpus; do
	l=$(echo "$stats" | line_with cpu "$c")
	expect_range "cpu${c}_messages_counted" "$(echo "$l" | field messages)" $N 100000000
	expect "cpu${c}_no_malformed" "$(echo "$l" | field malformed)" 0
done
