// SPDX-License-Identifier: GPL-2.0
/*
 * Channel objects, open and close.
 *
 * Data path.  Open (process context, under the channel's open_lock):
 *   1. check the parameters; allocate both rings (ring.c), the request-id
 *      table and the bounce buffer;
 *   2. share both rings in ONE GPADL, [outbound ctl + data][inbound ctl +
 *      data], their control pages already carrying the feature bit;
 *   3. choose the target CPU (round robin over the online CPUs, intr.c);
 *   4. arm a waiter, post OPENCHANNEL (open_id = relid, downstream page
 *      offset = pages of the outbound ring), wait up to
 *      VMBUS_OPEN_TIMEOUT_MS for OPENCHANNEL_RESULT;
 *   5. publish VMBUS_CHAN_OPEN (release: the ISR reads it with acquire),
 *      then kick the target CPU once in case the host wrote and signalled
 *      while we were not yet dispatching.
 * A failure unwinds in reverse; rings the host may still hold (a GPADL
 * that was not confirmed torn down) are leaked, never freed.  After a
 * rescind or timeout during step 4 the host may have opened the channel:
 * CLOSECHANNEL goes out before the teardown.
 *
 * Close: VMBUS_CHAN_CLOSING under the channel lock (senders and sysfs
 * readers stop), wake vmbus_wait_writable() sleepers, synchronize_rcu()
 * (no ISR is dispatching any more: it runs under RCU and checks the
 * state), tasklet_kill(), CLOSECHANNEL (no reply exists), GPADL teardown,
 * free (or leak) the rings.
 *
 * Lifetime: a channel is a kobject (its sysfs directory, chan_sysfs.c).
 * The last reference goes at rescind or module exit, after the device is
 * gone and the channel closed; the memory is freed after an RCU grace
 * period because the ISR looks channels up under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vmbus_private.h"

/*
 * MNF: a monitor id outside the 128 the pages hold (Linux
 * include/linux/hyperv.h, struct hv_monitor_page) is the host's mistake;
 * signal that channel with hypercalls.
 */
static void vmbus_chan_init_monitor(struct vmbus_channel *chan)
{
	u8 id = chan->offer.monitor_id;

	if (!(chan->offer.monitor_flags & VMBUS_OFFER_MONITOR_ALLOCATED))
		return;
	if (id >= VMBUS_MONITOR_IDS) {
		pr_err_ratelimited("relid %u: monitor id %u out of range; signalling with hypercalls\n",
				   chan->relid, id);
		return;
	}
	chan->monitored = true;
	chan->monitor_grp = id / VMBUS_MONITOR_PER_GROUP;
	chan->monitor_bit = id % VMBUS_MONITOR_PER_GROUP;
}

struct vmbus_channel *vmbus_chan_alloc(const struct vmbus_chanmsg_offer *msg)
{
	struct vmbus_channel *chan;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return NULL;
	chan->offer = *msg;
	chan->relid = le32_to_cpu(msg->child_relid);
	chan->subchan_index = le16_to_cpu(msg->sub_channel_index);
	chan->sig_conn_id = le32_to_cpu(msg->connection_id);
	chan->dedicated_int = le16_to_cpu(msg->interrupt_flags) &
			      VMBUS_OFFER_DEDICATED_INTERRUPT;
	vmbus_chan_init_monitor(chan);
	chan->state = VMBUS_CHAN_OFFERED;
	chan->target_cpu = vmbus_conn.target_cpu;
	chan->target_vp = vmbus_conn.target_vp;
	kobject_init(&chan->kobj, &vmbus_chan_ktype);
	mutex_init(&chan->open_lock);
	mutex_init(&chan->sc_lock);
	INIT_LIST_HEAD(&chan->subchans);
	INIT_LIST_HEAD(&chan->sc_node);
	spin_lock_init(&chan->lock);
	init_waitqueue_head(&chan->wait_q);
	tasklet_setup(&chan->tasklet, vmbus_chan_tasklet);
	INIT_LIST_HEAD(&chan->gpadls);
	return chan;
}

