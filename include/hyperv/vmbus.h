/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VMBus channel-management protocol: the messages guest and host exchange
 * as SynIC message payloads (guest -> host: HvCallPostMessage with message
 * type HVMSG_CHANNEL; host -> guest: SINT 2 slots, type HVMSG_CHANNEL).
 * Wire formats only.
 *
 * Sources: Linux include/linux/hyperv.h and drivers/hv/hyperv_vmbus.h.
 * Every multi-byte field is little-endian; every message starts with
 * struct vmbus_chanmsg_hdr; a message is at most HV_MESSAGE_PAYLOAD_MAX
 * (240) bytes.
 *
 * Comment tags: G->H sent by the guest, H->G sent by the host.
 */
#ifndef _HYPERV_VMBUS_H
#define _HYPERV_VMBUS_H

#include <hyperv/hv_types.h>
#include <hyperv/tlfs.h>

/* ---------------------------------------------------------------------- */
/* Connection ids, SINT, versions                                           */
/* ---------------------------------------------------------------------- */

#define VMBUS_MESSAGE_CONNECTION_ID	1  /* posts for versions < 5.0 */
#define VMBUS_EVENT_CONNECTION_ID	2  /* 0.13 only */
#define VMBUS_MONITOR_CONNECTION_ID	3  /* legacy */
#define VMBUS_MESSAGE_CONNECTION_ID_4	4  /* INITIATE_CONTACT for >= 5.0 */
#define VMBUS_MESSAGE_SINT		HV_SINT_VMBUS

/* Version u32 = major << 16 | minor. */
#define VMBUS_MAKE_VERSION(major, minor)	((__u32)(major) << 16 | (__u32)(minor))
#define VMBUS_VERSION_MAJOR(v)		((__u32)(v) >> 16)
#define VMBUS_VERSION_MINOR(v)		((__u32)(v) & 0xffff)

#define VMBUS_VERSION_WS2008		VMBUS_MAKE_VERSION(0, 13)
#define VMBUS_VERSION_WIN7		VMBUS_MAKE_VERSION(1, 1)
#define VMBUS_VERSION_WIN8		VMBUS_MAKE_VERSION(2, 4)
#define VMBUS_VERSION_WIN8_1		VMBUS_MAKE_VERSION(3, 0)
#define VMBUS_VERSION_WIN10		VMBUS_MAKE_VERSION(4, 0)
#define VMBUS_VERSION_WIN10_RS3		VMBUS_MAKE_VERSION(4, 1)
#define VMBUS_VERSION_WIN10_V5		VMBUS_MAKE_VERSION(5, 0)
#define VMBUS_VERSION_WIN10_RS4		VMBUS_MAKE_VERSION(5, 1)
#define VMBUS_VERSION_WIN10_RS5		VMBUS_MAKE_VERSION(5, 2)
#define VMBUS_VERSION_IRON		VMBUS_MAKE_VERSION(5, 3)
#define VMBUS_VERSION_COPPER		VMBUS_MAKE_VERSION(6, 0)

/* Relids start at 1; hosts assign fewer than this many. */
#define VMBUS_RELID_MAX			2047
#define VMBUS_MONITOR_ID_NONE		0xff

/* ---------------------------------------------------------------------- */
/* GUIDs                                                                    */
/* ---------------------------------------------------------------------- */

/*
 * A GUID as it travels: Data1 (u32 LE), Data2 (u16 LE), Data3 (u16 LE),
 * then Data4's 8 bytes in textual order.  The same byte layout as the
 * kernel's guid_t.
 */
struct hv_guid {
	__u8 b[16];
};
HV_ASSERT_SIZE(struct hv_guid, 16);

#define HV_GUID_INIT(a, b_, c, d0, d1, d2, d3, d4, d5, d6, d7)		\
	{ .b = { (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff,	\
		 ((a) >> 24) & 0xff, (b_) & 0xff, ((b_) >> 8) & 0xff,	\
		 (c) & 0xff, ((c) >> 8) & 0xff,				\
		 (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) } }

/* Device interface-type (class) GUIDs (Linux include/linux/hyperv.h, HV_*_GUID). */
#define VMBUS_CLASS_NETWORK	HV_GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, \
				0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e)
