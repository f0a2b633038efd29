#!/bin/bash
# Prove that the production build (make modules, as DKMS and users run it)
# carries none of the test build's test-only code (HVSTACK_TESTING, see
# Kbuild).  Builds the test variant in the work tree (make test-modules: a
# no-op after make check's build), copies the tracked tree (minus build/)
# to build/production/src, runs make modules there (W=1, -j2), then checks:
#   - the production build succeeds, without W=1 warnings;
#   - it makes exactly the modules dkms.conf lists, and no test module;
#   - per module, every symbol the test build has and production lacks
#     comes from a test-only object (one the test build links in and
#     production does not), and production has nothing the test build
#     lacks;
#   - the known test-only symbols are absent (and present in the test
#     build, so the list is not stale);
#   - no debugfs name that test-only code creates (found in its sources,
#     and the known ones) is among the production modules' strings.
# One line per assertion, "PASS name" or "FAIL name # reason"; exit status
# 1 when any failed.  KVER and KDIR are passed through.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=${KVER:-$("$top/scripts/kver.sh")} || exit 1
kdir=${KDIR:-/lib/modules/$kver/build}
out=$top/build/production
src=$out/src
# Nothing from a calling make may turn the production build into another.
unset MAKEFLAGS MFLAGS MAKELEVEL HVSTACK_TESTING W

# The test-only symbols and modules known today; the derived checks below
# catch the ones added later.
known_syms="vmbus_fault_debugfs vmbus_fault_delay_interrupt vmbus_fault_delay_message
	    vmbus_fault_gpadl_create vmbus_unload_test_debugfs vmbus_unload_test_write
	    vmbus_unload_test_read hvsim_hostctl_debugfs hostctl_write hostctl_read"
known_mods="hv_common_test vmbus_echo_test"
known_debugfs="fault delay_interrupt_us delay_message_ms fail_gpadl_create injected
	       unload_test hostctl"

