// SPDX-License-Identifier: GPL-2.0
/*
 * Host channel messages: the one place where each message is checked
 * before any field of it is read, and where it is handed on.
 *
 * The SINT 2 callback runs in hard interrupt context with a private copy
 * of the SynIC message.  It checks the SynIC type, the channel message
 * type and the minimum length of that type.  Replies a caller sleeps for
 * are handed to waiter.c right there (never queued behind offers); every
 * other message is copied into a work item and queued on the workqueue
 * its handler needs (vmbus_private.h explains the two queues).  Queued
 * handlers see a message at least as long as its struct, zero-filled to
 * the full HV_MESSAGE_PAYLOAD_MAX.  Each valid message is traced
 * (trace.h) before it is handed on; an UNLOAD_RESPONSE that unload.c
 * polls for goes to it instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vmbus_private.h"

/* Minimum lengths, header included, from the wire header's table. */
static const u8 vmbus_min_len[VMBUS_CHANMSG_COUNT] = VMBUS_CHANMSG_MIN_LEN_TABLE;

struct vmbus_msg_work {
	struct work_struct work;
	u32 len;
	u8 data[HV_MESSAGE_PAYLOAD_MAX] __aligned(8);
};

enum vmbus_msg_queue {
	VMBUS_Q_NONE,		/* guest-to-host type, or not handled yet: dropped */
	VMBUS_Q_REPLY,		/* a connection-level reply */
	VMBUS_Q_CHAN,		/* ordered, may block */
	VMBUS_Q_ISR,		/* a waiter's reply: handled in the ISR */
};

struct vmbus_msg_entry {
	const char *name;
	enum vmbus_msg_queue queue;
	void (*handle)(const void *msg, u32 len);
};

static void vmbus_do_offer(const void *msg, u32 len)
{
	vmbus_handle_offer(msg);
}

static void vmbus_do_rescind(const void *msg, u32 len)
{
	vmbus_handle_rescind(msg);
}

static void vmbus_do_alloffers(const void *msg, u32 len)
{
	vmbus_handle_alloffers();
}

