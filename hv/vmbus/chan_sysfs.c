// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/bus/vmbus/devices/<UUID>/channels/<relid>/, one directory
 * per channel (upstream's sysfs-bus-vmbus ABI, plus our comp_unknown,
 * rx_dropped, mnf_events and state).
 *
 * The directory is the channel's kobject (channel.c owns its lifetime);
 * a primary channel's lives under the device's "channels" kobject,
 * subchannels' under their primary's.  It exists from the offer until the
 * rescind (or module exit): removing it drains running readers before the
 * channel can go away.  Ring values come from the shared control pages
 * (READ_ONCE), under the channel lock so that the rings cannot be freed
 * meanwhile; they read 0 while the channel is not open.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "vmbus_private.h"

struct vmbus_chan_attr {
	struct attribute attr;
	ssize_t (*show)(struct vmbus_channel *chan, char *buf);
	ssize_t (*store)(struct vmbus_channel *chan, const char *buf, size_t count);
};

#define to_chan_attr(a) container_of(a, struct vmbus_chan_attr, attr)
#define to_chan(k) container_of(k, struct vmbus_channel, kobj)

static ssize_t vmbus_chan_attr_show(struct kobject *kobj, struct attribute *attr,
				    char *buf)
{
	const struct vmbus_chan_attr *a = to_chan_attr(attr);

	return a->show ? a->show(to_chan(kobj), buf) : -EIO;
}

static ssize_t vmbus_chan_attr_store(struct kobject *kobj, struct attribute *attr,
				     const char *buf, size_t count)
{
	const struct vmbus_chan_attr *a = to_chan_attr(attr);

	return a->store ? a->store(to_chan(kobj), buf, count) : -EIO;
}

static const struct sysfs_ops vmbus_chan_sysfs_ops = {
	.show = vmbus_chan_attr_show,
	.store = vmbus_chan_attr_store,
};

#define CHAN_ATTR_RO(_name) \
	static struct vmbus_chan_attr chan_attr_##_name = __ATTR_RO(_name)
#define CHAN_ATTR_RW(_name) \
	static struct vmbus_chan_attr chan_attr_##_name = __ATTR_RW(_name)

/* Counters. */
#define CHAN_COUNTER(_name)						\
static ssize_t _name##_show(struct vmbus_channel *chan, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  (unsigned long long)atomic64_read(&chan->st._name)); \
}									\
CHAN_ATTR_RO(_name)

CHAN_COUNTER(events);
CHAN_COUNTER(interrupts);
CHAN_COUNTER(intr_in_full);
CHAN_COUNTER(intr_out_empty);
CHAN_COUNTER(out_full_first);
CHAN_COUNTER(out_full_total);
CHAN_COUNTER(comp_unknown);
CHAN_COUNTER(rx_dropped);
CHAN_COUNTER(mnf_events);

/* A value read from the rings under the channel lock; 0 when not open. */
enum vmbus_ring_value {
	RV_IN_MASK,
	RV_OUT_MASK,
	RV_READ_AVAIL,
	RV_WRITE_AVAIL,
};

static u32 vmbus_chan_ring_value(struct vmbus_channel *chan, enum vmbus_ring_value v)
{
	unsigned long flags;
	u32 val = 0;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->state != VMBUS_CHAN_OPEN)
		goto out_unlock;
	switch (v) {
	case RV_IN_MASK:
		val = le32_to_cpu(READ_ONCE(chan->in.ctl->interrupt_mask));
		break;
	case RV_OUT_MASK:
		val = le32_to_cpu(READ_ONCE(chan->out.ctl->interrupt_mask));
		break;
	case RV_READ_AVAIL:
		val = vmbus_ring_read_avail(&chan->in);
		break;
	case RV_WRITE_AVAIL:
		val = vmbus_ring_write_avail(&chan->out);
		break;
	}
out_unlock:
	spin_unlock_irqrestore(&chan->lock, flags);
	return val;
}

#define CHAN_RING_VALUE(_name, _v)					\
static ssize_t _name##_show(struct vmbus_channel *chan, char *buf)	\
{									\
	return sysfs_emit(buf, "%u\n", vmbus_chan_ring_value(chan, _v)); \
}									\
CHAN_ATTR_RO(_name)

CHAN_RING_VALUE(in_mask, RV_IN_MASK);
CHAN_RING_VALUE(out_mask, RV_OUT_MASK);
CHAN_RING_VALUE(read_avail, RV_READ_AVAIL);
CHAN_RING_VALUE(write_avail, RV_WRITE_AVAIL);

static ssize_t cpu_show(struct vmbus_channel *chan, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(chan->target_cpu));
}

