// SPDX-License-Identifier: GPL-2.0
/*
 * The channel message tracepoints (trace.h) and what they record: the
 * type, its name and, for the types that carry one, the relid.  Any
 * context (the receive side runs in the SINT interrupt); nothing is
 * read past @len.
 */
#include <linux/kernel.h>
#include <asm/unaligned.h>

#define CREATE_TRACE_POINTS
#include "trace.h"

#include "vmbus_private.h"

/* Offset of child_relid in each type that has one; 0 = none. */
static const u8 vmbus_relid_offset[VMBUS_CHANMSG_COUNT] = {
	[VMBUS_CHANMSG_OFFERCHANNEL] =
		offsetof(struct vmbus_chanmsg_offer, child_relid),
	[VMBUS_CHANMSG_RESCIND_CHANNELOFFER] =
		offsetof(struct vmbus_chanmsg_relid, child_relid),
	[VMBUS_CHANMSG_OPENCHANNEL] =
		offsetof(struct vmbus_chanmsg_open, child_relid),
	[VMBUS_CHANMSG_OPENCHANNEL_RESULT] =
		offsetof(struct vmbus_chanmsg_open_result, child_relid),
	[VMBUS_CHANMSG_CLOSECHANNEL] =
		offsetof(struct vmbus_chanmsg_relid, child_relid),
	[VMBUS_CHANMSG_GPADL_HEADER] =
		offsetof(struct vmbus_chanmsg_gpadl_header, child_relid),
	[VMBUS_CHANMSG_GPADL_CREATED] =
		offsetof(struct vmbus_chanmsg_gpadl_created, child_relid),
	[VMBUS_CHANMSG_GPADL_TEARDOWN] =
		offsetof(struct vmbus_chanmsg_gpadl_teardown, child_relid),
	[VMBUS_CHANMSG_RELID_RELEASED] =
		offsetof(struct vmbus_chanmsg_relid, child_relid),
	[VMBUS_CHANMSG_MODIFYCHANNEL] =
		offsetof(struct vmbus_chanmsg_modifychannel, child_relid),
	[VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE] =
		offsetof(struct vmbus_chanmsg_modifychannel_response, child_relid),
};

/* Type, relid (-1 when none) of @msg, @len >= the header. */
static u32 vmbus_trace_fields(const void *msg, u32 len, s64 *relid)
{
	u32 type = get_unaligned_le32(msg);
	u32 off;

	*relid = -1;
	if (type < VMBUS_CHANMSG_COUNT) {
		off = vmbus_relid_offset[type];
		if (off && len >= off + sizeof(u32))
			*relid = get_unaligned_le32((const u8 *)msg + off);
	}
	return type;
}

void vmbus_trace_recv(const void *msg, u32 len)
{
	s64 relid;
	u32 type;

	if (!trace_vmbus_msg_recv_enabled() || len < sizeof(struct vmbus_chanmsg_hdr))
		return;
	type = vmbus_trace_fields(msg, len, &relid);
	trace_vmbus_msg_recv(type, vmbus_chanmsg_name(type), relid, len);
}

void vmbus_trace_post(const void *msg, u32 len)
{
	s64 relid;
	u32 type;

	if (!trace_vmbus_msg_post_enabled() || len < sizeof(struct vmbus_chanmsg_hdr))
		return;
	type = vmbus_trace_fields(msg, len, &relid);
	trace_vmbus_msg_post(type, vmbus_chanmsg_name(type), relid, len);
}
