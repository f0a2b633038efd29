/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VSTOR: the storage protocol between storvsc (guest) and storvsp (host)
 * over a VMBus channel of class VMBUS_CLASS_SCSI.  Wire formats only.
 *
 * Sources: Linux drivers/scsi/storvsc_drv.c (the protocol is private to
 * it).  Every multi-byte field is little-endian.
 *
 * Every message is one struct vstor_packet (VSTOR_PACKET_SIZE bytes for
 * versions >= 5.1) as the payload of a ring packet with completion
 * requested: DATA_INBAND, or DATA_GPA_DIRECT with ONE range describing
 * the data buffer of an EXECUTE_SRB.  The host answers each with a
 * VMBUS_PKT_COMP of the same transaction id whose payload is a
 * vstor_packet with operation VSTOR_OP_COMPLETE_IO and the result in
 * status and in the payload union.  Host-initiated packets
 * (ENUMERATE_BUS, REMOVE_DEVICE) are DATA_INBAND with transaction id 0
 * and no completion requested.
 *
 * Init sequence (primary channel only): BEGIN_INITIALIZATION;
 * QUERY_PROTOCOL_VERSION from the newest version down until status 0;
 * QUERY_PROPERTIES; END_INITIALIZATION; then, if the properties say
 * multichannel, CREATE_SUB_CHANNELS(n <= max_channel_cnt), after which
 * the host offers n VMBus subchannels.  An op out of order gets
 * VSTOR_STATUS_INVALID_DEVICE_STATE.  Subchannels carry EXECUTE_SRB and
 * resets only.
 */
#ifndef _HYPERV_VSTOR_H
#define _HYPERV_VSTOR_H

#include <hyperv/hv_types.h>

/* Version word: major << 8 | minor. */
#define VSTOR_MAKE_VERSION(major, minor)	((__u16)((major) << 8 | (minor)))
#define VSTOR_VERSION_WIN8		VSTOR_MAKE_VERSION(5, 1)
#define VSTOR_VERSION_WIN8_1		VSTOR_MAKE_VERSION(6, 0)
#define VSTOR_VERSION_WIN10		VSTOR_MAKE_VERSION(6, 2)

enum vstor_op {
	VSTOR_OP_COMPLETE_IO		= 1,	/* H->G: every completion */
	VSTOR_OP_REMOVE_DEVICE		= 2,	/* H->G: rescan the bus */
	VSTOR_OP_EXECUTE_SRB		= 3,
	VSTOR_OP_RESET_LUN		= 4,
	VSTOR_OP_RESET_ADAPTER		= 5,
	VSTOR_OP_RESET_BUS		= 6,
	VSTOR_OP_BEGIN_INITIALIZATION	= 7,
	VSTOR_OP_END_INITIALIZATION	= 8,
	VSTOR_OP_QUERY_PROTOCOL_VERSION	= 9,
	VSTOR_OP_QUERY_PROPERTIES	= 10,
	VSTOR_OP_ENUMERATE_BUS		= 11,	/* H->G: the LUN set changed */
	VSTOR_OP_FC_HBA_DATA		= 12,
	VSTOR_OP_CREATE_SUB_CHANNELS	= 13,
	VSTOR_OP_EVENT_NOTIFICATION	= 14,	/* H->G, unused by Linux */
};

/* vstor_packet.flags: the only flag a guest sets (on every request). */
#define VSTOR_FLAG_REQUEST_COMPLETION	0x1

/* vstor_packet.status (NTSTATUS) values hosts use. */
#define VSTOR_STATUS_SUCCESS			0x00000000U
#define VSTOR_STATUS_BUFFER_OVERFLOW		0x80000005U	/* data overrun */
#define VSTOR_STATUS_DEVICE_BUSY		0x80000011U
#define VSTOR_STATUS_UNSUCCESSFUL		0xc0000001U
#define VSTOR_STATUS_INVALID_PARAMETER		0xc000000dU
#define VSTOR_STATUS_INVALID_DEVICE_REQUEST	0xc0000010U
#define VSTOR_STATUS_REVISION_MISMATCH		0xc0000059U
#define VSTOR_STATUS_DEVICE_NOT_CONNECTED	0xc000009dU
#define VSTOR_STATUS_IO_TIMEOUT			0xc00000b5U
#define VSTOR_STATUS_DEVICE_DOES_NOT_EXIST	0xc00000c0U
#define VSTOR_STATUS_CANCELLED			0xc0000120U
#define VSTOR_STATUS_INVALID_DEVICE_STATE	0xc0000184U
#define VSTOR_STATUS_IO_DEVICE_ERROR		0xc0000185U

/* SRB status byte: code in bits 5:0, plus two flags. */
#define SRB_STATUS_PENDING		0x00
#define SRB_STATUS_SUCCESS		0x01
#define SRB_STATUS_ABORTED		0x02
#define SRB_STATUS_ERROR		0x04
#define SRB_STATUS_BUSY			0x05
#define SRB_STATUS_INVALID_REQUEST	0x06
#define SRB_STATUS_INVALID_PATH_ID	0x07
#define SRB_STATUS_NO_DEVICE		0x08
#define SRB_STATUS_TIMEOUT		0x09
#define SRB_STATUS_SELECTION_TIMEOUT	0x0a
#define SRB_STATUS_COMMAND_TIMEOUT	0x0b
#define SRB_STATUS_BUS_RESET		0x0e
#define SRB_STATUS_DATA_OVERRUN		0x12	/* also underrun */
#define SRB_STATUS_REQUEST_FLUSHED	0x16
#define SRB_STATUS_INVALID_LUN		0x20
#define SRB_STATUS_INVALID_TARGET_ID	0x21
#define SRB_STATUS_BAD_FUNCTION		0x22
#define SRB_STATUS_INTERNAL_ERROR	0x30
#define SRB_STATUS_QUEUE_FROZEN		0x40
#define SRB_STATUS_AUTOSENSE_VALID	0x80
#define SRB_STATUS_CODE(s)		((s) & 0x3f)

