/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_vmbus driver API: what VSC drivers (storvsc, netvsc, util, ...) use
 * to bind to VMBus devices.
 *
 * One struct vmbus_device exists per primary channel offer; it sits on the
 * "vmbus" bus, is named after the offer's instance GUID and carries the
 * modalias "vmbus:<class GUID bytes as 32 hex digits>", the same form
 * MODULE_DEVICE_TABLE(vmbus, ...) writes for struct hv_vmbus_device_id, so
 * udev/modprobe autoload works.
 *
 * Exported symbols carry the vmbus_ prefix; the only kernel module that
 * exports the same names is the distro hv_vmbus this module replaces.
 */
#ifndef _HV_HV_VMBUS_H
#define _HV_HV_VMBUS_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/uuid.h>

/* Opaque: drivers never look inside a channel. */
struct vmbus_channel;

/*
 * A VMBus device.  All fields are read-only for drivers and stable from
 * probe until remove returns.
 */
struct vmbus_device {
	struct device dev;
	guid_t class_id;		/* offer interface type */
	guid_t device_id;		/* offer interface instance */
	struct vmbus_channel *channel;	/* the primary channel */
	const char *driver_override;	/* sysfs driver_override, under device_lock */
};

static inline struct vmbus_device *to_vmbus_device(struct device *dev)
{
	return container_of(dev, struct vmbus_device, dev);
}

/*
 * A VMBus driver.
 *
 * @name: driver name (also what driver_override compares with).
 * @id_table: class GUIDs the driver binds to, ended by an all-zero entry.
 *	The bus matches a device whose class GUID is in the table, unless
 *	the device's driver_override names another driver.
 * @probe: bind to @vdev; @id is the matching table entry (NULL when the
 *	device was bound through driver_override alone).  Process context,
 *	may sleep.  Return 0 or a negative errno; on an error the device
 *	stays unbound.
 * @remove: unbind.  Called when the driver unregisters, the device is
 *	rescinded by the host, or hv_vmbus unloads; the channel must not be
 *	used once it returns.  Process context, may sleep.
 */
struct vmbus_driver {
	const char *name;
	const struct hv_vmbus_device_id *id_table;
	int (*probe)(struct vmbus_device *vdev, const struct hv_vmbus_device_id *id);
	void (*remove)(struct vmbus_device *vdev);
	struct device_driver driver;	/* private to hv_vmbus */
};

static inline struct vmbus_driver *to_vmbus_driver(struct device_driver *drv)
{
	return container_of(drv, struct vmbus_driver, driver);
}

/*
 * Register @drv: it is bound at once to every existing matching device
 * and later to matching hot-added ones.  Returns 0 or a negative errno
 * (-EINVAL for a driver without name, id table or probe).  Process
 * context.  Use the vmbus_driver_register() wrapper.
 */
int __vmbus_driver_register(struct vmbus_driver *drv, struct module *owner,
			    const char *mod_name);
#define vmbus_driver_register(drv) \
	__vmbus_driver_register(drv, THIS_MODULE, KBUILD_MODNAME)

/*
 * Unregister @drv: every bound device is unbound (remove called) before
 * this returns.  Process context.
 */
void vmbus_driver_unregister(struct vmbus_driver *drv);

/* Relid (child relid of the offer) of the device's primary channel. */
u32 vmbus_device_relid(const struct vmbus_device *vdev);

#endif /* _HV_HV_VMBUS_H */
