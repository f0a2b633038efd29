# SPDX-License-Identifier: GPL-2.0
# Turn a block of result lines (lib/ktap.sh: PASS/FAIL/SKIP <case> [# why],
# anything else is a diagnostic) into one KTAP subtest, indented one level,
# followed by its summary line.  Variables: name (subtest), idx (its
# number), extra (a last diagnostic, optional).  Used by the guest runner
# (busybox awk) and by check.sh.
/^(PASS|FAIL|SKIP) / { r[++c] = $0; next }
{ sub(/^# ?/, ""); d[++nd] = $0; o[nd] = c }
END {
	print "    KTAP version 1"
	print "    # Subtest: " name
	print "    1.." c
	j = 1
	bad = 0
	for (k = 1; k <= c; k++) {
		while (j <= nd && o[j] < k) { print "    # " d[j]; j++ }
		split(r[k], f, " ")
		rest = substr(r[k], length(f[1]) + 2)
		if (f[1] == "PASS") print "    ok " k " " rest
		else if (f[1] == "SKIP") { sub(/ # /, " # SKIP ", rest); print "    ok " k " " rest }
		else { print "    not ok " k " " rest; bad = 1 }
	}
	while (j <= nd) { print "    # " d[j]; j++ }
	if (extra != "") print "    # " extra
	print (bad ? "not ok " : "ok ") idx " " name
}
