#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test guest.  Kernel command line:
#   hvtest=<suite>      the suite: a folder /selftests/<suite> with its
#                       description, settings (selftests/README.settings)
#   hvplatform=<name>   the platform backend (sim: hv_sim.ko)
# The settings say which modules to load, in order (modules=: our modules
# by name, @platform for the platform's module, kernel/NAME for the
# target kernel's modules listed in /lib/modules/kernel/NAME.order), and
# what to run: a guest script of the suite on the console (guest=), or
# else every NN-*.sh of the suite through runner.sh, KTAP on the dedicated
# port /dev/ttyS1.  The guest always ends: reset through hv_common_test,
# else a forced power-off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
echo 7 >/proc/sys/kernel/printk

arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
suite=$(arg hvtest)
platform=$(arg hvplatform)
platform=${platform:-sim}
dir=/selftests/$suite
echo "init: suite '$suite', platform $platform, $(grep -c ^processor /proc/cpuinfo) CPUs, uptime $(cut -d' ' -f1 /proc/uptime) s"

# setting KEY: the suite's value for KEY (the last line that sets it).
setting() { sed -n "s/^$1=//p" "$dir/settings" | tail -n 1; }

# insmod_one MODULE-FILE: load it, or say which one failed.
insmod_one() {
	insmod "$1" && return 0
	echo "init: insmod $1 failed"
	return 1
}

load_stack() {
	for m in $(setting modules); do
		case $m in
		@platform)
			# A platform with a module of its own (the sim transport);
			# the x86 backend is part of hv_common.
			if [ -f "/lib/modules/hvstack/hv_$platform.ko" ]; then
				insmod_one "/lib/modules/hvstack/hv_$platform.ko" || return 1
			fi ;;
		kernel/*)
			for k in $(cat "/lib/modules/kernel/${m#kernel/}.order"); do
				insmod_one "/lib/modules/kernel/$k" || return 1
			done ;;
		*)
			insmod_one "/lib/modules/hvstack/$m.ko" || return 1 ;;
		esac
	done
}

guest=
if [ -z "$suite" ] || [ ! -f "$dir/settings" ]; then
	echo "init: no suite '$suite' (hvtest= names a folder of /selftests with a settings file)"
	printf 'KTAP version 1\n1..1\nnot ok 1 suite # no suite %s in the initramfs\n' "$suite" >/dev/ttyS1
elif ! load_stack; then
	echo "init: loading the stack failed"
	printf 'KTAP version 1\n1..1\nnot ok 1 load_stack # insmod failed\n' >/dev/ttyS1
elif guest=$(setting guest) && [ -n "$guest" ]; then
	sh "$dir/$guest"
else
	sh /selftests/runner.sh "$dir" >/dev/ttyS1 2>&1
fi

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
