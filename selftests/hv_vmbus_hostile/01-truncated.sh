#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Channel messages shorter than their type's minimum (OFFERCHANNEL of 100
# bytes, OPENCHANNEL_RESULT of 12, 4 bytes: not even a header) are dropped
# by hv_vmbus's ISR and logged; the bus keeps working.  hv_vmbus has no
# counter for these drops: the rate-limited log line is what is checked.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
expect echo_devices_bound "$(relids | wc -l)" 4
hostile offer truncated:offer
logged offer_dropped 'OFFERCHANNEL of 100 bytes \(< 196\) dropped'
bus_ok offer
hostile openresult truncated:openresult
logged openresult_dropped 'OPENCHANNEL_RESULT of 12 bytes \(< 20\) dropped'
bus_ok openresult
hostile hdr truncated:hdr
logged hdr_dropped 'channel message of 4 bytes dropped'
bus_ok hdr
expect host_counted "$(hstat hostile_sent_truncated)" 3
