# SPDX-License-Identifier: GPL-2.0
# Helpers for the suites that drive vmbus_echo_test (hv_vmbus_data,
# hv_vmbus_bench).  Source after ktap.sh.

VET=$DBG/vmbus_echo_test
D=/sys/bus/vmbus/devices

# vcmd RELID WORDS...: run one vmbus_echo_test command (the write returns
# when it has finished); the exit status is the write's, errors on stderr.
vcmd() { _r=$1; shift; echo "$*" >"$VET/$_r/cmd"; }

# vres RELID: the result line of the last command.
vres() { cat "$VET/$1/result"; }

# vrun RELID WORDS...: run a command, print its result line (empty when
# the write failed; the error is in the result then: use vres).
vrun() { vcmd "$@" && vres "$1"; }

# relids: every relid bound to vmbus_echo_test, ascending.
relids() { ls "$VET" 2>/dev/null | sort -n; }

# chan RELID: the guest sysfs directory of the primary channel RELID.
chan() {
	for _d in "$D"/*/channels/"$1"; do
		[ -d "$_d" ] && echo "$_d"
	done
}

# subs PRIMARY: relids of the subchannels of primary channel PRIMARY
# (guest sysfs), ascending.
subs() {
	for _c in "$(dirname "$(chan "$1")")"/*; do
		[ "$(cat "$_c/subchannel_id")" != 0 ] && basename "$_c"
	done | sort -n
}

# hchan RELID KEY: one field of the host's view of channel RELID.
hchan() { host vmbus-chan "$1" | field "$2"; }

# cpu_vp CPU: the VP index of a CPU, as hv_common reports it.
cpu_vp() { line_with cpu "$1" <"$DBG/hv_common/synic" | field vp; }

# rate PKTS NS: packets per second.
rate() { awk -v p="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%d", p * 1e9 / n; else print 0 }'; }
