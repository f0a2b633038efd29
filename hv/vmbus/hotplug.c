// SPDX-License-Identifier: GPL-2.0
/*
 * CPU hotplug: a CPU that open channels target, or that receives the
 * channel messages, may not go offline.
 *
 * The host keeps signalling a channel's target VP; once hv_common has
 * taken that CPU's SynIC down the interrupts would be lost and the
 * channel would hang.  Like upstream, hv_vmbus refuses (-EBUSY) instead
 * of moving channels behind the drivers' backs: the administrator moves
 * them first (sysfs channels/<relid>/cpu, MODIFYCHANNEL), then offlines
 * the CPU.
 *
 * Ordering: our dynamic cpuhp state is allocated after hv_common's (we
 * load later), and teardown runs from the highest state down, so this
 * check runs before hv_common's SynIC teardown; a refusal rolls the
 * CPU back online.  The callback runs with the hotplug lock held for
 * writing; open and MODIFYCHANNEL choose and publish a channel's target
 * CPU under cpus_read_lock() (intr.c, channel.c), so they either see the
 * CPU inactive or are seen here.  Channels are read under RCU only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>

#include "vmbus_private.h"

static int vmbus_cpuhp_state;

/* A CPU that may become a channel's target: active, with a VP index. */
bool vmbus_cpu_usable(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_active(cpu) && hvcore_vp_index(cpu) != U32_MAX;
}

/* Channels whose interrupts go to @cpu while the host may signal them. */
static unsigned int vmbus_channels_on(unsigned int cpu)
{
	struct vmbus_channel *chan;
	unsigned long relid;
	unsigned int n = 0;

	rcu_read_lock();
	xa_for_each(&vmbus_conn.channels, relid, chan) {
		switch (READ_ONCE(chan->state)) {
		case VMBUS_CHAN_OPENING:
		case VMBUS_CHAN_OPEN:
		case VMBUS_CHAN_CLOSING:
			if (READ_ONCE(chan->target_cpu) == cpu)
				n++;
			break;
		default:
			break;
		}
	}
	rcu_read_unlock();
	return n;
}

/* cpuhp teardown: runs on @cpu, hotplug lock held for writing. */
static int vmbus_cpu_down(unsigned int cpu)
{
	unsigned int n;

	if (READ_ONCE(vmbus_conn.state) != VMBUS_DISCONNECTED &&
	    cpu == READ_ONCE(vmbus_conn.target_cpu)) {
		pr_info("CPU %u receives the VMBus channel messages: it stays online\n", cpu);
		return -EBUSY;
	}
	n = vmbus_channels_on(cpu);
	if (n) {
		pr_info("CPU %u is the target of %u open channels: move them first (channels/<relid>/cpu)\n",
			cpu, n);
		return -EBUSY;
	}
	return 0;
}

/* Before the connection: from then on the message CPU is protected. */
int vmbus_hotplug_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "hv_vmbus:online",
					NULL, vmbus_cpu_down);
	if (ret < 0) {
		pr_err("cannot install the CPU hotplug callback: %d\n", ret);
		return ret;
	}
	vmbus_cpuhp_state = ret;
	return 0;
}

void vmbus_hotplug_uninit(void)
{
	if (vmbus_cpuhp_state > 0)
		cpuhp_remove_state_nocalls(vmbus_cpuhp_state);
	vmbus_cpuhp_state = 0;
}
