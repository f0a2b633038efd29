#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The SynIC is up on every CPU, as the guest reads its registers back and
# as the host's per-VP state shows.
. /selftests/lib/ktap.sh

cpus=$(online_cpus)
ncpu=$(echo $cpus | wc -w)
guest=$(cat $DBG/hv_common/synic)
hostvp=$(host vp-state)
diag "guest: $(echo "$guest" | tr '\n' ';')"
diag "host: $(echo "$hostvp" | tr '\n' ';')"
expect host_vp_count "$(echo "$hostvp" | grep -c '^vp=')" "$ncpu"

for c in $cpus; do
	g=$(echo "$guest" | line_with cpu "$c")
	vp=$(echo "$g" | field vp)
	h=$(echo "$hostvp" | line_with vp "$vp")
	ok=1 why=""
	sc=$(echo "$g" | field scontrol) simp=$(echo "$g" | field simp)
	siefp=$(echo "$g" | field siefp) sint5=$(echo "$g" | field sint5)
	[ -n "$sc" ] && [ $((sc & 1)) -eq 1 ] || { ok=0; why="$why scontrol=$sc"; }
	[ -n "$simp" ] && [ $((simp & 1)) -eq 1 ] || { ok=0; why="$why simp=$simp"; }
	[ -n "$siefp" ] && [ $((siefp & 1)) -eq 1 ] || { ok=0; why="$why siefp=$siefp"; }
	[ -n "$sint5" ] && [ $((sint5 & 0x10000)) -eq 0 ] && [ $((sint5 & 0xff)) -ge 16 ] ||
		{ ok=0; why="$why sint5=$sint5"; }
	[ $ok = 1 ] && pass "cpu${c}_guest_view" || fail "cpu${c}_guest_view" "$why"
	expect "cpu${c}_vp_index_is_cpu" "$vp" "$c"

	ok=1 why=""
	[ "$(echo "$h" | field scontrol)" = 0x1 ] || { ok=0; why="$why scontrol"; }
	[ "$(echo "$h" | field simp)" = "$simp" ] || { ok=0; why="$why simp $(echo "$h" | field simp) != $simp"; }
	[ "$(echo "$h" | field siefp)" = "$siefp" ] || { ok=0; why="$why siefp"; }
	[ "$(echo "$h" | field sint5)" = "$sint5" ] || { ok=0; why="$why sint5"; }
	[ $ok = 1 ] && pass "vp${vp}_host_view_matches" || fail "vp${vp}_host_view_matches" "$why ($h)"
done
