#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# GPA-direct packets: the host checksums guest buffers described as one
# multipage range (mpb) or as one-page ranges (pagebuf, 32 per packet),
# and fills one; the CRCs agree, every byte read is counted by the host.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

r=$(relids | head -n 1)
[ -n "$r" ] || { fail gpa "no vmbus_echo_test device"; exit 0; }
total=0
g0=$(hchan "$r" gpa_bytes)

# gpa CASE WORDS...: run a command that must report match=1 bytes=SIZE.
gpa() {
	_c=$1
	shift
	if ! vcmd "$r" "$@"; then
		fail "$_c" "$* failed: $(vres "$r")"
		return
	fi
	_res=$(vres "$r")
	diag "$_c: $_res"
	expect "$_c" "$(echo "$_res" | field match) $(echo "$_res" | field bytes)" "1 $2"
	total=$((total + $2))
}

gpa checksum_4k_mpb checksum 4096 mpb
gpa checksum_4k_pagebuf checksum 4096 pagebuf
gpa checksum_1m_mpb checksum 1048576 mpb
gpa checksum_1m_pagebuf checksum 1048576 pagebuf
gpa checksum_5000_mpb checksum 5000 mpb
gpa checksum_5000_pagebuf checksum 5000 pagebuf
gpa fill_1m fill 1048576 77
gpa fill_4k fill 4096 0
expect host_gpa_bytes "$(($(hchan "$r" gpa_bytes) - g0))" "$total"
