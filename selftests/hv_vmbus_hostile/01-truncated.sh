#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Channel messages shorter than their type's minimum (OFFERCHANNEL of 100
# bytes, OPENCHANNEL_RESULT of 12, 4 bytes: not even a header) are dropped
# by hv_vmbus's ISR, counted (debugfs malformed_messages, one each) and
# logged; the bus keeps working.
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
expect echo_devices_bound "$(relids | wc -l)" 4
m=$(vstat malformed_messages)
hostile offer truncated:offer
counted offer_counted "$m"
logged offer_dropped 'OFFERCHANNEL of 100 bytes \(< 196\) dropped'
bus_ok offer
m=$(vstat malformed_messages)
hostile openresult truncated:openresult
counted openresult_counted "$m"
logged openresult_dropped 'OPENCHANNEL_RESULT of 12 bytes \(< 20\) dropped'
bus_ok openresult
m=$(vstat malformed_messages)
hostile hdr truncated:hdr
counted hdr_counted "$m"
logged hdr_dropped 'channel message of 4 bytes dropped'
bus_ok hdr
expect host_counted "$(hstat hostile_sent_truncated)" 3
