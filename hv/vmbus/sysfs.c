// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: the per-device attributes of upstream's sysfs-bus-vmbus ABI that
 * exist at this stage (id, class_id, device_id, modalias, state,
 * monitor_id, driver_override) and the bus attribute "version"
 * (/sys/bus/vmbus/version: the negotiated protocol as "major.minor").
 *
 * The show functions read the channel: device_del() removes the files and
 * waits for running readers before the channel can be freed (offer.c).
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/sysfs.h>

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
	return sysfs_emit(buf, "%d\n", dev_chan(dev)->state);
}
static DEVICE_ATTR_RO(state);

static ssize_t monitor_id_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n", dev_chan(dev)->offer.monitor_id);
}
static DEVICE_ATTR_RO(monitor_id);

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
