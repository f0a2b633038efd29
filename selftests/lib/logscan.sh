# SPDX-License-Identifier: GPL-2.0
# scan_log CASE FILE [panic-ok]: one PASS/FAIL line for a guest console log.
# Fails on any oops, BUG, WARN, lockdep, KASAN, UBSAN, RCU stall, hung task,
# soft lockup or kmemleak leak report (the debug kernel's banners, such as
# "RCU lockdep checking is enabled", are not reports).  With panic-ok a
# panic (and the backtrace it prints) is expected and only the other
# reports count.
scan_log() {
	_case=$1 _file=$2 _panic_ok=${3:-}
	_pat='Oops|BUG:|WARNING:|kernel BUG|general protection fault|KASAN|UBSAN|'
	_pat+='possible recursive locking|possible circular locking|inconsistent lock state|'
	_pat+='lockdep|DEBUG_LOCKS_WARN|rcu: INFO|self-detected stall|soft lockup|hard LOCKUP|'
	_pat+='blocked for more than|suspected memory leak|unreferenced object|Unable to handle kernel|stack-protector|'
	_pat+='list_add corruption|list_del corruption|refcount_t:|double free'
	[ -z "$_panic_ok" ] && _pat+='|Kernel panic|Call Trace:'
	if [ ! -s "$_file" ]; then
		echo "FAIL $_case # empty console log $_file"
		return
	fi
	_hits=$(grep -aE "$_pat" "$_file" | grep -av -e 'sysrq' -e 'RCU lockdep checking is enabled' | head -n 5)
	if [ -n "$_hits" ]; then
		echo "FAIL $_case # $(echo "$_hits" | head -n 1 | tr -d '\r' | cut -c1-160)"
		echo "$_hits" | sed 's/^/# log: /'
	else
		echo "PASS $_case"
	fi
}