#define VMBUS_CLASS_SCSI	HV_GUID_INIT(0xba6163d9, 0x04a1, 0x4d29, \
				0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f)
#define VMBUS_CLASS_IDE		HV_GUID_INIT(0x32412632, 0x86cb, 0x44a2, \
				0x9b, 0x5c, 0x50, 0xd1, 0x41, 0x73, 0x54, 0xf5)
#define VMBUS_CLASS_KVP		HV_GUID_INIT(0xa9a0f4e7, 0x5a45, 0x4d96, \
				0xb8, 0x27, 0x8a, 0x84, 0x1e, 0x8c, 0x03, 0xe6)
#define VMBUS_CLASS_VSS		HV_GUID_INIT(0x35fa2e29, 0xea23, 0x4236, \
				0x96, 0xae, 0x3a, 0x6e, 0xba, 0xcb, 0xa4, 0x40)
#define VMBUS_CLASS_FCOPY	HV_GUID_INIT(0x34d14be3, 0xdee4, 0x41c8, \
				0x9a, 0xe7, 0x6b, 0x17, 0x49, 0x77, 0xc1, 0x92)
#define VMBUS_CLASS_SHUTDOWN	HV_GUID_INIT(0x0e0b6031, 0x5213, 0x4934, \
				0x81, 0x8b, 0x38, 0xd9, 0x0c, 0xed, 0x39, 0xdb)
#define VMBUS_CLASS_TIMESYNC	HV_GUID_INIT(0x9527e630, 0xd0ae, 0x497b, \
				0xad, 0xce, 0xe8, 0x0a, 0xb0, 0x17, 0x5c, 0xaf)
#define VMBUS_CLASS_HEARTBEAT	HV_GUID_INIT(0x57164f39, 0x9115, 0x4e78, \
				0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, 0x2d)
#define VMBUS_CLASS_BALLOON	HV_GUID_INIT(0x525074dc, 0x8985, 0x46e2, \
				0x80, 0x57, 0xa3, 0x07, 0xdc, 0x18, 0xa5, 0x02)
/*
 * hvstack's own loopback device (not Hyper-V): hvhost's echo VSP, which
 * echoes inband packets and checksums GPA ranges.  Test-only.
 */
#define VMBUS_CLASS_HVSTACK_ECHO HV_GUID_INIT(0x5d6e6c0c, 0x8f2b, 0x4c7a, \
				0x9e, 0x51, 0x68, 0x76, 0x73, 0x74, 0xec, 0x40)

/* ---------------------------------------------------------------------- */
/* Channel messages                                                         */
/* ---------------------------------------------------------------------- */

enum vmbus_chanmsg_type {
	VMBUS_CHANMSG_INVALID			= 0,
	VMBUS_CHANMSG_OFFERCHANNEL		= 1,	/* H->G */
	VMBUS_CHANMSG_RESCIND_CHANNELOFFER	= 2,	/* H->G */
	VMBUS_CHANMSG_REQUESTOFFERS		= 3,	/* G->H */
	VMBUS_CHANMSG_ALLOFFERS_DELIVERED	= 4,	/* H->G */
	VMBUS_CHANMSG_OPENCHANNEL		= 5,	/* G->H */
	VMBUS_CHANMSG_OPENCHANNEL_RESULT	= 6,	/* H->G */
	VMBUS_CHANMSG_CLOSECHANNEL		= 7,	/* G->H */
	VMBUS_CHANMSG_GPADL_HEADER		= 8,	/* G->H */
	VMBUS_CHANMSG_GPADL_BODY		= 9,	/* G->H */
	VMBUS_CHANMSG_GPADL_CREATED		= 10,	/* H->G */
	VMBUS_CHANMSG_GPADL_TEARDOWN		= 11,	/* G->H */
	VMBUS_CHANMSG_GPADL_TORNDOWN		= 12,	/* H->G */
	VMBUS_CHANMSG_RELID_RELEASED		= 13,	/* G->H */
	VMBUS_CHANMSG_INITIATE_CONTACT		= 14,	/* G->H */
	VMBUS_CHANMSG_VERSION_RESPONSE		= 15,	/* H->G */
	VMBUS_CHANMSG_UNLOAD			= 16,	/* G->H */
	VMBUS_CHANMSG_UNLOAD_RESPONSE		= 17,	/* H->G */
	VMBUS_CHANMSG_OPEN_RESERVED_CHANNEL	= 18,	/* G->H, >= 4.0 */
	VMBUS_CHANMSG_CLOSE_RESERVED_CHANNEL	= 19,	/* G->H, >= 4.0 */
	VMBUS_CHANMSG_CLOSE_RESERVED_RESPONSE	= 20,	/* H->G, >= 4.0 */
	VMBUS_CHANMSG_TL_CONNECT_REQUEST	= 21,	/* G->H, >= 4.0 */
	VMBUS_CHANMSG_MODIFYCHANNEL		= 22,	/* G->H, >= 4.1 */
	VMBUS_CHANMSG_TL_CONNECT_RESULT		= 23,	/* H->G, >= 4.1 */
	VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE	= 24,	/* H->G, >= 5.3 */
	VMBUS_CHANMSG_COUNT			= 25,
};

