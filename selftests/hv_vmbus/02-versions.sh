#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Negotiation at every version from 4.0 to 5.3: the host caps its newest
# version, hv_vmbus is reloaded and must settle on exactly that version
# (falling through the newer ones, including the connection-id-4 refusal
# of a pre-5.0 host).  Then the guest-side cap, max_version=.
. /selftests/lib/ktap.sh

reload() {
	rmmod hv_vmbus || return 1
	insmod $MODDIR/hv_vmbus.ko "$@"
}

for v in 4.0 4.1 5.0 5.1 5.2 5.3; do
	host vmbus-max-version $v >/dev/null
	dmesg -c >/dev/null
	if ! reload; then
		fail "host_max_$v" "reload failed: $(dmesg | tail -n 3 | tr '\n' ';')"
		continue
	fi
	st=$(host vmbus-state)
	hv=$(hex2dec "$(echo "$st" | field version)")
	expect "host_max_$v" "$(cat /sys/bus/vmbus/version) $((hv >> 16)).$((hv & 0xffff)) $(echo "$st" | field connected)" "$v $v 1"
	expect "host_max_${v}_dmesg" "$(dmesg | grep -c "VMBus version $v negotiated")" 1
done

host vmbus-max-version 5.3 >/dev/null
for pw in 5.1:5.1 0x50000:5.0 4.1:4.1; do
	p=${pw%:*} want=${pw#*:}
	reload max_version=$p || { fail "guest_max_$p" "reload failed"; continue; }
	st=$(host vmbus-state)
	hv=$(hex2dec "$(echo "$st" | field version)")
	expect "guest_max_$p" "$(cat /sys/bus/vmbus/version) $((hv >> 16)).$((hv & 0xffff))" "$want $want"
done
reload || fail reload_default "reload failed"
expect back_to_5_3 "$(cat /sys/bus/vmbus/version)" 5.3
