#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A host that accepts none of 5.3 .. 4.0 (its newest is 3.0): insmod fails
# cleanly with a clear message and leaves nothing behind; after the host
# is restored a plain insmod works.  (busybox insmod retries a failed
# finit_module with init_module: the message may appear twice.)
. /selftests/lib/ktap.sh

rmmod hv_vmbus || fail rmmod "rmmod hv_vmbus failed"
host vmbus-max-version 3.0 >/dev/null
dmesg -c >/dev/null
if insmod $MODDIR/hv_vmbus.ko 2>/tmp/insmod.err; then
	fail insmod_fails "insmod succeeded against a 3.0 host"
	rmmod hv_vmbus
else
	pass insmod_fails
fi
diag "insmod: $(cat /tmp/insmod.err)"
expect_range clear_message "$(dmesg | grep -c 'accepted no VMBus version from 5.3 down to 4.0')" 1 2
expect module_gone "$(grep -c '^hv_vmbus ' /proc/modules)" 0
expect bus_gone "$(ls -d /sys/bus/vmbus 2>/dev/null)" ""
expect host_not_connected "$(host vmbus-state | field connected)" 0
# A guest cap below 4.0 is refused before anything is posted.
dmesg -c >/dev/null
host vmbus-max-version 5.3 >/dev/null
if insmod $MODDIR/hv_vmbus.ko max_version=3.0 2>/dev/null; then
	fail guest_cap_below_4_0 "insmod succeeded with max_version=3.0"
	rmmod hv_vmbus
else
	expect_range guest_cap_below_4_0 "$(dmesg | grep -c 'below the oldest supported version 4.0')" 1 2
fi
if insmod $MODDIR/hv_vmbus.ko; then
	expect insmod_after_restore "$(cat /sys/bus/vmbus/version) $(host vmbus-state | field connected)" "5.3 1"
else
	fail insmod_after_restore "insmod failed: $(dmesg | tail -n 3 | tr '\n' ';')"
fi
