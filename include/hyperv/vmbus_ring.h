/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VMBus ring buffers and the packets that travel in them.  Wire formats
 * only.  Sources: Linux include/linux/hyperv.h and drivers/hv/ring_buffer.c.
 * Every multi-byte field is little-endian.
 *
 * A channel's rings live in one GPADL: first the guest->host ("outbound"
 * for the guest) ring, then the host->guest ring.  Each ring is a control
 * page (struct vmbus_ring_ctl) followed by its data area; both sizes are
 * whole pages, the data area at least one page.  OPENCHANNEL's
 * downstream_page_offset is the page count of the guest->host ring.
 *
 * Indices are byte offsets into the data area, multiples of 8, below its
 * size.  Empty: read_index == write_index.  A writer never fills the area
 * completely: it keeps at least VMBUS_RING_MIN_GAP bytes free.
 *
 * A packet is a struct vmbus_pkt_desc, a type-specific header, the
 * payload, padding to 8 bytes, then the 8-byte trailer; it may wrap
 * around the end of the data area.  Everything in the ring is written by
 * the other side at any time: a reader copies a packet out before looking
 * at it and checks every length, offset and count against what it copied.
 */
#ifndef _HYPERV_VMBUS_RING_H
#define _HYPERV_VMBUS_RING_H

#include <hyperv/hv_types.h>
#include <hyperv/tlfs.h>

/* ---------------------------------------------------------------------- */
/* Control page                                                             */
/* ---------------------------------------------------------------------- */

/* feature_bits: the ring's writer sets pending_send_sz when it blocks. */
#define VMBUS_RING_FEAT_PENDING_SEND_SZ	0x1

/*
 * The first page of each ring.  Who writes what:
 *   write_index      the writer, after the packet bytes (release order)
 *   read_index       the reader, after it has copied packets out
 *   interrupt_mask   the reader: non-zero while it drains, so the writer
 *                    need not signal
 *   pending_send_sz  the writer: bytes it waits for (0 = not blocked)
 *   feature_bits     the writer (VMBUS_RING_FEAT_*)
 */
struct vmbus_ring_ctl {
	__le32 write_index;
	__le32 read_index;
	__le32 interrupt_mask;
	__le32 pending_send_sz;
	__le32 reserved1[12];
	__le32 feature_bits;
	__u8 reserved2[HV_PAGE_SIZE - 68];
};
HV_ASSERT_SIZE(struct vmbus_ring_ctl, HV_PAGE_SIZE);
HV_ASSERT_OFFSET(struct vmbus_ring_ctl, pending_send_sz, 12);
HV_ASSERT_OFFSET(struct vmbus_ring_ctl, feature_bits, 64);

/* Free bytes a writer always leaves, so a full ring never looks empty. */
#define VMBUS_RING_MIN_GAP		8
/* Smallest ring: control page + one data page. */
#define VMBUS_RING_MIN_PAGES		2

/* ---------------------------------------------------------------------- */
/* Packets                                                                  */
/* ---------------------------------------------------------------------- */

enum vmbus_pkt_type {
	VMBUS_PKT_INVALID		= 0x0,
	VMBUS_PKT_SYNCH			= 0x1,	/* legacy */
	VMBUS_PKT_ADD_XFER_PAGESET	= 0x2,	/* legacy */
	VMBUS_PKT_RM_XFER_PAGESET	= 0x3,	/* legacy */
	VMBUS_PKT_ESTABLISH_GPADL	= 0x4,	/* legacy */
	VMBUS_PKT_TEARDOWN_GPADL	= 0x5,	/* legacy */
	VMBUS_PKT_DATA_INBAND		= 0x6,	/* payload inline */
	VMBUS_PKT_DATA_XFER_PAGES	= 0x7,	/* H->G, netvsc receive buffer */
	VMBUS_PKT_DATA_GPADL		= 0x8,	/* legacy */
	VMBUS_PKT_DATA_GPA_DIRECT	= 0x9,	/* payload + GPA ranges */
	VMBUS_PKT_CANCEL_REQUEST	= 0xa,	/* legacy */
	VMBUS_PKT_COMP			= 0xb,	/* completion of a request */
	VMBUS_PKT_DATA_ADDITIONAL	= 0xc,	/* legacy */
	VMBUS_PKT_ADDITIONAL_DATA	= 0xd,	/* legacy */
};

/* flags: the sender wants a VMBUS_PKT_COMP with the same trans_id. */
#define VMBUS_PKT_FLAG_COMPLETION	0x1

/*
 * Every packet starts with this.  Offsets and lengths are in 8-byte
 * units: data_offset8 from the packet start to the payload (>= 2, covers
 * the type-specific header), length8 of the whole packet without the
 * trailer (>= data_offset8).
 */
struct vmbus_pkt_desc {
	__le16 type;			/* enum vmbus_pkt_type */
	__le16 data_offset8;
	__le16 length8;
	__le16 flags;			/* VMBUS_PKT_FLAG_* */
	__le64 trans_id;		/* request id; echoed by the completion */
};
HV_ASSERT_SIZE(struct vmbus_pkt_desc, 16);

/* Upper 32 bits: the write_index the packet started at; lower 32: 0. */
struct vmbus_pkt_trailer {
	__le64 prev_index;
};
HV_ASSERT_SIZE(struct vmbus_pkt_trailer, 8);

#define VMBUS_PKT_TRAILER_LEN		8
/* length8 is 16 bits: no packet (without trailer) exceeds this. */
#define VMBUS_PKT_MAX_LEN		(0xffffU * 8)

/*
 * One range of a GPA-direct packet: byte_count bytes from byte_offset
 * into the first page, then the __le64 PFNs of every HV_PAGE_SIZE page it
 * spans.  Same layout as a GPADL range (struct vmbus_gpa_range).
 */
struct vmbus_pkt_range {
	__le32 byte_count;
	__le32 byte_offset;
	__le64 pfn[];
};
HV_ASSERT_SIZE(struct vmbus_pkt_range, 8);

/*
 * Header of VMBUS_PKT_DATA_GPA_DIRECT: after the descriptor, range_count
 * (> 0) ranges; data_offset8 covers them all, the payload follows.
 */
struct vmbus_pkt_gpa_direct {
	struct vmbus_pkt_desc desc;
	__le32 reserved;
	__le32 range_count;
	/* struct vmbus_pkt_range ranges[range_count] */
};
HV_ASSERT_SIZE(struct vmbus_pkt_gpa_direct, 24);

/* One range of a VMBUS_PKT_DATA_XFER_PAGES packet (relative to its set). */
struct vmbus_pkt_xfer_range {
	__le32 byte_count;
	__le32 byte_offset;
};
HV_ASSERT_SIZE(struct vmbus_pkt_xfer_range, 8);

/* Header of VMBUS_PKT_DATA_XFER_PAGES. */
struct vmbus_pkt_xfer_pages {
	struct vmbus_pkt_desc desc;
	__le16 xfer_pageset_id;
	__u8 sender_owns_set;
	__u8 reserved;
	__le32 range_count;
	/* struct vmbus_pkt_xfer_range ranges[range_count] */
};
HV_ASSERT_SIZE(struct vmbus_pkt_xfer_pages, 24);

/* Pages spanned by @count bytes starting @offset bytes into a page. */
#define VMBUS_PAGES_SPANNED(offset, count)				\
	((((__u64)(offset) & (HV_PAGE_SIZE - 1)) + (__u64)(count) +	\
	  HV_PAGE_SIZE - 1) >> HV_PAGE_SHIFT)

#endif /* _HYPERV_VMBUS_RING_H */
