# SPDX-License-Identifier: GPL-2.0
# Host side: read the suite descriptions, selftests/<suite>/settings (the
# format is in selftests/README.settings).  Source from bash with $top set
# to the repository.
#
# A suite is a folder of selftests/ that has a settings file.

SETTINGS_KEYS="kind smp mem timeout vm_timeout debug_vm_timeout modules hvhost guest ktap reset
expect_status console initramfs kernels platforms"

# setting SUITE KEY: the value of KEY (the last line that sets it), or
# the default.
setting() {
	local v
	v=$(sed -n "s/^$2=//p" "$top/selftests/$1/settings" 2>/dev/null | tail -n 1)
	if [ -n "$v" ]; then
		echo "$v"
		return
	fi
	case $2 in
	kind) echo check ;;
	smp) echo 2 ;;
	mem) echo 512 ;;
	timeout | vm_timeout) echo 600 ;;
	debug_vm_timeout) echo $(($(setting "$1" vm_timeout) * 3)) ;;
	modules) echo "hv_common @platform" ;;
	ktap | reset) echo yes ;;
	expect_status) echo 0 ;;
	initramfs) echo test ;;
	kernels) echo normal ;;
	platforms) echo sim ;;
	esac
}

# suite_valid SUITE: 0 when the description is well formed; otherwise the
# reasons on stderr.  Unknown keys, malformed lines and bad values are
# errors, so that a typo cannot quietly drop a suite or a setting.
suite_valid() {
	local f=$top/selftests/$1/settings line key bad=0 v n
	if [ ! -f "$f" ]; then
		echo "settings: no suite '$1' (no selftests/$1/settings)" >&2
		return 1
	fi
	while IFS= read -r line; do
		case $line in
		'' | '#'*) continue ;;
		esac
		key=${line%%=*}
		if [ "$key" = "$line" ] || ! [[ " $(echo $SETTINGS_KEYS) " == *" $key "* ]]; then
			echo "settings: $1: not a 'key=value' line with a known key: $line" >&2
			bad=1
		fi
	done <"$f"
	for n in $(setting "$1" smp); do
		[[ "$n" =~ ^[1-9][0-9]?$ ]] || { echo "settings: $1: smp '$n' is not a vCPU count" >&2; bad=1; }
	done
	for key in mem timeout vm_timeout debug_vm_timeout expect_status; do
		v=$(setting "$1" $key)
		[[ "$v" =~ ^[0-9]+$ ]] || { echo "settings: $1: $key '$v' is not a number" >&2; bad=1; }
	done
	v=$(setting "$1" kind)
	[[ "$v" =~ ^(check|bench|demo)$ ]] || { echo "settings: $1: kind '$v' is not check, bench or demo" >&2; bad=1; }
	for key in ktap reset; do
		v=$(setting "$1" $key)
		[[ "$v" =~ ^(yes|no)$ ]] || { echo "settings: $1: $key '$v' is not yes or no" >&2; bad=1; }
	done
	v=$(setting "$1" initramfs)
	[[ "$v" =~ ^(test|bench)$ ]] || { echo "settings: $1: initramfs '$v' is not test or bench" >&2; bad=1; }
	for v in $(setting "$1" kernels); do
		[[ "$v" =~ ^(normal|debug)$ ]] || { echo "settings: $1: kernel '$v' is not normal or debug" >&2; bad=1; }
	done
	for v in $(setting "$1" platforms); do
		[[ "$v" =~ ^(sim)$ ]] || { echo "settings: $1: platform '$v' is not sim" >&2; bad=1; }
	done
	v=$(setting "$1" guest)
	if [ -n "$v" ] && [ ! -f "$top/selftests/$1/$v" ]; then
		echo "settings: $1: guest script '$v' is not in selftests/$1" >&2
		bad=1
	fi
	return $bad
}

# suites: every suite, in name order.
suites() {
	local f
	for f in "$top"/selftests/*/settings; do
		[ -f "$f" ] && basename "$(dirname "$f")"
	done | sort
}

# suite_boots KIND KERNEL PLATFORM: one line "SUITE SMP NAME" per boot of
# every suite of KIND that runs on KERNEL and PLATFORM, and that $SUITES
# names when SUITES is set (space or comma separated).  A suite with
# several vCPU counts boots once per count, NAME SUITE_smpN; otherwise
# NAME is SUITE.
suite_boots() {
	local s n smps want=${SUITES:-} sel
	sel=" ${want//,/ } "
	for s in $(suites); do
		[ "$(setting "$s" kind)" = "$1" ] || continue
		[[ " $(setting "$s" kernels) " == *" $2 "* ]] || continue
		[[ " $(setting "$s" platforms) " == *" $3 "* ]] || continue
		[ -z "${SUITES:-}" ] || [[ "$sel" == *" $s "* ]] || continue
		smps=$(setting "$s" smp)
		for n in $smps; do
			if [ "$(echo $smps | wc -w)" -gt 1 ]; then
				echo "$s $n ${s}_smp$n"
			else
				echo "$s $n $s"
			fi
		done
	done
}

# selected NAME: 0 when $SUITES is unset or names NAME (for the host-side
# stages of make check: static, unit, maintainers, harness, production).
selected() {
	local want=${SUITES:-}
	[ -z "$want" ] && return 0
	[[ " ${want//,/ } " == *" $1 "* ]]
}

# suites_unknown: the words of $SUITES that name neither a suite nor a
# host-side stage (printed; the caller fails on any).
suites_unknown() {
	local w all want=${SUITES:-}
	all=" $(echo $(suites)) static unit maintainers harness production "
	for w in ${want//,/ }; do
		[[ "$all" == *" $w "* ]] || echo "$w"
	done
}
