#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest-side kselftest runner: runs every test script of a suite in order
# and prints one KTAP document on stdout (the dedicated KTAP serial port).
#   runner.sh SUITE_DIR
dir=$1
scripts=$(ls "$dir"/*.sh 2>/dev/null | sort)
n=$(echo "$scripts" | grep -c .)
echo "KTAP version 1"
echo "1..$n"
i=0
for t in $scripts; do
	i=$((i + 1))
	name=$(basename "$t" .sh)
	name=${name#[0-9][0-9]-}
	out=/tmp/ktap.$name
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout 600 sh "$t" >"$out" 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	[ $rc -ne 0 ] && ! grep -q '^FAIL ' "$out" &&
		echo "FAIL exit_status # $name exited with status $rc" >>"$out"
	grep -qE '^(PASS|FAIL|SKIP) ' "$out" ||
		echo "FAIL no_results # $name reported nothing" >>"$out"
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
	awk -v name="$name" -v idx="$i" -v extra="$name took $secs s" \
		-f "$(dirname "$0")/lib/ktap-emit.awk" "$out"
done
