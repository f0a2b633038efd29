#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of the panic suite: what hvhost recorded of the guest's crash.
#   host-check.sh VMDIR PLATFORM
# One PASS/FAIL line per assertion (selftests/boot.sh adds the exit status,
# the control socket and the console scan).  hvhost writes the crash MSRs
# P0-P4 and CTL as "crash: vp=N p0=... ctl=..." into crash.txt, then the
# message page between crash-message-begin and crash-message-end.
d=$1 platform=$2
line=$(grep -a '^crash: vp=' "$d/crash.txt" 2>/dev/null | tail -n 1)
if [ -z "$line" ]; then
	echo "FAIL crash_recorded # no crash report in $d/crash.txt"
	exit 0
fi
echo "PASS crash_recorded"
echo "# $line"

# ok CASE COND-STATUS REASON: a line for the status of the last command.
ok() {
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1 # $3"; fi
}
f() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
p0=$(f p0) p1=$(f p1) p2=$(f p2) p3=$(f p3) p4=$(f p4) ctl=$(f ctl)
[ "$p0" = 0x1 ]; ok p0_panic_code $? "p0=$p0, expected 0x1"
[[ "$p1" =~ ^0x8100000601 ]]; ok p1_guest_os_id $? "p1=$p1, expected Linux 6.1 (0x8100000601...)"
[[ "$p2" =~ ^0x[01]$ ]]; ok p2_vp_index $? "p2=$p2"
[ "$((p3))" -ne 0 ]; ok p3_message_gpa $? "p3=$p3"
[ "$((p4))" -gt 0 ] && [ "$((p4))" -le 4096 ]; ok p4_message_len $? "p4=$p4"
[ "$(( (ctl >> 62) & 3 ))" = 3 ]; ok ctl_notify_message $? "ctl=$ctl, expected NOTIFY|MESSAGE"

msg=$(sed -n '/^crash-message-begin/,/^crash-message-end/p' "$d/crash.txt")
echo "$msg" | grep -q 'Kernel panic - not syncing: sysrq triggered crash'
ok kmsg_tail_has_panic $? "the crash message lacks the panic line"
# An earlier line of the boot log: the platform module's (hv_sim) or, on
# a platform without one, hv_common's.
case $platform in
sim) early=hv_sim ;;
*) early=hv_common ;;
esac
echo "$msg" | grep -q "$early"
ok kmsg_tail_has_boot_log $? "the crash message lacks earlier log lines ($early)"
grep -aq 'Kernel panic - not syncing: sysrq triggered crash' "$d/console.log"
ok guest_panicked $? "no panic on the console"
grep -q 'vmbus: UNLOAD from the guest' "$d/hvhost.log"
ok host_saw_unload_on_panic $? "hvhost logged no UNLOAD before the crash"
if grep -aq 'UNLOAD on panic failed' "$d/console.log"; then
	echo "FAIL unload_on_panic_answered # $(grep -a 'UNLOAD on panic failed' "$d/console.log" | head -n 1)"
else
	echo "PASS unload_on_panic_answered"
fi