/* vmscsi_request.srb_flags used by Linux guests. */
#define SRB_FLAGS_QUEUE_ACTION_ENABLE	0x00000002
#define SRB_FLAGS_DISABLE_SYNCH_TRANSFER 0x00000008
#define SRB_FLAGS_DATA_IN		0x00000040
#define SRB_FLAGS_DATA_OUT		0x00000080
#define SRB_FLAGS_NO_QUEUE_FREEZE	0x00000100

/* vmscsi_request.data_in */
#define VSTOR_DATA_WRITE	0	/* to the device */
#define VSTOR_DATA_READ		1	/* from the device */
#define VSTOR_DATA_UNKNOWN	2	/* no data */

#define VSTOR_CDB_MAX		16
#define VSTOR_SENSE_SIZE	0x14	/* >= 5.1 (0x12 before) */

/* SCSI status bytes in vmscsi_request.scsi_status. */
#define VSTOR_SCSI_GOOD			0x00
#define VSTOR_SCSI_CHECK_CONDITION	0x02
#define VSTOR_SCSI_BUSY			0x08
#define VSTOR_SCSI_RESERVATION_CONFLICT	0x18

/* EXECUTE_SRB payload (request and completion), 0x34 bytes for >= 5.1. */
struct vmscsi_request {
	__le16 length;			/* sizeof(struct vmscsi_request) */
	__u8 srb_status;		/* H: SRB_STATUS_* | flags */
	__u8 scsi_status;		/* H: VSTOR_SCSI_* */
	__u8 port_number;		/* guest-local, ignored by hosts */
	__u8 path_id;			/* SCSI channel */
	__u8 target_id;
	__u8 lun;
	__u8 cdb_length;		/* <= VSTOR_CDB_MAX */
	__u8 sense_info_length;		/* G: room (VSTOR_SENSE_SIZE); H: valid bytes */
	__u8 data_in;			/* VSTOR_DATA_* */
	__u8 reserved;
	__le32 data_transfer_length;	/* G: buffer bytes; H: bytes transferred */
	union {
		__u8 cdb[VSTOR_CDB_MAX];
		__u8 sense_data[VSTOR_SENSE_SIZE];	/* H: valid with AUTOSENSE_VALID */
	};
	/* The Win8 extension (>= 5.1): */
	__le16 reserve;
	__u8 queue_tag;
	__u8 queue_action;
	__le32 srb_flags;		/* SRB_FLAGS_* */
	__le32 time_out_value;		/* seconds */
	__le32 queue_sort_key;
};
HV_ASSERT_SIZE(struct vmscsi_request, 0x34);
HV_ASSERT_OFFSET(struct vmscsi_request, data_transfer_length, 0x0c);
HV_ASSERT_OFFSET(struct vmscsi_request, cdb, 0x10);
HV_ASSERT_OFFSET(struct vmscsi_request, reserve, 0x24);
HV_ASSERT_OFFSET(struct vmscsi_request, srb_flags, 0x28);

/* QUERY_PROPERTIES completion payload. */
#define VSTOR_PROP_MULTI_CHANNEL	0x1	/* flags */

struct vstor_channel_props {
	__le32 reserved;
	__le16 max_channel_cnt;		/* subchannels the host can offer */
	__le16 reserved2;
	__le32 flags;			/* VSTOR_PROP_* */
	__le32 max_transfer_bytes;
	__le32 reserved3[2];
};
HV_ASSERT_SIZE(struct vstor_channel_props, 24);

/* QUERY_PROTOCOL_VERSION payload (the host echoes it). */
struct vstor_protocol_version {
	__le16 major_minor;		/* VSTOR_MAKE_VERSION */
	__le16 revision;		/* 0 */
};

#define VSTOR_PAYLOAD_SIZE	0x34
#define VSTOR_PACKET_SIZE	(12 + VSTOR_PAYLOAD_SIZE)

struct vstor_packet {
	__le32 operation;		/* enum vstor_op */
	__le32 flags;			/* VSTOR_FLAG_* */
	__le32 status;			/* H: VSTOR_STATUS_* in completions */
	union {
		struct vmscsi_request srb;
		struct vstor_channel_props props;
		struct vstor_protocol_version version;
		__le16 sub_channel_count;	/* CREATE_SUB_CHANNELS */
		__u8 raw[VSTOR_PAYLOAD_SIZE];
	};
};
HV_ASSERT_SIZE(struct vstor_packet, VSTOR_PACKET_SIZE);
HV_ASSERT_OFFSET(struct vstor_packet, srb, 12);

/*
 * Addressing limits of a SCSI controller (Linux drivers/scsi/storvsc_drv.c,
 * STORVSC_MAX_CHANNELS, STORVSC_MAX_TARGETS, STORVSC_MAX_LUNS_PER_TARGET).
 */
#define VSTOR_MAX_CHANNELS	8	/* path ids 0..7 */
#define VSTOR_MAX_TARGETS	2	/* target ids 0..1 */
#define VSTOR_MAX_LUNS		255

#endif /* _HYPERV_VSTOR_H */
