#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Channel messages of types the guest does not know (0, 25, 99,
# 0xffffffff) are dropped, counted (malformed_messages) and logged.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
for t in 0 25 99 4294967295; do
	m=$(vstat malformed_messages)
	hostile "type$t" "unknown:$t"
	counted "type${t}_counted" "$m"
	logged "type${t}_dropped" "channel message of unknown type $t dropped"
done
bus_ok unknown
expect host_counted "$(hstat hostile_sent_unknown)" 4
