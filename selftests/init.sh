#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test guest.  Kernel command line:
#   hvtest=<suite>   which suite to run: a directory under /selftests
#                    (hv_common, hv_vmbus, hv_vmbus_data, hv_vmbus_bench,
#                    hv_vmbus_hostile, hv_vmbus_sub),
#                    "panic" (crash-report boot) or "demo" (make run)
# Modules: hv_common, hv_sim and hv_common_test always; hv_vmbus for the
# hv_vmbus* and hv_storvsc* suites; the kernel's SCSI and ext4 modules and
# hv_storvsc for hv_storvsc*; vmbus_echo_test too for hv_vmbus_data,
# hv_vmbus_bench, hv_vmbus_hostile and hv_vmbus_sub (the data-path suites).
# KTAP goes to the dedicated port /dev/ttyS1; everything else to the
# console.  The guest always ends: reset through hv_common_test, else a
# forced power-off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
echo 7 >/proc/sys/kernel/printk

suite=$(sed -n 's/.*hvtest=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "init: suite '$suite', $(grep -c ^processor /proc/cpuinfo) CPUs, uptime $(cut -d' ' -f1 /proc/uptime) s"

load_stack() {
	for m in hv_common hv_sim hv_common_test; do
		insmod /lib/modules/hvstack/$m.ko || return 1
	done
	# VMBus suites get hv_vmbus too; the hv_common suite runs without it.
	# The panic boot too: it checks that hv_vmbus unloads on panic.
	case "$suite" in
	hv_vmbus*|hv_storvsc*|panic|demo) insmod /lib/modules/hvstack/hv_vmbus.ko || return 1 ;;
	esac
	# Storage suites: the target kernel's SCSI disk and ext4 modules
	# (mkinitramfs.sh lists them in load order), then hv_storvsc.
	case "$suite" in
	hv_storvsc*)
		for m in $(cat /lib/modules/kernel/load.order); do
			insmod /lib/modules/kernel/$m || return 1
		done
		insmod /lib/modules/hvstack/hv_storvsc.ko || return 1 ;;
	esac
	# The data-path suites drive every echo device through the test driver.
	case "$suite" in
	hv_vmbus_data|hv_vmbus_bench|hv_vmbus_hostile|hv_vmbus_sub|demo)
		insmod /lib/modules/hvstack/vmbus_echo_test.ko || return 1 ;;
	esac
}

case "$suite" in
panic)
	load_stack || echo "init: loading the stack failed"
	echo "init: triggering a panic through sysrq"
	echo c >/proc/sysrq-trigger
	;;
demo)
	# Only warnings and worse on the console while the demo talks.
	load_stack && echo 4 >/proc/sys/kernel/printk && sh /selftests/demo.sh
	;;
"")
	echo "init: no hvtest= on the command line"
	;;
*)
	if load_stack; then
		sh /selftests/runner.sh "/selftests/$suite" >/dev/ttyS1 2>&1
	else
		printf 'KTAP version 1\n1..1\nnot ok 1 load_stack # insmod failed\n' >/dev/ttyS1
	fi
	;;
esac

# Debug kernels (make check-debug): a kmemleak scan after the suite.  Its
# reports reach the console, where the log scan fails on them.
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	if [ -s /sys/kernel/debug/kmemleak ]; then
		echo "init: kmemleak suspected memory leaks:"
		cat /sys/kernel/debug/kmemleak
	fi
	echo "init: leak scan done"
fi

echo "init: done after $(cut -d' ' -f1 /proc/uptime) s"
sync
if [ -e /sys/kernel/debug/hv_common_test/reset ]; then
	echo 1 >/sys/kernel/debug/hv_common_test/reset
	sleep 5
	echo "init: reset through hvhost did not end the VM"
fi
poweroff -f
