/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The hvstack echo device: a test device class (VMBUS_CLASS_HVSTACK_ECHO)
 * that hvhost offers so the VMBus data path can be tested before any real
 * device exists.  The guest side is selftests/modules/vmbus_echo_test.c;
 * the host side tools/hvhost/vmbus_echo.c.  Not a Microsoft protocol.
 *
 * Every request starts with struct hvecho_hdr; every little-endian field.
 *
 * HVECHO_OP_ECHO, in a VMBUS_PKT_DATA_INBAND packet: hdr + len data bytes.
 *	With VMBUS_PKT_FLAG_COMPLETION the host answers with a VMBUS_PKT_COMP
 *	of the same trans_id; without it, with a VMBUS_PKT_DATA_INBAND of the
 *	same trans_id and flags 0.  Either way the answer's payload is the
 *	request's hdr (status set) and the same len data bytes.
 *
 * HVECHO_OP_CHECKSUM, in a VMBUS_PKT_DATA_GPA_DIRECT packet with
 *	completion requested: the host reads every byte the ranges describe,
 *	in order, and answers VMBUS_PKT_COMP with hdr only: len = bytes read,
 *	arg = their CRC-32 (the zlib/IEEE 802.3 one: reflected polynomial
 *	0xedb88320, initial value and final xor 0xffffffff; in the kernel
 *	crc32_le(~0, p, n) ^ ~0).
 *
 * HVECHO_OP_FILL, like CHECKSUM, but the host writes byte i (counted
 *	across all ranges) as (u8)(arg + i) first; answer: len = bytes
 *	written, arg = their CRC-32.
 *
 * HVECHO_OP_BAD_COMP, inband with completion requested: the host first
 *	sends a VMBUS_PKT_COMP whose trans_id is the request's arg (an id the
 *	guest never issued), then the normal completion of the request (hdr
 *	only, status OK).  Tests that unknown completion ids are dropped.
 *
 * HVECHO_OP_FLOOD, inband: the host sends arg VMBUS_PKT_DATA_INBAND
 *	packets of len data bytes each (trans_id 0, data byte i = (u8)i, hdr
 *	op = HVECHO_OP_FLOOD, arg = sequence number from 0), waiting for ring
 *	space as needed, then the completion if one was requested.
 *
 * HVECHO_OP_SUBCHANNELS, inband, on the PRIMARY channel only: the guest
 *	wants arg subchannels in all.  The host offers what is missing
 *	(OFFERCHANNEL with the primary's type and instance and
 *	sub_channel_index 1, 2, ...), never more than the device's maximum,
 *	and answers hdr with arg = subchannels now offered (old and new)
 *	and len = the device's maximum; status HVECHO_ST_UNSUPPORTED when
 *	the device has no subchannels at all (maximum 0) or the request
 *	came on a subchannel.  The answer is sent after the offers were
 *	queued, but offers travel as channel messages and may arrive later
 *	than the answer.  Like storvsc's CREATE_SUB_CHANNELS, this is how a
 *	driver gets a subchannel per CPU.
 *
 * Every op works on subchannels too (except SUBCHANNELS); each
 * subchannel is an independent channel with its own rings.
 *
 * A request the host cannot serve gets hdr with status != 0 (and len 0)
 * in the same kind of answer; a packet too short to hold the hdr is
 * dropped (counted by the host).
 */
#ifndef _HYPERV_HVECHO_H
#define _HYPERV_HVECHO_H

#include <hyperv/hv_types.h>

enum hvecho_op {
	HVECHO_OP_ECHO		= 1,
	HVECHO_OP_CHECKSUM	= 2,
	HVECHO_OP_FILL		= 3,
	HVECHO_OP_BAD_COMP	= 4,
	HVECHO_OP_FLOOD		= 5,
	HVECHO_OP_SUBCHANNELS	= 6,
};

enum hvecho_status {
	HVECHO_ST_OK		= 0,
	HVECHO_ST_BAD_OP	= 1,	/* unknown op, or op in the wrong packet type */
	HVECHO_ST_BAD_RANGE	= 2,	/* a range outside guest RAM or malformed */
	HVECHO_ST_BAD_LEN	= 3,	/* len does not match the packet */
	HVECHO_ST_UNSUPPORTED	= 4,	/* the device cannot do that (see above) */
};

struct hvecho_hdr {
	__le32 op;			/* enum hvecho_op */
	__le32 status;			/* enum hvecho_status; 0 in requests */
	__le32 len;			/* data bytes (see above) */
	__le32 reserved;
	__le64 arg;
};
HV_ASSERT_SIZE(struct hvecho_hdr, 24);

/* Largest len the host accepts for ECHO and FLOOD. */
#define HVECHO_MAX_INBAND_DATA	65536

#endif /* _HYPERV_HVECHO_H */
