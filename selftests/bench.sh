#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot every suite whose description says kind=bench
# (selftests/*/settings) and print its table (the suite's host-report.sh):
# today hv_vmbus_bench (echo throughput and signalling on one channel) and
# hv_storvsc_bench (fio on storvsc and on virtio-blk in one guest, their
# ratios).  SUITES="hv_storvsc_bench" runs a subset.  Not part of make
# check, and never a timed test: the numbers are TCG numbers, only their
# ratios mean something.
#
# Exit status non-zero when a boot or any run failed (wrong packet count,
# data mismatch, a missing row, a WARN/oops on the console).  Not meeting
# a target is reported, not a failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/selftests/lib/settings.sh"
# fio for the storage boot (make bench does not go through make deps).
"$top/scripts/deps.sh" || { echo "bench: scripts/deps.sh failed"; exit 1; }
bad=$(suites_unknown)
[ -z "$bad" ] || { echo "bench: SUITES names no suite: $bad" >&2; exit 2; }

bad=0
need_bench_initrd=1
while read -r suite smp name; do
	if [ "$(setting "$suite" initramfs)" = bench ] && [ $need_bench_initrd = 1 ]; then
		selftests/mkinitramfs.sh --bench >/dev/null ||
			{ echo "bench: the bench initramfs failed"; exit 1; }
		need_bench_initrd=0
	fi
	echo "bench: $suite (-smp $smp)"
	selftests/boot.sh "$suite" "$smp" "$name" </dev/null 2>/dev/null
	d=$top/build/vm/$name
	# A failed run, a bad exit status or an unclean console fails the bench.
	if grep -q '^FAIL ' "$d/results"; then
		echo "bench: $name: failed (build/vm/$name/results):"
		grep '^FAIL ' "$d/results" | sed 's/^/  /'
		bad=1
	fi
	if [ -x "selftests/$suite/host-report.sh" ]; then
		"selftests/$suite/host-report.sh" "$d" || bad=1
	fi
	echo
done < <(suite_boots bench normal sim)
[ $bad = 0 ]
