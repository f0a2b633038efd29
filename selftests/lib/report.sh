# SPDX-License-Identifier: GPL-2.0
# Host side: result blocks for make check and make check-debug.  Source
# from bash with $top, $res (the results folder, emptied by the caller),
# $t0 (start time) and $me (the name in progress lines) set.  Each block
# is a file $res/BLOCK.res of result lines (PASS/FAIL/SKIP <case> [# why],
# "# " diagnostics); report prints them as one KTAP document and the
# closing line "N passed, N failed".
blocks=()

say() { echo "$me: [$(($(date +%s) - t0))s] $*" >&2; }

# add BLOCK LINE...: append result lines to a block.
add() {
	local b=$1
	shift
	[ -f "$res/$b.res" ] || blocks+=("$b")
	printf '%s\n' "$@" >>"$res/$b.res"
}

# add_file BLOCK FILE: append a file of result lines to a block.
add_file() {
	[ -f "$res/$1.res" ] || blocks+=("$1")
	cat "$2" >>"$res/$1.res"
}

# run BLOCK CASE CMD...: one case, CMD's output in $res/BLOCK.CASE.log.
run() {
	local b=$1 c=$2
	shift 2
	say "$b.$c"
	if "$@" >"$res/$b.$c.log" 2>&1; then
		add "$b" "PASS $c"
		return 0
	fi
	add "$b" "FAIL $c # see ${res#"$top"/}/$b.$c.log: $(grep -aE 'error|warning|WARNING|ERROR|FAIL' "$res/$b.$c.log" | head -n 1 | cut -c1-120)"
	tail -n 30 "$res/$b.$c.log" | sed 's/^/# /' >>"$res/$b.res"
	return 1
}

# run_lines BLOCK CMD...: CMD prints result lines itself (PASS/FAIL ...);
# they go into the block, its stderr into $res/BLOCK.log.  A non-zero exit
# without a FAIL line is a failure too.
run_lines() {
	local b=$1 rc
	shift
	say "$b"
	"$@" >"$res/$b.lines" 2>"$res/$b.log"
	rc=$?
	add_file "$b" "$res/$b.lines"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$res/$b.lines"; then
		add "$b" "FAIL exit_status # $1 exited $rc (${res#"$top"/}/$b.log: $(tail -n 1 "$res/$b.log" | cut -c1-100))"
	fi
}

# boot_block KERNEL SUITE SMP NAME: boot one suite (selftests/boot.sh) and
# add its results as block guest_NAME.
boot_block() {
	say "guest_$4: the $2 suite, -smp $3, $1 kernel"
	"$top/selftests/boot.sh" --kernel "$1" "$2" "$3" "$4" </dev/null 2>"$res/guest_$4.log"
	add_file "guest_$4" "$top/build/vm/$4/results"
}

# report: the KTAP document and the closing line; exit status 0 only when
# something passed and nothing failed.
report() {
	local i=0 b passed failed skipped
	echo "KTAP version 1"
	echo "1..${#blocks[@]}"
	for b in "${blocks[@]}"; do
		i=$((i + 1))
		awk -v name="$b" -v idx="$i" -f "$top/selftests/lib/ktap-emit.awk" "$res/$b.res"
	done
	passed=$(cat "$res"/*.res | grep -c '^PASS ')
	failed=$(cat "$res"/*.res | grep -c '^FAIL ')
	skipped=$(cat "$res"/*.res | grep -c '^SKIP ')
	[ "$skipped" -gt 0 ] && echo "# $skipped skipped (not counted as passed)"
	echo "# $me took $(($(date +%s) - t0)) s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
