// SPDX-License-Identifier: GPL-2.0
/*
 * Test builds only (CONFIG_HVSTACK_TESTING): debugfs hv_vmbus/unload_test
 * runs the polled UNLOAD of panic, reboot and kexec (unload.c) on demand.
 *
 * Writing 1 runs vmbus_unload_polled() with interrupts off, exactly as a
 * panic would (the bus stays disconnected: sleeping waiters then fail
 * with -ESHUTDOWN); reading gives "ret=<errno> us=<time polled>
 * dropped=<messages dropped>".  Process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>

#include "vmbus_private.h"

/* The last result; written by the test only. */
static int vmbus_unload_test_ret = 1;	/* 1: never run */
static s64 vmbus_unload_test_us;

static ssize_t vmbus_unload_test_write(struct file *file, const char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	ktime_t t0;
	bool run;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &run);
	if (ret)
		return ret;
	if (!run)
		return count;
	t0 = ktime_get();
	ret = vmbus_unload_polled();
	vmbus_unload_test_us = ktime_us_delta(ktime_get(), t0);
	vmbus_unload_test_ret = ret;
	if (ret != -EALREADY && ret != -ENOTCONN)
		vmbus_waiters_shutdown();
	pr_info("unload_test: polled UNLOAD returned %d after %lld us\n", ret,
		(long long)vmbus_unload_test_us);
	return ret ? ret : count;
}

static ssize_t vmbus_unload_test_read(struct file *file, char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	char buf[96];
	int len;

	len = scnprintf(buf, sizeof(buf), "ret=%d us=%lld dropped=%lld\n",
			vmbus_unload_test_ret, (long long)vmbus_unload_test_us,
			(long long)atomic64_read(&vmbus_conn.unload_dropped));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations vmbus_unload_test_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vmbus_unload_test_read,
	.write = vmbus_unload_test_write,
	.llseek = default_llseek,
};

void vmbus_unload_test_debugfs(struct dentry *dir)
{
	debugfs_create_file("unload_test", 0600, dir, NULL, &vmbus_unload_test_fops);
}
