#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hv_vmbus loaded by init: connected at the newest version both sides know,
# offers requested once, the version visible in /sys/bus/vmbus/version,
# in the module parameter and in dmesg.
. /selftests/lib/ktap.sh

st=$(host vmbus-state)
diag "host: $st"
expect host_connected "$(echo "$st" | field connected)" 1
expect host_offers_requested "$(echo "$st" | field requested)" 1
hv=$(echo "$st" | field version)
gv=$(cat /sys/bus/vmbus/version 2>/dev/null)
expect guest_version_matches_host "$gv" "$(($(hex2dec "$hv") >> 16)).$(($(hex2dec "$hv") & 0xffff))"
expect default_version_5_3 "$gv" 5.3
expect max_version_param "$(cat /sys/module/hv_vmbus/parameters/max_version)" 5.3
expect version_in_dmesg "$(dmesg | grep -c "hv_vmbus: VMBus version $gv negotiated")" 1
vp=$(echo "$st" | field target_vp)
expect_range target_vp "$vp" 0 255
