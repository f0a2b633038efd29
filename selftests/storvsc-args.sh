#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hvhost options of the hv_storvsc suite: two SCSI controllers with
# four LUNs each, backing files (sparse) in DIR, which selftests/vm.sh
# empties before each boot when DIR is the boot's own build/vm/NAME.
#   selftests/storvsc-args.sh DIR
# Controller 0: LUN 0 320 MiB (04-dd writes 256 MiB), LUN 1 64 MiB (03-fs),
# LUNs 2, 3 16 MiB; controller 1: four LUNs of 16 MiB.
d=$1
echo "--scsi $d/c0l0.img:320M,$d/c0l1.img:64M,$d/c0l2.img:16M,$d/c0l3.img:16M" \
     "--scsi $d/c1l0.img:16M,$d/c1l1.img:16M,$d/c1l2.img:16M,$d/c1l3.img:16M"
