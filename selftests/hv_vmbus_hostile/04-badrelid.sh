#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Replies and rescinds naming a relid or GPADL handle that does not exist:
# the replies nobody waits for are counted in hv_vmbus's unexpected_replies
# (one each), the rescind of an unknown relid is logged and ignored.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
for v in openresult gpadlcreated gpadltorndown modifyresponse; do
	u=$(vstat unexpected_replies)
	hostile "$v" "badrelid:$v"
	wait_until "vstat unexpected_replies" $((u + 1)) 30
	expect "${v}_counted" "$(($(vstat unexpected_replies) - u))" 1
done
hostile rescind badrelid:rescind
logged rescind_ignored 'rescind of unknown relid 2000 ignored'
bus_ok badrelid
expect host_counted "$(hstat hostile_sent_badrelid)" 5
