#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A host that breaks the protocol, and the host messages besides
# ENUMERATE_BUS.  hvhost mangles the next SRB completion (scsi-fault
# corrupt): cut short, not COMPLETE_IO, claiming 4 GiB transferred, or a
# CHECK CONDITION with 255 bytes of junk sense.  Each one is counted in
# bad_packets (the first two also end their command with an error, which
# the midlayer retries; the last two are used clamped), and the read
# still returns the right data.  An unknown host message is counted and
# dropped; REMOVE_DEVICE makes the driver rescan, and a LUN the host took
# away without saying so goes.  No kernel warnings throughout.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | head -1)
r=$(srelid "$h")
need_disk "$h" 3
dd if=/dev/urandom of=/tmp/ho.data bs=4096 count=1 2>/dev/null
dd if=/tmp/ho.data of="/dev/$d" bs=4096 seek=512 oflag=direct 2>/dev/null
expect setup_write "$?" 0
want=$(sha256sum </tmp/ho.data | cut -d' ' -f1)
w0=$(dmesg | grep -cE 'WARNING|BUG|Oops')

# mangled KIND: one direct 4 KiB read with the next completion mangled.
mangled() {
	b0=$(sstat "$h" bad_packets)
	c0=$(hscsi "$r" corrupted)
	expect "${1}_armed" "$(host scsi-fault "$r" corrupt "$1" 1)" ok
	s=$(dd if="/dev/$d" bs=4096 skip=512 count=1 iflag=direct 2>/dev/null | sha256sum)
	expect "${1}_read_correct" "${s%% *}" "$want"
	expect "${1}_host_mangled_one" "$(($(hscsi "$r" corrupted) - c0))" 1
	expect "${1}_counted_bad" "$(($(sstat "$h" bad_packets) - b0))" 1
}
mangled short
mangled op
mangled xfer
mangled sense
expect fault_cleared "$(host scsi-fault "$r" clear)" ok

# An unknown host message: counted, nothing else happens.
b0=$(sstat "$h" bad_packets)
rs0=$(sstat "$h" rescans)
expect unknown_message_sent "$(host scsi-notify "$r" 77)" ok
wait_until "echo \$((\$(sstat $h bad_packets) - $b0))" 1 50
expect unknown_message_counted "$(($(sstat "$h" bad_packets) - b0))" 1
expect unknown_message_no_rescan "$(($(sstat "$h" rescans) - rs0))" 0

# REMOVE_DEVICE: a LUN removed quietly stays until the host says so.
dir=$(dirname "$(hpath "$r" 0)")
expect lun_add "$(host scsi-lun-add "$r" 7 "$dir/rm7.img:1M")" ok
wait_disk "$h" 7 1 300
expect lun_appears "$([ -n "$(disk "$h" 7)" ] && echo yes)" yes
lr0=$(sstat "$h" luns_removed)
expect quiet_remove "$(host scsi-lun-remove "$r" 7 quiet)" ok
sleep 1
expect lun_stays_unannounced "$([ -d "/sys/bus/scsi/devices/$h:0:0:7" ] && echo yes)" yes
expect remove_device_sent "$(host scsi-notify "$r" remove)" ok
wait_disk "$h" 7 0 300
expect lun_gone "$([ -d "/sys/bus/scsi/devices/$h:0:0:7" ] || echo yes)" yes
expect luns_removed "$(($(sstat "$h" luns_removed) - lr0))" 1
expect other_luns_stay "$(ls /sys/bus/scsi/devices | grep -c "^$h:0:0:")" 4
s=$(dd if="/dev/$d" bs=4096 skip=512 count=1 iflag=direct 2>/dev/null | sha256sum)
expect data_still_there "${s%% *}" "$want"
expect no_kernel_warnings "$(($(dmesg | grep -cE 'WARNING|BUG|Oops') - w0))" 0
rm -f /tmp/ho.*
