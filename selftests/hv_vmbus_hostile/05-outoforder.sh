#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Messages at the wrong time: unsolicited VERSION_RESPONSE and
# UNLOAD_RESPONSE (logged, dropped), a second ALLOFFERS_DELIVERED
# (harmless), an offer reusing a live relid, and offers with relid 0 and
# 2048 (logged, ignored; no device appears and no relid is released).
. /selftests/lib/ktap.sh
. /selftests/lib/echo.sh
. /selftests/lib/hostile.sh

DEVS=$(devices) CHANS=$(vstat channels)
rel=$(hstat vmbus_relids_released) perr=$(hstat vmbus_protocol_errors)
hostile version outoforder:version
logged version_dropped 'unexpected VERSION_RESPONSE from the host dropped'
hostile unload outoforder:unload
logged unload_dropped 'unexpected UNLOAD_RESPONSE from the host dropped'
hostile alloffers outoforder:alloffers
sleep 0.3
bus_ok alloffers
r=$(relids | head -n 1)
hostile dupoffer outoforder:dupoffer "$r"
logged dupoffer_ignored "offer with relid $r ignored: relid already in use"
hostile relid0 outoforder:relid0
logged relid0_ignored 'offer with relid 0 outside 1\.\.2047 ignored'
hostile relidbig outoforder:relidbig
logged relidbig_ignored 'offer with relid 2048 outside 1\.\.2047 ignored'
bus_ok outoforder
expect dupoffer_channel_still_open "$(hchan "$r" state)" open
healthy dupoffer_channel_works "$r"
expect no_relid_released "$(hstat vmbus_relids_released)" "$rel"
expect no_host_protocol_errors "$(hstat vmbus_protocol_errors)" "$perr"
expect host_counted "$(hstat hostile_sent_outoforder)" 6
