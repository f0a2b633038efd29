#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hot add after boot: 10 echo devices offered one by one appear on the bus,
# each with an "add" uevent carrying its MODALIAS.
. /selftests/lib/ktap.sh

D=/sys/bus/vmbus/devices
N=10
ECHO_ALIAS=vmbus:0c6c6e5d2b8f7a4c9e5168767374ec40

# A host has a fixed number of relids (hvhost: 32): make room first by
# rescinding the N highest relids and waiting until the guest released them.
rel=$(hstat vmbus_relids_released)
victims=$(cat $D/*/id | sort -n | tail -n $N)
nv=$(echo $victims | wc -w)
for r in $victims; do host vmbus-rescind "$r" >/dev/null; done
wait_until 'hstat vmbus_relids_released' $((rel + nv))
expect room_made "$(hstat vmbus_relids_released)" $((rel + nv))

# busybox uevent: PROG runs for every kernel uevent (netlink).
cat >/tmp/uevlog <<'EOS'
#!/bin/sh
echo "$ACTION $DEVPATH $MODALIAS" >>/tmp/uevents
EOS
chmod +x /tmp/uevlog
: >/tmp/uevents
uevent /tmp/uevlog &
mon=$!
sleep 0.5

before=$(ls $D | wc -l)
ok=0
i=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	host vmbus-offer echo >/dev/null && ok=$((ok + 1))
done
expect offers_accepted "$ok" "$N"
wait_until "ls $D | wc -l" $((before + N))
expect devices_added "$(ls $D | wc -l)" $((before + N))
expect devices_match_host "$(ls $D | wc -l)" "$(host vmbus-state | field offers)"
wait_until "grep -c '^add /devices/vmbus/[0-9a-f-]* $ECHO_ALIAS\$' /tmp/uevents" "$N"
kill "$mon"
expect add_uevents "$(grep -c "^add /devices/vmbus/[0-9a-f-]* $ECHO_ALIAS\$" /tmp/uevents)" "$N"
diag "uevents seen: $(wc -l </tmp/uevents)"
expect no_protocol_errors "$(hstat vmbus_protocol_errors) $(hstat vmbus_malformed)" "0 0"
