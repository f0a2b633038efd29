// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/hv_vmbus/stats, one "name=value" per line:
 *   unexpected_replies   replies to requests nobody waited for (waiter.c)
 *   late_replies         answers that came after a rescind ended the wait
 *   unknown_interrupts   event flags of relids without a channel (intr.c)
 *   gpadls               GPADLs the host holds or may hold (gpadl.c)
 *   gpadls_leaked        teardowns (or creations) the host never confirmed
 *   channels             channels in the table
 *   unload_dropped       messages dropped while polling for UNLOAD_RESPONSE
 *   malformed_messages   host messages dropped: wrong SynIC type, too short,
 *                        unknown or guest-to-host channel message type
 * Also here in test builds only: unload_test (unload_test.c) and fault/
 * (fault.c).
 * Counters of one channel are in sysfs (channels/<relid>/).
 */
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vmbus_private.h"

static struct dentry *vmbus_debugfs_dir;

static int vmbus_stats_show(struct seq_file *m, void *v)
{
	seq_printf(m, "unexpected_replies=%lld\n",
		   (long long)atomic64_read(&vmbus_conn.unexpected_replies));
	seq_printf(m, "late_replies=%lld\n",
		   (long long)atomic64_read(&vmbus_conn.late_replies));
	seq_printf(m, "unknown_interrupts=%lld\n",
		   (long long)atomic64_read(&vmbus_conn.unknown_interrupts));
	seq_printf(m, "gpadls=%u\n", vmbus_gpadl_count());
	seq_printf(m, "gpadls_leaked=%lld\n",
		   (long long)atomic64_read(&vmbus_conn.gpadls_leaked));
	seq_printf(m, "channels=%u\n", READ_ONCE(vmbus_conn.nr_offers));
	seq_printf(m, "unload_dropped=%lld\n",
		   (long long)atomic64_read(&vmbus_conn.unload_dropped));
	seq_printf(m, "malformed_messages=%lld\n",
		   (long long)atomic64_read(&vmbus_conn.malformed_messages));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmbus_stats);

void vmbus_debugfs_init(void)
{
	/* debugfs is optional: failures only cost the files. */
	vmbus_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0444, vmbus_debugfs_dir, NULL, &vmbus_stats_fops);
	vmbus_unload_test_debugfs(vmbus_debugfs_dir);
	vmbus_fault_debugfs(vmbus_debugfs_dir);
}

void vmbus_debugfs_uninit(void)
{
	debugfs_remove_recursive(vmbus_debugfs_dir);
	vmbus_debugfs_dir = NULL;
}
