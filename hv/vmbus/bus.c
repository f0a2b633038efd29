// SPDX-License-Identifier: GPL-2.0
/*
 * The "vmbus" bus: devices (one per primary offer), matching by class
 * GUID or driver_override, uevents, and the driver registration API.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vmbus_private.h"

static struct device *vmbus_root;

static const struct hv_vmbus_device_id *
vmbus_match_id(const struct hv_vmbus_device_id *id, const guid_t *class_id)
{
	if (!id)
		return NULL;
	for (; !guid_is_null(&id->guid); id++)
		if (guid_equal(&id->guid, class_id))
			return id;
	return NULL;
}

static int vmbus_bus_match(struct device *dev, struct device_driver *drv)
{
	struct vmbus_device *vdev = to_vmbus_device(dev);

	if (vdev->driver_override)
		return !strcmp(vdev->driver_override, drv->name);
	return vmbus_match_id(to_vmbus_driver(drv)->id_table, &vdev->class_id) != NULL;
}

static int vmbus_bus_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	struct vmbus_device *vdev = to_vmbus_device(dev);

	return add_uevent_var(env, "MODALIAS=vmbus:%*phN",
			      (int)sizeof(vdev->class_id), &vdev->class_id);
}

static int vmbus_bus_probe(struct device *dev)
{
	struct vmbus_device *vdev = to_vmbus_device(dev);
	struct vmbus_driver *drv = to_vmbus_driver(dev->driver);
	int ret;

	ret = drv->probe(vdev, vmbus_match_id(drv->id_table, &vdev->class_id));
	if (ret) {
		/* Subchannel callbacks a failed probe may have set. */
		vmbus_subchan_unbind_begin(vdev->channel);
		vmbus_subchan_unbind_end(vdev->channel);
	}
	return ret;
}

/*
 * Unbind: subchannel callbacks stop first (none runs during remove);
 * subchannels the driver left open are closed after it.
 */
static void vmbus_bus_remove(struct device *dev)
{
	struct vmbus_driver *drv = to_vmbus_driver(dev->driver);
	struct vmbus_device *vdev = to_vmbus_device(dev);

	vmbus_subchan_unbind_begin(vdev->channel);
	if (drv->remove)
		drv->remove(vdev);
	vmbus_subchan_unbind_end(vdev->channel);
}

static struct bus_type vmbus_bus = {
	.name = "vmbus",
	.match = vmbus_bus_match,
	.uevent = vmbus_bus_uevent,
	.probe = vmbus_bus_probe,
	.remove = vmbus_bus_remove,
	.dev_groups = vmbus_dev_groups,
	.bus_groups = vmbus_bus_groups,
};

static void vmbus_device_release(struct device *dev)
{
	struct vmbus_device *vdev = to_vmbus_device(dev);

	kfree(vdev->driver_override);
	kfree(vdev);
}

/* A device for primary channel @chan.  Must hold vmbus_conn.lock. */
int vmbus_device_add(struct vmbus_channel *chan)
{
	struct vmbus_device *vdev;
	int ret;

	lockdep_assert_held(&vmbus_conn.lock);
	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return -ENOMEM;
	import_guid(&vdev->class_id, chan->offer.if_type.b);
	import_guid(&vdev->device_id, chan->offer.if_instance.b);
	vdev->channel = chan;
	device_initialize(&vdev->dev);
	vdev->dev.bus = &vmbus_bus;
	vdev->dev.parent = vmbus_root;
	vdev->dev.release = vmbus_device_release;
	ret = dev_set_name(&vdev->dev, "%pUl", &vdev->device_id);
	if (!ret)
		ret = device_add(&vdev->dev);
	if (ret) {
		put_device(&vdev->dev);
		return ret;
	}
	chan->vdev = vdev;
	return 0;
}

/*
 * Unbind and remove the device of @chan.  On return no driver callback
 * and no sysfs reader uses the channel any more.  Must hold
 * vmbus_conn.lock.
 */
void vmbus_device_del(struct vmbus_channel *chan)
{
	lockdep_assert_held(&vmbus_conn.lock);
	device_unregister(&chan->vdev->dev);
	chan->vdev = NULL;
}

int __vmbus_driver_register(struct vmbus_driver *drv, struct module *owner,
			    const char *mod_name)
{
	if (!drv->name || !drv->id_table || !drv->probe)
		return -EINVAL;
	drv->driver.name = drv->name;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	drv->driver.bus = &vmbus_bus;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__vmbus_driver_register);

void vmbus_driver_unregister(struct vmbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(vmbus_driver_unregister);

int vmbus_bus_init(void)
{
	int ret;

	ret = bus_register(&vmbus_bus);
	if (ret)
		return ret;
	/* /sys/devices/vmbus: the parent of every device. */
	vmbus_root = root_device_register("vmbus");
	if (IS_ERR(vmbus_root)) {
		ret = PTR_ERR(vmbus_root);
		goto err_bus;
	}
	return 0;

err_bus:
	bus_unregister(&vmbus_bus);
	return ret;
}

void vmbus_bus_uninit(void)
{
	root_device_unregister(vmbus_root);
	bus_unregister(&vmbus_bus);
}