struct vmbus_chanmsg_hdr {
	__le32 msgtype;			/* enum vmbus_chanmsg_type */
	__le32 padding;
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_hdr, 8);

/* OFFERCHANNEL channel flags (chflags). */
#define VMBUS_CHFLAG_ENUMERATE_DEVICE	0x0001
#define VMBUS_CHFLAG_NAMED_PIPE_MODE	0x0010
#define VMBUS_CHFLAG_LOOPBACK		0x0100
#define VMBUS_CHFLAG_PARENT_OFFER	0x0200
#define VMBUS_CHFLAG_REQUEST_MNF	0x0400
#define VMBUS_CHFLAG_TLNPI_PROVIDER	0x2000	/* hv_sock */

#define VMBUS_OFFER_MONITOR_ALLOCATED	0x01	/* monitor_flags */
#define VMBUS_OFFER_DEDICATED_INTERRUPT	0x0001	/* interrupt_flags */
#define VMBUS_OFFER_USER_DEFINED_SIZE	120

/* H->G OFFERCHANNEL. */
struct vmbus_chanmsg_offer {
	struct vmbus_chanmsg_hdr hdr;
	struct hv_guid if_type;		/* device class (VMBUS_CLASS_*) */
	struct hv_guid if_instance;	/* unique per device; subchannels repeat it */
	__u8 reserved1[16];		/* pre-Win8 latency/revision: ignore */
	__le16 chflags;			/* VMBUS_CHFLAG_* */
	__le16 mmio_megabytes;		/* MiB */
	__u8 user_defined[VMBUS_OFFER_USER_DEFINED_SIZE];
	__le16 sub_channel_index;	/* 0 = primary (>= 2.4) */
	__le16 mmio_megabytes_optional;	/* MiB */
	__le32 child_relid;		/* 1..VMBUS_RELID_MAX */
	__u8 monitor_id;		/* VMBUS_MONITOR_ID_NONE when none */
	__u8 monitor_flags;		/* VMBUS_OFFER_MONITOR_ALLOCATED */
	__le16 interrupt_flags;		/* VMBUS_OFFER_DEDICATED_INTERRUPT */
	__le32 connection_id;		/* HvCallSignalEvent target (>= 1.1) */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_offer, 196);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, if_instance, 24);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, chflags, 56);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, user_defined, 60);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, sub_channel_index, 180);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, child_relid, 184);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, monitor_id, 188);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_offer, connection_id, 192);

/*
 * Messages carrying only a relid: H->G RESCIND_CHANNELOFFER, G->H
 * CLOSECHANNEL, G->H RELID_RELEASED.
 */
struct vmbus_chanmsg_relid {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_relid, 12);

/*
 * Header-only messages: G->H REQUESTOFFERS, H->G ALLOFFERS_DELIVERED,
 * G->H UNLOAD, H->G UNLOAD_RESPONSE.  They are struct vmbus_chanmsg_hdr.
 */

#define VMBUS_OPEN_USER_DATA_SIZE	120
#define VMBUS_TARGET_VP_NONE		0xffffffffU	/* interrupts disabled */

