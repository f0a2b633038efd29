#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# GPADLs of 1 page, 1 MiB and 64 MiB: the host holds exactly SIZE/4096
# more pages after each, and gets all of them back on teardown.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

r=$(relids | head -n 1)
[ -n "$r" ] || { fail gpadl "no vmbus_echo_test device"; exit 0; }
gp() { host vmbus-gpadls | field "$1"; }
count0=$(gp count) pages0=$(gp pages) chan0=$(hchan "$r" gpadls)
diag "before: count=$count0 pages=$pages0 (the rings of every open channel)"
n=0
for size in 4096 1048576 67108864; do
	n=$((n + 1))
	before=$(gp pages)
	if vcmd "$r" gpadl_create $size; then
		diag "gpadl_create $size: $(vres "$r")"
		expect "create_$size" "$(vres "$r" | field pages)" $((size / 4096))
	else
		fail "create_$size" "$(vres "$r")"
	fi
	expect "host_pages_$size" $(($(gp pages) - before)) $((size / 4096))
	expect "host_count_$size" $(($(gp count) - count0)) $n
done
expect host_channel_gpadls "$(hchan "$r" gpadls)" $((chan0 + 3))
if vcmd "$r" gpadl_teardown; then
	expect teardown "$(vres "$r")" "torn=3 leaked=0"
else
	fail teardown "$(vres "$r")"
fi
expect host_back "$(gp count) $(gp pages)" "$count0 $pages0"
expect host_channel_gpadls_back "$(hchan "$r" gpadls)" "$chan0"
# Sizes hv_vmbus refuses before asking the host.
vcmd "$r" gpadl_create 100 2>/dev/null && fail unaligned_refused "accepted" ||
	expect unaligned_refused "$(vres "$r" | field error)" -22
expect host_unchanged "$(gp count)" "$count0"
