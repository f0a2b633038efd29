// SPDX-License-Identifier: GPL-2.0
/*
 * Request ids: what a VMBUS_PKT_COMP from the host may name.
 *
 * Data path: a send with VMBUS_SEND_COMPLETION takes a slot of the
 * channel's table (max_requests slots, a free list) and writes
 * trans_id = (generation << 32) | (slot + 1) into the packet (slot + 1:
 * 0 is never a valid id).  A completion is accepted only if its trans_id
 * is exactly an outstanding id: the slot exists, is taken, and has that
 * generation.  Taking it back frees the slot and bumps its generation, so
 * a duplicate or stale completion no longer matches.  The host thus never
 * hands us a pointer: it only picks among ids we issued.
 *
 * Everything here must hold the channel lock (chan->lock): senders in any
 * context and the reader both use the table.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "vmbus_private.h"

#define VMBUS_RQST_NONE		U32_MAX

/* Process context, before the channel is open. */
int vmbus_rqst_init(struct vmbus_channel *chan, u32 size)
{
	struct vmbus_requestor *rq = &chan->rqst;
	u32 i;

	rq->slots = kvcalloc(size, sizeof(*rq->slots), GFP_KERNEL);
	if (!rq->slots)
		return -ENOMEM;
	/* A new epoch per open: ids of an earlier open do not match. */
	chan->rqst_epoch += 0x10000;
	for (i = 0; i < size; i++) {
		rq->slots[i].gen = chan->rqst_epoch;
		rq->slots[i].next = i + 1 < size ? i + 1 : VMBUS_RQST_NONE;
	}
	rq->size = size;
	rq->free_head = 0;
	return 0;
}

/* After close: outstanding requests are forgotten. */
void vmbus_rqst_uninit(struct vmbus_channel *chan)
{
	kvfree(chan->rqst.slots);
	chan->rqst.slots = NULL;
	chan->rqst.size = 0;
}

/* An id bound to @req (non-NULL), or 0 when every slot is taken. */
u64 vmbus_rqst_get(struct vmbus_channel *chan, void *req)
{
	struct vmbus_requestor *rq = &chan->rqst;
	struct vmbus_rqst_slot *s;
	u32 slot;

	lockdep_assert_held(&chan->lock);
	slot = rq->free_head;
	if (slot == VMBUS_RQST_NONE)
		return 0;
	s = &rq->slots[slot];
	rq->free_head = s->next;
	s->req = req;
	return (u64)s->gen << 32 | (slot + 1);
}

/* The slot of outstanding @id, or NULL. */
static struct vmbus_rqst_slot *vmbus_rqst_slot(struct vmbus_channel *chan, u64 id)
{
	struct vmbus_requestor *rq = &chan->rqst;
	u32 slot = lower_32_bits(id) - 1;	/* id 0 wraps to U32_MAX: no slot */
	struct vmbus_rqst_slot *s;

	if (slot >= rq->size)
		return NULL;
	s = &rq->slots[slot];
	if (!s->req || s->gen != upper_32_bits(id))
		return NULL;
	return s;
}

static void vmbus_rqst_release(struct vmbus_channel *chan, struct vmbus_rqst_slot *s)
{
	struct vmbus_requestor *rq = &chan->rqst;

	s->req = NULL;
	s->gen++;
	s->next = rq->free_head;
	rq->free_head = s - rq->slots;
}

/*
 * A completion names @id: the @req it was bound to (and the slot is free
 * again), or NULL if @id is not outstanding.
 */
void *vmbus_rqst_take(struct vmbus_channel *chan, u64 id)
{
	struct vmbus_rqst_slot *s;
	void *req;

	lockdep_assert_held(&chan->lock);
	s = vmbus_rqst_slot(chan, id);
	if (!s)
		return NULL;
	req = s->req;
	vmbus_rqst_release(chan, s);
	return req;
}

/*
 * The driver gives up on @req (e.g. a command timed out): free its slot so
 * that a late completion no longer matches (it is dropped and counted in
 * comp_unknown).  Linear in max_requests: an error path.
 */
bool vmbus_cancel_request(struct vmbus_channel *chan, void *req)
{
	struct vmbus_requestor *rq = &chan->rqst;
	unsigned long flags;
	bool found = false;
	u32 i;

	if (!chan || !req)
		return false;
	spin_lock_irqsave(&chan->lock, flags);
	/* Close frees the table after leaving OPEN under this lock. */
	for (i = 0; chan->state == VMBUS_CHAN_OPEN && i < rq->size; i++) {
		if (rq->slots[i].req == req) {
			vmbus_rqst_release(chan, &rq->slots[i]);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&chan->lock, flags);
	return found;
}
EXPORT_SYMBOL_GPL(vmbus_cancel_request);
