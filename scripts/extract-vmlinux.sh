#!/bin/bash
# Extract the uncompressed vmlinux ELF from a bzImage so QEMU can boot it
# through its PVH entry point, which skips ~4 s of XZ decompression under
# TCG.  Prints nothing on success; exits non-zero if no ELF came out.
#   scripts/extract-vmlinux.sh BZIMAGE OUT
set -euo pipefail
in=$1
out=$2
tmp=$out.tmp
# Debian compresses the payload with XZ; try every XZ stream start.
offsets=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"\xfd7zXZ\x00")
while i >= 0:
    print(i)
    i = d.find(b"\xfd7zXZ\x00", i + 1)
' "$in")
for off in $offsets; do
	if tail -c +$((off + 1)) "$in" | xz -dc --single-stream >"$tmp" 2>/dev/null ||
	   [ -s "$tmp" ]; then
		if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' ')" = "7f454c46" ]; then
			mv "$tmp" "$out"
			exit 0
		fi
	fi
done
rm -f "$tmp"
echo "extract-vmlinux: no XZ-compressed ELF found in $in" >&2
exit 1
