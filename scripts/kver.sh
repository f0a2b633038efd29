#!/bin/sh
# Print the kernel release to build and test against: the newest
# /lib/modules/*-amd64/build that has a matching /boot/vmlinuz-<release>.
# Never `uname -r`: that is the build machine's own kernel.
set -eu
best=""
for d in /lib/modules/*-amd64/build; do
	[ -d "$d" ] || continue
	rel=${d#/lib/modules/}
	rel=${rel%/build}
	[ -f "/boot/vmlinuz-$rel" ] || continue
	best="$best$rel
"
done
best=$(printf '%s' "$best" | sort -V | tail -n 1)
if [ -z "$best" ]; then
	echo "kver: no /lib/modules/*-amd64/build with a matching /boot/vmlinuz (run scripts/deps.sh)" >&2
	exit 1
fi
echo "$best"
