// SPDX-License-Identifier: GPL-2.0
/*
 * Subchannels: offers with the primary's type and instance and a
 * subchannel index 1..n.  They are channels like any other (the channel
 * table, sysfs channels/<relid>, open/close), plus a place on their
 * primary's list and the driver's callbacks (hv_vmbus.h).
 *
 * The primary's sc_lock (mutex) guards its list, its ops and every
 * subchannel's sc_dead flag; the callbacks run under it.  Lock order:
 * vmbus_conn.lock -> device_lock -> sc_lock -> the subchannel's
 * open_lock.  Offers and rescinds come from offer.c (channel workqueue,
 * vmbus_conn.lock held); the bus calls the unbind hooks under
 * device_lock.
 *
 * References: the list holds one kobject reference on each subchannel
 * (the table holds another while it is offered); each subchannel holds
 * one on its primary.  A rescinded subchannel leaves the table at once
 * but stays on the list, "dead", while a driver may hold its pointer
 * (sc_holders: from vmbus_subchan_set_ops() until the driver clears the
 * ops or its remove returns); then it is reaped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include "vmbus_private.h"

/* Must hold @primary's sc_lock. */
static void vmbus_subchan_reap(struct vmbus_channel *primary)
{
	struct vmbus_channel *sub, *tmp;

	lockdep_assert_held(&primary->sc_lock);
	list_for_each_entry_safe(sub, tmp, &primary->subchans, sc_node) {
		if (!sub->sc_dead)
			continue;
		list_del(&sub->sc_node);
		vmbus_chan_put(sub);
	}
}

/* Put @sub on its primary's list, in index order, and report it. */
void vmbus_subchan_add(struct vmbus_channel *sub)
{
	struct vmbus_channel *primary = sub->primary, *pos;
	struct list_head *at = &primary->subchans;

	lockdep_assert_held(&vmbus_conn.lock);
	kobject_get(&sub->kobj);
	mutex_lock(&primary->sc_lock);
	list_for_each_entry(pos, &primary->subchans, sc_node) {
		if (pos->subchan_index > sub->subchan_index) {
			at = &pos->sc_node;
			break;
		}
	}
	list_add_tail(&sub->sc_node, at);
	if (primary->sc_ops)
		primary->sc_ops->offer(sub, primary->sc_ctx);
	mutex_unlock(&primary->sc_lock);
}

/*
 * The host rescinded @sub (already marked): tell the driver, close it if
 * the driver did not.  Must hold vmbus_conn.lock.
 */
void vmbus_subchan_rescinded(struct vmbus_channel *sub)
{
	struct vmbus_channel *primary = sub->primary;

	lockdep_assert_held(&vmbus_conn.lock);
	mutex_lock(&primary->sc_lock);
	if (primary->sc_ops && primary->sc_ops->rescind)
		primary->sc_ops->rescind(sub, primary->sc_ctx);
	mutex_unlock(&primary->sc_lock);
	vmbus_channel_close(sub);
}

/*
 * @sub leaves the table (rescind or module exit): off the list, or kept
 * dead while a driver may still hold it.  Must hold vmbus_conn.lock.
 */
void vmbus_subchan_del(struct vmbus_channel *sub)
{
	struct vmbus_channel *primary = sub->primary;

	lockdep_assert_held(&vmbus_conn.lock);
	mutex_lock(&primary->sc_lock);
	sub->sc_dead = true;
	if (!primary->sc_holders)
		vmbus_subchan_reap(primary);
	mutex_unlock(&primary->sc_lock);
}

/* Close every open subchannel of @primary (before the primary itself). */
void vmbus_subchan_close_all(struct vmbus_channel *primary)
{
	struct vmbus_channel *sub;

	mutex_lock(&primary->sc_lock);
	list_for_each_entry(sub, &primary->subchans, sc_node)
		vmbus_channel_close(sub);
	mutex_unlock(&primary->sc_lock);
}

/* The bus, before the driver's remove (or after a failed probe): no more callbacks. */
void vmbus_subchan_unbind_begin(struct vmbus_channel *primary)
{
	mutex_lock(&primary->sc_lock);
	primary->sc_ops = NULL;
	primary->sc_ctx = NULL;
	mutex_unlock(&primary->sc_lock);
}

/* The bus, after the driver's remove: nobody holds subchannels any more. */
void vmbus_subchan_unbind_end(struct vmbus_channel *primary)
{
	struct vmbus_channel *sub;

	mutex_lock(&primary->sc_lock);
	primary->sc_ops = NULL;
	primary->sc_ctx = NULL;
	primary->sc_holders = false;
	list_for_each_entry(sub, &primary->subchans, sc_node) {
		if (vmbus_chan_is_open(sub)) {
			pr_warn("relid %u: subchannel still open after its driver let go; closing it\n",
				sub->relid);
			vmbus_channel_close(sub);
		}
	}
	vmbus_subchan_reap(primary);
	mutex_unlock(&primary->sc_lock);
}

int vmbus_subchan_set_ops(struct vmbus_device *vdev, const struct vmbus_subchan_ops *ops,
			  void *ctx)
{
	struct vmbus_channel *primary, *sub;

	might_sleep();
	if (!vdev || (ops && !ops->offer))
		return -EINVAL;
	primary = vdev->channel;
	mutex_lock(&primary->sc_lock);
	primary->sc_ops = ops;
	primary->sc_ctx = ops ? ctx : NULL;
	primary->sc_holders = ops != NULL;
	if (ops) {
		list_for_each_entry(sub, &primary->subchans, sc_node)
			if (!sub->sc_dead)
				ops->offer(sub, ctx);
	} else {
		vmbus_subchan_reap(primary);
	}
	mutex_unlock(&primary->sc_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_subchan_set_ops);

u16 vmbus_chan_subchan_index(const struct vmbus_channel *chan)
{
	return chan->subchan_index;
}
EXPORT_SYMBOL_GPL(vmbus_chan_subchan_index);
