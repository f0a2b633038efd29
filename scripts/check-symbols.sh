#!/bin/sh
# Fail if one of our modules exports a symbol the target kernel already
# exports (vmlinux or its own modules): our modules replace the distro's
# hv_* modules, and a clash would make one of the two refuse to load.
#   scripts/check-symbols.sh KERNEL_SYMVERS OUR_SYMVERS
set -eu
kern=$1
ours=$2
[ -f "$ours" ] || exit 0
# Module.symvers: CRC<TAB>symbol<TAB>module<TAB>export type<TAB>namespace
clash=$(awk -F'\t' 'NR == FNR { seen[$2] = $3; next }
		    ($2 in seen) && seen[$2] !~ /hv_(vmbus|storvsc|netvsc|utils|balloon)$/ {
			print $2 " (also exported by " seen[$2] ")" }' "$kern" "$ours")
if [ -n "$clash" ]; then
	echo "check-symbols: exported symbols that clash with the kernel's:" >&2
	echo "$clash" >&2
	exit 1
fi
