// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_echo_test: opening and closing the channel, the channel callback
 * (receive and dispatch), and the send and wait helpers the commands use.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "vet.h"

/* Packets taken per vmbus_rx_done(): the host may wait for that room. */
#define VET_RX_BATCH	32

/* Slices of the writable wait, so a dying device is noticed. */
#define VET_WRITABLE_SLICE_MS	500

static bool vet_req_valid(struct vet_dev *vd, const struct vet_req *req)
{
	return req >= &vd->reqs[0] && req < &vd->reqs[VET_MAX_QD];
}

/*
 * A completion: pkt->req is the slot the command passed to the send.
 * Tasklet context.
 */
static void vet_rx_comp(struct vet_dev *vd, struct vet_req *req,
			const struct hvecho_hdr *hdr, const void *data, u32 data_len)
{
	spin_lock(&vd->lock);
	if (!vet_req_valid(vd, req) || !req->busy || vd->mode == VET_IDLE) {
		vd->unexpected++;
		spin_unlock(&vd->lock);
		return;
	}
	if (vd->mode == VET_ECHO) {
		spin_unlock(&vd->lock);
		vet_rx_echo(vd, req, hdr, data, data_len);
		return;
	}
	req->reply = *hdr;
	WRITE_ONCE(req->busy, false);
	WRITE_ONCE(vd->outstanding, vd->outstanding - 1);
	spin_unlock(&vd->lock);
}

/* One packet, a private copy.  Tasklet context. */
static void vet_rx_one(struct vet_dev *vd, const struct vmbus_packet *pkt)
{
	struct hvecho_hdr hdr;
	const void *data;
	u32 data_len;

	if (pkt->data_len < sizeof(hdr))
		goto unexpected;
	memcpy(&hdr, pkt->data, sizeof(hdr));
	data = pkt->data + sizeof(hdr);
	data_len = pkt->data_len - sizeof(hdr);

	switch (pkt->type) {
	case VMBUS_PKT_COMP:
		vet_rx_comp(vd, pkt->req, &hdr, data, data_len);
		return;
	case VMBUS_PKT_DATA_INBAND:
		if (le32_to_cpu(hdr.op) == HVECHO_OP_ECHO) {
			vet_rx_echo(vd, NULL, &hdr, data, data_len);
			return;
		}
		if (le32_to_cpu(hdr.op) == HVECHO_OP_FLOOD) {
			vet_rx_flood(vd, &hdr, data, data_len);
			return;
		}
		break;
	default:
		break;
	}
unexpected:
	spin_lock(&vd->lock);
	vd->unexpected++;
	spin_unlock(&vd->lock);
	pr_warn_ratelimited("relid %u: unexpected packet type %u, %u bytes\n",
			    vmbus_chan_relid(vd->chan), pkt->type, pkt->data_len);
}

/*
 * The channel callback: tasklet context on the channel's target CPU, the
 * channel's only reader.  Drains the inbound ring, publishing the read
 * index every VET_RX_BATCH packets, and wakes the command.
 */
static void vet_callback(struct vmbus_channel *chan, void *ctx)
{
	struct vet_dev *vd = ctx;
	struct vmbus_packet pkt;
	unsigned int n = 0;
	int ret;

	while ((ret = vmbus_rx_next(chan, &pkt)) > 0) {
		vet_rx_one(vd, &pkt);
		WRITE_ONCE(vd->rx_pkts, vd->rx_pkts + 1);
		if (++n % VET_RX_BATCH == 0) {
			vmbus_rx_done(chan);
			wake_up(&vd->wq);
		}
	}
	vmbus_rx_done(chan);
	if (ret < 0) {
		WRITE_ONCE(vd->broken, true);
		pr_err_ratelimited("relid %u: receive failed: %d\n",
				   vmbus_chan_relid(chan), ret);
	}
	wake_up(&vd->wq);
}

/* Must hold cmd_lock.  Process context. */
int vet_open(struct vet_dev *vd, u32 ring_kb)
{
	struct vmbus_open_params p = {
		.send_ring_size = ring_kb * 1024,
		.recv_ring_size = ring_kb * 1024,
		.max_requests = VET_MAX_QD,
		.cb_mode = VMBUS_CB_TASKLET,
		.callback = vet_callback,
		.ctx = vd,
	};
	int ret;

	lockdep_assert_held(&vd->cmd_lock);
	if (ring_kb < 8 || ring_kb > 16384 || ring_kb % (PAGE_SIZE / 1024))
		return -EINVAL;
	if (vd->open)
		return -EBUSY;
	/* The largest reply that fits the data area (control page apart). */
	p.max_pkt_size = min_t(u32, VET_MAX_PKT, p.recv_ring_size - PAGE_SIZE);
	WRITE_ONCE(vd->broken, false);
	ret = vmbus_channel_open(vd->chan, &p);
	if (ret)
		return ret;
	vd->open = true;
	vd->ring_kb = ring_kb;
	return 0;
}

/* Must hold cmd_lock.  Process context. */
void vet_close(struct vet_dev *vd)
{
	lockdep_assert_held(&vd->cmd_lock);
	if (!vd->open)
		return;
	vmbus_channel_close(vd->chan);
	vd->open = false;
}

/* Start a command: forget everything the previous one left. */
void vet_begin(struct vet_dev *vd, enum vet_mode mode, unsigned int qd)
{
	lockdep_assert_held(&vd->cmd_lock);
	spin_lock_bh(&vd->lock);
	memset(vd->reqs, 0, sizeof(vd->reqs));
	vd->mode = mode;
	vd->qd = qd;
	vd->outstanding = 0;
	vd->done = 0;
	vd->done_bytes = 0;
	vd->mismatches = 0;
	vd->flood_rx = 0;
	vd->flood_next = 0;
	vd->flood_misordered = 0;
	vd->flood_bad = 0;
	vd->flood_size = 0;
	spin_unlock_bh(&vd->lock);
}

