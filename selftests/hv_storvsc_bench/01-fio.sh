#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, storage: fio on the storvsc disk (hvhost's storvsp, LUN 0 of
# the first controller) and on a QEMU virtio-blk disk of the same size in
# the same guest, the same jobs for both (libaio, direct=1, fixed runtime),
# which device goes first alternating from test to test.  One line per run
# for selftests/bench.sh:
#   # bench test=T dev=storvsc|virtio iops=N kbps=N ios=N signals=N irqs=N host_irqs=N
# ios: I/Os fio completed; signals: guest->host signals the host counted
# (signals_in) on all of the storvsc controller's channels during the run;
# host_irqs: the interrupts the host raised on them (interrupts_out); irqs:
# the guest's interrupts of the device (storvsc: the channels' sysfs
# counters; virtio: its /proc/interrupts rows).  signals and host_irqs are
# "-" for virtio (QEMU does not count them).  A run that fails or completes
# no I/O is a failure; the numbers are TCG numbers and only their ratios
# mean anything.  BENCH_RUNTIME (seconds per run, default 6) on the kernel
# command line shortens or lengthens it.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

RT=$(sed -n 's/.*BENCH_RUNTIME=\([0-9]*\).*/\1/p' /proc/cmdline)
RT=${RT:-6}

# init.sh loaded the virtio-blk modules (settings: modules=kernel/virtio).
# vdisk: the block device bound to virtio_blk (empty if none).
vdisk() {
	for _b in /sys/class/block/*; do
		_d=$(readlink -f "$_b/device/driver" 2>/dev/null)
		[ "${_d##*/}" = virtio_blk ] && basename "$_b"
	done
}

wait_until "vdisk" vda 100
vd=$(vdisk)
h=$(ctrls | head -n 1)
[ -n "$h" ] && wait_disk "$h" 0 1 100
sd=$([ -n "$h" ] && disk "$h" 0)
if [ "$vd" != vda ] || [ ! -b /dev/vda ]; then
	fail virtio_disk "no /dev/vda bound to virtio_blk (found '$vd')"
	exit 0
fi
pass virtio_disk
if [ -z "$sd" ] || [ ! -b "/dev/$sd" ]; then
	fail storvsc_disk "no LUN 0 on a storvsc controller"
	exit 0
fi
pass storvsc_disk
expect same_size "$(blocks "$sd")" "$(blocks vda)"
chans=$(schans "$h" | awk '{ print $1 }')
diag "storvsc: /dev/$sd, controller $h, channels $(echo $chans); virtio: /dev/vda," \
	"$(ls -d /sys/block/vda/mq/* | wc -l) queues; $RT s per run"

# hsum KEY: KEY of `vmbus-chan` summed over the controller's channels.
hsum() {
	_s=0
	for _c in $chans; do
		_s=$((_s + $(host vmbus-chan "$_c" | field "$1")))
	done
	echo $_s
}

# girqs DEV: the guest's interrupts of the device so far.
girqs() {
	if [ "$1" = storvsc ]; then
		for _c in $chans; do chan_irqs "$_c"; done | awk '{ s += $1 } END { print s + 0 }'
	else
		awk '/virtio[0-9]+-(req|config)/ {
			for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i
		} END { print s + 0 }' /proc/interrupts
	fi
}

# counters DEV: "signals irqs host_irqs" now ("-" where not measured).
counters() {
	if [ "$1" = storvsc ]; then
		echo "$(hsum signals_in) $(girqs storvsc) $(hsum interrupts_out)"
	else
		echo "- $(girqs virtio) -"
	fi
}

# delta A B: B - A, or "-".
delta() { [ "$1" = - ] && echo - || echo $(($2 - $1)); }

# run TEST DEV BLOCKDEV RW BS QD
run() {
	read -r s0 i0 h0 <<EOT
$(counters "$2")
EOT
	out=$(fio --name="$1" --filename="/dev/$3" --rw="$4" --bs="$5" --iodepth="$6" \
		--ioengine=libaio --direct=1 --time_based --runtime="$RT" --norandommap \
		--randrepeat=0 --output-format=terse --terse-version=3 2>/tmp/fio.err)
	rc=$?
	read -r s1 i1 h1 <<EOT
$(counters "$2")
EOT
	# terse v3: 5 error; 6-8 read KiB, KiB/s, IOPS; 47-49 the same for writes
	read -r err kb bw iops <<EOT
$(echo "$out" | awk -F';' 'NR == 1 { print $5, $6 + $47, $7 + $48, $8 + $49 }')
EOT
	case "$5" in
	*k) ios=$((${kb:-0} / ${5%k})) ;;
	*m) ios=$((${kb:-0} / (${5%m} * 1024))) ;;
	esac
	if [ $rc -ne 0 ] || [ "${err:-1}" != 0 ] || [ "$ios" -le 0 ]; then
		fail "${1}_$2" "fio exit $rc, error ${err:-?}, $ios I/Os: $(head -c 300 /tmp/fio.err)"
		return
	fi
	pass "${1}_$2"
	diag "bench test=$1 dev=$2 iops=$iops kbps=$bw ios=$ios signals=$(delta "$s0" "$s1")" \
		"irqs=$((i1 - i0)) host_irqs=$(delta "$h0" "$h1")"
}

first=storvsc
for t in randread_4k_qd1:randread:4k:1 randread_4k_qd32:randread:4k:32 \
	 randwrite_4k_qd1:randwrite:4k:1 randwrite_4k_qd32:randwrite:4k:32 \
	 read_1m_qd8:read:1m:8 write_1m_qd8:write:1m:8; do
	IFS=: read -r name rw bs qd <<EOT
$t
EOT
	if [ $first = storvsc ]; then
		run "$name" storvsc "$sd" "$rw" "$bs" "$qd"
		run "$name" virtio vda "$rw" "$bs" "$qd"
		first=virtio
	else
		run "$name" virtio vda "$rw" "$bs" "$qd"
		run "$name" storvsc "$sd" "$rw" "$bs" "$qd"
		first=storvsc
	fi
done
expect no_io_errors "$(dmesg | grep -c 'I/O error')" 0
