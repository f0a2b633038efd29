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
	awk -v name="$name" -v idx="$i" -v secs="$start $end" '
		/^(PASS|FAIL|SKIP) / { r[++c] = $0; next }
		{ sub(/^# ?/, ""); d[++nd] = $0; o[nd] = c }
		END {
			print "    KTAP version 1"
			print "    # Subtest: " name
			print "    1.." c
			j = 1; bad = 0
			for (k = 1; k <= c; k++) {
				while (j <= nd && o[j] < k) { print "    # " d[j]; j++ }
				split(r[k], f, " ")
				rest = substr(r[k], length(f[1]) + 2)
				if (f[1] == "PASS") print "    ok " k " " rest
				else if (f[1] == "SKIP") { sub(/ # /, " # SKIP ", rest); print "    ok " k " " rest }
				else { print "    not ok " k " " rest; bad = 1 }
			}
			while (j <= nd) { print "    # " d[j]; j++ }
			split(secs, s, " ")
			printf "    # %s took %.1f s\n", name, s[2] - s[1]
			print (bad ? "not ok " : "ok ") idx " " name
		}' "$out"
done