/* G->H OPENCHANNEL (the 6.0 OPEN_CHANNEL2 tail is not described here). */
struct vmbus_chanmsg_open {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 open_id;			/* echoed in the result */
	__le32 ring_gpadl;		/* GPADL handle of both rings */
	__le32 target_vp;		/* VP for H->G interrupts (>= 2.4) */
	__le32 downstream_page_offset;	/* pages of the G->H ring incl. its control page */
	__u8 user_data[VMBUS_OPEN_USER_DATA_SIZE];
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_open, 148);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_open, user_data, 28);

/* H->G OPENCHANNEL_RESULT. */
struct vmbus_chanmsg_open_result {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 open_id;
	__le32 status;			/* 0 = success, else NTSTATUS-style */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_open_result, 20);

/*
 * One range of a GPADL: byte_count bytes starting byte_offset bytes into
 * the first of its pages, followed by the __le64 page numbers (HV_PAGE_SIZE
 * pages) it spans.
 */
struct vmbus_gpa_range {
	__le32 byte_count;
	__le32 byte_offset;
};
HV_ASSERT_SIZE(struct vmbus_gpa_range, 8);

/*
 * G->H GPADL_HEADER.  range[] holds range_count ranges, range_buflen bytes
 * in all, each a struct vmbus_gpa_range and its PFNs.  They start at byte
 * 20, so the PFNs are only 4-byte aligned: copy them out
 * (get_unaligned_le64 / memcpy), never dereference them in place.
 */
struct vmbus_chanmsg_gpadl_header {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 gpadl;			/* handle chosen by the guest */
	__le16 range_buflen;		/* bytes of all ranges: 8 + 8 * pfns each */
	__le16 range_count;
	__u8 range[];
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_gpadl_header, 20);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_gpadl_header, range, 20);

/* G->H GPADL_BODY, followed by more PFNs of the (single) range. */
struct vmbus_chanmsg_gpadl_body {
	struct vmbus_chanmsg_hdr hdr;
	__le32 msgnum;			/* reserved: 0 */
	__le32 gpadl;
	__le64 pfn[];
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_gpadl_body, 16);

/* PFNs that fit: header (one range) and each body. */
#define VMBUS_GPADL_HEADER_PFNS	((HV_MESSAGE_PAYLOAD_MAX - 20 - 8) / 8)
#define VMBUS_GPADL_BODY_PFNS	((HV_MESSAGE_PAYLOAD_MAX - 16) / 8)
static_assert(VMBUS_GPADL_HEADER_PFNS == 26, "GPADL header PFNs");
static_assert(VMBUS_GPADL_BODY_PFNS == 28, "GPADL body PFNs");

/* H->G GPADL_CREATED. */
struct vmbus_chanmsg_gpadl_created {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 gpadl;
	__le32 status;			/* 0 = success; any other value = failure */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_gpadl_created, 20);

/* G->H GPADL_TEARDOWN. */
struct vmbus_chanmsg_gpadl_teardown {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 gpadl;
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_gpadl_teardown, 16);

/* H->G GPADL_TORNDOWN: the host no longer uses the pages. */
struct vmbus_chanmsg_gpadl_torndown {
	struct vmbus_chanmsg_hdr hdr;
	__le32 gpadl;
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_gpadl_torndown, 12);

/* G->H INITIATE_CONTACT. */
struct vmbus_chanmsg_initiate_contact {
	struct vmbus_chanmsg_hdr hdr;
	__le32 version;			/* VMBUS_MAKE_VERSION() */
	__le32 target_vcpu;		/* VP for H->G messages (>= 3.0) */
	union {
		__le64 interrupt_page;	/* < 5.0: GPA of the interrupt page */
		struct {		/* >= 5.0 */
			__u8 msg_sint;	/* SINT for H->G messages (2) */
			__u8 msg_vtl;	/* >= 5.1 */
			__u8 reserved[2];
			__le32 feature_flags;	/* >= 6.0 */
		};
	};
	__le64 monitor_page1;		/* H->G monitor page GPA (0 or both set) */
	__le64 monitor_page2;		/* G->H monitor page GPA */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_initiate_contact, 40);
