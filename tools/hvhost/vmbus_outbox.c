// SPDX-License-Identifier: GPL-2.0
/*
 * The server's outbox: every host -> guest channel message is appended
 * here, then moved into the target VP's SINT queue (synic_post()) in FIFO
 * order while that queue has room.  When a queue is full the message
 * waits (counted once in vmbus_outbox_deferred); the guest's EOM, which
 * frees queue entries, calls hvh_outbox_eom() and the outbox moves on.
 *
 * Why nothing strands: a message waits only while its SINT queue is full,
 * so the queue's head message sits behind a busy slot with MessagePending
 * set and the guest will write EOM; the outbox count is stored before
 * synic_post() looks at the queue, so an EOM that finds the count still 0
 * happened before that post, which then found room.
 *
 * A message refused for another reason (the guest disabled its SynIC or
 * masked SINT 2) is dropped and counted in vmbus_send_failed, as is one
 * that finds the outbox full (HVH_SRV_OUTBOX_LEN: a guest that stopped
 * answering EOMs).  A connection reset empties the outbox: what it holds
 * belongs to the old connection.
 */
#include <endian.h>
#include <string.h>

#include "synic.h"
#include "vmbus_srv.h"

static void outbox_pop(struct hvh_srv *s)
{
	s->out_head = (s->out_head + 1) % HVH_SRV_OUTBOX_LEN;
	__atomic_store_n(&s->out_count, s->out_count - 1, __ATOMIC_RELAXED);
}

void hvh_outbox_flush(struct hvh_srv *s)
{
	struct partition *p = s->p;
	struct hvh_outmsg *m;
	uint16_t st;

	while (s->out_count) {
		m = &s->out[s->out_head];
		st = synic_post(p, m->vp, VMBUS_MESSAGE_SINT, HVMSG_CHANNEL,
				VMBUS_MESSAGE_CONNECTION_ID, m->msg, m->size);
		if (st == HV_STATUS_INSUFFICIENT_BUFFERS) {
			if (!m->deferred)
				stat_inc(&p->stats, STAT_VMBUS_OUTBOX_DEFERRED);
			m->deferred = true;
			return;		/* the EOM hook comes back */
		}
		if (st == HV_STATUS_SUCCESS) {
			stat_inc(&p->stats, STAT_VMBUS_SENT);
		} else {
			stat_inc(&p->stats, STAT_VMBUS_SEND_FAILED);
			hv_dbg("vmbus: message %u to vp %u refused: status 0x%04x",
			       le32toh(((const struct vmbus_chanmsg_hdr *)m->msg)->msgtype),
			       m->vp, st);
		}
		outbox_pop(s);
	}
}

void hvh_msg_send(struct hvh_srv *s, const void *msg, uint32_t size)
{
	struct hvh_outmsg *m;

	if (s->out_count == HVH_SRV_OUTBOX_LEN || size > sizeof(m->msg)) {
		stat_inc(&s->p->stats, STAT_VMBUS_SEND_FAILED);
		hv_info("vmbus: outbox full, message %u dropped",
			le32toh(((const struct vmbus_chanmsg_hdr *)msg)->msgtype));
		return;
	}
	m = &s->out[(s->out_head + s->out_count) % HVH_SRV_OUTBOX_LEN];
	m->vp = s->target_vp;
	m->size = size;
	m->deferred = false;
	memcpy(m->msg, msg, size);
	__atomic_store_n(&s->out_count, s->out_count + 1, __ATOMIC_RELAXED);
	hvh_outbox_flush(s);
}

void hvh_outbox_clear(struct hvh_srv *s)
{
	while (s->out_count) {
		stat_inc(&s->p->stats, STAT_VMBUS_SEND_FAILED);
		outbox_pop(s);
	}
}

void hvh_outbox_eom(struct partition *p, unsigned int vp)
{
	struct hvh_srv *s = p->vmbus;

	(void)vp;
	if (!s || !__atomic_load_n(&s->out_count, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&s->lock);
	hvh_outbox_flush(s);
	pthread_mutex_unlock(&s->lock);
}
