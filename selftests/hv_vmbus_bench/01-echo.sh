#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, guest side: echo round trips of 64 B, 1 KiB and 4 KiB at QD1
# and QD64 on one channel, each run sized for about 3 s.  One diagnostic
# line per run for selftests/bench.sh:
#   # bench size= qd= pkts= ns= mismatches= eagain= signals= interrupts= host_interrupts=
# signals: host signals_in delta (guest->host signals); interrupts: the
# channel's sysfs interrupts delta; host_interrupts: host interrupts_out.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

SECS=${BENCH_SECS:-3}
r=$(relids | head -n 1)
[ -n "$r" ] || { fail bench "no vmbus_echo_test device"; exit 0; }
c=$(chan "$r")

for size in 64 1024 4096; do
	for qd in 1 64; do
		name=echo_${size}b_qd$qd
		# Calibrate with a short run, then size the measured one.
		if ! vcmd "$r" echo 300 "$size" "$qd"; then
			fail "$name" "calibration failed: $(vres "$r")"
			continue
		fi
		count=$(vres "$r" | awk -v s="$SECS" '{
			for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
			n = v["ns"] > 0 ? int(v["pkts"] * s * 1e9 / v["ns"]) : 1000
			n = n < 1000 ? 1000 : (n > 2000000 ? 2000000 : n)
			print n - n % 100 }')
		i0=$(cat "$c/interrupts")
		h0=$(host vmbus-chan "$r")
		if ! vcmd "$r" echo "$count" "$size" "$qd"; then
			fail "$name" "$(vres "$r")"
			continue
		fi
		res=$(vres "$r")
		h1=$(host vmbus-chan "$r")
		sig=$(($(echo "$h1" | field signals_in) - $(echo "$h0" | field signals_in)))
		hi=$(($(echo "$h1" | field interrupts_out) - $(echo "$h0" | field interrupts_out)))
		gi=$(($(cat "$c/interrupts") - i0))
		diag "bench size=$size qd=$qd $res signals=$sig interrupts=$gi host_interrupts=$hi"
		expect "$name" "$(echo "$res" | field pkts) $(echo "$res" | field mismatches)" "$count 0"
	done
done
