#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot one guest (-smp 2, one echo device) with the
# hv_vmbus_bench suite and print a table of echo throughput and
# signalling; then boot one with a storvsc disk and a virtio-blk disk
# (hv_storvsc_bench: fio on both, same jobs) and print storvsc/virtio
# ratios.  Not part of make check, and never a timed test: the numbers
# are TCG numbers, only their ratios mean something.
#
# Columns: ring = KiB of each of the channel's two rings (sized so that a
# queue of 64 packets fits); pkts/s = round trips per second; MB/s = echoed data bytes per
# second in ONE direction (the rings carry that much each way); sig/1k =
# guest->host signals (host signals_in) per 1000 round trips; irq/1k =
# the channel's guest interrupts per 1000 round trips (host-injected
# interrupts_out in brackets: every interrupt the host raises for the
# channel is one the guest takes, a row where they differ is marked).
# Target (issue 3, QD64 only): at most 50 signals and 50 interrupts per
# 1000 packets.
#
# Then the storage boot (hv_storvsc_bench): a table of fio IOPS (4 KiB
# random, QD1 and QD32) and MB/s (1 MiB sequential, QD8) on storvsc and on
# virtio-blk, their ratio, and storvsc's host signals and interrupts per
# I/O.  Targets (issue 4): QD32 random-read ratio >= 0.8, <= 0.1 signals
# per I/O at QD32.
#
# Exit status non-zero when a boot or any run failed (wrong packet
# count, data mismatch, a missing row, a WARN/oops on the console).  Not
# meeting the target is reported, not a failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/selftests/lib/logscan.sh"
d=$top/build/vm/bench
# fio for the storage boot (make bench does not go through make deps).
"$top/scripts/deps.sh" || { echo "bench: scripts/deps.sh failed"; exit 1; }

# boot_ok NAME STATUS: report a boot that failed (hvhost's exit status,
# failed KTAP lines, an unclean console); sets bad=1 then.
bad=0
boot_ok() {
	local b=$top/build/vm/$1 clean
	[ "$2" = 0 ] || { echo "bench: $1: hvhost exited $2 (build/vm/$1/hvhost.log)"; bad=1; }
	if grep -aq '^ *not ok ' "$b/ktap.log" 2>/dev/null; then
		echo "bench: $1: failed runs:"
		grep -a '^ *not ok ' "$b/ktap.log" | sed 's/^ */  /'
		bad=1
	fi
	clean=$(scan_log console_clean "$b/console.log")
	case "$clean" in
	PASS*) ;;
	*) echo "bench: $1: $clean"; bad=1 ;;
	esac
}

selftests/vm.sh bench hv_vmbus_bench 2 --vmbus-echo 1
boot_ok bench $?

rows=$(grep -a '# bench ring_kb=' "$d/ktap.log" 2>/dev/null | tr -d '\r' | sed 's/^ *# bench //')
n=$(echo "$rows" | grep -c 'size=')
[ "$n" = 6 ] || { echo "bench: $n of 6 runs reported (build/vm/bench/ktap.log)"; bad=1; }

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

# ---- storage: storvsc vs virtio-blk, one guest, equal files ----
# Both files written in full beforehand (neither has a sparse-file
# advantage, both start in the host's page cache); storvsp and QEMU
# (aio=threads, cache=writeback) both do buffered preadv/pwritev on them
# from a thread pool.  The guest needs fio: the bench initramfs
# (mkinitramfs.sh --bench) and 1 GiB of RAM for it.
echo
sd=$top/build/vm/bench_storvsc
bf=$top/build/bench
mb=256
mkdir -p "$bf"
for f in storvsc virtio; do
	dd if=/dev/zero of="$bf/$f.img" bs=1M count=$mb status=none conv=fsync ||
		{ echo "bench: cannot write $bf/$f.img"; exit 1; }
done
selftests/mkinitramfs.sh --bench >/dev/null || { echo "bench: the bench initramfs failed"; exit 1; }
HVSTACK_INITRD=$top/build/initramfs-bench.cpio selftests/vm.sh bench_storvsc hv_storvsc_bench 2 \
	--mem 1024 --scsi "$bf/storvsc.img:${mb}M" --virtio-blk "$bf/virtio.img:${mb}M"
boot_ok bench_storvsc $?
grep -a '# storvsc: ' "$sd/ktap.log" 2>/dev/null | tr -d '\r' | sed 's/^ *# /# /'
rows=$(grep -a '# bench test=' "$sd/ktap.log" 2>/dev/null | tr -d '\r' | sed 's/^ *# bench //')
n=$(echo "$rows" | grep -c 'test=')
[ "$n" = 12 ] || { echo "bench: $n of 12 storage runs reported (build/vm/bench_storvsc/ktap.log)"; bad=1; }
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
