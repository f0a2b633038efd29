#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host rescinds an idle device: the device disappears, and the guest
# gives the relid back (the host counts RELID_RELEASED).
. /selftests/lib/ktap.sh

D=/sys/bus/vmbus/devices
stat() { host stats | awk -F= -v k="$1" '$1 == k { print $2 }'; }

first=$(ls $D | head -n 1)
if [ -z "$first" ]; then
	skip rescind_idle "the host offers no device"
	exit 0
fi
relid=$(cat $D/$first/id)
n=$(ls $D | wc -l)
rel=$(stat vmbus_relids_released)
offers=$(host vmbus-state | field offers)
expect rescind_accepted "$(host vmbus-rescind "$relid")" ok
i=0
while [ -e "$D/$first" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect device_gone "$(ls $D | grep -c "^$first\$")" 0
expect device_count "$(ls $D | wc -l)" $((n - 1))
i=0
while [ "$(stat vmbus_relids_released)" = "$rel" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect relid_released "$(stat vmbus_relids_released)" $((rel + 1))
expect host_offers "$(host vmbus-state | field offers)" $((offers - 1))
expect no_protocol_errors "$(stat vmbus_protocol_errors) $(stat vmbus_malformed)" "0 0"
# A rescind of the same relid again is refused by the host.
host vmbus-rescind "$relid" >/dev/null 2>&1 && fail rescind_twice "host accepted it" ||
	pass rescind_twice_refused
