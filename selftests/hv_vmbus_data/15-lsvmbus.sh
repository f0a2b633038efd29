#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tools/hv/lsvmbus lists what sysfs shows: one line per device, in relid
# order, with the class named; -v adds each device's channels with the
# CPU they target, which must match the channel's sysfs cpu file.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

out=$(lsvmbus)
expect lsvmbus_exit "$?" 0
ndev=$(ls $D | wc -l)
expect lsvmbus_one_line_per_device "$(echo "$out" | grep -c '^VMBUS ID')" "$ndev"
expect lsvmbus_echo_class_named \
	"$(echo "$out" | grep -c 'Class_ID = {5d6e6c0c-8f2b-4c7a-9e51-68767374ec40} - hvstack echo (test device)')" "$ndev"
ids=$(echo "$out" | sed -n 's/^VMBUS ID *\([0-9]*\):.*/\1/p' | tr '\n' ' ')
expect lsvmbus_sorted_by_relid "$ids" "$(cat $D/*/id | sort -n | tr '\n' ' ')"

bad=0
n=0
lsvmbus -v | sed -n 's/.*Rel_ID=\([0-9]*\), target_cpu=\([0-9]*\).*/\1 \2/p' >/tmp/lsv
while read -r relid cpu; do
	n=$((n + 1))
	c=$(chan "$relid")
	[ -n "$c" ] && [ "$(cat "$c/cpu")" = "$cpu" ] || bad=$((bad + 1))
done </tmp/lsv
expect lsvmbus_v_channel_per_device "$n" "$ndev"
expect lsvmbus_v_cpus_match_sysfs "$bad" 0
expect lsvmbus_v_driver_shown "$(lsvmbus -v | grep -c 'Driver: vmbus_echo_test')" "$ndev"
lsvmbus -x >/dev/null 2>&1
expect lsvmbus_bad_option_exit "$?" 2
