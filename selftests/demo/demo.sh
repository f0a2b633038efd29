#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: show what the stack found and do real work with it.
. /selftests/lib/ktap.sh

# Only warnings and worse on the console while the demo talks.
echo 4 >/proc/sys/kernel/printk

say() { echo "demo: $*"; }
say "----------------------------------------------------------------"
say "platform (hv_common info):"
sed 's/^/demo:   /' $DBG/hv_common/info
say "SynIC per CPU (guest registers read back on each CPU):"
sed 's/^/demo:   /' $DBG/hv_common/synic
say "the host's view (hvhost vp-state through the host-control path):"
host vp-state | sed 's/^/demo:   /'
say "echo: 1000 HvCallPostMessage -> SynIC message round trips per CPU..."
echo 1000 >$DBG/hv_common_test/echo
cat $DBG/hv_common_test/echo | while read -r l; do
	say "  $(echo "$l" | field cpu | sed 's/^/cpu /'): received $(echo "$l" | field received)/$(echo "$l" | field sent)," \
	    "on the sending CPU: $(( $(echo "$l" | field received) - $(echo "$l" | field wrong_cpu) ))," \
	    "median $(( $(echo "$l" | field p50_ns) / 1000 )) us, p99 $(( $(echo "$l" | field p99_ns) / 1000 )) us"
done
say "events: 200 HvCallSignalEvent -> event flag round trips per CPU..."
echo 200 >$DBG/hv_common_test/events
sed 's/^/demo:   /' $DBG/hv_common_test/events
say "reference time: $(cat $DBG/hv_common_test/regs | grep -E '^(ref_time|time_ref_3)=' | tr '\n' ' ')(100 ns units)"
if [ -d /sys/bus/vmbus ]; then
	. /selftests/lib/echo.sh
	say "VMBus: version $(cat /sys/bus/vmbus/version); devices (lsvmbus -v):"
	lsvmbus -v | sed 's/^/demo:   /'
	r=$(relids | head -n 1)
	if [ -n "$r" ]; then
		say "echo device $r: 20000 packets of 1 KiB, 64 in flight, every reply checked..."
		say "  $(vrun "$r" echo 20000 1024 64 || vres "$r")"
		say "echo device $r: CRC-32 of 1 MiB the host reads through GPA ranges..."
		say "  $(vrun "$r" checksum 1048576 mpb || vres "$r")"
		c=$(chan "$r")
		say "  channel $r: cpu $(cat "$c/cpu"), interrupts $(cat "$c/interrupts"), signals to the host $(cat "$c/events")"
		say "  the host's view: $(host vmbus-chan "$r")"
	fi
fi
say "interrupt statistics:"
sed 's/^/demo:   /' $DBG/hv_common/stats
say "----------------------------------------------------------------"