/* kobject release: the last reference is gone (chan_sysfs.c's ktype). */
void vmbus_chan_release(struct kobject *kobj)
{
	struct vmbus_channel *chan = container_of(kobj, struct vmbus_channel, kobj);

	vmbus_gpadl_chan_gone(chan);
	if (chan->primary)
		vmbus_chan_put(chan->primary);
	/* The ISR may still hold it from xa_load() under RCU. */
	kfree_rcu(chan, rcu);
}

void vmbus_chan_put(struct vmbus_channel *chan)
{
	kobject_put(&chan->kobj);
}

/*
 * The host rescinded @chan: sends fail with -ENODEV from now on, sleepers
 * return.  The caller (offer.c) then removes the device.
 */
void vmbus_chan_rescind(struct vmbus_channel *chan)
{
	vmbus_waiters_rescind(chan);
	wake_up_all(&chan->wait_q);
}

bool vmbus_chan_is_open(const struct vmbus_channel *chan)
{
	/* Acquire: pairs with the release in open (callback fields, rings). */
	return smp_load_acquire(&chan->state) == VMBUS_CHAN_OPEN;
}

/* A ring is corrupt: stop using the channel.  Logged once.  Any context. */
void vmbus_chan_mark_broken(struct vmbus_channel *chan, const char *why)
{
	if (xchg(&chan->broken, true))
		return;
	pr_err("relid %u: %s; the channel's rings are no longer used\n", chan->relid, why);
}

static int vmbus_open_check(const struct vmbus_open_params *p, u32 *max_pkt)
{
	u32 min_ring = VMBUS_RING_MIN_PAGES * PAGE_SIZE;

	if (!p || !p->callback ||
	    (p->cb_mode != VMBUS_CB_TASKLET && p->cb_mode != VMBUS_CB_ISR))
		return -EINVAL;
	if (p->send_ring_size < min_ring || p->send_ring_size % PAGE_SIZE ||
	    p->recv_ring_size < min_ring || p->recv_ring_size % PAGE_SIZE ||
	    (u64)p->send_ring_size + p->recv_ring_size > VMBUS_RINGS_MAX_BYTES)
		return -EINVAL;
	if (p->user_data_len > VMBUS_OPEN_USER_DATA_SIZE ||
	    (p->user_data_len && !p->user_data))
		return -EINVAL;
	if (!p->max_requests || p->max_requests > VMBUS_MAX_REQUESTS)
		return -EINVAL;
	*max_pkt = p->max_pkt_size ?: VMBUS_DEFAULT_MAX_PKT;
	if (*max_pkt < VMBUS_MIN_MAX_PKT || *max_pkt > p->recv_ring_size - PAGE_SIZE)
		return -EINVAL;
	return 0;
}

/* Rings, bounce buffer and request ids are gone; @leak: the host may hold the rings. */
static void vmbus_open_free(struct vmbus_channel *chan, bool leak)
{
	kvfree(chan->bounce);
	chan->bounce = NULL;
	vmbus_rqst_uninit(chan);
	if (leak) {
		pr_err("relid %u: the host did not give the rings back: %u KiB leaked\n",
		       chan->relid, (chan->out.nr_pages + chan->in.nr_pages) * (u32)(PAGE_SIZE / 1024));
		vmbus_ring_leak(&chan->in);
		vmbus_ring_leak(&chan->out);
	} else {
		vmbus_ring_free(&chan->in);
		vmbus_ring_free(&chan->out);
	}
}

static int vmbus_open_alloc(struct vmbus_channel *chan, const struct vmbus_open_params *p,
			    u32 max_pkt)
{
	int ret;

	ret = vmbus_ring_alloc(&chan->out, p->send_ring_size);
	if (ret)
		return ret;
	ret = vmbus_ring_alloc(&chan->in, p->recv_ring_size);
	if (ret)
		goto err_out;
	ret = vmbus_rqst_init(chan, p->max_requests);
	if (ret)
		goto err_in;
	chan->bounce = kvmalloc(max_pkt, GFP_KERNEL);
	if (!chan->bounce) {
		ret = -ENOMEM;
		goto err_rqst;
	}
	chan->max_pkt_size = max_pkt;
	chan->in_batch = 0;
	chan->out_full = false;
	chan->broken = false;
	chan->cb_mode = p->cb_mode;
	chan->callback = p->callback;
	chan->ctx = p->ctx;
	return 0;

err_rqst:
	vmbus_rqst_uninit(chan);
err_in:
	vmbus_ring_free(&chan->in);
err_out:
	vmbus_ring_free(&chan->out);
	return ret;
}

