#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, guest side: echo round trips of 64 B, 1 KiB and 4 KiB at QD1
# and QD64 on one channel, each run sized for about 3 s.  One diagnostic
# line per run for selftests/bench.sh:
#   # bench ring_kb= size= qd= pkts= ns= mismatches= eagain= signals= interrupts= host_interrupts=
# The channel is reopened per packet size with rings that hold a full
# queue of 64 packets twice over (at least the default 64 KiB): with a
# ring that holds only a few packets, no batching can happen.
# signals: host signals_in delta (guest->host signals); interrupts: the
# channel's sysfs interrupts delta; host_interrupts: host interrupts_out.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

SECS=${BENCH_SECS:-3}
r=$(relids | head -n 1)
[ -n "$r" ] || { fail bench "no vmbus_echo_test device"; exit 0; }
c=$(chan "$r")

# ring_for SIZE: KiB per ring, a power of two >= 64 and >= 2 * 64 * SIZE.
ring_for() {
	_kb=64
	while [ $((_kb * 1024)) -lt $((2 * 64 * ($1 + 64))) ]; do _kb=$((_kb * 2)); done
	echo $_kb
}

for size in 64 1024 4096; do
	ring=$(ring_for "$size")
	vcmd "$r" close
	if ! vcmd "$r" open "$ring"; then
		fail "open_${ring}k" "$(vres "$r")"
		continue
	fi
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
		diag "bench ring_kb=$ring size=$size qd=$qd $res signals=$sig interrupts=$gi host_interrupts=$hi"
		expect "$name" "$(echo "$res" | field pkts) $(echo "$res" | field mismatches)" "$count 0"
	done
done
