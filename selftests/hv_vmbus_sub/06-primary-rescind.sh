#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host rescinds a device whose subchannels carry traffic: it rescinds
# the subchannels first, then the primary.  Every command ends with
# ENODEV, the device and all its channels go, every relid is released.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

dmesg -c >/dev/null
res=$(vrun 2 subchan 4)
expect subchannels_of_2 "$(echo "$res" | field have)" 4
list="2 $(for c in "$(dirname "$(chan 2)")"/*; do basename "$c"; done | grep -vx 2 | sort -n)"
n=$(echo $list | wc -w)
expect channels_of_2 "$n" 5
rel=$(hstat vmbus_relids_released)
jobs=
for s in $list; do
	sh -c "echo echo 1000000 256 16 >$VET/$s/cmd" 2>/tmp/prim.$s &
	jobs="$jobs $!"
done
sleep 1
expect rescind_accepted "$(host vmbus-rescind 2)" ok
i=0
while [ $i -lt 150 ]; do
	alive=0
	for j in $jobs; do kill -0 "$j" 2>/dev/null && alive=1; done
	[ $alive = 0 ] && break
	sleep 0.1
	i=$((i + 1))
done
expect commands_ended "$alive" 0
for j in $jobs; do kill "$j" 2>/dev/null; wait "$j" 2>/dev/null; done
expect all_enodev "$(cat $(for s in $list; do echo /tmp/prim.$s; done) | grep -c 'No such device')" "$n"
wait_until "hstat vmbus_relids_released" $((rel + n)) 100
expect all_released "$(hstat vmbus_relids_released)" $((rel + n))
gone=0
for s in $list; do
	[ ! -d "$VET/$s" ] && [ -z "$(chan "$s")" ] && [ "$(hchan "$s" state)" = released ] && gone=$((gone + 1))
done
expect all_channels_gone "$gone" "$n"
expect device_1_unaffected "$(vrun 1 echo 200 64 4 | field mismatches)" 0
expect no_protocol_errors "$(hstat vmbus_protocol_errors) $(hstat vmbus_malformed)" "0 0"
expect no_kernel_warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops')" 0
