#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest-side kselftest runner: runs every test script of a suite (the
# NN-name.sh files of its folder) in order and prints one KTAP document on
# stdout (the dedicated KTAP serial port).  Each script gets the suite's
# timeout= (settings, default 600 s).
#   runner.sh SUITE_DIR
dir=$1
limit=$(sed -n 's/^timeout=//p' "$dir/settings" 2>/dev/null | tail -n 1)
limit=${limit:-600}
scripts=$(ls "$dir"/[0-9][0-9]-*.sh 2>/dev/null | sort)
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
	timeout "$limit" sh "$t" >"$out" 2>&1
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
