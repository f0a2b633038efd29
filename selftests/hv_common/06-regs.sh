#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Synthetic registers: read-only and unknown registers refused, the
# reference counter runs at 10 MHz, and the reference TSC page agrees with
# it.  Read on every CPU.
. /selftests/lib/ktap.sh

hostid=$(host guest-os-id)
for c in $(online_cpus); do
	r=$(taskset -c "$c" cat $DBG/hv_common_test/regs)
	diag "cpu$c: $(echo "$r" | tr '\n' ' ')"
	v() { echo "$r" | field "$1"; }
	expect "cpu${c}_vp_index" "$(v vp_index)" "$c"
	expect "cpu${c}_sversion" "$(v svers)" 1
	expect "cpu${c}_guest_os_id_matches_host" "$(v guest_os_id)" "$hostid"
	t1=$(v time_ref_1) t2=$(v time_ref_2) t3=$(v time_ref_3) rt=$(v ref_time)
	# 10 ms apart: between 9 ms and 1 s in 100 ns units.
	expect_range "cpu${c}_time_ref_advances_10ms" $((t2 - t1)) 90000 10000000
	# The TSC page read lies between the two counter reads around it
	# (1 ms of slack for the page's calibration against the counter).
	expect_range "cpu${c}_tsc_page_agrees" $((rt - t2)) -10000 $((t3 - t2 + 10000))
	expect "cpu${c}_unknown_register_einval" "$(v bad_reg_errno)" -22
	expect "cpu${c}_readonly_write_einval" "$(v ro_write_errno)" -22
	expect "cpu${c}_sint_reserved_bits_einval" "$(v sint_reserved_errno)" -22
done
