#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every echo device the host offers is a device on the vmbus bus with the
# upstream sysfs attributes: id (relid), class_id, device_id, modalias,
# state, monitor_id, driver_override.
. /selftests/lib/ktap.sh

ECHO_CLASS=5d6e6c0c-8f2b-4c7a-9e51-68767374ec40
ECHO_ALIAS=vmbus:0c6c6e5d2b8f7a4c9e5168767374ec40
D=/sys/bus/vmbus/devices

offers=$(host vmbus-state | field offers)
n=$(ls $D | wc -l)
diag "host offers $offers, guest devices $n"
expect device_count "$n" "$offers"
# The suite boots with --vmbus-echo N: no device at all is a failure, not a pass.
expect_range host_offers_devices "$offers" 1 2047

bad_class=0 bad_alias=0 bad_name=0 bad_state=0 bad_uevent=0
for d in $D/*; do
	name=${d##*/}
	[ "$(cat $d/class_id)" = "{$ECHO_CLASS}" ] || bad_class=$((bad_class + 1))
	[ "$(cat $d/modalias)" = "$ECHO_ALIAS" ] || bad_alias=$((bad_alias + 1))
	[ "$(cat $d/device_id)" = "{$name}" ] || bad_name=$((bad_name + 1))
	[ "$(cat $d/state)" = 0 ] || bad_state=$((bad_state + 1))
	grep -qx "MODALIAS=$ECHO_ALIAS" $d/uevent || bad_uevent=$((bad_uevent + 1))
done
expect class_id_all "$bad_class" 0
expect modalias_all "$bad_alias" 0
expect device_id_is_name "$bad_name" 0
expect state_offered "$bad_state" 0
expect uevent_modalias "$bad_uevent" 0
expect device_id_unique "$(cat $D/*/device_id | sort -u | wc -l)" "$n"
expect relid_unique "$(cat $D/*/id | sort -u | wc -l)" "$n"
bad_id=0
for id in $(cat $D/*/id); do
	[ "$id" -ge 1 ] && [ "$id" -le 2047 ] || bad_id=$((bad_id + 1))
done
expect relid_range "$bad_id" 0
# hvhost allocates no monitor ids: every offer says 0xff ("none").
expect monitor_id_none_all "$(cat $D/*/monitor_id | sort -u)" 255

first=$(ls $D | head -n 1)
echo some_driver >$D/$first/driver_override
expect driver_override_set "$(cat $D/$first/driver_override)" some_driver
echo >$D/$first/driver_override
expect driver_override_cleared "$(cat $D/$first/driver_override)" ""
expect devices_under_root "$(readlink -f $D/$first | sed 's|/[^/]*$||')" /sys/devices/vmbus
