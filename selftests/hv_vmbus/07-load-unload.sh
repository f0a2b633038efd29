#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hv_vmbus unloads (UNLOAD / UNLOAD_RESPONSE) and loads again 20 times:
# every cycle reconnects, enumerates every offer again and leaves nothing
# behind.
. /selftests/lib/ktap.sh

N=20
D=/sys/bus/vmbus/devices

offers=$(host vmbus-state | field offers)
dmesg -c >/dev/null
bad=0
i=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	rmmod hv_vmbus || { bad=1; diag "cycle $i: rmmod failed"; }
	[ -d /sys/bus/vmbus ] && { bad=1; diag "cycle $i: /sys/bus/vmbus left behind"; }
	[ "$(host vmbus-state | field connected)" = 0 ] ||
		{ bad=1; diag "cycle $i: host still connected after UNLOAD"; }
	insmod $MODDIR/hv_vmbus.ko || { bad=1; diag "cycle $i: insmod failed"; }
	n=$(ls $D 2>/dev/null | wc -l)
	[ "$n" = "$offers" ] || { bad=1; diag "cycle $i: $n devices, host offers $offers"; }
done
expect cycles_clean $bad 0
st=$(host vmbus-state)
expect connected_at_end "$(echo "$st" | field connected) $(echo "$st" | field requested)" "1 1"
errs=$(dmesg | grep -i 'hv_vmbus' | grep -iE 'error|fail|timeout|unexpected|dropped|bug' | head -n 3)
expect no_errors_logged "$errs" ""
expect no_protocol_errors "$(hstat vmbus_protocol_errors) $(hstat vmbus_malformed)" "0 0"
expect no_kernel_warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops')" 0
