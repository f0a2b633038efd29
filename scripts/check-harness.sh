#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test of the suite descriptions (selftests/lib/settings.sh): every
# suite's settings is valid, a malformed description is refused, and
# SUITES= picks exactly the named boots.  One PASS/FAIL line per check;
# exit status 1 on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# The caller's SUITES (make check SUITES=...) must not filter the checks.
unset SUITES
. "$top/selftests/lib/settings.sh"
rc=0
ok() {
	if [ "$2" = 0 ]; then echo "PASS $1"; else echo "FAIL $1 # $3"; rc=1; fi
}

bad=
for s in $(suites); do
	suite_valid "$s" 2>/dev/null || bad+=" $s"
done
[ -z "$bad" ]; ok every_suite_valid $? "invalid:$bad"

# Malformed descriptions, in a scratch suite folder under build/.
real=$top
top=$top/build/harness-test
rm -rf "$top"
mkdir -p "$top/selftests/t"
refused() {
	printf '%s\n' "$2" >"$top/selftests/t/settings"
	! suite_valid t 2>/dev/null
	ok "refuses_$1" $? "accepted: $2"
}
refused unknown_key 'smpp=2'
refused not_key_value 'smp 2'
refused bad_smp 'smp=0'
refused bad_kind 'kind=checks'
refused bad_number 'mem=lots'
refused bad_kernel 'kernels=normal dbg'
refused missing_guest 'guest=nothere.sh'
printf 'smp=2 4\n# a comment\n' >"$top/selftests/t/settings"
suite_valid t 2>/dev/null
ok accepts_good $? "a valid description was refused"
[ "$(suite_boots check normal sim | xargs)" = "t 2 t_smp2 t 4 t_smp4" ]
ok one_boot_per_smp $? "got '$(suite_boots check normal sim | xargs)'"
rm -rf "$top"
top=$real

# SUITES picks boots and stages; unknown words are reported.
all=$(suite_boots check normal sim | wc -l)
[ "$all" -gt 0 ]; ok full_run_has_boots $? "no kind=check suite"
got=$(SUITES=hv_vmbus,panic suite_boots check normal sim | awk '{ print $1 }' | xargs)
[ "$got" = "hv_vmbus panic" ]; ok suites_subset $? "got '$got'"
got=$(SUITES="unit static" suite_boots check normal sim | wc -l)
[ "$got" = 0 ]; ok suites_stages_only $? "$got boots"
SUITES=unit selected unit && ! SUITES=unit selected static
ok suites_selects_stages $? "selected is wrong"
got=$(SUITES="hv_vmbus nosuch unit" suites_unknown | xargs)
[ "$got" = nosuch ]; ok suites_unknown_reported $? "got '$got'"
exit $rc
