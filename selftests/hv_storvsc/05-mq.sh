#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Multi-queue: I/O from every CPU at once (taskset), on both controllers:
# every channel of each controller (primary and subchannels) carries
# commands (host SRB count per channel), takes interrupts (guest sysfs)
# and counts ios (debugfs); all data reads back intact.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

cpus=$(online_cpus)
i=0
for h in $(ctrls); do
	schans "$h" >/tmp/mq.chans.$i
	while read -r rel cpu; do
		echo "$rel $(chan_irqs "$rel") $(hsrbs "$(srelid "$h")" "$rel")"
	done </tmp/mq.chans.$i >/tmp/mq.before.$i
	i=$((i + 1))
done
dd if=/dev/urandom of=/tmp/mq.data bs=64k count=16 2>/dev/null
want=$(sha256sum </tmp/mq.data | cut -d' ' -f1)
# Per CPU and controller: write 1 MiB to its own slice of LUN 2 (c0) or
# LUN 2 (c1), read it back 8 times, all pinned to that CPU.
i=0
for h in $(ctrls); do
	d=$(disk "$h" 2)
	for c in $cpus; do
		taskset -c "$c" sh -c "
			dd if=/tmp/mq.data of=/dev/$d bs=64k seek=$((c * 16)) oflag=direct 2>/dev/null || exit 1
			for k in 1 2 3 4 5 6 7 8; do
				s=\$(dd if=/dev/$d bs=64k skip=$((c * 16)) count=16 iflag=direct 2>/dev/null | sha256sum)
				[ \"\${s%% *}\" = $want ] || exit 2
			done" &
		echo $! >>/tmp/mq.jobs
	done
	i=$((i + 1))
done
bad=0
for j in $(cat /tmp/mq.jobs); do
	wait "$j" || bad=$((bad + 1))
done
expect all_jobs_verified "$bad" 0
i=0
for h in $(ctrls); do
	r=$(srelid "$h")
	while read -r rel irq0 srb0; do
		cpu=$(awk -v r="$rel" '$1 == r { print $2 }' /tmp/mq.chans.$i)
		irq=$(chan_irqs "$rel")
		srb=$(hsrbs "$r" "$rel")
		ios=$(awk -v r="relid=$rel" '$1 == "chan" && $2 == r { sub("ios=", "", $5); print $5 }' \
			"$SDBG/$h/stats")
		diag "c$i relid $rel cpu $cpu: +$((irq - irq0)) interrupts, +$((srb - srb0)) SRBs, ios $ios"
		expect_range "c${i}_relid${rel}_interrupts_rose" $((irq - irq0)) 1 1000000000
		expect_range "c${i}_relid${rel}_host_srbs_rose" $((srb - srb0)) 1 1000000000
		expect_range "c${i}_relid${rel}_ios" "$ios" 1 1000000000
	done </tmp/mq.before.$i
	expect "c${i}_no_bad_packets" "$(sstat "$h" bad_packets)" 0
	i=$((i + 1))
done
rm -f /tmp/mq.*
