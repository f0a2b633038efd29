# SPDX-License-Identifier: GPL-2.0
# Helpers of the hv_vmbus_hostile suite (hvhost's `vmbus-hostile`).  Source
# after ktap.sh and echo.sh.

# devices: the VMBus devices the guest has, one line.
devices() { ls "$D" 2>/dev/null | sort | tr '\n' ' '; }

# vstat KEY: one of hv_vmbus's debugfs counters.
vstat() { awk -F= -v k="$1" '$1 == k { print $2 }' "$DBG/hv_vmbus/stats"; }

# cstat KEY: one of hv_common's per-CPU counters, summed.
cstat() { field "$1" <"$DBG/hv_common/stats" | awk '{ s += $1 } END { print s + 0 }'; }

# hostile CASE WORDS...: `vmbus-hostile WORDS`, which must answer ok; the
# guest's log is cleared first, so dmesg then shows what it said about it.
hostile() {
	_c=$1
	shift
	dmesg -c >/dev/null
	expect "${_c}_sent" "$(host vmbus-hostile "$@" 2>&1)" ok
}

# logged CASE PATTERN: the guest logged PATTERN (grep -E) within 3 s.
logged() {
	wait_until "dmesg | grep -qE '$2' && echo yes" yes 30
	if dmesg | grep -qE "$2"; then
		pass "$1"
	else
		fail "$1" "no '$2' in the log: $(dmesg | tail -n 3 | tr '\n' '|' | cut -c1-200)"
	fi
}

# counted CASE M0: hv_vmbus's malformed_messages went from M0 to M0 + 1.
counted() {
	wait_until "vstat malformed_messages" $(($2 + 1)) 30
	expect "$1" "$(($(vstat malformed_messages) - $2))" 1
}

# bounded SECS CMD...: run CMD (a vcmd) in the background; 0 when it ended
# with status 0 within SECS, 1 when it failed, 2 when it still runs (hang).
bounded() {
	_s=$1
	shift
	"$@" 2>/dev/null &
	_job=$!
	wait_while "kill -0 $_job 2>/dev/null" $((_s * 10))
	kill -0 $_job 2>/dev/null && return 2
	wait $_job
	[ $? -eq 0 ] && return 0
	return 1
}

# healthy CASE RELID: an echo on RELID succeeds (20 packets, data checked)
# within 10 s.
healthy() {
	bounded 10 vcmd "$2" echo 20 64 4
	case $? in
	0) expect "$1" "$(vres "$2" | field pkts) $(vres "$2" | field mismatches)" "20 0" ;;
	1) fail "$1" "echo on relid $2 failed: $(vres "$2")" ;;
	*) fail "$1" "echo on relid $2 still running after 10 s" ;;
	esac
}

# bus_ok CASE: the bus still works: an echo on the last relid, and the
# device list and channel count are what they were at the start ($DEVS, $CHANS).
bus_ok() {
	healthy "${1}_echo_ok" "$(relids | tail -n 1)"
	expect "${1}_devices_same" "$(devices)" "$DEVS"
	expect "${1}_channels_same" "$(vstat channels)" "$CHANS"
}
