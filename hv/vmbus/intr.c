// SPDX-License-Identifier: GPL-2.0
/*
 * Channel interrupts: dispatch, target CPUs and MODIFYCHANNEL.
 *
 * Data path.  The host signals a channel by setting event flag <relid> of
 * SINT 2 on the channel's target VP (Linux drivers/hv/vmbus_drv.c,
 * vmbus_chan_sched()).  hv_common hands us a snapshot of the 2048 flags in
 * hard interrupt context; for each set flag (flag 0 is the legacy
 * interrupt-page flag: skipped) the channel is looked up under RCU, its
 * "interrupts" counter bumped, its vmbus_wait_writable() sleepers woken
 * (the same signal announces outbound space), and, only while it is
 * VMBUS_CHAN_OPEN (acquire: the callback fields were set before), its
 * callback dispatched:
 *
 * - VMBUS_CB_TASKLET: tasklet_schedule() on this CPU.  The tasklet sets
 *   the inbound interrupt_mask, runs the callback, clears the mask, and
 *   after a full barrier looks at the ring again (a packet written while
 *   the mask was set was not signalled): if it is not empty the tasklet
 *   reschedules itself, which bounds each run to one callback.
 * - VMBUS_CB_ISR: the callback runs right here (NAPI style).
 *
 * Target CPUs: open picks the next online CPU with a VP index, round
 * robin, so channels spread.  sysfs channels/<relid>/cpu moves an open
 * channel with MODIFYCHANNEL (>= 4.1); from 5.3 the host answers and a
 * second request for the channel must wait for that answer (open_lock
 * serializes them).  Interrupts may reach the old CPU until then: the ISR
 * does not care on which CPU it runs.  A CPU that channels target cannot
 * go offline (hotplug.c); both choices are made under cpus_read_lock().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/smp.h>

#include "vmbus_private.h"

/* Run or schedule @chan's callback.  Hard interrupt context, under RCU. */
static void vmbus_chan_dispatch(struct vmbus_channel *chan)
{
	if (!vmbus_chan_is_open(chan))
		return;
	if (chan->cb_mode == VMBUS_CB_ISR)
		chan->callback(chan, chan->ctx);
	else
		tasklet_schedule(&chan->tasklet);
}

static void vmbus_chan_interrupt(u32 relid)
{
	struct vmbus_channel *chan;

	rcu_read_lock();
	chan = xa_load(&vmbus_conn.channels, relid);
	if (!chan) {
		atomic64_inc(&vmbus_conn.unknown_interrupts);
		goto out_unlock;
	}
	atomic64_inc(&chan->st.interrupts);
	if (wq_has_sleeper(&chan->wait_q))
		wake_up(&chan->wait_q);
	vmbus_chan_dispatch(chan);
out_unlock:
	rcu_read_unlock();
}

/* hv_common's SINT 2 events callback: hard interrupt context. */
void vmbus_chan_events(unsigned int sint, const unsigned long *flags, void *ctx)
{
	unsigned int relid;

	vmbus_fault_delay_interrupt();	/* test builds: fault/delay_interrupt_us */
	for_each_set_bit(relid, flags, HV_EVENT_FLAGS_COUNT) {
		if (relid)
			vmbus_chan_interrupt(relid);
	}
}

/* The callback of a VMBUS_CB_TASKLET channel, with the inbound ring masked. */
void vmbus_chan_tasklet(struct tasklet_struct *t)
{
	struct vmbus_channel *chan = from_tasklet(chan, t, tasklet);

	if (!vmbus_chan_is_open(chan))
		return;
	vmbus_chan_mask(chan);
	chan->callback(chan, chan->ctx);
	/* Unmask, full barrier, look again: data written meanwhile was not signalled. */
	if (vmbus_chan_unmask(chan) && vmbus_chan_is_open(chan))
		tasklet_schedule(t);
}

static void vmbus_chan_kick_ipi(void *arg)
{
	struct vmbus_channel *chan = arg;

	rcu_read_lock();
	vmbus_chan_dispatch(chan);
	rcu_read_unlock();
}

/*
 * Right after open: the host may have written and signalled before we
 * dispatched, and will not signal again while the ring is not empty.  Run
 * the dispatch once on the target CPU, as the interrupt would have.
 * Process context, under open_lock (the rings stay).
 */
void vmbus_chan_kick(struct vmbus_channel *chan)
{
	if (!vmbus_rx_pending(chan))
		return;
	if (smp_call_function_single(READ_ONCE(chan->target_cpu), vmbus_chan_kick_ipi,
				     chan, 1))
		pr_warn("relid %u: CPU %u is offline; packets wait for the next interrupt\n",
			chan->relid, READ_ONCE(chan->target_cpu));
}

/*
 * The next usable CPU after the previous choice (hotplug.c: active, with
 * a VP index).  Any context; the caller holds cpus_read_lock() when the
 * choice must stay valid (it becomes a channel's target).
 */
