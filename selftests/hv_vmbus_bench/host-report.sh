#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, echo suite: the table of echo throughput and signalling on
# one channel from the boot's KTAP diagnostics.  Exit status 1 when a run
# is missing.
#   host-report.sh VMDIR
#
# Columns: ring = KiB of each of the channel's two rings (sized so that a
# queue of 64 packets fits); pkts/s = round trips per second; MB/s = echoed
# data bytes per second in ONE direction (the rings carry that much each
# way); sig/1k = guest->host signals (host signals_in) per 1000 round
# trips; irq/1k = the channel's guest interrupts per 1000 round trips
# (host-injected interrupts_out in brackets: every interrupt the host
# raises for the channel is one the guest takes, a row where they differ
# is marked).  Target (issue 3, QD64 only): at most 50 signals and 50
# interrupts per 1000 packets.
d=$1
bad=0
rows=$(grep -a '# bench ring_kb=' "$d/ktap.log" 2>/dev/null | tr -d '\r' | sed 's/^ *# bench //')
n=$(echo "$rows" | grep -c 'size=')
[ "$n" = 6 ] || { echo "bench: $n of 6 runs reported ($d/ktap.log)"; bad=1; }

echo "$rows" | awk '
	function f(k) { return v[k] }
	BEGIN {
		printf "%6s %4s %5s %9s %10s %8s %8s %14s  %s\n", "size", "qd", "ring", "packets",
		       "pkts/s", "MB/s", "sig/1k", "irq/1k (host)", "target <=50/<=50"
	}
	/size=/ {
		delete v
		for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
		p = f("pkts"); ns = f("ns")
		if (p == 0 || ns == 0) { printf "%6s %4s  no data\n", f("size"), f("qd"); next }
		sig = f("signals") * 1000 / p
		irq = f("interrupts") * 1000 / p
		hirq = f("host_interrupts") * 1000 / p
		t = "-"
		if (f("qd") == 64) t = (sig <= 50 && irq <= 50) ? "met" : "NOT met"
		if (f("interrupts") + 0 != f("host_interrupts") + 0) t = t " (guest/host interrupts differ)"
		printf "%6d %4d %4dK %9d %10.0f %8.2f %8.1f %6.1f (%5.1f)  %s\n", f("size"), f("qd"),
		       f("ring_kb"), p,
		       p * 1e9 / ns, f("bytes") * 1000 / ns, sig, irq, hirq, t
	}'
echo "# MB/s counts the echoed data once (one direction); sig/irq per 1000 round trips"
[ $bad = 0 ]
