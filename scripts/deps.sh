#!/bin/sh
# Install, only when missing, every Debian package the build and the tests need.
# Idempotent: a second run installs nothing and does not touch the network.
#   scripts/deps.sh [EXTRA_PACKAGE...]   (extras: e.g. the debug kernel's build deps)
set -eu

PKGS="build-essential make gcc libc6-dev linux-image-amd64 linux-headers-amd64
linux-source-6.1 qemu-system-x86 busybox-static cpio sparse kmod xz-utils
python3 codespell binutils e2fsprogs fio $*"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing on a fresh machine: refresh them once.
if ! $SUDO apt-get install -y --no-install-recommends $missing; then
	$SUDO apt-get update
	$SUDO apt-get install -y --no-install-recommends $missing
fi
