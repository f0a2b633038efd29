// SPDX-License-Identifier: GPL-2.0
/*
 * Replies a caller sleeps for: GPADL_CREATED, GPADL_TORNDOWN,
 * OPENCHANNEL_RESULT and MODIFYCHANNEL_RESPONSE.
 *
 * Data path: a caller arms a waiter {reply type, key, relid} BEFORE it
 * posts the request, so the answer cannot slip past it; the SINT 2
 * message ISR (chanmsg.c, after the type and minimum-length check) finds
 * the waiter under vmbus_conn.waiter_lock, copies the reply into it and
 * completes it.  Nothing here queues behind offers, so a driver's probe
 * (which runs on the ordered channel workqueue) may wait for replies.
 *
 * A reply that no waiter expects (late, duplicated, forged) is counted
 * and logged, rate-limited, then dropped; except the answer to a request
 * whose wait a rescind ended (its channel is still in the table, marked
 * rescinded): expected, only counted as late.  A rescind completes the
 * waiters of that channel with -ENODEV, except those the host still
 * answers for a rescinded channel (GPADL creation and teardown: the
 * caller must learn who owns the pages).  UNLOAD (module exit) completes
 * every waiter with -ESHUTDOWN: the host has forgotten everything.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/string.h>

#include "vmbus_private.h"

void vmbus_waiter_init(struct vmbus_waiter *w, u32 type, u32 key, u32 relid,
		       struct vmbus_channel *chan, bool survives_rescind)
{
	memset(w, 0, sizeof(*w));
	INIT_LIST_HEAD(&w->node);
	w->type = type;
	w->key = key;
	w->relid = relid;
	w->chan = chan;
	w->survives_rescind = survives_rescind;
	init_completion(&w->done);
}

/*
 * Arm @w.  Returns 0, -ENODEV (its channel is rescinded and the host will
 * not answer) or -ESHUTDOWN (the connection is gone).  Any context.
 */
int vmbus_waiter_arm(struct vmbus_waiter *w)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
	if (vmbus_conn.gone)
		ret = -ESHUTDOWN;
	else if (w->chan && w->chan->rescinded && !w->survives_rescind)
		ret = -ENODEV;
	else
		list_add_tail(&w->node, &vmbus_conn.waiters);
	spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
	return ret;
}

/* Take @w off the list if it is still there (the request was not posted). */
void vmbus_waiter_disarm(struct vmbus_waiter *w)
{
	unsigned long flags;

	spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
	list_del_init(&w->node);
	spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
}

/* Must hold waiter_lock.  @w is on the list. */
static void vmbus_waiter_finish(struct vmbus_waiter *w, int err)
{
	lockdep_assert_held(&vmbus_conn.waiter_lock);
	list_del_init(&w->node);
	w->err = err;
	complete(&w->done);
}

/*
 * Sleep until @w is answered or @timeout_ms passed.  Returns 0 (the reply
 * is in w->reply), -ENODEV, -ESHUTDOWN or -ETIMEDOUT.  Afterwards @w is
 * off the list.  Process context.
 */
int vmbus_waiter_wait(struct vmbus_waiter *w, unsigned int timeout_ms)
{
	unsigned long flags;
	bool timed_out = false;

	if (!wait_for_completion_timeout(&w->done, msecs_to_jiffies(timeout_ms))) {
		spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
		/* Still listed: nobody answered.  Else it raced the timeout. */
		if (!list_empty(&w->node)) {
			list_del_init(&w->node);
			timed_out = true;
		}
		spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
		if (timed_out)
			return -ETIMEDOUT;
		wait_for_completion(&w->done);
	}
	return w->err;
}

