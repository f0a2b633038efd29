#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A corrupt host -> guest ring on one channel.  A bad write_index (beyond
# the data, or not a multiple of 8), a descriptor longer than what was
# published, a completion 512 KiB long: the guest marks that channel broken
# (logged once), its next command fails with EIO, the other channels keep
# working, and it can be closed and reopened, then works again.  A packet
# that is only bad in itself (data_offset8 < 2, length8 < data_offset8,
# unknown type, GPA direct without ranges, a completion for a request id
# never issued) is skipped and counted (rx_dropped / comp_unknown) and the
# channel goes on.  (check.sh scans the console for WARN/oops.)
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
v=$(relids | sed -n 2p)		# the victim; relid 4 (last) stays healthy
c=$(chan "$v")

# broken CASE WORDS...: a ring-breaking class on $v, then the checks.
broken() {
	_k=$1
	shift
	hostile "$_k" "$@" "$v"
	logged "${_k}_marked_broken" "relid $v: .*no longer used"
	bounded 10 vcmd "$v" echo 5 64 1
	case $? in
	0) fail "${_k}_next_command_eio" "echo succeeded on a broken ring" ;;
	1) expect "${_k}_next_command_eio" "$(vres "$v" | field error)" -5 ;;
	*) fail "${_k}_next_command_eio" "echo still running after 10 s" ;;
	esac
	bus_ok "$_k"
	bounded 10 vcmd "$v" close
	expect "${_k}_close" $? 0
	bounded 10 vcmd "$v" open
	expect "${_k}_reopen" "$? $(vres "$v" | field open)" "0 1"
	healthy "${_k}_works_after_reopen" "$v"
}

# skipped CASE COUNTER WORDS...: a packet-level class on $v: COUNTER (a
# channel sysfs file) rises by one and the channel keeps working.
skipped() {
	_k=$1 _f=$2
	shift 2
	_n=$(cat "$c/$_f")
	hostile "$_k" "$@" "$v"
	wait_until "cat $c/$_f" $((_n + 1)) 30
	expect "${_k}_counted_$_f" "$(($(cat "$c/$_f") - _n))" 1
	healthy "${_k}_channel_works" "$v"
}

broken index_beyond ring-index:beyond
broken index_unaligned ring-index:unaligned
broken desc_long ring-desc:long
broken comp_huge ring-gpa:huge
c=$(chan "$v")
skipped desc_offset rx_dropped ring-desc:offset
skipped desc_short rx_dropped ring-desc:short
skipped desc_type rx_dropped ring-desc:type
skipped gpa_norange rx_dropped ring-gpa:norange
skipped comp_unknown comp_unknown ring-gpa:unknown
bus_ok rings
expect host_counted "$(hstat hostile_sent_ring_index) $(hstat hostile_sent_ring_desc) $(hstat hostile_sent_ring_gpa)" "2 4 3"
expect other_channels_open "$(for r in $(relids); do hchan "$r" state; done | sort -u)" open
host vmbus-hostile ring-desc >/tmp/hostile.out 2>&1 && fail ring_class_needs_relid "accepted" ||
	expect ring_class_needs_relid "$(grep -c 'error: this class needs the RELID' /tmp/hostile.out)" 1