/* Step 2: one GPADL for both rings. */
static int vmbus_open_gpadl(struct vmbus_channel *chan)
{
	u32 nr = chan->out.nr_pages + chan->in.nr_pages;
	u64 *pfns;
	int ret;

	pfns = kvmalloc_array(nr, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	vmbus_ring_pfns(&chan->out, pfns);
	vmbus_ring_pfns(&chan->in, pfns + chan->out.nr_pages);
	ret = vmbus_gpadl_create_pfns(chan, pfns, nr, nr << PAGE_SHIFT, &chan->ring_gpadl);
	kvfree(pfns);
	return ret;
}

/*
 * Step 4: OPENCHANNEL and its result.  *@maybe_open tells whether the host
 * may have opened the channel after all (it got the request, but the wait
 * ended without its answer).
 */
static int vmbus_open_request(struct vmbus_channel *chan, const struct vmbus_open_params *p,
			      bool *maybe_open)
{
	const struct vmbus_chanmsg_open_result *res;
	struct vmbus_chanmsg_open msg = {
		.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_OPENCHANNEL),
		.child_relid = cpu_to_le32(chan->relid),
		.open_id = cpu_to_le32(chan->relid),
		.ring_gpadl = cpu_to_le32(chan->ring_gpadl),
		.target_vp = cpu_to_le32(chan->target_vp),
		.downstream_page_offset = cpu_to_le32(chan->out.nr_pages),
	};
	struct vmbus_waiter w;
	u32 status;
	int ret;

	if (p->user_data_len)
		memcpy(msg.user_data, p->user_data, p->user_data_len);
	vmbus_waiter_init(&w, VMBUS_CHANMSG_OPENCHANNEL_RESULT, chan->relid, chan->relid,
			  chan, false);
	ret = vmbus_waiter_arm(&w);
	if (ret)
		return -ENODEV;
	ret = vmbus_post_sleep(&msg, sizeof(msg));
	if (ret) {
		vmbus_waiter_disarm(&w);
		pr_err("relid %u: OPENCHANNEL could not be posted: %d\n", chan->relid, ret);
		return -EIO;
	}
	ret = vmbus_waiter_wait(&w, VMBUS_OPEN_TIMEOUT_MS);
	if (ret == -ETIMEDOUT) {
		pr_err("relid %u: no OPENCHANNEL_RESULT within %u ms\n",
		       chan->relid, VMBUS_OPEN_TIMEOUT_MS);
		*maybe_open = true;
		return ret;
	}
	if (ret) {
		*maybe_open = true;	/* a rescind ended the wait */
		return -ENODEV;
	}
	res = (const void *)w.reply;
	status = le32_to_cpu(res->status);
	if (status) {
		/* A rescinded channel is refused: not worth an error. */
		if (!READ_ONCE(chan->rescinded))
			pr_err("relid %u: the host refused to open the channel: status 0x%x\n",
			       chan->relid, status);
		return -EIO;
	}
	return 0;
}

/* CLOSECHANNEL; no reply exists.  Nothing to say once UNLOAD is done. */
static void vmbus_post_close(struct vmbus_channel *chan)
{
	struct vmbus_chanmsg_relid msg = {
		.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_CLOSECHANNEL),
		.child_relid = cpu_to_le32(chan->relid),
	};
	int ret;

	if (vmbus_conn_gone())
		return;
	ret = vmbus_post_sleep(&msg, sizeof(msg));
	if (ret)
		pr_err("relid %u: CLOSECHANNEL could not be posted: %d\n", chan->relid, ret);
}

