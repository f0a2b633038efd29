// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: the per-device attributes of upstream's sysfs-bus-vmbus ABI (id,
 * class_id, device_id, modalias, state, monitor_id, driver_override,
 * channel_vp_mapping, numa_node, vendor, device) and the bus attribute
 * "version" (/sys/bus/vmbus/version: the negotiated protocol as
 * "major.minor").  The channels/ directory is chan_sysfs.c's.
 *
 * The show functions read the channel: device_del() removes the files and
 * waits for running readers before the channel can be freed (offer.c).
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/pci_ids.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/topology.h>

#include "vmbus_private.h"

static struct vmbus_channel *dev_chan(struct device *dev)
{
	return to_vmbus_device(dev)->channel;
}

static ssize_t id_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", dev_chan(dev)->relid);
}
static DEVICE_ATTR_RO(id);

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_vmbus_device(dev)->class_id);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &to_vmbus_device(dev)->device_id);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct vmbus_device *vdev = to_vmbus_device(dev);

	return sysfs_emit(buf, "vmbus:%*phN\n", (int)sizeof(vdev->class_id),
			  &vdev->class_id);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(dev_chan(dev)->state));
}
static DEVICE_ATTR_RO(state);

static ssize_t monitor_id_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n", dev_chan(dev)->offer.monitor_id);
}
static DEVICE_ATTR_RO(monitor_id);

/* "relid:cpu" of the primary channel and of each of its subchannels. */
static ssize_t channel_vp_mapping_show(struct device *dev, struct device_attribute *attr,
				       char *buf)
{
	struct vmbus_channel *primary = dev_chan(dev), *chan;
	unsigned long relid;
	int len;

	len = sysfs_emit(buf, "%u:%u\n", primary->relid, READ_ONCE(primary->target_cpu));
	rcu_read_lock();
	xa_for_each(&vmbus_conn.channels, relid, chan) {
		if (chan->primary == primary)
			len += sysfs_emit_at(buf, len, "%u:%u\n", chan->relid,
					     READ_ONCE(chan->target_cpu));
	}
	rcu_read_unlock();
	return len;
}
static DEVICE_ATTR_RO(channel_vp_mapping);

static ssize_t numa_node_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", cpu_to_node(READ_ONCE(dev_chan(dev)->target_cpu)));
}
static DEVICE_ATTR_RO(numa_node);

static ssize_t vendor_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%x\n", PCI_VENDOR_ID_MICROSOFT);
}
static DEVICE_ATTR_RO(vendor);

/*
 * Upstream's "device": the 16-bit device type of the class (its enum
 * vmbus_device_type numbering); 0 for a class it does not list.
 */
static const struct {
	struct hv_guid class_id;
	u16 type;
} vmbus_dev_types[] = {
	{ VMBUS_CLASS_IDE, 0 },
	{ VMBUS_CLASS_SCSI, 1 },
	{ VMBUS_CLASS_NETWORK, 3 },
	{ VMBUS_CLASS_KVP, 9 },
	{ VMBUS_CLASS_TIMESYNC, 10 },
	{ VMBUS_CLASS_HEARTBEAT, 11 },
	{ VMBUS_CLASS_SHUTDOWN, 12 },
	{ VMBUS_CLASS_FCOPY, 13 },
	{ VMBUS_CLASS_VSS, 14 },
	{ VMBUS_CLASS_BALLOON, 15 },
};

static ssize_t device_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	const struct hv_guid *class_id = &dev_chan(dev)->offer.if_type;
	unsigned int i;
	u16 type = 0;

	for (i = 0; i < ARRAY_SIZE(vmbus_dev_types); i++) {
		if (!memcmp(&vmbus_dev_types[i].class_id, class_id, sizeof(*class_id))) {
			type = vmbus_dev_types[i].type;
			break;
		}
	}
	return sysfs_emit(buf, "0x%x\n", type);
}
static DEVICE_ATTR_RO(device);

static ssize_t driver_override_show(struct device *dev, struct device_attribute *attr,
				    char *buf)
{
	struct vmbus_device *vdev = to_vmbus_device(dev);
	ssize_t len;

	device_lock(dev);
	len = sysfs_emit(buf, "%s\n", vdev->driver_override ?: "");
	device_unlock(dev);
	return len;
}

static ssize_t driver_override_store(struct device *dev, struct device_attribute *attr,
				     const char *buf, size_t count)
{
	int ret;

	ret = driver_set_override(dev, &to_vmbus_device(dev)->driver_override, buf, count);
	return ret ?: count;
}
static DEVICE_ATTR_RW(driver_override);

static struct attribute *vmbus_dev_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_modalias.attr,
	&dev_attr_state.attr,
	&dev_attr_monitor_id.attr,
	&dev_attr_driver_override.attr,
	&dev_attr_channel_vp_mapping.attr,
	&dev_attr_numa_node.attr,
	&dev_attr_vendor.attr,
	&dev_attr_device.attr,
	NULL,
};

static const struct attribute_group vmbus_dev_group = {
	.attrs = vmbus_dev_attrs,
};

const struct attribute_group *vmbus_dev_groups[] = {
	&vmbus_dev_group,
	NULL,
};

static ssize_t version_show(struct bus_type *bus, char *buf)
{
	u32 v = READ_ONCE(vmbus_conn.version);

	return sysfs_emit(buf, "%u.%u\n", VMBUS_VERSION_MAJOR(v), VMBUS_VERSION_MINOR(v));
}
static BUS_ATTR_RO(version);

static struct attribute *vmbus_bus_attrs[] = {
	&bus_attr_version.attr,
	NULL,
};

static const struct attribute_group vmbus_bus_group = {
	.attrs = vmbus_bus_attrs,
};

const struct attribute_group *vmbus_bus_groups[] = {
	&vmbus_bus_group,
	NULL,
};