#define MSG(type, q, fn) \
	[VMBUS_CHANMSG_##type] = { .name = #type, .queue = (q), .handle = (fn) }

/* Indexed by channel message type; unnamed entries are invalid types. */
static const struct vmbus_msg_entry vmbus_msg_table[VMBUS_CHANMSG_COUNT] = {
	MSG(OFFERCHANNEL, VMBUS_Q_CHAN, vmbus_do_offer),
	MSG(RESCIND_CHANNELOFFER, VMBUS_Q_CHAN, vmbus_do_rescind),
	MSG(REQUESTOFFERS, VMBUS_Q_NONE, NULL),
	MSG(ALLOFFERS_DELIVERED, VMBUS_Q_CHAN, vmbus_do_alloffers),
	MSG(OPENCHANNEL, VMBUS_Q_NONE, NULL),
	MSG(OPENCHANNEL_RESULT, VMBUS_Q_ISR, vmbus_waiter_reply),
	MSG(CLOSECHANNEL, VMBUS_Q_NONE, NULL),
	MSG(GPADL_HEADER, VMBUS_Q_NONE, NULL),
	MSG(GPADL_BODY, VMBUS_Q_NONE, NULL),
	MSG(GPADL_CREATED, VMBUS_Q_ISR, vmbus_waiter_reply),
	MSG(GPADL_TEARDOWN, VMBUS_Q_NONE, NULL),
	MSG(GPADL_TORNDOWN, VMBUS_Q_ISR, vmbus_waiter_reply),
	MSG(RELID_RELEASED, VMBUS_Q_NONE, NULL),
	MSG(INITIATE_CONTACT, VMBUS_Q_NONE, NULL),
	MSG(VERSION_RESPONSE, VMBUS_Q_REPLY, vmbus_reply_arrived),
	MSG(UNLOAD, VMBUS_Q_NONE, NULL),
	MSG(UNLOAD_RESPONSE, VMBUS_Q_REPLY, vmbus_reply_arrived),
	MSG(OPEN_RESERVED_CHANNEL, VMBUS_Q_NONE, NULL),
	MSG(CLOSE_RESERVED_CHANNEL, VMBUS_Q_NONE, NULL),
	MSG(CLOSE_RESERVED_RESPONSE, VMBUS_Q_NONE, NULL),
	MSG(TL_CONNECT_REQUEST, VMBUS_Q_NONE, NULL),
	MSG(MODIFYCHANNEL, VMBUS_Q_NONE, NULL),
	MSG(TL_CONNECT_RESULT, VMBUS_Q_NONE, NULL),
	MSG(MODIFYCHANNEL_RESPONSE, VMBUS_Q_ISR, vmbus_waiter_reply),
};

const char *vmbus_chanmsg_name(u32 type)
{
	if (type < VMBUS_CHANMSG_COUNT && vmbus_msg_table[type].name)
		return vmbus_msg_table[type].name;
	return "unknown message";
}

static void vmbus_msg_work_fn(struct work_struct *work)
{
	struct vmbus_msg_work *w = container_of(work, struct vmbus_msg_work, work);
	const struct vmbus_chanmsg_hdr *hdr = (const void *)w->data;

	vmbus_fault_delay_message();	/* test builds: fault/delay_message_ms */
	/* Type and length were checked before this was queued. */
	vmbus_msg_table[le32_to_cpu(hdr->msgtype)].handle(w->data, w->len);
	kfree(w);
}

/* hv_common's SINT 2 callback: hard interrupt context, private copy. */
void vmbus_chanmsg_isr(unsigned int sint, const struct hv_message *msg, void *ctx)
{
	const struct vmbus_msg_entry *e;
	const struct vmbus_chanmsg_hdr *hdr;
	struct workqueue_struct *wq;
	struct vmbus_msg_work *w;
	u32 len = msg->header.payload_size;
	u32 type;

	if (le32_to_cpu(msg->header.message_type) != HVMSG_CHANNEL) {
		atomic64_inc(&vmbus_conn.malformed_messages);
		pr_warn_ratelimited("SynIC message type 0x%x on the VMBus SINT dropped\n",
				    le32_to_cpu(msg->header.message_type));
		return;
	}
	if (len < sizeof(*hdr)) {
		atomic64_inc(&vmbus_conn.malformed_messages);
		pr_warn_ratelimited("channel message of %u bytes dropped\n", len);
		return;
	}
	hdr = (const void *)msg->payload;
	type = le32_to_cpu(hdr->msgtype);
	if (type >= VMBUS_CHANMSG_COUNT || !vmbus_msg_table[type].name) {
		atomic64_inc(&vmbus_conn.malformed_messages);
		pr_warn_ratelimited("channel message of unknown type %u dropped\n", type);
		return;
	}
	e = &vmbus_msg_table[type];
	if (len < vmbus_min_len[type]) {
		atomic64_inc(&vmbus_conn.malformed_messages);
		pr_warn_ratelimited("%s of %u bytes (< %u) dropped\n",
				    e->name, len, vmbus_min_len[type]);
		return;
	}
	vmbus_trace_recv(msg->payload, len);
	if (type == VMBUS_CHANMSG_UNLOAD_RESPONSE && vmbus_unload_polled_for())
		return;
	switch (e->queue) {
	case VMBUS_Q_REPLY:
		wq = vmbus_conn.reply_wq;
		break;
	case VMBUS_Q_CHAN:
		wq = vmbus_conn.chan_wq;
		break;
	case VMBUS_Q_ISR:
		e->handle(msg->payload, len);
		return;
	default:
		atomic64_inc(&vmbus_conn.malformed_messages);
		pr_warn_ratelimited("%s from the host not handled; dropped\n", e->name);
		return;
	}

	/* On failure the allocator has said so; the message is lost. */
	w = kzalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return;
	INIT_WORK(&w->work, vmbus_msg_work_fn);
	w->len = len;
	memcpy(w->data, msg->payload, len);
	queue_work(wq, &w->work);
}
