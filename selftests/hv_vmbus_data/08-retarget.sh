#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Retargeting a channel at run time (sysfs cpu, MODIFYCHANNEL): the host
# then signals the new CPU's VP, and the channel's interrupts arrive on
# that CPU's hv_sim vector (/proc/interrupts), not on the old one.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh

r=$(relids | head -n 1)
[ -n "$r" ] || { fail retarget "no vmbus_echo_test device"; exit 0; }
c=$(chan "$r")

# irqs VP CPU: the count of hv_sim's vector of VP on CPU's column.
irqs() {
	awk -v name="hv_sim-vp$1" -v col=$(($2 + 2)) '$NF == name { print $col }' /proc/interrupts
}

# move_and_echo CASE CPU: retarget to CPU, then echo; interrupts must follow.
move_and_echo() {
	_case=$1 _new=$2 _old=$(cat "$c/cpu")
	_nvp=$(cpu_vp "$_new") _ovp=$(cpu_vp "$_old")
	if ! echo "$_new" >"$c/cpu"; then
		fail "${_case}_write" "writing $_new to cpu failed"
		return
	fi
	expect "${_case}_cpu_reads_back" "$(cat "$c/cpu")" "$_new"
	wait_until "hchan $r target_vp" "$_nvp" 20
	expect "${_case}_host_target_vp" "$(hchan "$r" target_vp)" "$_nvp"
	_i0=$(cat "$c/interrupts") _h0=$(hchan "$r" interrupts_out)
	_n0=$(irqs "$_nvp" "$_new") _o0=$(irqs "$_ovp" "$_old")
	vcmd "$r" echo 500 64 1 || fail "${_case}_echo" "$(vres "$r")"
	_gi=$(($(cat "$c/interrupts") - _i0)) _hi=$(($(hchan "$r" interrupts_out) - _h0))
	_nd=$(($(irqs "$_nvp" "$_new") - _n0)) _od=$(($(irqs "$_ovp" "$_old") - _o0))
	diag "$_case: cpu $_old -> $_new: channel interrupts $_gi (host injected $_hi)," \
		"hv_sim-vp$_nvp on cpu$_new +$_nd, hv_sim-vp$_ovp on cpu$_old +$_od"
	expect_range "${_case}_channel_interrupts" "$_gi" 1 "$_hi"
	expect_range "${_case}_on_new_cpu_vector" "$_nd" "$_gi" 1000000000
	# The old CPU's vector only sees traffic that is not this channel's.
	expect_range "${_case}_not_on_old_cpu_vector" "$_od" 0 $((_gi / 10))
}

orig=$(cat "$c/cpu")
other=""
for cpu in $(online_cpus); do
	[ "$cpu" != "$orig" ] && { other=$cpu; break; }
done
if [ -z "$other" ]; then
	fail retarget "only one online CPU"
	exit 0
fi
move_and_echo to_other "$other"
move_and_echo back "$orig"
if echo 4096 >"$c/cpu" 2>/dev/null; then
	fail offline_cpu_refused "cpu 4096 accepted"
else
	expect offline_cpu_refused "$(cat "$c/cpu")" "$orig"
fi
expect host_modifies "$(hchan "$r" modifies)" 2