failed=0
pass() { echo "PASS $1"; }
fail() {
	echo "FAIL $1 # $2"
	failed=1
}
# check NAME REASON-IF-FAILED CONDITION...
check() {
	local name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

mkdir -p "$out"

# kos DIR: "name path" of every module built under DIR.
kos() {
	find "$1" -name '*.ko' ! -path "$1/build/*" -printf '%f %p\n' | sed 's/\.ko / /' | sort
}
# syms KO: every symbol name in KO (defined, local and undefined), sorted.
syms() { nm "$1" | awk '{ print $NF }' | sort -u; }
# objs DIR MODPATH: the objects the module at MODPATH links, relative to DIR.
objs() { sed "s|^$1/||" "${2%.ko}.mod" | tr ' ' '\n' | grep . | sort -u; }
# strs KO: the strings of KO's code and data (debug info left out).
strs() {
	local tmp
	tmp=$(mktemp)
	objcopy --strip-debug "$1" "$tmp" && strings -a "$tmp"
	rm -f "$tmp"
}

# 1. The test build, in the work tree.
if make -C "$top" --no-print-directory KVER="$kver" KDIR="$kdir" -j2 test-modules \
	>"$out/test-modules.log" 2>&1; then
	pass test_build
	test_ok=1
else
	fail test_build "make test-modules failed (build/production/test-modules.log)"
	test_ok=0
fi

# 2. The production build, in a copy of the tracked tree.
rm -rf "$src"
mkdir -p "$src"
(cd "$top" && git ls-files -co --exclude-standard -z) |
	while IFS= read -r -d '' f; do
		case $f in build/*) continue ;; esac
		[ -e "$top/$f" ] && printf '%s\0' "$f"
	done | tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
log=$out/modules.log
if make -C "$src" --no-print-directory KVER="$kver" KDIR="$kdir" W=1 -j2 modules \
	>"$log" 2>&1; then
	pass production_build
	prod_ok=1
else
	fail production_build "make modules failed (build/production/modules.log)"
	prod_ok=0
fi
nwarn=$(grep -cE 'warning:|WARNING:' "$log")
check production_w1_warnings "$nwarn W=1 warning(s) (build/production/modules.log)" \
	test "$nwarn" -eq 0
if [ $prod_ok = 0 ] || [ $test_ok = 0 ]; then
	fail comparison "no two builds to compare"
	exit 1
fi

declare -A prod_ko test_ko
while read -r name path; do prod_ko[$name]=$path; done < <(kos "$src")
while read -r name path; do test_ko[$name]=$path; done < <(kos "$top")

# 3. Modules: exactly dkms.conf's list; the test build's others are test modules.
dkms_mods=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p' "$top/dkms.conf" | sort | xargs)
prod_mods=$(printf '%s\n' "${!prod_ko[@]}" | sort | xargs)
check production_modules "built '$prod_mods', dkms.conf lists '$dkms_mods'" \
	test "$prod_mods" = "$dkms_mods"
test_only_mods=$(for m in "${!test_ko[@]}"; do [ -n "${prod_ko[$m]:-}" ] || echo "$m"; done)
for m in $(printf '%s\n' $test_only_mods $known_mods | sort -u); do
	if [ -n "${prod_ko[$m]:-}" ]; then
		fail "no_module_$m" "the test module $m.ko is built in production too"
		continue
	fi
	case ${test_ko[$m]:-} in
	"$top"/selftests/modules/*) pass "no_module_$m" ;;
	"") fail "no_module_$m" "not in the test build either: the known list is stale" ;;
	*) fail "no_module_$m" "${test_ko[$m]#"$top"/} exists only in the test build but is no test module" ;;
	esac
done

# 4. Per module: the symbols only the test build has come from test-only
# objects (their definitions and the kernel functions they call).
for m in $(printf '%s\n' "${!prod_ko[@]}" | sort); do
	t=${test_ko[$m]:-}
	p=${prod_ko[$m]}
	if [ -z "$t" ]; then
		fail "test_only_symbols_$m" "$m.ko is missing from the test build"
		continue
	fi
	extra=$(comm -23 <(objs "$top" "$t") <(objs "$src" "$p"))
	allowed=$(for o in $extra; do nm "$top/$o" | awk '{ print $NF }'; done | sort -u)
	stray=$(comm -23 <(comm -23 <(syms "$t") <(syms "$p")) <(echo "$allowed") | xargs)
	check "test_only_symbols_$m" "not from test-only objects ($(xargs <<<"$extra")): $stray" \
		test -z "$stray"
	more=$(comm -13 <(syms "$t") <(syms "$p") | xargs)
	check "no_production_only_symbols_$m" "only in production: $more" test -z "$more"
done

# 5. The known test-only symbols.
all_syms() { for k in "$@"; do syms "$k"; done | sort -u; }
test_all=$(all_syms "${test_ko[@]}")
prod_all=$(all_syms "${prod_ko[@]}")
# absent CASE ITEM TEST-LIST PROD-LIST WHAT: ITEM is a line of the test
# build's list and of none of production's.
absent() {
	if ! grep -qFx "$2" <<<"$3"; then
		fail "$1" "not among the test build's $5 either: the known list is stale"
	elif grep -qFx "$2" <<<"$4"; then
		fail "$1" "among a production module's $5"
	else
		pass "$1"
	fi
}
for s in $known_syms; do
	absent "no_symbol_$s" "$s" "$test_all" "$prod_all" symbols
done

# 6. The debugfs names test-only code creates, from its sources.
testonly_src=$(for m in "${!prod_ko[@]}"; do
		       [ -n "${test_ko[$m]:-}" ] || continue
		       comm -23 <(objs "$top" "${test_ko[$m]}") <(objs "$src" "${prod_ko[$m]}")
	       done | sed 's/\.o$/.c/' | sort -u)
names=
[ -z "$testonly_src" ] ||
	names=$(cd "$top" && grep -ho 'debugfs_create_[a-z0-9_]*("[^"]*"' $testonly_src |
		sed 's/.*("\(.*\)"/\1/' | sort -u)
[ -n "$names" ] || fail debugfs_names "no debugfs names found in the test-only sources ($(xargs <<<"$testonly_src"))"
names=$(printf '%s\n' $names $known_debugfs | sort -u)
test_str=$(for k in "${test_ko[@]}"; do strs "$k"; done | sort -u)
prod_str=$(for k in "${prod_ko[@]}"; do strs "$k"; done | sort -u)
for n in $names; do
	absent "no_debugfs_$n" "$n" "$test_str" "$prod_str" strings
done

exit $failed
