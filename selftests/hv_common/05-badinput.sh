#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every malformed hypercall gets its TLFS status from the host and a clean
# errno from hv_common, and the transport keeps working afterwards.
. /selftests/lib/ktap.sh

before=$(host stats)
res=$(cat $DBG/hv_common_test/badinput)
diag "$(echo "$res" | tr '\n' ';')"
# case status errno
while read -r c st en; do
	l=$(echo "$res" | line_with case "$c")
	if [ -z "$l" ]; then
		fail "$c" "case not run"
		continue
	fi
	got="$(echo "$l" | field status) $(echo "$l" | field errno)"
	expect "$c" "$got" "$st $en"
done <<'TABLE'
post_good 0x0000 0
post_unaligned 0x0004 -22
post_straddle 0x0004 -22
post_out_of_range 0x0003 -22
post_oversize 0x0005 -22
post_type_zero 0x0005 -22
post_type_reserved 0x0005 -22
post_bad_connection 0x0012 -6
post_sint_masked 0x0018 -5
signal_bad_connection 0x0012 -6
signal_bad_flag 0x0005 -22
signal_sint_masked 0x0018 -5
bad_code 0x0002 -95
rep_on_simple 0x0003 -22
reserved_control_bits 0x0003 -22
TABLE
expect post_helper_oversize_no_hypercall \
	"$(echo "$res" | line_with case post_helper_oversize | field errno)" -22

after=$(host stats)
for st in 0x0018 0x0012 0x0004; do
	b=$(echo "$before" | field status_$st)
	a=$(echo "$after" | field status_$st)
	expect_range "host_counted_status_$st" $((${a:-0} - ${b:-0})) 2 2
done

echo 10 >$DBG/hv_common_test/echo
r=$(cat $DBG/hv_common_test/echo | awk '{ print }' | field received | sort -u)
expect echo_still_works "$r" 10