HV_ASSERT_OFFSET(struct vmbus_chanmsg_initiate_contact, monitor_page1, 24);

/*
 * Monitor pages (Linux include/linux/hyperv.h, struct hv_monitor_page;
 * drivers/hv/channel.c, vmbus_setevent()).  INITIATE_CONTACT gives the
 * host two zeroed pages: monitor_page1 (host -> guest, unused by guests)
 * and monitor_page2 (guest -> host).  A channel offered with
 * VMBUS_OFFER_MONITOR_ALLOCATED and monitor id m (< VMBUS_MONITOR_IDS)
 * signals the host by setting bit m % 32 of trigger_group[m / 32].pending
 * in the guest -> host page instead of calling HvCallSignalEvent; the host
 * polls and clears the pending bits at the channel's latency
 * (latency[m / 32][m % 32]; 100 ns units assumed, no source states them)
 * and treats each as a signal of parameter[m / 32][m % 32].connection_id.
 * The host fills latency and parameter; guests only read them.
 */
#define VMBUS_MONITOR_GROUPS		4
#define VMBUS_MONITOR_PER_GROUP		32
#define VMBUS_MONITOR_IDS		(VMBUS_MONITOR_GROUPS * VMBUS_MONITOR_PER_GROUP)

struct vmbus_monitor_trigger {
	__le32 pending;			/* bit n: monitor id group * 32 + n signalled */
	__le32 armed;
};

struct vmbus_monitor_param {
	__le32 connection_id;
	__le16 flag_number;
	__le16 reserved;
};

struct vmbus_monitor_page {
	__le32 trigger_state;		/* bits 3:0: group enable */
	__le32 reserved1;
	struct vmbus_monitor_trigger trigger_group[VMBUS_MONITOR_GROUPS];
	__u8 reserved2[24];
	__le32 next_check_time[VMBUS_MONITOR_GROUPS][VMBUS_MONITOR_PER_GROUP];
	__le16 latency[VMBUS_MONITOR_GROUPS][VMBUS_MONITOR_PER_GROUP];
	__u8 reserved3[256];
	struct vmbus_monitor_param parameter[VMBUS_MONITOR_GROUPS][VMBUS_MONITOR_PER_GROUP];
	__u8 reserved4[1984];
};
HV_ASSERT_SIZE(struct vmbus_monitor_page, 4096);
HV_ASSERT_OFFSET(struct vmbus_monitor_page, trigger_group, 8);
HV_ASSERT_OFFSET(struct vmbus_monitor_page, next_check_time, 64);
HV_ASSERT_OFFSET(struct vmbus_monitor_page, latency, 576);
HV_ASSERT_OFFSET(struct vmbus_monitor_page, parameter, 1088);

/* H->G VERSION_RESPONSE (the form for versions below 6.0 and refusals). */
struct vmbus_chanmsg_version_response {
	struct vmbus_chanmsg_hdr hdr;
	__u8 version_supported;		/* 1 = accepted */
	__u8 connection_state;		/* 0 = ok (meaningful for >= 2.4) */
	__le16 padding;
	__le32 msg_conn_id;		/* >= 5.0: connection id for later posts */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_version_response, 16);

/* G->H MODIFYCHANNEL (>= 4.1). */
struct vmbus_chanmsg_modifychannel {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 target_vp;		/* never VMBUS_TARGET_VP_NONE */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_modifychannel, 16);

/* H->G MODIFYCHANNEL_RESPONSE (>= 5.3). */
struct vmbus_chanmsg_modifychannel_response {
	struct vmbus_chanmsg_hdr hdr;
	__le32 child_relid;
	__le32 status;			/* 0 = ok */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_modifychannel_response, 16);

/* G->H TL_CONNECT_REQUEST (hv_sock; silo id from 5.2). */
struct vmbus_chanmsg_tl_connect_request {
	struct vmbus_chanmsg_hdr hdr;
	struct hv_guid endpoint_id;
	struct hv_guid service_id;
	struct hv_guid silo_id;		/* >= 5.2 */
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_tl_connect_request, 56);

