#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The polled UNLOAD of the panic and reboot/kexec paths, run through
# debugfs hv_vmbus/unload_test (the same function, interrupts off): the
# host sees UNLOAD (it disconnects) and the guest gets UNLOAD_RESPONSE by
# polling within the 5 s bound.  It leaves the bus disconnected: LAST.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

U=$DBG/hv_vmbus/unload_test
expect connected_before "$(host vmbus-state | field connected)" 1
expect not_run_yet "$(cat $U | field ret)" 1
echo 1 >$U || fail unload_test_write "write failed: $(cat $U)"
res=$(cat $U)
diag "unload_test: $res"
expect unload_response_polled "$(echo "$res" | field ret)" 0
expect_range polled_within_bound_us "$(echo "$res" | field us)" 0 5000000
expect host_saw_unload "$(host vmbus-state | field connected)" 0
if echo 1 >$U 2>/dev/null; then
	fail second_run_refused "a second polled UNLOAD ran"
else
	expect second_run_refused "$(cat $U | field ret)" -114
fi
expect_range no_gpadls_on_host "$(host vmbus-gpadls | field count)" 0 0
