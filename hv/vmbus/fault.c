// SPDX-License-Identifier: GPL-2.0
/*
 * Test builds only (CONFIG_HVSTACK_TESTING; vmbus_private.h has the empty
 * production hooks).  debugfs fault injection, hv_vmbus/fault/ (all off by
 * default, bounded):
 *   delay_interrupt_us  busy-wait this long (<= 1000 us) in the interrupt
 *                       handler before dispatching each batch of channel
 *                       interrupts
 *   delay_message_ms    sleep this long (<= 2000 ms) in the work item
 *                       before handling each queued host message (offers,
 *                       rescinds, connection replies)
 *   fail_gpadl_create   the next N (<= 1000) GPADL creations fail with
 *                       -ENOMEM before anything is sent; reads back the
 *                       number still to fail
 *   injected            faults injected so far (read only)
 * Values out of range are refused with -EINVAL.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>

#include "vmbus_private.h"

#define VMBUS_FAULT_INTR_US_MAX		1000
#define VMBUS_FAULT_MSG_MS_MAX		2000
#define VMBUS_FAULT_GPADL_MAX		1000

static u32 vmbus_fault_intr_us;
static u32 vmbus_fault_msg_ms;
static atomic_t vmbus_fault_gpadl;
static atomic64_t vmbus_fault_injected;

/* Hard interrupt context (intr.c). */
void vmbus_fault_delay_interrupt(void)
{
	u32 us = READ_ONCE(vmbus_fault_intr_us);

	if (!us)
		return;
	atomic64_inc(&vmbus_fault_injected);
	udelay(min_t(u32, us, VMBUS_FAULT_INTR_US_MAX));
}

/* Process context: the message work items (chanmsg.c). */
void vmbus_fault_delay_message(void)
{
	u32 ms = READ_ONCE(vmbus_fault_msg_ms);

	if (!ms)
		return;
	atomic64_inc(&vmbus_fault_injected);
	msleep(min_t(u32, ms, VMBUS_FAULT_MSG_MS_MAX));
}

/* True when this GPADL creation must fail (gpadl.c).  Any context. */
bool vmbus_fault_gpadl_create(void)
{
	if (atomic_dec_if_positive(&vmbus_fault_gpadl) < 0)
		return false;
	atomic64_inc(&vmbus_fault_injected);
	return true;
}

static int vmbus_fault_intr_get(void *data, u64 *val)
{
	*val = READ_ONCE(vmbus_fault_intr_us);
	return 0;
}

static int vmbus_fault_intr_set(void *data, u64 val)
{
	if (val > VMBUS_FAULT_INTR_US_MAX)
		return -EINVAL;
	WRITE_ONCE(vmbus_fault_intr_us, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vmbus_fault_intr_fops, vmbus_fault_intr_get,
			 vmbus_fault_intr_set, "%llu\n");

static int vmbus_fault_msg_get(void *data, u64 *val)
{
	*val = READ_ONCE(vmbus_fault_msg_ms);
	return 0;
}

static int vmbus_fault_msg_set(void *data, u64 val)
{
	if (val > VMBUS_FAULT_MSG_MS_MAX)
		return -EINVAL;
	WRITE_ONCE(vmbus_fault_msg_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vmbus_fault_msg_fops, vmbus_fault_msg_get,
			 vmbus_fault_msg_set, "%llu\n");

static int vmbus_fault_gpadl_get(void *data, u64 *val)
{
	*val = atomic_read(&vmbus_fault_gpadl);
	return 0;
}

static int vmbus_fault_gpadl_set(void *data, u64 val)
{
	if (val > VMBUS_FAULT_GPADL_MAX)
		return -EINVAL;
	atomic_set(&vmbus_fault_gpadl, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vmbus_fault_gpadl_fops, vmbus_fault_gpadl_get,
			 vmbus_fault_gpadl_set, "%llu\n");

static int vmbus_fault_injected_get(void *data, u64 *val)
{
	*val = atomic64_read(&vmbus_fault_injected);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vmbus_fault_injected_fops, vmbus_fault_injected_get,
			 NULL, "%llu\n");

/* Under hv_vmbus/; the knobs start off (also after a module reload). */
void vmbus_fault_debugfs(struct dentry *parent)
{
	struct dentry *dir;

	WRITE_ONCE(vmbus_fault_intr_us, 0);
	WRITE_ONCE(vmbus_fault_msg_ms, 0);
	atomic_set(&vmbus_fault_gpadl, 0);
	dir = debugfs_create_dir("fault", parent);
	debugfs_create_file_unsafe("delay_interrupt_us", 0600, dir, NULL,
				   &vmbus_fault_intr_fops);
	debugfs_create_file_unsafe("delay_message_ms", 0600, dir, NULL,
				   &vmbus_fault_msg_fops);
	debugfs_create_file_unsafe("fail_gpadl_create", 0600, dir, NULL,
				   &vmbus_fault_gpadl_fops);
	debugfs_create_file_unsafe("injected", 0400, dir, NULL,
				   &vmbus_fault_injected_fops);
}
