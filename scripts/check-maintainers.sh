#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check MAINTAINERS against the tracked files, as the kernel's
# scripts/get_maintainer.pl --self-test=patterns does: every tracked file
# matches an F: entry of some section (and is not excluded there by X:),
# every F:/X: pattern matches at least one tracked file, and every section
# has an M: and an S: line.  Patterns as in the kernel's MAINTAINERS: a
# trailing slash takes everything below the folder; * and ? match within
# one path component.  One PASS/FAIL line per check; exit status 1 on any
# failure.
#   scripts/check-maintainers.sh [MAINTAINERS]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mf=${1:-MAINTAINERS}
[ -f "$mf" ] || { echo "FAIL maintainers_file # no $mf"; exit 1; }

# re PATTERN: the pattern as an anchored extended regular expression.
re() {
	local p=$1 out= c i
	for ((i = 0; i < ${#p}; i++)); do
		c=${p:i:1}
		case $c in
		'*') out+='[^/]*' ;;
		'?') out+='[^/]' ;;
		[.+^$\(\)\[\]\{\}\|\\]) out+="\\$c" ;;
		*) out+=$c ;;
		esac
	done
	case $p in
	*/) echo "^$out" ;;
	*) echo "^$out\$" ;;
	esac
}

files=$(git ls-files)
# Sections: a title line, then tag lines "X:<tab>value", blank line between.
# For each section, its F: and X: regexes; a file is covered when some
# section has an F: that matches and no X: that matches.
declare -a sec_f=() sec_x=() sec_name=()
bad_sections=()
n=-1 in=0 has_m=0 has_s=0
close_section() {
	if [ $n -ge 0 ] && [ -n "${sec_f[$n]}" ] && { [ $has_m = 0 ] || [ $has_s = 0 ]; }; then
		bad_sections+=("${sec_name[$n]}")
	fi
}
patterns=()
while IFS= read -r line; do
	if [[ "$line" =~ ^([A-Z]):[[:space:]]*(.*)$ ]]; then
		[ $in = 1 ] || continue
		tag=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
		case $tag in
		F) sec_f[$n]+="$(re "$val")"$'\n'; patterns+=("$val") ;;
		X) sec_x[$n]+="$(re "$val")"$'\n'; patterns+=("$val") ;;
		M) has_m=1 ;;
		S) has_s=1 ;;
		esac
	elif [ -z "$line" ]; then
		in=0
	elif [ $in = 0 ] && [[ "$line" =~ ^[A-Z0-9] ]] && [[ ! "$line" =~ ^[A-Z]: ]]; then
		close_section
		n=$((n + 1)) in=1 has_m=0 has_s=0
		sec_name[$n]=$line sec_f[$n]= sec_x[$n]=
	fi
done <"$mf"
close_section

# Per section: the files its F: patterns match minus those its X: match.
covered=$(for ((i = 0; i <= n; i++)); do
	[ -n "${sec_f[$i]}" ] || continue
	if [ -n "${sec_x[$i]}" ]; then
		echo "$files" | grep -Ef <(printf '%s' "${sec_f[$i]}") |
			grep -vEf <(printf '%s' "${sec_x[$i]}")
	else
		echo "$files" | grep -Ef <(printf '%s' "${sec_f[$i]}")
	fi
done | sort -u)
mapfile -t uncovered < <(comm -23 <(echo "$files" | sort) <(echo "$covered"))
nsec=0
for ((i = 0; i <= n; i++)); do
	[ -n "${sec_f[$i]}" ] && nsec=$((nsec + 1))
done

stale=()
for p in "${patterns[@]}"; do
	echo "$files" | grep -qE "$(re "$p")" || stale+=("$p")
done

rc=0
if [ ${#uncovered[@]} = 0 ]; then
	echo "PASS every_tracked_file_has_an_entry"
else
	echo "FAIL every_tracked_file_has_an_entry # ${#uncovered[@]} files match no F: entry: ${uncovered[*]:0:8}"
	rc=1
fi
if [ ${#stale[@]} = 0 ]; then
	echo "PASS every_pattern_matches_a_file"
else
	echo "FAIL every_pattern_matches_a_file # patterns that match no tracked file: ${stale[*]}"
	rc=1
fi
if [ ${#bad_sections[@]} = 0 ]; then
	echo "PASS every_section_has_maintainer_and_status"
else
	echo "FAIL every_section_has_maintainer_and_status # ${bad_sections[*]}"
	rc=1
fi
echo "# $(echo "$files" | wc -l) tracked files, $nsec sections, ${#patterns[@]} patterns"
exit $rc