/* Take the ring GPADL back.  True when the host may still hold the rings. */
static bool vmbus_ring_gpadl_teardown(struct vmbus_channel *chan)
{
	int ret;

	ret = vmbus_gpadl_teardown_handle(chan, chan->ring_gpadl);
	chan->ring_gpadl = 0;
	return ret != 0;
}

int vmbus_channel_open(struct vmbus_channel *chan, const struct vmbus_open_params *p)
{
	bool leak = false, maybe_open = false;
	enum vmbus_chan_state prev;
	unsigned int cpu;
	u32 max_pkt;
	int ret;

	might_sleep();
	if (!chan)
		return -EINVAL;
	ret = vmbus_open_check(p, &max_pkt);
	if (ret)
		return ret;

	mutex_lock(&chan->open_lock);
	prev = chan->state;
	if (READ_ONCE(chan->rescinded) || vmbus_conn_gone()) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (prev == VMBUS_CHAN_OPEN) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = vmbus_open_alloc(chan, p, max_pkt);
	if (ret)
		goto out_unlock;
	WRITE_ONCE(chan->state, VMBUS_CHAN_OPENING);
	ret = vmbus_open_gpadl(chan);
	if (ret) {
		leak = ret == -ETIMEDOUT;
		goto err_alloc;
	}
	/* hotplug.c: the CPU cannot go offline unseen once this is published. */
	cpus_read_lock();
	cpu = vmbus_pick_cpu_for(chan);
	WRITE_ONCE(chan->target_cpu, cpu);
	chan->target_vp = hvcore_vp_index(cpu);
	cpus_read_unlock();
	ret = vmbus_open_request(chan, p, &maybe_open);
	if (ret)
		goto err_gpadl;

	/* Release: callback fields and rings are set before the ISR sees OPEN. */
	smp_store_release(&chan->state, VMBUS_CHAN_OPEN);
	vmbus_chan_kick(chan);
	mutex_unlock(&chan->open_lock);
	return 0;

err_gpadl:
	if (maybe_open)
		vmbus_post_close(chan);
	leak = vmbus_ring_gpadl_teardown(chan);
err_alloc:
	vmbus_open_free(chan, leak);
	WRITE_ONCE(chan->state, prev);
	/* Whatever failed, a rescind meanwhile is the reason to report. */
	if (READ_ONCE(chan->rescinded))
		ret = -ENODEV;
out_unlock:
	mutex_unlock(&chan->open_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_channel_open);

void vmbus_channel_close(struct vmbus_channel *chan)
{
	unsigned long flags;
	bool leak;

	might_sleep();
	if (!chan)
		return;
	if (!chan->primary)
		vmbus_subchan_close_all(chan);
	mutex_lock(&chan->open_lock);
	if (chan->state != VMBUS_CHAN_OPEN)
		goto out_unlock;
	spin_lock_irqsave(&chan->lock, flags);
	WRITE_ONCE(chan->state, VMBUS_CHAN_CLOSING);
	spin_unlock_irqrestore(&chan->lock, flags);
	wake_up_all(&chan->wait_q);
	/* The ISR checks the state under RCU: after this none dispatches. */
	synchronize_rcu();
	tasklet_kill(&chan->tasklet);

	vmbus_post_close(chan);
	leak = vmbus_ring_gpadl_teardown(chan);
	vmbus_open_free(chan, leak);
	WRITE_ONCE(chan->state, VMBUS_CHAN_CLOSED);
out_unlock:
	mutex_unlock(&chan->open_lock);
}
EXPORT_SYMBOL_GPL(vmbus_channel_close);

u32 vmbus_chan_relid(const struct vmbus_channel *chan)
{
	return chan->relid;
}
EXPORT_SYMBOL_GPL(vmbus_chan_relid);

unsigned int vmbus_chan_target_cpu(const struct vmbus_channel *chan)
{
	return READ_ONCE(chan->target_cpu);
}
EXPORT_SYMBOL_GPL(vmbus_chan_target_cpu);

bool vmbus_chan_rescinded(const struct vmbus_channel *chan)
{
	return READ_ONCE(chan->rescinded);
}
EXPORT_SYMBOL_GPL(vmbus_chan_rescinded);