/* The key and relid of a (length-checked) reply, by type. */
static bool vmbus_reply_key(const void *msg, u32 type, u32 *key, u32 *relid)
{
	const struct vmbus_chanmsg_gpadl_created *created = msg;
	const struct vmbus_chanmsg_gpadl_torndown *torndown = msg;
	const struct vmbus_chanmsg_open_result *open = msg;
	const struct vmbus_chanmsg_modifychannel_response *modify = msg;

	switch (type) {
	case VMBUS_CHANMSG_GPADL_CREATED:
		*key = le32_to_cpu(created->gpadl);
		*relid = le32_to_cpu(created->child_relid);
		return true;
	case VMBUS_CHANMSG_GPADL_TORNDOWN:
		*key = le32_to_cpu(torndown->gpadl);
		*relid = VMBUS_WAIT_ANY_RELID;
		return true;
	case VMBUS_CHANMSG_OPENCHANNEL_RESULT:
		*key = le32_to_cpu(open->open_id);
		*relid = le32_to_cpu(open->child_relid);
		return true;
	case VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE:
		*key = le32_to_cpu(modify->child_relid);
		*relid = *key;
		return true;
	}
	return false;
}

/* The reply names a channel the host rescinded: its waiter already left. */
static bool vmbus_reply_late(u32 relid)
{
	struct vmbus_channel *chan;
	bool late;

	if (relid == VMBUS_WAIT_ANY_RELID)
		return false;
	rcu_read_lock();
	chan = xa_load(&vmbus_conn.channels, relid);
	late = chan && READ_ONCE(chan->rescinded);
	rcu_read_unlock();
	return late;
}

/*
 * A reply from the host, type and minimum length already checked.  Hard
 * interrupt context (the SINT 2 message callback).
 */
void vmbus_waiter_reply(const void *msg, u32 len)
{
	const struct vmbus_chanmsg_hdr *hdr = msg;
	u32 type = le32_to_cpu(hdr->msgtype);
	struct vmbus_waiter *w;
	unsigned long flags;
	bool taken = false;
	u32 key, relid;

	if (!vmbus_reply_key(msg, type, &key, &relid))
		return;
	spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
	list_for_each_entry(w, &vmbus_conn.waiters, node) {
		if (w->type != type || w->key != key ||
		    (w->relid != VMBUS_WAIT_ANY_RELID && w->relid != relid))
			continue;
		memcpy(w->reply, msg, min_t(u32, len, sizeof(w->reply)));
		vmbus_waiter_finish(w, 0);
		taken = true;
		break;
	}
	spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
	if (taken)
		return;
	if (vmbus_reply_late(relid)) {
		atomic64_inc(&vmbus_conn.late_replies);
		pr_debug("late %s for rescinded relid %u dropped\n",
			 vmbus_chanmsg_name(type), relid);
		return;
	}
	atomic64_inc(&vmbus_conn.unexpected_replies);
	pr_warn_ratelimited("unexpected %s (key 0x%x, relid %u) from the host dropped\n",
			    vmbus_chanmsg_name(type), key, relid);
}

/*
 * The host rescinded @chan: mark it, and fail every wait on it that the
 * host will not answer any more.  A waiter armed later sees the mark.
 */
void vmbus_waiters_rescind(struct vmbus_channel *chan)
{
	struct vmbus_waiter *w, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
	WRITE_ONCE(chan->rescinded, true);
	list_for_each_entry_safe(w, tmp, &vmbus_conn.waiters, node)
		if (w->chan == chan && !w->survives_rescind)
			vmbus_waiter_finish(w, -ENODEV);
	spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
}

/* UNLOAD is done (or the connection failed): fail every wait for good. */
void vmbus_waiters_shutdown(void)
{
	struct vmbus_waiter *w, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
	vmbus_conn.gone = true;
	list_for_each_entry_safe(w, tmp, &vmbus_conn.waiters, node)
		vmbus_waiter_finish(w, -ESHUTDOWN);
	spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
}

/* True once UNLOAD completed: the host holds no channel and no GPADL. */
bool vmbus_conn_gone(void)
{
	unsigned long flags;
	bool gone;

	spin_lock_irqsave(&vmbus_conn.waiter_lock, flags);
	gone = vmbus_conn.gone;
	spin_unlock_irqrestore(&vmbus_conn.waiter_lock, flags);
	return gone;
}
