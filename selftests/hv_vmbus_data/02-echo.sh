#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Echo round trips with completions: QD1, the edge sizes (0 .. 64 KiB,
# which needs bigger rings than the default 64 KiB), and 100,000 packets at
# QD64, every reply's data verified by the driver.  The host's packet
# counters move by exactly what the guest sent and received.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

r=$(relids | head -n 1)
[ -n "$r" ] || { fail echo "no vmbus_echo_test device"; exit 0; }

# run_echo CASE COUNT SIZE QD [nocomp]: one echo command, checked exactly.
run_echo() {
	_c=$1
	shift
	_in=$(hchan "$r" pkts_in) _out=$(hchan "$r" pkts_out)
	if ! vcmd "$r" echo "$@"; then
		fail "$_c" "echo $* failed: $(vres "$r")"
		return
	fi
	_res=$(vres "$r")
	diag "$_c: $_res ($(rate "$(echo "$_res" | field pkts)" "$(echo "$_res" | field ns)") pkts/s)"
	expect "$_c" "$(echo "$_res" | field pkts) $(echo "$_res" | field bytes) $(echo "$_res" | field mismatches)" \
		"$1 $(($1 * $2)) 0"
	expect "${_c}_host_pkts" "$(($(hchan "$r" pkts_in) - _in)) $(($(hchan "$r" pkts_out) - _out))" "$1 $1"
}

run_echo qd1_64b 1000 64 1
for s in 0 1 7 8 4000; do
	run_echo "size_$s" 50 "$s" 4
done

# 64 KiB of data never fits a 64 KiB ring (its data area is 60 KiB).
vcmd "$r" echo 1 65536 1 2>/dev/null && fail size_65536_default_ring "accepted" ||
	expect size_65536_default_ring_emsgsize "$(vres "$r" | field error)" -90
vcmd "$r" echo 1 65537 1 2>/dev/null && fail size_65537_refused "accepted" ||
	expect size_65537_refused "$(vres "$r" | field error)" -22
vcmd "$r" close
expect reopen_256k "$(vrun "$r" open 256 | field open)" 1
run_echo size_65536 20 65536 2
vcmd "$r" close
expect reopen_default "$(vrun "$r" open | field ring_kb)" 64
expect host_state_open "$(hchan "$r" state)" open

run_echo qd64_100k 100000 256 64

# Malformed commands are refused (EINVAL) without touching the channel.
in=$(hchan "$r" pkts_in)
wrong=""
for c in "bogus" "echo" "echo 1 64" "echo 0 64 1" "echo 1 64 0" "echo 1 64 257" \
	 "echo 1 64 1 extra" "echo x 64 1" "checksum 4096 both" "fill 4096 256" \
	 "open 5" "flood 0 64"; do
	if vcmd "$r" $c 2>/dev/null || [ "$(vres "$r")" != "error=-22" ]; then
		wrong="$wrong [$c: $(vres "$r")]"
	fi
done
expect bad_commands_refused "$wrong" ""
expect bad_commands_sent_nothing "$(hchan "$r" pkts_in)" "$in"
vcmd "$r" open 2>/dev/null && fail open_twice_busy "accepted" ||
	expect open_twice_busy "$(vres "$r")" "error=-16"
