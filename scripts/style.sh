#!/bin/bash
# make style: checkpatch.pl (from Debian's linux-source-6.1) on every C
# source and header of ours, kernel and user space alike.  Zero errors and
# zero warnings.  checkpatch is unpacked once into build/checkpatch.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cp_dir=$top/build/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || { echo "style: linux-source-6.1 is not installed (scripts/deps.sh)" >&2; exit 1; }
	mkdir -p "$cp_dir"
	tar -xf "$tarball" -C "$cp_dir" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

cd "$top"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' |
		     grep -v '^build/' | grep -v '\.mod\.c$' | sort)
[ ${#files[@]} -gt 0 ] || exit 0

# User-space programs may use typedef-free C11 and printf: the kernel-only
# checks that make no sense there are ignored for tools/ and selftests/tools.
common=(--no-tree --terse --show-types --max-line-length=100
	--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,LINUX_VERSION_CODE
	)
dict=$(ls /usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt 2>/dev/null || true)
[ -n "$dict" ] && common+=(--codespell --codespellfile "$dict")
kern=() user=()
for f in "${files[@]}"; do
	case "$f" in
	tools/*|selftests/tools/*) user+=("$f") ;;
	*) kern+=("$f") ;;
	esac
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
if [ ${#kern[@]} -gt 0 ]; then
	"$cp_dir/scripts/checkpatch.pl" "${common[@]}" -f "${kern[@]}" >"$out" 2>&1 || status=1
	cat "$out"
fi
if [ ${#user[@]} -gt 0 ]; then
	"$cp_dir/scripts/checkpatch.pl" "${common[@]}" \
		--ignore NEW_TYPEDEFS,PREFER_KERNEL_TYPES,PREFER_PR_LEVEL,EMBEDDED_FUNCTION_NAME,SPLIT_STRING,AVOID_EXTERNS,VOLATILE,PREFER_DEFINED_ATTRIBUTE_MACRO,LONG_LINE_STRING,STRLCPY,SSCANF_TO_KSTRTO,PREFER_PACKED,PREFER_ALIGNED,PREFER_FALLTHROUGH,UNNECESSARY_PARENTHESES,ASSIGN_IN_IF \
		-f "${user[@]}" >"$out" 2>&1 || status=1
	cat "$out"
fi
if [ $status -ne 0 ]; then
	echo "style: checkpatch found problems (above)" >&2
	exit 1
fi
echo "style: ${#files[@]} files clean"
