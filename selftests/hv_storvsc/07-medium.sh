#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A medium error injected on blocks 1000..1007 of a LUN: 512-byte direct
# reads and writes of blocks 992..1015 fail on exactly those eight blocks
# and succeed everywhere else; after the fault is cleared every block
# works again and the data around the range is intact.
# The errno is the kernel's choice: a write error (sense 03/0C) is EIO; an
# unrecovered read error (03/11) is a "critical medium" error, which
# Linux 6.1 returns to user space as ENODATA (block/blk-core.c blk_errors),
# not EIO.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

h=$(ctrls | head -1)
r=$(srelid "$h")
need_disk "$h" 2
dd if=/dev/urandom of=/tmp/me.data bs=512 count=24 2>/dev/null
dd if=/tmp/me.data of="/dev/$d" bs=512 seek=992 oflag=direct 2>/dev/null
expect setup_write "$?" 0
e0=$(hscsi "$r" errors)
expect fault_armed "$(host scsi-fault "$r" medium 2 1000 8)" ok

# probe r|w MESSAGE: the blocks of 992..1015 whose 512-byte access failed
# into me.fail, and for each whether dd said MESSAGE (1 or 0) into me.msg.
probe() {
	: >/tmp/me.fail
	: >/tmp/me.msg
	b=992
	while [ $b -lt 1016 ]; do
		if [ "$1" = r ]; then
			dd if="/dev/$d" of=/dev/null bs=512 skip=$b count=1 iflag=direct 2>/tmp/me.err
		else
			dd if=/tmp/me.data of="/dev/$d" bs=512 skip=$((b - 992)) seek=$b count=1 \
				oflag=direct 2>/tmp/me.err
		fi
		if [ $? -ne 0 ]; then
			echo $b >>/tmp/me.fail
			grep -c "$2" /tmp/me.err >>/tmp/me.msg
		fi
		b=$((b + 1))
	done
}
want="1000 1001 1002 1003 1004 1005 1006 1007"
probe r "No data available"
expect read_fails_exactly_there "$(tr '\n' ' ' </tmp/me.fail | sed 's/ $//')" "$want"
expect read_errors_are_enodata "$(grep -c 1 /tmp/me.msg)" 8
probe w "Input/output error"
expect write_fails_exactly_there "$(tr '\n' ' ' </tmp/me.fail | sed 's/ $//')" "$want"
expect write_errors_are_eio "$(grep -c 1 /tmp/me.msg)" 8
# The midlayer retries a write error (sense 03/0C) and not a read error
# (03/11): at least one host error per failed access.
expect_range host_counted_errors "$(($(hscsi "$r" errors) - e0))" 16 100
# What the driver hands the midlayer, seen through SG_IO (the kernel log
# shows it only rate-limited): READ(10) of one block at 1000 gets CHECK
# CONDITION with the host's sense 03/11/00, one at 999 is good; past the
# end of the 16 MiB LUN is 05/21/00 and an opcode the host lacks (READ
# BUFFER) is 05/20/00.
sg() {
	scsicmd "/dev/$d" "$1" 512 | cut -d' ' -f1-3
}
expect sg_medium_sense "$(sg 2800000003e800000100)" "status=0x02 host=0x00 sense=03/11/00"
expect sg_good_block "$(sg 2800000003e700000100)" "status=0x00 host=0x00 sense=none"
expect sg_past_end_sense "$(sg 280000009c4000000100)" "status=0x02 host=0x00 sense=05/21/00"
expect sg_bad_opcode_sense "$(sg 3c000000000000000000)" "status=0x02 host=0x00 sense=05/20/00"
# A larger read that covers the range fails, one that ends just before it does not.
dd if="/dev/$d" of=/dev/null bs=4096 skip=124 count=2 iflag=direct 2>/dev/null
expect_range large_read_over_range_fails "$?" 1 255
dd if="/dev/$d" of=/dev/null bs=512 skip=936 count=64 iflag=direct 2>/dev/null
expect large_read_before_range_ok "$?" 0
expect fault_cleared "$(host scsi-fault "$r" clear)" ok
probe r ""
expect reads_ok_after_clear "$(wc -l </tmp/me.fail)" 0
probe w ""
expect writes_ok_after_clear "$(wc -l </tmp/me.fail)" 0
s=$(dd if="/dev/$d" bs=512 skip=992 count=24 iflag=direct 2>/dev/null | sha256sum)
expect data_intact "${s%% *}" "$(sha256sum </tmp/me.data | cut -d' ' -f1)"
expect device_still_running "$(cat /sys/block/$d/device/state)" running
rm -f /tmp/me.*
