#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CPU hotplug: taking a CPU offline disables its SynIC on the host side,
# bringing it back enables it again and messages reach it.
. /selftests/lib/ktap.sh

cpu=$(online_cpus | awk '{ print $NF }')
if [ "$cpu" = 0 ]; then
	skip cpu_offline_online "needs at least 2 CPUs"
	exit 0
fi
vpst() { host vp-state | line_with vp "$cpu"; }
b=$(vpst)
en=$(echo "$b" | field synic_enables) dis=$(echo "$b" | field synic_disables)
echo 0 >/sys/devices/system/cpu/cpu$cpu/online
o=$(vpst)
diag "offline: $o"
expect offline_scontrol_off "$(echo "$o" | field scontrol)" 0x0
expect offline_simp_off "$(( $(echo "$o" | field simp) & 1 ))" 0
expect offline_counted "$(echo "$o" | field synic_disables)" $((dis + 1))
echo 1 >/sys/devices/system/cpu/cpu$cpu/online
n=$(vpst)
diag "online: $n"
expect online_scontrol_on "$(echo "$n" | field scontrol)" 0x1
expect online_sint5_unmasked "$(( $(echo "$n" | field sint5) & 0x10000 ))" 0
expect online_counted "$(echo "$n" | field synic_enables)" $((en + 1))
echo 20 >$DBG/hv_common_test/echo
expect echo_after_online "$(cat $DBG/hv_common_test/echo | line_with cpu "$cpu" | field received)" 20
