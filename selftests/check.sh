#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every stage reports PASS/FAIL lines into a block; at the end
# the blocks are printed as one KTAP document followed by the closing line
# "N passed, N failed".  Exit status 0 only when nothing failed.
#
# Stages: build (W=1, exported symbols, hvhost, guest tools), static
# (checkpatch, sparse), hvhost unit tests, the hv_common guest suite on
# -smp 2 and on -smp 4, the hv_vmbus suite (connection, offers), the
# hv_vmbus_data suite (the data path through vmbus_echo_test on 64 echo
# channels, -smp 2), the hv_vmbus_hostile suite (hvhost's hostile mode
# against 4 echo channels, -smp 2), the hv_vmbus_sub suite (subchannels,
# MNF and hvhost's config file, -smp 4), the hv_storvsc suite (storvsc
# against hvhost's storvsp, two controllers x four LUNs, -smp 4), and a
# boot whose guest panics on purpose (crash reporting).  make bench
# (selftests/bench.sh) is separate.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. "$top/selftests/lib/logscan.sh"
res=$top/build/check
rm -rf "$res"
mkdir -p "$res"
export KVER=${KVER:-$("$top/scripts/kver.sh")}
export KDIR=${KDIR:-/lib/modules/$KVER/build}
blocks=()
t0=$(date +%s)

say() { echo "check: [$(($(date +%s) - t0))s] $*" >&2; }

# add BLOCK LINE...: append result lines to a block.
add() {
	local b=$1
	shift
	[ -f "$res/$b.res" ] || blocks+=("$b")
	printf '%s\n' "$@" >>"$res/$b.res"
}

# add_file BLOCK FILE: append a file of result lines to a block.
add_file() {
	[ -f "$res/$1.res" ] || blocks+=("$1")
	cat "$2" >>"$res/$1.res"
}

# run BLOCK CASE CMD...: run CMD with its output in build/check/BLOCK.CASE.log.
run() {
	local b=$1 c=$2
	shift 2
	say "$b.$c"
	if "$@" >"$res/$b.$c.log" 2>&1; then
		add "$b" "PASS $c"
		return 0
	fi
	add "$b" "FAIL $c # see build/check/$b.$c.log: $(grep -aE 'error|warning|WARNING|ERROR|FAIL' "$res/$b.$c.log" | head -n 1 | cut -c1-120)"
	tail -n 30 "$res/$b.$c.log" | sed 's/^/# /' >>"$res/$b.res"
	return 1
}

# ---------------------------------------------------------------- build
built=1
run build modules_w1 make --no-print-directory modules || built=0
run build hvhost make --no-print-directory hvhost || built=0
run build guest_tools make --no-print-directory tools || built=0

# ---------------------------------------------------------------- static
run static checkpatch scripts/style.sh
if [ $built = 1 ]; then
	run static sparse scripts/sparse.sh
else
	add static "FAIL sparse # not run: the build failed"
fi

# ---------------------------------------------------------------- unit
say "hvhost unit tests"
if make --no-print-directory -C tools/hvhost unit >"$res/unit.ktap" 2>"$res/unit.err"; then
	urc=0
else
	urc=$?
fi
awk -f selftests/lib/ktap-flatten.awk "$res/unit.ktap" >"$res/unit.flat"
add_file hvhost_unit "$res/unit.flat"
[ $urc -ne 0 ] && ! grep -q '^FAIL' "$res/hvhost_unit.res" &&
	add hvhost_unit "FAIL unit_exit_status # make unit exited $urc (build/check/unit.err)"

# ---------------------------------------------------------------- guest
# boot_suite NAME SUITE SMP [hvhost run options...]
boot_suite() {
	local name=$1 suite=$2 smp=$3 b=guest_$1 d=$top/build/vm/$1
	shift 3
	say "$b: booting the $suite suite with -smp $smp $*"
	# While it runs, reach hvhost from outside through its control socket.
	rm -f "$d/ctl.sock"
	(for _ in $(seq 300); do
		if [ -S "$d/ctl.sock" ]; then
			tools/hvhost/hvhost ctl --socket "$d/ctl.sock" ping >"$res/$b.ctl" 2>&1
			break
		fi
		sleep 0.1
	done) &
	local poller=$!
	selftests/vm.sh "$name" "$suite" "$smp" "$@"
	local st=$?
	wait $poller
	if [ -s "$d/ktap.log" ]; then
		awk -f selftests/lib/ktap-flatten.awk "$d/ktap.log" >"$res/$b.flat"
		add_file "$b" "$res/$b.flat"
		grep -a '^ *# ' "$d/ktap.log" | grep -aE 'p50|p99|took|boot' | sed 's/^ *# /# /' >>"$res/$b.res"
	else
		add "$b" "FAIL ktap # the guest wrote no KTAP (build/vm/$name/console.log)"
	fi
	if [ "$st" = 0 ]; then
		add "$b" "PASS vm_exit_status"
	else
		add "$b" "FAIL vm_exit_status # hvhost exited $st (build/vm/$name/hvhost.log)"
	fi
	grep -q '^hvhost: guest requested reset' "$d/hvhost.log" &&
		add "$b" "PASS ended_by_reset_register" ||
		add "$b" "FAIL ended_by_reset_register # hvhost logged no reset request"
	[ "$(cat "$res/$b.ctl" 2>/dev/null)" = pong ] &&
		add "$b" "PASS hvhost_ctl_socket_ping" ||
		add "$b" "FAIL hvhost_ctl_socket_ping # $(head -c 120 "$res/$b.ctl" 2>/dev/null)"
	add "$b" "$(scan_log console_clean "$d/console.log")"
	add "$b" "# boot+suite took $(cat "$d/seconds") s"
	[ -f "$d/retried" ] && add "$b" "# QEMU crashed before the guest ran any test and was $(cat "$d/retried")"
}

