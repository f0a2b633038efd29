# SPDX-License-Identifier: GPL-2.0
# Flatten a (possibly nested) KTAP document into leaf results, one per line:
#   PASS <path>   FAIL <path> # <reason>   SKIP <path> # <reason>
# <path> joins the enclosing "# Subtest:" names with '.'.  A summary line of
# a subtest is not a leaf; a failing summary whose children all passed (or
# that has no children) still counts as a failure.  A document that
# promised more results ("1..N") than it delivered gets one FAIL per level.
function indent(s,   n) { n = match(s, /[^ ]/); return n ? int((n - 1) / 4) : 0 }
{
	line = $0
	lvl = indent(line)
	sub(/^ +/, "", line)
	if (line ~ /^# Subtest: /) { name[lvl] = substr(line, 12); next }
	if (line ~ /^1\.\.[0-9]+/) { plan[lvl] = substr(line, 4) + 0; seen[lvl] = 0; kids[lvl + 1] = 0; kidfail[lvl + 1] = 0; next }
	if (line !~ /^(not )?ok [0-9]+/) next
	ok = (line ~ /^ok /)
	rest = line
	sub(/^(not )?ok [0-9]+ ?/, "", rest)
	reason = ""
	if (index(rest, " # ")) { reason = substr(rest, index(rest, " # ") + 3); rest = substr(rest, 1, index(rest, " # ") - 1) }
	seen[lvl]++
	kids[lvl]++
	path = ""
	for (i = 1; i <= lvl; i++) if (name[i] != "") path = path name[i] "."
	if (kids[lvl + 1] > 0) {
		# A summary of the subtest just finished.
		if (seen[lvl + 1] < plan[lvl + 1])
			print "FAIL " path rest ".incomplete # " seen[lvl + 1] " of " plan[lvl + 1] " results"
		if (!ok && !kidfail[lvl + 1])
			print "FAIL " path rest " # " (reason != "" ? reason : "subtest failed")
		if (!ok) kidfail[lvl] = 1
		kids[lvl + 1] = 0; kidfail[lvl + 1] = 0; seen[lvl + 1] = 0; plan[lvl + 1] = 0
		name[lvl + 1] = ""
		next
	}
	if (ok && reason ~ /^SKIP/) { sub(/^SKIP ?/, "", reason); print "SKIP " path rest " # " reason }
	else if (ok) print "PASS " path rest
	else { print "FAIL " path rest " # " reason; kidfail[lvl] = 1 }
}
END {
	if (NR == 0) print "FAIL ktap # empty KTAP document"
	else if (seen[0] < plan[0]) print "FAIL incomplete # " seen[0] " of " plan[0] " top-level results"
}
