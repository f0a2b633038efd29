#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Controller rescind in the middle of I/O: the I/O on it fails with an
# error (no hang), its SCSI host and disks go, the host sees every channel
# closed; the other controller keeps working; hv_storvsc then unloads and
# loads again, finding the remaining controller with its data; a
# controller hot-added through hvhost appears with its disk and can be
# rescinded idle.
. /selftests/lib/ktap.sh
. /selftests/lib/storvsc.sh

dmesg -c >/dev/null
h0=$(ctrls | head -1)
h=$(ctrls | tail -1)
r0=$(srelid "$h0")
r=$(srelid "$h")
d=$(disk "$h" 0)
dir=$(dirname "$(hpath "$r" 0)")
subrels=$(schans "$h" | awk '{ print $1 }')
rm -f /tmp/rs.res
(
	n=0
	while :; do
		dd if="/dev/$d" of=/dev/null bs=64k count=256 iflag=direct 2>/tmp/rs.err || break
		n=$((n + 1))
	done
	echo "$n" >/tmp/rs.res
) &
job=$!
sleep 2
expect rescind_accepted "$(host vmbus-rescind "$r")" ok
wait_while "kill -0 $job 2>/dev/null" 300
if kill -0 $job 2>/dev/null; then
	fail io_ended "reader still running 30 s after the rescind"
	kill $job
else
	pass io_ended
	diag "reader: $(cat /tmp/rs.res) full passes, then: $(head -c 200 /tmp/rs.err | tr '\n' ' ')"
	expect_range io_failed_with_error "$(grep -cE 'Input/output error|No such device' /tmp/rs.err)" 1 10
fi
# gone H: controller H has no debugfs entry and no SCSI devices left.
gone() { [ ! -d "$SDBG/$1" ] && ! ls /sys/bus/scsi/devices | grep -q "^$1:" && echo yes; }
wait_until "gone $h" yes 200
expect controller_gone "$(ctrls | tr '\n' ' ')" "$h0 "
expect scsi_devices_gone "$(ls /sys/bus/scsi/devices | grep -c "^$h:")" 0
expect disk_gone "$([ -e "/sys/class/block/$d" ] && echo present)" ""
# released: how many of the controller's channels the host has back.
released() {
	_n=0
	for _c in $subrels; do
		[ "$(host vmbus-chan "$_c" | field state)" = released ] && _n=$((_n + 1))
	done
	echo $_n
}
wait_until released "$(echo $subrels | wc -w)" 100
closed=0
for c in $subrels; do
	[ "$(host vmbus-chan "$c" | field state)" = released ] && closed=$((closed + 1))
done
expect all_channels_released "$closed" "$(echo $subrels | wc -w)"
d0=$(disk "$h0" 0)
s=$(dd if="/dev/$d0" bs=1M count=8 iflag=direct 2>/dev/null | wc -c)
expect other_controller_works "$s" 8388608

rmmod hv_storvsc
expect rmmod "$?" 0
expect module_gone "$(grep -c '^hv_storvsc ' /proc/modules)" 0
expect host_sees_closed "$(host vmbus-chan "$r0" | field state)" offered
insmod /lib/modules/hvstack/hv_storvsc.ko
expect insmod "$?" 0
wait_until "ctrls | wc -w" 1
h0=$(ctrls | head -1)
wait_disk "$h0" 3 1 200
expect reloaded_luns "$(ls /sys/bus/scsi/devices | grep -c "^$h0:")" 4
d0=$(disk "$h0" 0)
if [ -f /tmp/dd.crc.keep ] && [ -n "$d0" ]; then
	got=$(dd if="/dev/$d0" bs=1M count=256 iflag=direct 2>/dev/null | crc32)
	expect data_survives_reload "$got" "$(cat /tmp/dd.crc.keep)"
fi

nr=$(host vmbus-offer scsi "$dir/hot-ctrl.img:8M" | field relid)
expect_range hot_controller_offered "$nr" 1 256
wait_while '[ -z "$(ctrl_of "$nr")" ]' 200
hn=$(ctrl_of "$nr")
if [ -n "$hn" ] && wait_disk "$hn" 0 1 200; then
	pass hot_controller_disk
	dn=$(disk "$hn" 0)
	dd if=/dev/urandom of=/tmp/rs.data bs=64k count=4 2>/dev/null
	dd if=/tmp/rs.data of="/dev/$dn" bs=64k oflag=direct 2>/dev/null
	expect hot_controller_host_file "$(hcrc "$nr" 0 0 512)" "$(crc32 </tmp/rs.data)"
	expect rescind_idle "$(host vmbus-rescind "$nr")" ok
	wait_until "gone $hn" yes 200
	expect idle_controller_gone "$(gone "$hn")" yes
else
	fail hot_controller_disk "no storvsc host or disk for relid $nr"
fi
expect no_kernel_warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops|hung_task|blocked for more')" 0
rm -f /tmp/rs.*
