# SPDX-License-Identifier: GPL-2.0
# Helpers for guest test scripts (busybox sh).  A test script reports one
# line per test case; runner.sh numbers them into a KTAP subtest:
#   PASS <case>
#   FAIL <case> # <reason>
#   SKIP <case> # <reason>     (never counted as passed)
#   # <diagnostic text>

pass() { echo "PASS $1"; }
fail() { _n=$1; shift; echo "FAIL $_n # $*"; }
skip() { _n=$1; shift; echo "SKIP $_n # $*"; }
diag() { echo "# $*"; }

# expect CASE ACTUAL EXPECTED: string equality.
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

# expect_range CASE VALUE MIN MAX: integer MIN <= VALUE <= MAX.
expect_range() {
	case "$2" in
	''|*[!0-9-]*) fail "$1" "not a number: '$2'"; return ;;
	esac
	if [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
		pass "$1"
	else
		fail "$1" "$2 not in [$3, $4]"
	fi
}

# field KEY: read "k=v k=v" lines on stdin, print the value of KEY per line.
field() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print substr($i, length(k) + 2) } }'; }

# line_with KEY VALUE: the stdin lines whose KEY field equals VALUE.
line_with() { awk -v k="$1=$2" '{ for (i = 1; i <= NF; i++) if ($i == k) { print; next } }'; }

# hex2dec 0xNN -> decimal
hex2dec() { printf '%d' "$1"; }

# wait_until CMD VALUE [TENTHS]: up to TENTHS/10 s (default 100) for the
# output of CMD to become VALUE.
wait_until() {
	_i=0
	while [ "$(eval "$1")" != "$2" ] && [ $_i -lt "${3:-100}" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# wait_while COND [TENTHS]: up to TENTHS/10 s (default 100) while the
# shell condition COND (eval'ed) holds, e.g. wait_while "kill -0 $job".
# Status 0 when COND stopped holding.
wait_while() {
	_i=0
	while eval "$1" && [ $_i -lt "${2:-100}" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	! eval "$1"
}

# hstat KEY: one of the host's global counters (hvhost ctl stats).
hstat() { host stats | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# online CPUs as a space-separated list.
online_cpus() {
	for c in /sys/devices/system/cpu/cpu[0-9]*; do
		n=${c##*/cpu}
		if [ ! -f "$c/online" ] || [ "$(cat "$c/online")" = 1 ]; then echo "$n"; fi
	done | sort -n | tr '\n' ' '
}

# hostctl wrapper that fails loudly.
host() { /bin/hostctl "$@"; }

DBG=/sys/kernel/debug
MODDIR=/lib/modules/hvstack
