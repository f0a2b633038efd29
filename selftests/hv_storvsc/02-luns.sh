#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two controllers with four LUNs each (hvhost --scsi twice): VSTOR 6.2,
# one subchannel per extra CPU, every LUN a disk of the host's size with
# its own serial, no LUN the host does not have; 1 MiB of different data
# written to each of the eight disks is read back from each, and the
# host's backing files hold exactly it.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

ncpu=$(grep -c ^processor /proc/cpuinfo)
want=$((ncpu - 1))
[ $want -gt 8 ] && want=8
expect controllers "$(ctrls | wc -w)" 2
i=0
for h in $(ctrls); do
	r=$(srelid "$h")
	expect "c${i}_version" "$(sstat "$h" version)" 6.2
	expect "c${i}_channels" "$(schans "$h" | wc -l)" $((want + 1))
	expect "c${i}_channel_cpus_distinct" "$(schans "$h" | awk '{ print $2 }' | sort -u | wc -l)" \
		$((want + 1))
	expect "c${i}_host_luns" "$(host scsi-luns "$r" | wc -l)" 4
	expect "c${i}_no_extra_devices" "$(ls /sys/bus/scsi/devices | grep -c "^$h:")" 4
	for l in 0 1 2 3; do
		d=$(disk "$h" "$l")
		if [ -z "$d" ] || [ ! -b "/dev/$d" ]; then
			fail "c${i}_lun${l}_disk" "no block device for $h:0:0:$l"
			continue
		fi
		pass "c${i}_lun${l}_disk"
		expect "c${i}_lun${l}_size" "$(blocks "$d")" \
			"$(host scsi-luns "$r" | line_with lun "$l" | field blocks)"
		expect "c${i}_lun${l}_vendor" "$(cat "/sys/block/$d/device/vendor" | tr -d ' ')" Msft
		cat "/sys/block/$d/device/vpd_pg80" 2>/dev/null | sha1sum >>/tmp/luns.serials
		dd if=/dev/urandom of="/tmp/luns.$i.$l" bs=1M count=1 2>/dev/null
		dd if="/tmp/luns.$i.$l" of="/dev/$d" bs=1M seek=1 oflag=direct 2>/dev/null ||
			fail "c${i}_lun${l}_write" "dd to /dev/$d failed"
	done
	i=$((i + 1))
done
expect serials_distinct "$(sort -u /tmp/luns.serials | wc -l) $(grep -vc da39a3ee /tmp/luns.serials)" "8 8"
# Read every disk back only after all were written: no disk got another's data.
i=0
for h in $(ctrls); do
	r=$(srelid "$h")
	for l in 0 1 2 3; do
		d=$(disk "$h" "$l")
		[ -n "$d" ] || continue
		want_sum=$(sha256sum <"/tmp/luns.$i.$l" | cut -d' ' -f1)
		got=$(dd if="/dev/$d" bs=1M skip=1 count=1 iflag=direct 2>/dev/null | sha256sum | cut -d' ' -f1)
		expect "c${i}_lun${l}_readback" "$got" "$want_sum"
		expect "c${i}_lun${l}_host_file" "$(hcrc "$r" "$l" 2048 2048)" "$(crc32 <"/tmp/luns.$i.$l")"
	done
	i=$((i + 1))
done
rm -f /tmp/luns.*
