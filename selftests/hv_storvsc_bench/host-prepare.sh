#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Before the storage bench boot: both disks' files written in full
# (neither side has a sparse-file advantage, both start in the host's page
# cache); storvsp and QEMU (aio=threads, cache=writeback) both do buffered
# preadv/pwritev on them from a thread pool.  Sizes match settings' hvhost=.
#   host-prepare.sh VMDIR
set -euo pipefail
for f in storvsc virtio; do
	dd if=/dev/zero of="$1/$f.img" bs=1M count=256 status=none conv=fsync
done
