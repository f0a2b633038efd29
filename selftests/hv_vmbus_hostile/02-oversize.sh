#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A SynIC message whose payload_size says more than 240 bytes is dropped by
# hv_common before any handler sees it (its per-CPU "malformed" counter
# rises by one per message); the message inside (a rescind of relid 2001)
# must not reach hv_vmbus.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
for size in 241 255; do
	m=$(cstat malformed)
	hostile "size$size" "oversize:$size"
	wait_until "cstat malformed" $((m + 1)) 30
	expect "size${size}_counted_malformed" "$(($(cstat malformed) - m))" 1
	expect "size${size}_not_handled" "$(dmesg | grep -c 'relid 2001')" 0
	bus_ok "size$size"
done
expect host_counted "$(hstat hostile_sent_oversize)" 2
