#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A CPU that open channels target cannot go offline (-EBUSY from
# hv_vmbus's hotplug callback, before hv_common takes its SynIC down).
# Once every channel is moved to the message CPU (sysfs cpu,
# MODIFYCHANNEL) it can; channels opened meanwhile avoid it; echo works
# throughout; it comes back online.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

# The CPU receiving channel messages (the first online one) stays online.
mcpu=$(set -- $(online_cpus); echo "$1")
cpu=""
for c in $(online_cpus); do
	[ "$c" != "$mcpu" ] && [ -f /sys/devices/system/cpu/cpu$c/online ] && { cpu=$c; break; }
done
if [ -z "$cpu" ]; then
	skip cpu_offline "no hot-pluggable CPU besides CPU $mcpu"
	exit 0
fi
O=/sys/devices/system/cpu/cpu$cpu/online

# on_cpu CPU: the open channel directories targeting CPU.
on_cpu() {
	for _d in "$D"/*/channels/*; do
		[ "$(cat "$_d/state" 2>/dev/null)" = 3 ] && [ "$(cat "$_d/cpu")" = "$1" ] && echo "$_d"
	done
}
n=$(on_cpu "$cpu" | wc -l)
expect_range channels_on_cpu$cpu "$n" 1 1000
if echo 0 >$O 2>/dev/null; then
	fail offline_refused "CPU $cpu went offline with $n channels on it"
	echo 1 >$O
else
	expect offline_refused "$(cat $O)" 1
fi
expect refusal_logged "$(dmesg | grep -c "CPU $cpu is the target of $n open channels")" 1

moved=0
for d in $(on_cpu "$cpu"); do
	echo "$mcpu" >"$d/cpu" && moved=$((moved + 1))
done
expect moved_all "$moved $(on_cpu "$cpu" | wc -l)" "$n 0"
if echo 0 >$O; then
	expect offline_after_move "$(cat $O)" 0
else
	fail offline_after_move "still refused"
fi

r=$(relids | head -n 1)
vcmd "$r" echo 200 64 4 && expect echo_while_offline "$(vres "$r" | field pkts)" 200 ||
	fail echo_while_offline "$(vres "$r")"
vcmd "$r" close
expect reopen_avoids_offline_cpu "$(vrun "$r" open | field cpu)" "$mcpu"
if echo "$cpu" >"$(chan "$r")/cpu" 2>/dev/null; then
	fail retarget_to_offline_refused "moved to offline CPU $cpu"
else
	pass retarget_to_offline_refused
fi

echo 1 >$O && expect back_online "$(cat $O)" 1 || fail back_online "echo 1 failed"
expect retarget_after_online "$(echo "$cpu" >"$(chan "$r")/cpu" && cat "$(chan "$r")/cpu")" "$cpu"
vcmd "$r" echo 200 64 4 && expect echo_after_online "$(vres "$r" | field pkts)" 200 ||
	fail echo_after_online "$(vres "$r")"
