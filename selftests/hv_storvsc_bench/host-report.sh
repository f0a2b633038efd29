#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, storage suite: fio IOPS (4 KiB random, QD1 and QD32) and
# MB/s (1 MiB sequential, QD8) on storvsc and on virtio-blk, their ratio,
# and storvsc's host signals and interrupts per I/O, from the boot's KTAP
# diagnostics.  Targets (issue 4): QD32 random-read ratio >= 0.8, <= 0.1
# signals per I/O at QD32.  Exit status 1 when a run is missing.
#   host-report.sh VMDIR
sd=$1
bad=0
grep -a '# storvsc: ' "$sd/ktap.log" 2>/dev/null | tr -d '\r' | sed 's/^ *# /# /'
rows=$(grep -a '# bench test=' "$sd/ktap.log" 2>/dev/null | tr -d '\r' | sed 's/^ *# bench //')
n=$(echo "$rows" | grep -c 'test=')
[ "$n" = 12 ] || { echo "bench: $n of 12 storage runs reported ($sd/ktap.log)"; bad=1; }
echo "$rows" | awk '
	/test=/ {
		delete v
		for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] }
		t = v["test"]; d = v["dev"]
		if (!(t in seen)) { seen[t] = 1; order[++nt] = t }
		iops[t, d] = v["iops"]; kbps[t, d] = v["kbps"]; ios[t, d] = v["ios"]
		sig[t, d] = v["signals"]; irq[t, d] = v["irqs"]; hirq[t, d] = v["host_irqs"]
	}
	function per(n, t, d) { return ios[t, d] > 0 ? n / ios[t, d] : 0 }
	END {
		printf "%-17s %14s %14s %6s %7s %15s %8s  %s\n", "test", "storvsc", "virtio-blk",
		       "ratio", "sig/io", "irq/io (host)", "virtio", "targets"
		for (k = 1; k <= nt; k++) {
			t = order[k]
			big = t ~ /_1m_/
			u = big ? "MB/s" : "IOPS"
			x = big ? kbps[t, "storvsc"] / 1024 : iops[t, "storvsc"]
			y = big ? kbps[t, "virtio"] / 1024 : iops[t, "virtio"]
			r = y > 0 ? x / y : 0
			s = per(sig[t, "storvsc"], t, "storvsc")
			tgt = "-"
			if (t ~ /qd32/)
				tgt = sprintf("sig/io <= 0.1 %s", s <= 0.1 ? "met" : "NOT met")
			if (t == "randread_4k_qd32")
				tgt = sprintf("ratio >= 0.8 %s; %s", r >= 0.8 ? "met" : "NOT met", tgt)
			printf "%-17s %9.0f %s %9.0f %s %6.2f %7.3f %6.3f (%6.3f) %8.3f  %s\n", t,
			       x, u, y, u, r, s, per(irq[t, "storvsc"], t, "storvsc"),
			       per(hirq[t, "storvsc"], t, "storvsc"), per(irq[t, "virtio"], t, "virtio"),
			       tgt
		}
	}' || { echo "bench: the storage table failed"; bad=1; }
echo "# ratio = storvsc / virtio-blk (IOPS, or MB/s of 2^20 bytes for 1 MiB); sig/io = guest->host"
echo "# signals per storvsc I/O (host count); irq/io = guest interrupts per I/O, storvsc (host-raised"
echo "# in brackets) and virtio-blk; fio libaio direct=1, same guest and jobs, runs alternated per test"
[ $bad = 0 ]
