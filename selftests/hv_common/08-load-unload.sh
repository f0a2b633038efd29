#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hv_common, hv_sim (and the test client) unload and load 20 times; every
# cycle turns the SynIC off and on again on every VP, and nothing is left
# behind or complains.
. /selftests/lib/ktap.sh

N=20
ncpu=$(online_cpus | wc -w)
# The platform module is pinned while a SINT client uses it.
if rmmod hv_sim 2>/dev/null; then
	fail platform_pinned_by_client "hv_sim unloaded under hv_common_test"
	insmod $MODDIR/hv_sim.ko
else
	pass platform_pinned_by_client
fi
before=$(host vp-state)
dmesg -c >/dev/null
bad=0
i=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	for m in hv_common_test hv_sim hv_common; do
		rmmod $m || { bad=1; diag "cycle $i: rmmod $m failed"; }
	done
	grep -qE '^hv_(common|sim|common_test) ' /proc/modules && { bad=1; diag "cycle $i: still loaded"; }
	for m in hv_common hv_sim hv_common_test; do
		insmod $MODDIR/$m.ko || { bad=1; diag "cycle $i: insmod $m failed"; }
	done
done
expect cycles_clean $bad 0
after=$(host vp-state)
for vp in $(echo "$after" | field vp); do
	b=$(echo "$before" | line_with vp "$vp") a=$(echo "$after" | line_with vp "$vp")
	expect "vp${vp}_synic_off_on_${N}_times" \
		"$(( $(echo "$a" | field synic_disables) - $(echo "$b" | field synic_disables) ))/$(( $(echo "$a" | field synic_enables) - $(echo "$b" | field synic_enables) ))" \
		"$N/$N"
	expect "vp${vp}_synic_on_at_end" "$(echo "$a" | field scontrol)" 0x1
done
errs=$(dmesg | grep -iE 'hv_(common|sim)|hvcore' | grep -iE 'error|fail|leak|timeout|bug' | head -n 3)
expect no_errors_logged "$errs" ""
echo 10 >$DBG/hv_common_test/echo
expect echo_after_reload \
	"$(cat $DBG/hv_common_test/echo | field received | sort -u | tr '\n' ' ')" "10 "
expect echo_on_all_cpus "$(cat $DBG/hv_common_test/echo | grep -c 'received=10 ')" "$ncpu"
