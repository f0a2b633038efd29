#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host rescinds an idle device: the device disappears, and the guest
# gives the relid back (the host counts RELID_RELEASED).
. /selftests/lib/ktap.sh

D=/sys/bus/vmbus/devices

first=$(ls $D | head -n 1)
if [ -z "$first" ]; then
	skip rescind_idle "the host offers no device"
	exit 0
fi
relid=$(cat $D/$first/id)
n=$(ls $D | wc -l)
rel=$(hstat vmbus_relids_released)
offers=$(host vmbus-state | field offers)
expect rescind_accepted "$(host vmbus-rescind "$relid")" ok
wait_while '[ -e "$D/$first" ]'
expect device_gone "$(ls $D | grep -c "^$first\$")" 0
expect device_count "$(ls $D | wc -l)" $((n - 1))
wait_until 'hstat vmbus_relids_released' $((rel + 1))
expect relid_released "$(hstat vmbus_relids_released)" $((rel + 1))
expect host_offers "$(host vmbus-state | field offers)" $((offers - 1))
expect no_protocol_errors "$(hstat vmbus_protocol_errors) $(hstat vmbus_malformed)" "0 0"
# A rescind of the same relid again is refused by the host.
host vmbus-rescind "$relid" >/dev/null 2>&1 && fail rescind_twice "host accepted it" ||
	pass rescind_twice_refused