/* End a command: late answers are counted as unexpected. */
void vet_end(struct vet_dev *vd)
{
	lockdep_assert_held(&vd->cmd_lock);
	spin_lock_bh(&vd->lock);
	vd->mode = VET_IDLE;
	spin_unlock_bh(&vd->lock);
}

/* Wait conditions (lockless reads, see vet_wait). */
bool vet_req_idle(struct vet_dev *vd, void *req)
{
	return !READ_ONCE(((struct vet_req *)req)->busy);
}

bool vet_no_outstanding(struct vet_dev *vd, void *unused)
{
	return READ_ONCE(vd->outstanding) == 0;
}

/*
 * Sleep until @cond holds.  Returns 0, -ENODEV (device going away or
 * channel rescinded), -EIO (ring broken), -ETIMEDOUT (no packet at all
 * for VET_WAIT_MS) or -EINTR.  The callback writes what @cond reads
 * before it wakes wq; the rescind is polled every 100 ms.
 */
int vet_wait(struct vet_dev *vd, bool (*cond)(struct vet_dev *vd, void *arg), void *arg)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(VET_WAIT_MS);
	unsigned long seen = READ_ONCE(vd->rx_pkts), now;
	long ret;

	for (;;) {
		if (cond(vd, arg))
			return 0;
		if (READ_ONCE(vd->dying) || vmbus_chan_rescinded(vd->chan))
			return -ENODEV;
		if (READ_ONCE(vd->broken))
			return -EIO;
		now = READ_ONCE(vd->rx_pkts);
		if (now != seen) {
			seen = now;
			deadline = jiffies + msecs_to_jiffies(VET_WAIT_MS);
		} else if (time_after(jiffies, deadline)) {
			return -ETIMEDOUT;
		}
		ret = wait_event_interruptible_timeout(vd->wq,
						       cond(vd, arg) || READ_ONCE(vd->dying),
						       HZ / 10);
		if (ret < 0)
			return -EINTR;
	}
}

/*
 * Wait until a packet of @pkt_len bytes fits the outbound ring, in slices
 * so a dying device ends the wait.  Counts the wait in @eagain.
 */
static int vet_wait_writable(struct vet_dev *vd, u32 pkt_len, u32 *eagain)
{
	unsigned int waited = 0;
	int ret;

	(*eagain)++;
	for (;;) {
		if (READ_ONCE(vd->dying))
			return -ENODEV;
		ret = vmbus_wait_writable(vd->chan, pkt_len, VET_WRITABLE_SLICE_MS);
		if (ret != -ETIMEDOUT)
			return ret == -ERESTARTSYS ? -EINTR : ret;
		waited += VET_WRITABLE_SLICE_MS;
		if (waited >= VET_WAIT_MS)
			return -ETIMEDOUT;
	}
}

/* vmbus_send_inband(), waiting for room on -EAGAIN.  Process context. */
int vet_send_inband(struct vet_dev *vd, const void *buf, u32 len, u32 flags,
		    void *req, u32 *eagain)
{
	int ret;

	for (;;) {
		ret = vmbus_send_inband(vd->chan, buf, len, flags, req);
		if (ret != -EAGAIN)
			return ret;
		ret = vet_wait_writable(vd, vmbus_pkt_len_inband(len), eagain);
		if (ret)
			return ret;
	}
}

/* vmbus_send_gpa() with a completion, waiting for room on -EAGAIN. */
static int vet_send_gpa(struct vet_dev *vd, const struct vmbus_gpa_desc *ranges, u32 nr,
			const void *buf, u32 len, void *req, u32 *eagain)
{
	u32 i, pfns = 0;
	int ret;

	for (i = 0; i < nr; i++)
		pfns += ranges[i].nr_pfns;
	for (;;) {
		ret = vmbus_send_gpa(vd->chan, ranges, nr, buf, len,
				     VMBUS_SEND_COMPLETION, req);
		if (ret != -EAGAIN)
			return ret;
		ret = vet_wait_writable(vd, vmbus_pkt_len_gpa(nr, pfns, len), eagain);
		if (ret)
			return ret;
	}
}

/*
 * One request with completion, in slot 0 of a command begun with qd 1:
 * @hdr inband (@nr == 0) or with @nr GPA ranges.  On 0 *@reply is its
 * completion's header.  On an error the request may still be in flight:
 * memory it names must not be reused.  Must hold cmd_lock.
 */
int vet_single(struct vet_dev *vd, const struct hvecho_hdr *hdr,
	       const struct vmbus_gpa_desc *ranges, u32 nr, struct hvecho_hdr *reply)
{
	struct vet_req *req = &vd->reqs[0];
	u32 eagain = 0;
	int ret;

	lockdep_assert_held(&vd->cmd_lock);
	spin_lock_bh(&vd->lock);
	req->busy = true;
	vd->outstanding = 1;
	spin_unlock_bh(&vd->lock);

	if (nr)
		ret = vet_send_gpa(vd, ranges, nr, hdr, sizeof(*hdr), req, &eagain);
	else
		ret = vet_send_inband(vd, hdr, sizeof(*hdr), VMBUS_SEND_COMPLETION,
				      req, &eagain);
	if (!ret)
		ret = vet_wait(vd, vet_req_idle, req);
	if (ret)
		return ret;
	spin_lock_bh(&vd->lock);
	*reply = req->reply;
	spin_unlock_bh(&vd->lock);
	return 0;
}
