#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) the test QEMU: Debian's own qemu source package, with the
# patch series in tools/qemu-hv/patches applied (in the order of its
# `series` file), configured for x86_64-softmmu with TCG and TCG plugins
# and nothing else that the tests do not use.
#
# The source comes from Debian's archive through a deb-src entry derived
# from this machine's own apt sources: every deb822 stanza of
# /etc/apt/sources.list.d/*.sources with "Types: deb" and every one-line
# "deb" entry of /etc/apt/sources.list becomes the same entry with deb-src,
# in a private apt configuration under the cache.  The system's apt
# configuration is not touched and no archive address is written here.
#
# Cached in $HVSTACK_CACHE (default /var/cache/hvstack):
#   apt-src/                  the private apt configuration and lists
#   qemu-hv/src/              the downloaded source package
#   qemu-hv/build/            the configured and built tree
#   qemu-hv/qemu-system-x86_64  the binary the tests run
#   qemu-hv/.hvstack-ok       written last: holds the key of the inputs
# The key is the hash of this script's code (the configuration is in it;
# comments do not count), of the patches and series, and of the source
# version chosen.
# Same inputs: nothing is done.  A changed input: rebuilt from a fresh
# tree.  Prints the binary's path on stdout.
#   scripts/qemu-hv.sh [--print-key]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HVSTACK_CACHE:-/var/cache/hvstack}
out=$cache/qemu-hv
apt_dir=$cache/apt-src
patches=$top/tools/qemu-hv/patches
jobs=${HVSTACK_JOBS:-$(nproc)}

log() { echo "qemu-hv: $*" >&2; }
die() { log "$*"; exit 1; }

"$top/scripts/deps.sh" seabios qemu-system-data dpkg-dev meson ninja-build pkg-config libglib2.0-dev \
	libpixman-1-dev libfdt-dev zlib1g-dev flex bison >&2

# The deb-src twin of every deb entry of the machine's own sources.
derive_sources() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ {
			n = split($0, l, "\n"); s = ""
			for (i = 1; i <= n; i++) {
				if (l[i] ~ /^#/) continue
				if (l[i] ~ /^Types:/) l[i] = "Types: deb-src"
				s = s l[i] "\n"
			}
			printf "%s\n", s
		     }' "$f"
	done
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^[[:space:]]*deb[[:space:]]\+/deb-src /p' /etc/apt/sources.list
	fi
}

APT_OPTS=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list"
	  -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
	  -o "Dir::State::Lists=$apt_dir/lists"
	  -o "Dir::Cache::archives=$apt_dir/archives"
	  -o "APT::Sandbox::User=root")

apt_setup() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/sources.list.d" "$apt_dir/archives/partial"
	derive_sources >"$apt_dir/new.sources"
	[ -s "$apt_dir/new.sources" ] || die "no deb entry in the machine's apt sources to derive deb-src from"
	# deb822 and one-line entries go to files of the matching kind.
	grep -v '^deb-src ' "$apt_dir/new.sources" >"$apt_dir/sources.list.d/hvstack-src.sources" || true
	grep '^deb-src ' "$apt_dir/new.sources" >"$apt_dir/sources.list" || true
	rm -f "$apt_dir/new.sources"
	# Refresh the private lists at most once a day.
	if [ -z "$(find "$apt_dir/lists" -maxdepth 1 -name '*Sources*' -mtime -1 2>/dev/null)" ]; then
		log "refreshing the private deb-src package lists"
		apt-get "${APT_OPTS[@]}" -qq update >&2 || die "apt-get update of the deb-src lists failed"
	fi
}

# The newest qemu source version the derived entries offer.
src_version() {
	apt-cache "${APT_OPTS[@]}" showsrc qemu 2>/dev/null |
		awk '/^Package: qemu$/ { p = 1 } p && /^Version:/ { print $2; p = 0 }' |
		sort -V | tail -n 1
}

# The patch file names of the series, in order (none: nothing printed).
series_list() {
	[ -f "$patches/series" ] || return 0
	grep -v '^[[:space:]]*\(#\|$\)' "$patches/series" || true
}

input_hash() {
	{
		grep -v "^[[:space:]]*#" "$0"
		echo "$1"
		if [ -f "$patches/series" ]; then
			cat "$patches/series"
			series_list | while read -r p; do
				cat "$patches/$p"
			done
		fi
	} | sha256sum | cut -d' ' -f1
}

apt_setup
ver=$(src_version)
[ -n "$ver" ] || die "the derived deb-src entries offer no qemu source package"
key=$(input_hash "$ver")
if [ "${1:-}" = --print-key ]; then
	echo "$key"
	exit 0
fi
if [ -f "$out/.hvstack-ok" ] && [ "$(cat "$out/.hvstack-ok")" = "$key" ] &&
   [ -x "$out/qemu-system-x86_64" ]; then
	echo "$out/qemu-system-x86_64"
	exit 0
fi

start=$(date +%s)
rm -rf "$out"
mkdir -p "$out/dl"
log "downloading the qemu $ver source package"
(cd "$out/dl" && apt-get "${APT_OPTS[@]}" -qq source --download-only "qemu=$ver" >&2) ||
	die "apt-get source qemu=$ver failed"
dsc=$(ls "$out"/dl/*.dsc | head -n 1)
log "unpacking $(basename "$dsc")"
dpkg-source --no-check -x "$dsc" "$out/src" >/dev/null || die "dpkg-source -x $dsc failed"
rm -rf "$out/dl"

for p in $(series_list); do
	log "applying $p"
	patch -d "$out/src" -p1 --batch --forward -s <"$patches/$p" ||
		die "$p does not apply to qemu $ver"
done

# Firmware (SeaBIOS, the option ROMs) from Debian's packages, searched where
# Debian's own build searches: the package's debian/rules says where.
fwpath=$(sed -n 's/^FIRMWAREPATH[[:space:]]*=[[:space:]]*//p' "$out/src/debian/rules")
[ -n "$fwpath" ] || die "no FIRMWAREPATH in the source package's debian/rules"

mkdir -p "$out/build"
log "configuring (x86_64-softmmu, TCG, plugins)"
(cd "$out/build" && "$out/src/configure" --target-list=x86_64-softmmu \
	--without-default-features --enable-tcg --enable-plugins --enable-fdt=system \
	--disable-docs --disable-debug-info --disable-werror --firmwarepath="$fwpath" \
	>configure.log 2>&1) || die "configure failed: see $out/build/configure.log"
log "building with $jobs jobs"
ninja -C "$out/build" -j "$jobs" qemu-system-x86_64 >"$out/build/ninja.log" 2>&1 ||
	die "the build failed: see $out/build/ninja.log"
cp "$out/build/qemu-system-x86_64" "$out/qemu-system-x86_64"
log "built qemu $ver in $(( $(date +%s) - start )) s"
echo "$key" >"$out/.hvstack-ok"
echo "$out/qemu-system-x86_64"
