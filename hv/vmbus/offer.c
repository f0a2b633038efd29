// SPDX-License-Identifier: GPL-2.0
/*
 * Channel objects: created from OFFERCHANNEL, destroyed after
 * RESCIND_CHANNELOFFER (then the relid goes back to the host with
 * RELID_RELEASED) or when the connection ends.
 *
 * Everything here runs on the ordered channel workqueue (or module exit
 * after it was flushed) under vmbus_conn.lock, in the host's order.
 * A rescind always follows its offer, so it finds the channel in the
 * table.
 *
 * Rescind at any moment, in this order: mark the channel rescinded
 * (sends fail with -ENODEV, sleeping calls on it return -ENODEV, an open
 * in progress fails and cleans up), remove its sysfs directory, remove
 * the device (the driver's remove closes the channel: CLOSECHANNEL and
 * the ring GPADL teardown still go to the host, which answers teardowns
 * of rescinded channels), close it ourselves if the driver left it open
 * (or no driver was bound), drop it from the table, RELID_RELEASED, and
 * free it after an RCU grace period (the interrupt path looks it up under
 * RCU).  Module exit does the same without the rescind mark and without
 * RELID_RELEASED (UNLOAD takes every relid back).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vmbus_private.h"

static void vmbus_release_relid(u32 relid)
{
	struct vmbus_chanmsg_relid msg = {
		.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_RELID_RELEASED),
		.child_relid = cpu_to_le32(relid),
	};
	int ret;

	ret = vmbus_post(&msg, sizeof(msg));
	if (ret)
		pr_err("RELID_RELEASED for relid %u could not be posted: %d\n", relid, ret);
}

/* The primary channel offered with the same type and instance, or NULL. */
static struct vmbus_channel *vmbus_find_primary(const struct vmbus_chanmsg_offer *o)
{
	struct vmbus_channel *chan;
	unsigned long relid;

	lockdep_assert_held(&vmbus_conn.lock);
	xa_for_each(&vmbus_conn.channels, relid, chan) {
		if (chan->subchan_index == 0 &&
		    !memcmp(&chan->offer.if_type, &o->if_type, sizeof(o->if_type)) &&
		    !memcmp(&chan->offer.if_instance, &o->if_instance,
			    sizeof(o->if_instance)))
			return chan;
	}
	return NULL;
}

/* Drop @chan from the table and put it; its device is already gone. */
static void vmbus_channel_forget(struct vmbus_channel *chan)
{
	lockdep_assert_held(&vmbus_conn.lock);
	xa_erase(&vmbus_conn.channels, chan->relid);
	vmbus_conn.nr_offers--;
	vmbus_chan_put(chan);
}

/*
 * Take @chan out of service: sysfs, device (driver remove), close, table.
 * The caller marked it rescinded if the host rescinded it.
 */
static void vmbus_channel_remove(struct vmbus_channel *chan)
{
	lockdep_assert_held(&vmbus_conn.lock);
	vmbus_chan_sysfs_del(chan);
	if (chan->vdev)
		vmbus_device_del(chan);
	if (chan->primary) {
		/* Nobody was told at module exit: close it quietly. */
		vmbus_channel_close(chan);
		vmbus_subchan_del(chan);
	} else if (vmbus_chan_is_open(chan)) {
		pr_warn("relid %u: still open after its driver let go; closing it\n",
			chan->relid);
		vmbus_channel_close(chan);
	}
	vmbus_channel_forget(chan);
}

/*
 * OFFERCHANNEL (length checked).  Offers before and after
 * ALLOFFERS_DELIVERED are handled alike: a primary offer becomes a device
 * at once.  Sub-channel offers are kept in the table for their primary.
 */