static ssize_t cpu_store(struct vmbus_channel *chan, const char *buf, size_t count)
{
	unsigned int cpu;
	int ret;

	ret = kstrtouint(buf, 10, &cpu);
	if (ret)
		return ret;
	ret = vmbus_chan_set_cpu(chan, cpu);
	return ret ?: count;
}
CHAN_ATTR_RW(cpu);

/*
 * MNF: the channel's entries in the guest -> host monitor page (Linux
 * drivers/hv/vmbus_drv.c, channel_latency_show(), channel_pending_show()).
 * "latency" is what the host wrote there (assumed 100 ns units: no source
 * states them), "pending" whether our signal bit is still set (the host
 * has not polled it yet).  Both read 0 for a channel without a monitor id
 * (upstream: -EINVAL).
 */
static ssize_t latency_show(struct vmbus_channel *chan, char *buf)
{
	const struct vmbus_monitor_page *mp = vmbus_conn.monitor_pages[1];
	u16 lat = 0;

	if (chan->monitored)
		lat = le16_to_cpu(READ_ONCE(mp->latency[chan->monitor_grp][chan->monitor_bit]));
	return sysfs_emit(buf, "%u\n", lat);
}
CHAN_ATTR_RO(latency);

static ssize_t pending_show(struct vmbus_channel *chan, char *buf)
{
	const struct vmbus_monitor_page *mp = vmbus_conn.monitor_pages[1];
	u32 word = 0;

	if (chan->monitored)
		word = le32_to_cpu(READ_ONCE(mp->trigger_group[chan->monitor_grp].pending));
	return sysfs_emit(buf, "%u\n", (word >> chan->monitor_bit) & 1);
}
CHAN_ATTR_RO(pending);

static ssize_t subchannel_id_show(struct vmbus_channel *chan, char *buf)
{
	return sysfs_emit(buf, "%u\n", chan->subchan_index);
}
CHAN_ATTR_RO(subchannel_id);

static ssize_t monitor_id_show(struct vmbus_channel *chan, char *buf)
{
	return sysfs_emit(buf, "%u\n", chan->offer.monitor_id);
}
CHAN_ATTR_RO(monitor_id);

static ssize_t state_show(struct vmbus_channel *chan, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(chan->state));
}
CHAN_ATTR_RO(state);

static struct attribute *vmbus_chan_attrs[] = {
	&chan_attr_cpu.attr,
	&chan_attr_in_mask.attr,
	&chan_attr_out_mask.attr,
	&chan_attr_read_avail.attr,
	&chan_attr_write_avail.attr,
	&chan_attr_events.attr,
	&chan_attr_interrupts.attr,
	&chan_attr_pending.attr,
	&chan_attr_latency.attr,
	&chan_attr_subchannel_id.attr,
	&chan_attr_monitor_id.attr,
	&chan_attr_intr_in_full.attr,
	&chan_attr_intr_out_empty.attr,
	&chan_attr_out_full_first.attr,
	&chan_attr_out_full_total.attr,
	&chan_attr_comp_unknown.attr,
	&chan_attr_rx_dropped.attr,
	&chan_attr_mnf_events.attr,
	&chan_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vmbus_chan);

const struct kobj_type vmbus_chan_ktype = {
	.release = vmbus_chan_release,
	.sysfs_ops = &vmbus_chan_sysfs_ops,
	.default_groups = vmbus_chan_groups,
};

/*
 * Create the channel's directory (and a primary's "channels" directory)
 * once its parent exists.  A failure costs the directory, not the
 * channel.  Under vmbus_conn.lock.
 */
void vmbus_chan_sysfs_add(struct vmbus_channel *chan)
{
	struct kobject *parent;
	int ret;

	lockdep_assert_held(&vmbus_conn.lock);
	if (chan->vdev) {
		chan->channels_kobj = kobject_create_and_add("channels", &chan->vdev->dev.kobj);
		if (!chan->channels_kobj)
			goto err;
		parent = chan->channels_kobj;
	} else {
		parent = chan->primary ? chan->primary->channels_kobj : NULL;
		if (!parent)
			return;
	}
	ret = kobject_add(&chan->kobj, parent, "%u", chan->relid);
	if (ret)
		goto err;
	chan->kobj_added = true;
	return;
err:
	pr_warn("relid %u: no sysfs channel directory\n", chan->relid);
}

/* Remove the directories; running readers finish first.  Under vmbus_conn.lock. */
void vmbus_chan_sysfs_del(struct vmbus_channel *chan)
{
	lockdep_assert_held(&vmbus_conn.lock);
	if (chan->kobj_added) {
		kobject_del(&chan->kobj);
		chan->kobj_added = false;
	}
	if (chan->channels_kobj) {
		kobject_put(chan->channels_kobj);
		chan->channels_kobj = NULL;
	}
}
