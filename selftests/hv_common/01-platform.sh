#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hv_common found the sim platform, with the features hvhost advertises,
# and the host-control path works.
. /selftests/lib/ktap.sh

info=$(cat $DBG/hv_common/info 2>/dev/null)
diag "$(echo "$info" | tr '\n' ' ')"
expect platform_is_sim "$(echo "$info" | field platform)" sim

priv=$(echo "$info" | field privileges)
need=$((0x4 | 0x20 | 0x40))	# SynIC, hypercall, VP index
if [ -n "$priv" ] && [ $((priv & need)) -eq $need ]; then
	pass privileges_synic_hypercall_vpindex
else
	fail privileges_synic_hypercall_vpindex "privileges=$priv"
fi
expect ref_tsc_enabled "$(echo "$info" | field ref_tsc)" on
crash=$(echo "$info" | field crash_ctl)
if [ -n "$crash" ] && [ $(( (crash >> 62) & 3 )) -eq 3 ]; then
	pass crash_notify_and_message_supported
else
	fail crash_notify_and_message_supported "crash_ctl=$crash"
fi
expect hostctl_ping "$(host ping)" pong