/* H->G TL_CONNECT_RESULT (>= 4.1). */
struct vmbus_chanmsg_tl_connect_result {
	struct vmbus_chanmsg_hdr hdr;
	struct hv_guid endpoint_id;
	struct hv_guid service_id;
	__le32 status;
};
HV_ASSERT_SIZE(struct vmbus_chanmsg_tl_connect_result, 44);

/*
 * Smallest valid length of each message type (header included), for the
 * one place each side checks a message before reading any field.  0 =
 * not a valid type for this table.  Versions add tails to some messages
 * (INITIATE_CONTACT, VERSION_RESPONSE, OPENCHANNEL for 6.0; TL_CONNECT_
 * REQUEST before 5.2 lacks the silo id): the minimum is the oldest form.
 */
#define VMBUS_CHANMSG_MIN_LEN_TABLE {					\
	[VMBUS_CHANMSG_OFFERCHANNEL] = sizeof(struct vmbus_chanmsg_offer),	\
	[VMBUS_CHANMSG_RESCIND_CHANNELOFFER] = sizeof(struct vmbus_chanmsg_relid), \
	[VMBUS_CHANMSG_REQUESTOFFERS] = sizeof(struct vmbus_chanmsg_hdr),	\
	[VMBUS_CHANMSG_ALLOFFERS_DELIVERED] = sizeof(struct vmbus_chanmsg_hdr), \
	[VMBUS_CHANMSG_OPENCHANNEL] = sizeof(struct vmbus_chanmsg_open),	\
	[VMBUS_CHANMSG_OPENCHANNEL_RESULT] = sizeof(struct vmbus_chanmsg_open_result), \
	[VMBUS_CHANMSG_CLOSECHANNEL] = sizeof(struct vmbus_chanmsg_relid),	\
	[VMBUS_CHANMSG_GPADL_HEADER] = sizeof(struct vmbus_chanmsg_gpadl_header) + \
				       sizeof(struct vmbus_gpa_range),		\
	[VMBUS_CHANMSG_GPADL_BODY] = sizeof(struct vmbus_chanmsg_gpadl_body),	\
	[VMBUS_CHANMSG_GPADL_CREATED] = sizeof(struct vmbus_chanmsg_gpadl_created), \
	[VMBUS_CHANMSG_GPADL_TEARDOWN] = sizeof(struct vmbus_chanmsg_gpadl_teardown), \
	[VMBUS_CHANMSG_GPADL_TORNDOWN] = sizeof(struct vmbus_chanmsg_gpadl_torndown), \
	[VMBUS_CHANMSG_RELID_RELEASED] = sizeof(struct vmbus_chanmsg_relid),	\
	[VMBUS_CHANMSG_INITIATE_CONTACT] = sizeof(struct vmbus_chanmsg_initiate_contact), \
	[VMBUS_CHANMSG_VERSION_RESPONSE] = sizeof(struct vmbus_chanmsg_version_response), \
	[VMBUS_CHANMSG_UNLOAD] = sizeof(struct vmbus_chanmsg_hdr),		\
	[VMBUS_CHANMSG_UNLOAD_RESPONSE] = sizeof(struct vmbus_chanmsg_hdr),	\
	[VMBUS_CHANMSG_OPEN_RESERVED_CHANNEL] = 8 + 20,				\
	[VMBUS_CHANMSG_CLOSE_RESERVED_CHANNEL] = 8 + 12,			\
	[VMBUS_CHANMSG_CLOSE_RESERVED_RESPONSE] = 8 + 4,			\
	[VMBUS_CHANMSG_TL_CONNECT_REQUEST] = sizeof(struct vmbus_chanmsg_tl_connect_request) - \
					     sizeof(struct hv_guid),		\
	[VMBUS_CHANMSG_MODIFYCHANNEL] = sizeof(struct vmbus_chanmsg_modifychannel), \
	[VMBUS_CHANMSG_TL_CONNECT_RESULT] = sizeof(struct vmbus_chanmsg_tl_connect_result), \
	[VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE] =				\
		sizeof(struct vmbus_chanmsg_modifychannel_response),		\
}

#endif /* _HYPERV_VMBUS_H */
