#!/bin/bash
# make sparse: run sparse (C=2: every file, whether rebuilt or not) with
# endian checks over our kernel sources, on the test build (HVSTACK_TESTING=y,
# W=1 as make test-modules: the test-only code is checked too, and the
# objects stay those of the test build).  Zero warnings in our files.
# Warnings that sparse reports inside the kernel's own headers are not ours
# and are listed separately for information only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${KVER:-$("$top/scripts/kver.sh")}
kdir=${KDIR:-/lib/modules/$kver/build}
log=$top/build/sparse.log
mkdir -p "$top/build"
make -C "$kdir" M="$top" HVSTACK_PROBED="${HVSTACK_PROBED:-$top/build/compat/probed-$kver.h}" \
	HVSTACK_TESTING=y W=1 C=2 CF="-D__CHECK_ENDIAN__ -Wsparse-error=0" modules >"$log" 2>&1 || {
	cat "$log"
	echo "sparse: the build failed" >&2
	exit 1
}
ours=$(grep -E '^(/|\.\./|[a-z])[^:]*:[0-9]+:[0-9]+: (warning|error):' "$log" |
       grep -E "^($top/)?(hv|arch|drivers|selftests|include|compat)/" || true)
if [ -n "$ours" ]; then
	echo "$ours"
	echo "sparse: $(echo "$ours" | wc -l) warning(s) in our sources" >&2
	exit 1
fi
n=$(grep -c ' CHECK ' "$log" || true)
echo "sparse: $n files checked, no warnings in our sources"