check_crash() {
	local b=panic d=$top/build/vm/panic st
	say "panic: booting a guest that panics"
	selftests/vm.sh panic panic 2
	st=$?
	expect_st() {
		if [ "$st" = 3 ]; then add $b "PASS vm_exit_status"
		else add $b "FAIL vm_exit_status # hvhost exited $st, expected 3 (guest crash)"; fi
	}
	expect_st
	local line
	line=$(grep -a '^crash: vp=' "$d/crash.txt" 2>/dev/null | tail -n 1)
	if [ -z "$line" ]; then
		add $b "FAIL crash_recorded # no crash report in build/vm/panic/crash.txt"
		add $b "$(scan_log console_clean "$d/console.log" panic-ok)"
		return
	fi
	add $b "PASS crash_recorded" "# $line"
	f() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	local p0 p1 p2 p3 p4 ctl
	p0=$(f p0) p1=$(f p1) p2=$(f p2) p3=$(f p3) p4=$(f p4) ctl=$(f ctl)
	[ "$p0" = 0x1 ] && add $b "PASS p0_panic_code" || add $b "FAIL p0_panic_code # p0=$p0, expected 0x1"
	[[ "$p1" =~ ^0x8100000601 ]] && add $b "PASS p1_guest_os_id" ||
		add $b "FAIL p1_guest_os_id # p1=$p1, expected Linux 6.1 (0x8100000601...)"
	[[ "$p2" =~ ^0x[01]$ ]] && add $b "PASS p2_vp_index" || add $b "FAIL p2_vp_index # p2=$p2"
	[ "$((p3))" -ne 0 ] && add $b "PASS p3_message_gpa" || add $b "FAIL p3_message_gpa # p3=$p3"
	if [ "$((p4))" -gt 0 ] && [ "$((p4))" -le 4096 ]; then add $b "PASS p4_message_len"
	else add $b "FAIL p4_message_len # p4=$p4"; fi
	[ "$(( (ctl >> 62) & 3 ))" = 3 ] && add $b "PASS ctl_notify_message" ||
		add $b "FAIL ctl_notify_message # ctl=$ctl, expected NOTIFY|MESSAGE"
	local msg
	msg=$(sed -n '/^crash-message-begin/,/^crash-message-end/p' "$d/crash.txt")
	echo "$msg" | grep -q 'Kernel panic - not syncing: sysrq triggered crash' &&
		add $b "PASS kmsg_tail_has_panic" ||
		add $b "FAIL kmsg_tail_has_panic # the crash message lacks the panic line"
	echo "$msg" | grep -q 'hv_sim' &&
		add $b "PASS kmsg_tail_has_boot_log" ||
		add $b "FAIL kmsg_tail_has_boot_log # the crash message lacks earlier log lines"
	grep -aq 'Kernel panic - not syncing: sysrq triggered crash' "$d/console.log" &&
		add $b "PASS guest_panicked" || add $b "FAIL guest_panicked # no panic on the console"
	grep -q 'vmbus: UNLOAD from the guest' "$d/hvhost.log" &&
		add $b "PASS host_saw_unload_on_panic" ||
		add $b "FAIL host_saw_unload_on_panic # hvhost logged no UNLOAD before the crash"
	grep -aq 'UNLOAD on panic failed' "$d/console.log" &&
		add $b "FAIL unload_on_panic_answered # $(grep -a 'UNLOAD on panic failed' "$d/console.log" | head -n 1)" ||
		add $b "PASS unload_on_panic_answered"
	add $b "$(scan_log console_clean "$d/console.log" panic-ok)"
}

if [ $built = 1 ] && run build initramfs selftests/mkinitramfs.sh; then
	boot_suite smp2 hv_common 2
	boot_suite smp4 hv_common 4
	boot_suite vmbus hv_vmbus 2 --vmbus-echo 32
	boot_suite vmbus_data hv_vmbus_data 2 --vmbus-echo 64
	boot_suite vmbus_hostile hv_vmbus_hostile 2 --vmbus-echo 4
	boot_suite vmbus_sub hv_vmbus_sub 4 --vmbus-config "$top/selftests/hv_vmbus_sub/hvhost.conf"
	# shellcheck disable=SC2046
	boot_suite storvsc hv_storvsc 4 $(selftests/storvsc-args.sh "$top/build/vm/storvsc")
	check_crash
else
	for b in guest_smp2 guest_smp4 guest_vmbus guest_vmbus_data guest_vmbus_hostile guest_vmbus_sub guest_storvsc panic; do
		add $b "FAIL boot # not run: the build failed"
	done
fi

# ---------------------------------------------------------------- report
echo "KTAP version 1"
echo "1..${#blocks[@]}"
i=0
for b in "${blocks[@]}"; do
	i=$((i + 1))
	awk -v name="$b" -v idx="$i" -f selftests/lib/ktap-emit.awk "$res/$b.res"
done
passed=$(cat "$res"/*.res | grep -c '^PASS ')
failed=$(cat "$res"/*.res | grep -c '^FAIL ')
skipped=$(cat "$res"/*.res | grep -c '^SKIP ')
[ "$skipped" -gt 0 ] && echo "# $skipped skipped (not counted as passed)"
echo "# make check took $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