void vmbus_handle_offer(const struct vmbus_chanmsg_offer *msg)
{
	u32 relid = le32_to_cpu(msg->child_relid);
	struct vmbus_channel *chan, *primary;
	int ret;

	if (!relid || relid > VMBUS_RELID_MAX) {
		pr_err("offer with relid %u outside 1..%u ignored\n", relid, VMBUS_RELID_MAX);
		return;
	}
	chan = vmbus_chan_alloc(msg);
	if (!chan) {
		/*
		 * Cannot take the offer: give it back, as Linux
		 * drivers/hv/channel_mgmt.c, vmbus_onoffer().
		 */
		vmbus_release_relid(relid);
		return;
	}

	mutex_lock(&vmbus_conn.lock);
	if (vmbus_conn.state != VMBUS_CONNECTED) {
		/* Unloading: UNLOAD will take every relid back. */
		vmbus_chan_put(chan);
		goto out_unlock;
	}
	primary = vmbus_find_primary(msg);
	ret = xa_insert(&vmbus_conn.channels, relid, chan, GFP_KERNEL);
	if (ret) {
		/* -EBUSY: the relid is another channel's; it stays with it. */
		pr_err("offer with relid %u ignored: %s\n", relid,
		       ret == -EBUSY ? "relid already in use" : "no memory");
		vmbus_chan_put(chan);
		goto out_unlock;
	}
	vmbus_conn.nr_offers++;

	if (chan->subchan_index) {
		if (!primary) {
			pr_err("sub-channel offer (relid %u, index %u) without a primary; released\n",
			       relid, chan->subchan_index);
			goto err_release;
		}
		pr_debug("sub-channel %u of relid %u offered as relid %u\n",
			 chan->subchan_index, primary->relid, relid);
		kobject_get(&primary->kobj);
		chan->primary = primary;
		vmbus_chan_sysfs_add(chan);
		vmbus_subchan_add(chan);
		goto out_unlock;
	}
	if (primary) {
		pr_err("relid %u offers device %pUl again (already relid %u); released\n",
		       relid, &msg->if_instance, primary->relid);
		goto err_release;
	}
	ret = vmbus_device_add(chan);
	if (ret) {
		pr_err("device for relid %u (%pUl) not created: %d; released\n",
		       relid, &msg->if_instance, ret);
		goto err_release;
	}
	vmbus_chan_sysfs_add(chan);
	goto out_unlock;

err_release:
	vmbus_channel_forget(chan);
	vmbus_release_relid(relid);
out_unlock:
	mutex_unlock(&vmbus_conn.lock);
}

/* RESCIND_CHANNELOFFER (length checked): see the top of the file. */
void vmbus_handle_rescind(const struct vmbus_chanmsg_relid *msg)
{
	u32 relid = le32_to_cpu(msg->child_relid);
	struct vmbus_channel *chan;

	mutex_lock(&vmbus_conn.lock);
	if (vmbus_conn.state != VMBUS_CONNECTED)
		goto out_unlock;
	chan = xa_load(&vmbus_conn.channels, relid);
	if (!chan) {
		pr_err("rescind of unknown relid %u ignored\n", relid);
		goto out_unlock;
	}
	vmbus_chan_rescind(chan);
	if (chan->primary)
		vmbus_subchan_rescinded(chan);
	vmbus_channel_remove(chan);
	vmbus_release_relid(relid);
	pr_debug("relid %u rescinded and released\n", relid);
out_unlock:
	mutex_unlock(&vmbus_conn.lock);
}

void vmbus_handle_alloffers(void)
{
	pr_debug("all offers delivered: %u channels\n", vmbus_conn.nr_offers);
	complete_all(&vmbus_conn.all_offers);
}

/*
 * Connection teardown: remove every device and channel without
 * RELID_RELEASED (UNLOAD follows and takes every relid back).  The
 * caller set VMBUS_UNLOADING and flushed the channel workqueue.
 */
void vmbus_remove_all_channels(void)
{
	struct vmbus_channel *chan;
	unsigned long relid;

	mutex_lock(&vmbus_conn.lock);
	/* Subchannels first (Linux drivers/hv/channel.c, vmbus_close()). */
	xa_for_each(&vmbus_conn.channels, relid, chan)
		if (chan->primary)
			vmbus_channel_remove(chan);
	xa_for_each(&vmbus_conn.channels, relid, chan)
		vmbus_channel_remove(chan);
	mutex_unlock(&vmbus_conn.lock);
}
