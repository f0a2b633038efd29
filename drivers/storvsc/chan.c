// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: channels.  Opening the primary and the subchannels, the
 * channel callback (every received packet is length- and type-checked
 * here, once, before anything reads it), subchannel offers and rescinds,
 * and the CPU -> channel map queuecommand uses.
 *
 * Map policy: a CPU whose interrupts a channel targets sends on that
 * channel; every other CPU gets one of the channels round robin.  The map
 * is rebuilt when a channel comes or goes (a later retarget through sysfs
 * leaves it stale, which only costs locality).  queuecommand tries one
 * other channel when its own ring is full (io.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_host.h>

#include "storvsc.h"

/* Packets handled per vmbus_rx_done(): the host may wait for that room. */
#define STORVSC_RX_BATCH	32

void storvsc_bad_packet(struct storvsc_dev *dev, struct storvsc_chan *sc, const char *why)
{
	atomic64_inc(&dev->stats.bad_packets);
	dev_err_ratelimited(&dev->vdev->dev, "relid %u: malformed packet: %s\n", sc->relid, why);
}

/*
 * A completion: pkt->req is a pointer we gave hv_vmbus with the send.
 * Whatever the payload, that request ends here (malformed: with an
 * error), since its id is spent.  Softirq context.
 */
static void storvsc_rx_comp(struct storvsc_chan *sc, const struct vmbus_packet *pkt)
{
	struct storvsc_req *req = pkt->req;
	struct storvsc_dev *dev = sc->dev;
	const struct vstor_packet *resp = NULL;
	struct vstor_packet copy;

	if (pkt->data_len < sizeof(copy)) {
		storvsc_bad_packet(dev, sc, "short completion (its request fails)");
	} else {
		memcpy(&copy, pkt->data, sizeof(copy));
		resp = &copy;
	}
	switch (req->kind) {
	case STORVSC_REQ_CMD:
		storvsc_io_complete(sc, container_of(req, struct storvsc_cmd, req), resp);
		break;
	case STORVSC_REQ_OP:
		if (sc != dev->primary) {
			storvsc_bad_packet(dev, sc, "operation completed on a subchannel (it fails)");
			resp = NULL;
		}
		storvsc_op_complete(dev, container_of(req, struct storvsc_op, req), resp);
		break;
	default:
		WARN_ONCE(1, "storvsc: request of unknown kind %u\n", req->kind);
	}
}

/* A host-initiated message (transaction id 0).  Softirq context. */
static void storvsc_rx_inband(struct storvsc_chan *sc, const struct vmbus_packet *pkt)
{
	struct storvsc_dev *dev = sc->dev;
	__le32 op;

	if (pkt->data_len < sizeof(op)) {
		storvsc_bad_packet(dev, sc, "short host message (dropped)");
		return;
	}
	memcpy(&op, pkt->data, sizeof(op));
	switch (le32_to_cpu(op)) {
	case VSTOR_OP_ENUMERATE_BUS:
	case VSTOR_OP_REMOVE_DEVICE:
		storvsc_queue_rescan(dev, false);
		return;
	case VSTOR_OP_EVENT_NOTIFICATION:
	case VSTOR_OP_FC_HBA_DATA:
		storvsc_log(dev, STORVSC_LOG_DEBUG, "relid %u: host message %u ignored\n",
			    sc->relid, le32_to_cpu(op));
		return;
	default:
		storvsc_bad_packet(dev, sc, "unknown host message (dropped)");
	}
}

/*
 * The channel callback: tasklet on the channel's target CPU, the only
 * reader of the channel.  Drains the inbound ring.
 */
static void storvsc_on_channel(struct vmbus_channel *chan, void *ctx)
{
	struct storvsc_chan *sc = ctx;
	struct vmbus_packet pkt;
	unsigned int n = 0;
	int ret;

	while ((ret = vmbus_rx_next(chan, &pkt)) > 0) {
		switch (pkt.type) {
		case VMBUS_PKT_COMP:
			storvsc_rx_comp(sc, &pkt);
			break;
		case VMBUS_PKT_DATA_INBAND:
			storvsc_rx_inband(sc, &pkt);
			break;
		default:
			storvsc_bad_packet(sc->dev, sc, "unexpected packet type (dropped)");
		}
		if (++n % STORVSC_RX_BATCH == 0)
			vmbus_rx_done(chan);
	}
	vmbus_rx_done(chan);
	if (ret < 0)
		dev_err_ratelimited(&sc->dev->vdev->dev,
				    "relid %u: ring broken (%d): its commands will time out\n",
				    sc->relid, ret);
}

/* Allocate and open @chan for @dev.  Process context. */
static struct storvsc_chan *storvsc_chan_open(struct storvsc_dev *dev,
					      struct vmbus_channel *chan)
{
	struct vmbus_open_params p = {
		.send_ring_size = dev->ring_size,
		.recv_ring_size = dev->ring_size,
		.max_requests = dev->max_requests,
		.cb_mode = VMBUS_CB_TASKLET,
		.callback = storvsc_on_channel,
	};
	/*
	 * OPENCHANNEL user data: zeroed properties, as Linux
	 * drivers/scsi/storvsc_drv.c, storvsc_connect_to_vsp().
	 */
	static const struct vstor_channel_props zero_props;
	struct storvsc_chan *sc;
	int ret;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return ERR_PTR(-ENOMEM);
	sc->dev = dev;
	sc->chan = chan;
	sc->relid = vmbus_chan_relid(chan);
	atomic64_set(&sc->ios, 0);
	INIT_LIST_HEAD(&sc->node);
	p.ctx = sc;
	p.user_data = &zero_props;
	p.user_data_len = sizeof(zero_props);
	ret = vmbus_channel_open(chan, &p);
	if (ret) {
		kfree(sc);
		return ERR_PTR(ret);
	}
	return sc;
}

/* Rebuild and publish the CPU -> channel map.  Must hold chan_lock. */
static void storvsc_map_rebuild(struct storvsc_dev *dev)
{
	struct storvsc_chanmap *map, *old;
	struct storvsc_chan *sc;
	unsigned int nr = 0, cpu, rr = 0, i;

	lockdep_assert_held(&dev->chan_lock);
	list_for_each_entry(sc, &dev->chans, node)
		nr += !sc->gone;
	map = kzalloc(struct_size(map, by_cpu, nr_cpu_ids + nr), GFP_KERNEL);
	if (!map) {
		dev_err(&dev->vdev->dev, "no memory for the channel map; keeping the old one\n");
		return;
	}
	map->all = &map->by_cpu[nr_cpu_ids];
	list_for_each_entry(sc, &dev->chans, node)
		if (!sc->gone)
			map->all[map->nr++] = sc;
	for_each_possible_cpu(cpu) {
		for (i = 0; i < map->nr; i++) {
			if (vmbus_chan_target_cpu(map->all[i]->chan) == cpu) {
				map->by_cpu[cpu] = map->all[i];
				break;
			}
		}
		if (!map->by_cpu[cpu] && map->nr)
			map->by_cpu[cpu] = map->all[rr++ % map->nr];
	}
	old = rcu_replace_pointer(dev->map, map, lockdep_is_held(&dev->chan_lock));
	if (old)
		kfree_rcu(old, rcu);
}

/* Probe: open the primary and publish the first map.  Process context. */
int storvsc_open_primary(struct storvsc_dev *dev)
{
	struct storvsc_chan *sc;

	sc = storvsc_chan_open(dev, dev->vdev->channel);
	if (IS_ERR(sc))
		return PTR_ERR(sc);
	dev->primary = sc;
	mutex_lock(&dev->chan_lock);
	list_add(&sc->node, &dev->chans);
	storvsc_map_rebuild(dev);
	mutex_unlock(&dev->chan_lock);
	if (!rcu_access_pointer(dev->map)) {
		/* Without a map no I/O can be sent: fail the probe. */
		vmbus_channel_close(sc->chan);
		mutex_lock(&dev->chan_lock);
		list_del(&sc->node);
		mutex_unlock(&dev->chan_lock);
		dev->primary = NULL;
		kfree(sc);
		return -ENOMEM;
	}
	return 0;
}

/*
 * A subchannel was offered: open it (same ring size) and add it to the
 * map.  hv_vmbus's workqueue or probe, under hv_vmbus's subchannel lock.
 */
static void storvsc_sub_offer(struct vmbus_channel *sub, void *ctx)
{
	struct storvsc_dev *dev = ctx;
	struct storvsc_chan *sc;

	if (READ_ONCE(dev->dead))
		return;
	sc = storvsc_chan_open(dev, sub);
	if (IS_ERR(sc)) {
		dev_err(&dev->vdev->dev, "subchannel %u (relid %u) not opened: %ld\n",
			vmbus_chan_subchan_index(sub), vmbus_chan_relid(sub), PTR_ERR(sc));
		return;
	}
	mutex_lock(&dev->chan_lock);
	list_add_tail(&sc->node, &dev->chans);
	WRITE_ONCE(dev->nr_subs, dev->nr_subs + 1);
	storvsc_map_rebuild(dev);
	mutex_unlock(&dev->chan_lock);
	wake_up_all(&dev->waitq);
}

/*
 * The host took a subchannel back (sends on it fail already): drop it
 * from the map, close it (no callback runs after that and its request ids
 * are forgotten), then requeue the commands that were in flight on it.
 * The storvsc_chan stays on the list, gone, until remove.  Same context.
 */
static void storvsc_sub_rescind(struct vmbus_channel *sub, void *ctx)
{
	struct storvsc_dev *dev = ctx;
	struct storvsc_chan *sc, *found = NULL;

	mutex_lock(&dev->chan_lock);
	list_for_each_entry(sc, &dev->chans, node) {
		if (sc->chan == sub && !sc->gone) {
			found = sc;
			sc->gone = true;
			WRITE_ONCE(dev->nr_subs, dev->nr_subs - 1);
			storvsc_map_rebuild(dev);
			break;
		}
	}
	mutex_unlock(&dev->chan_lock);
	if (!found)
		return;
	vmbus_channel_close(sub);
	if (READ_ONCE(dev->host_added))
		storvsc_fail_outstanding(dev, found, DID_REQUEUE);
}

const struct vmbus_subchan_ops storvsc_subchan_ops = {
	.offer = storvsc_sub_offer,
	.rescind = storvsc_sub_rescind,
};

/*
 * Close every channel (the primary closes its subchannels first): no
 * callback runs once this returns and every request id is forgotten.
 * Process context; subchannel callbacks already stopped by the caller.
 */
void storvsc_chans_close(struct storvsc_dev *dev)
{
	if (dev->primary)
		vmbus_channel_close(dev->primary->chan);
}

/* Free the channel structures and the map: no reader is left.  Process context. */
void storvsc_chans_free(struct storvsc_dev *dev)
{
	struct storvsc_chanmap *map;
	struct storvsc_chan *sc, *tmp;

	mutex_lock(&dev->chan_lock);
	map = rcu_replace_pointer(dev->map, NULL, lockdep_is_held(&dev->chan_lock));
	mutex_unlock(&dev->chan_lock);
	synchronize_rcu();	/* queuecommand may have been looking at it */
	kfree(map);
	list_for_each_entry_safe(sc, tmp, &dev->chans, node) {
		list_del(&sc->node);
		kfree(sc);
	}
	dev->primary = NULL;
}
