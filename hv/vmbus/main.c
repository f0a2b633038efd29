// SPDX-License-Identifier: GPL-2.0
/*
 * hv_vmbus: module init/exit and parameters.
 *
 * Init: the bus, then the connection's resources and SINT 2, the CPU
 * hotplug guard, then the connection itself (negotiation, offers), the
 * panic/reboot UNLOAD notifiers, then debugfs.  Exit mirrors it: devices are unbound (their drivers close their channels), channels
 * still open are closed, then UNLOAD, so the module can be loaded again
 * and reconnect.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "vmbus_private.h"

/* Highest protocol version to request; newest known by default. */
unsigned int vmbus_max_version = VMBUS_VERSION_IRON;

/* "5.3" (major.minor) or a raw u32 such as "0x50003". */
static int vmbus_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned int major, minor;
	u32 v;

	if (strchr(val, '.')) {
		if (sscanf(val, "%u.%u", &major, &minor) != 2 ||
		    major > 0xffff || minor > 0xffff)
			return -EINVAL;
		v = VMBUS_MAKE_VERSION(major, minor);
	} else if (kstrtou32(val, 0, &v)) {
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int vmbus_param_get(char *buf, const struct kernel_param *kp)
{
	u32 v = *(unsigned int *)kp->arg;

	return sysfs_emit(buf, "%u.%u\n", VMBUS_VERSION_MAJOR(v), VMBUS_VERSION_MINOR(v));
}

static const struct kernel_param_ops vmbus_version_ops = {
	.set = vmbus_param_set,
	.get = vmbus_param_get,
};
module_param_cb(max_version, &vmbus_version_ops, &vmbus_max_version, 0444);
MODULE_PARM_DESC(max_version,
		 "Highest VMBus protocol version to request, \"5.3\" or 0x50003 (default 5.3)");

static int __init vmbus_init(void)
{
	int ret;

	if (!hvcore_platform_ready()) {
		pr_err("no Hyper-V platform registered with hv_common\n");
		return -ENODEV;
	}
	ret = vmbus_bus_init();
	if (ret)
		return ret;
	ret = vmbus_connection_init();
	if (ret)
		goto err_bus;
	ret = vmbus_hotplug_init();
	if (ret)
		goto err_connection;
	ret = vmbus_connect();
	if (ret)
		goto err_hotplug;
	vmbus_unload_init();
	vmbus_debugfs_init();
	return 0;

err_hotplug:
	vmbus_hotplug_uninit();
err_connection:
	vmbus_connection_uninit();
err_bus:
	vmbus_bus_uninit();
	return ret;
}

static void __exit vmbus_exit(void)
{
	vmbus_debugfs_uninit();
	vmbus_unload_uninit();
	vmbus_disconnect();
	vmbus_hotplug_uninit();
	vmbus_connection_uninit();
	vmbus_bus_uninit();
}

module_init(vmbus_init);
module_exit(vmbus_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Hyper-V VMBus: connection, channels, ring buffers and the vmbus bus");