static unsigned int vmbus_pick_cpu(void)
{
	unsigned int i, cpu = vmbus_conn.target_cpu;
	int next;

	spin_lock(&vmbus_conn.cpu_lock);
	next = vmbus_conn.last_cpu;
	for (i = 0; i < nr_cpu_ids; i++) {
		next = cpumask_next(next, cpu_online_mask);
		if (next >= nr_cpu_ids)
			next = cpumask_first(cpu_online_mask);
		if (vmbus_cpu_usable(next)) {
			cpu = next;
			break;
		}
	}
	vmbus_conn.last_cpu = cpu;
	spin_unlock(&vmbus_conn.cpu_lock);
	return cpu;
}

/*
 * The target CPU of @chan, being opened.  A primary takes the next usable
 * CPU (vmbus_pick_cpu(): devices spread over the CPUs).  Subchannel n of
 * a primary on CPU p takes the n-th usable CPU after p (wrapping), so the
 * channels of one device sit on distinct CPUs while there are enough of
 * them, which a multi-queue driver's per-CPU channel map relies on; a
 * global round robin interleaves devices opening subchannels at the same
 * time and can give one device two channels on a CPU and none on another.
 * Same context and locking as vmbus_pick_cpu().
 */
unsigned int vmbus_pick_cpu_for(const struct vmbus_channel *chan)
{
	unsigned int usable = 0, n, cpu;
	int next;

	if (!chan->primary)
		return vmbus_pick_cpu();
	for_each_online_cpu(cpu)
		usable += vmbus_cpu_usable(cpu);
	if (!usable)
		return vmbus_pick_cpu();
	n = chan->subchan_index % usable;
	next = READ_ONCE(chan->primary->target_cpu);
	while (n) {
		next = cpumask_next(next, cpu_online_mask);
		if (next >= nr_cpu_ids)
			next = cpumask_first(cpu_online_mask);
		n -= vmbus_cpu_usable(next);
	}
	return vmbus_cpu_usable(next) ? next : vmbus_pick_cpu();
}

/* Post MODIFYCHANNEL and, from 5.3, wait for the answer. */
static int vmbus_modify_request(struct vmbus_channel *chan, u32 vp)
{
	struct vmbus_chanmsg_modifychannel msg = {
		.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_MODIFYCHANNEL),
		.child_relid = cpu_to_le32(chan->relid),
		.target_vp = cpu_to_le32(vp),
	};
	const struct vmbus_chanmsg_modifychannel_response *res;
	bool answered = vmbus_conn.version >= VMBUS_VERSION_IRON;
	struct vmbus_waiter w;
	u32 status;
	int ret;

	if (!answered)
		return vmbus_post_sleep(&msg, sizeof(msg)) ? -EIO : 0;
	vmbus_waiter_init(&w, VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE, chan->relid,
			  chan->relid, chan, false);
	if (vmbus_waiter_arm(&w))
		return -ENODEV;
	ret = vmbus_post_sleep(&msg, sizeof(msg));
	if (ret) {
		vmbus_waiter_disarm(&w);
		return -EIO;
	}
	ret = vmbus_waiter_wait(&w, VMBUS_MODIFY_TIMEOUT_MS);
	if (ret == -ETIMEDOUT) {
		pr_err("relid %u: no MODIFYCHANNEL_RESPONSE within %u ms\n",
		       chan->relid, VMBUS_MODIFY_TIMEOUT_MS);
		return ret;
	}
	if (ret)
		return -ENODEV;
	res = (const void *)w.reply;
	status = le32_to_cpu(res->status);
	if (status) {
		pr_err("relid %u: the host refused to move the channel to VP %u: status 0x%x\n",
		       chan->relid, vp, status);
		return -EIO;
	}
	return 0;
}

/*
 * Move @chan's interrupts to @cpu (sysfs "cpu").  Returns 0, -EINVAL (not
 * a usable CPU), -EOPNOTSUPP (version < 4.1), -EIO (not open, or the host
 * refused), -ENODEV (rescinded) or -ETIMEDOUT.  Process context.
 */
int vmbus_chan_set_cpu(struct vmbus_channel *chan, unsigned int cpu)
{
	u32 vp;
	int ret;

	if (vmbus_conn.version < VMBUS_VERSION_WIN10_RS3)
		return -EOPNOTSUPP;

	mutex_lock(&chan->open_lock);
	/* hotplug.c: @cpu stays online until the new target is published. */
	cpus_read_lock();
	if (!vmbus_cpu_usable(cpu)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	vp = hvcore_vp_index(cpu);
	if (READ_ONCE(chan->rescinded)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	/* The host ignores MODIFYCHANNEL for a channel that is not open. */
	if (chan->state != VMBUS_CHAN_OPEN) {
		ret = -EIO;
		goto out_unlock;
	}
	ret = 0;
	if (cpu == chan->target_cpu)
		goto out_unlock;
	ret = vmbus_modify_request(chan, vp);
	if (ret)
		goto out_unlock;
	WRITE_ONCE(chan->target_cpu, cpu);
	chan->target_vp = vp;
	pr_debug("relid %u: interrupts moved to CPU %u (VP %u)\n", chan->relid, cpu, vp);
out_unlock:
	cpus_read_unlock();
	mutex_unlock(&chan->open_lock);
	return ret;
}
