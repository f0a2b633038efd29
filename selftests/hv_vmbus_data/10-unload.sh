#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unloading vmbus_echo_test with 60+ open channels closes every one of
# them (the host sees them offered again, holding no GPADL); loading it
# again opens them all again.  Then the whole stack is reloaded under the
# driver, and echo still works.  The stack stays loaded afterwards.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

list=$(relids)
n=$(echo "$list" | wc -l)
expect_range open_channels "$n" 60 64

# states: the host's states of every channel in $list, counted.
states() {
	for _r in $list; do host vmbus-chan "$_r"; done | field state | sort | uniq -c |
		awk '{ printf "%s%d %s", (NR > 1 ? ", " : ""), $1, $2 }'
}
# all_open: every relid in $list bound, in debugfs and open on the host.
all_open() { expect "$1" "$(echo $(relids)) / $(states)" "$(echo $list) / $n open"; }

t0=$(cut -d' ' -f1 /proc/uptime)
rmmod vmbus_echo_test && pass rmmod || fail rmmod "rmmod failed"
diag "rmmod with $n open channels took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { print b - a }') s"
expect host_all_offered "$(states)" "$n offered"
expect host_no_gpadls "$(host vmbus-gpadls)" "count=0 pages=0"
expect debugfs_gone "$(ls -d "$VET" 2>/dev/null)" ""

insmod $MODDIR/vmbus_echo_test.ko && pass insmod || fail insmod "insmod failed"
all_open reopened_all

rmmod vmbus_echo_test && rmmod hv_vmbus && pass rmmod_stack || fail rmmod_stack "rmmod failed"
expect host_disconnected "$(host vmbus-state | field connected) $(host vmbus-gpadls)" "0 count=0 pages=0"
insmod $MODDIR/hv_vmbus.ko && insmod $MODDIR/vmbus_echo_test.ko && pass insmod_stack ||
	fail insmod_stack "insmod failed"
all_open reopened_after_stack_reload
r=$(relids | head -n 1)
vcmd "$r" echo 1000 64 16 && expect echo_after_reload "$(vres "$r" | field pkts)" 1000 ||
	fail echo_after_reload "$(vres "$r")"

# open_on_probe=0: bound, but closed until asked.
rmmod vmbus_echo_test
insmod $MODDIR/vmbus_echo_test.ko open_on_probe=0
expect no_open_on_probe "$(states)" "$n offered"
expect echo_when_closed "$(vcmd "$r" echo 1 64 1 2>/dev/null || vres "$r" | field error)" -107
expect open_on_request "$(vrun "$r" open | field open) $(hchan "$r" state)" "1 open"
rmmod vmbus_echo_test
insmod $MODDIR/vmbus_echo_test.ko
all_open reopened_at_end
