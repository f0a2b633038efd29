// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: synchronous VSTOR operations on the primary channel.
 *
 * One operation at a time (dev->op_lock): a vstor_packet sent inband with
 * a completion requested, its request pointer being dev->op.  The channel
 * callback copies the completion into dev->op and sets op.done
 * (storvsc_op_complete); the waiter polls for it in slices so that a
 * rescind or remove ends the wait promptly.  A wait that ends without an
 * answer cancels the request id: a late completion is then dropped by
 * hv_vmbus, so dev->op can be reused at once.
 *
 * The init sequence (Linux drivers/scsi/storvsc_drv.c,
 * storvsc_channel_init()): BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION
 * from 6.2 down to 5.1, QUERY_PROPERTIES, END_INITIALIZATION; then,
 * optionally, CREATE_SUB_CHANNELS.  Each answer must be a COMPLETE_IO with
 * status 0 (REVISION_MISMATCH moves on to the next version).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/string.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "storvsc.h"

/* Slices of an operation wait. */
#define STORVSC_WAIT_SLICE	(HZ / 10)
/* Slices of the writable wait of a synchronous send. */
#define STORVSC_WRITABLE_MS	500

static const u16 storvsc_versions[] = {
	VSTOR_VERSION_WIN10,
	VSTOR_VERSION_WIN8_1,
	VSTOR_VERSION_WIN8,
};

/*
 * The callback: @resp is the completion of dev->op (NULL when malformed).
 * Softirq context; pairs with the acquire in storvsc_op_wait().
 */
void storvsc_op_complete(struct storvsc_dev *dev, struct storvsc_op *op,
			 const struct vstor_packet *resp)
{
	if (resp)
		op->resp = *resp;
	op->bad = !resp;
	/* Release: resp and bad are written before done is seen. */
	smp_store_release(&op->done, true);
	wake_up(&dev->waitq);
}

/* True once the callback filled dev->op in. */
static bool storvsc_op_done(struct storvsc_dev *dev)
{
	/* Acquire: pairs with the release in storvsc_op_complete(). */
	return smp_load_acquire(&dev->op.done);
}

static bool storvsc_op_stop(struct storvsc_dev *dev)
{
	return READ_ONCE(dev->dead) || vmbus_chan_rescinded(dev->primary->chan);
}

/* 0 when the answer came, -ENODEV or -ETIMEDOUT.  Must hold op_lock. */
static int storvsc_op_wait(struct storvsc_dev *dev, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	for (;;) {
		if (storvsc_op_done(dev))
			return 0;
		if (storvsc_op_stop(dev))
			return -ENODEV;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		wait_event_timeout(dev->waitq, storvsc_op_done(dev) || READ_ONCE(dev->dead),
				   STORVSC_WAIT_SLICE);
	}
}

/*
 * The wait failed: take the request id back.  If the reader already took
 * the completion, the callback finishes with dev->op within its current
 * run: wait for that (bounded) before dev->op may be reused.
 */
static void storvsc_op_abandon(struct storvsc_dev *dev)
{
	unsigned int i;

	if (vmbus_cancel_request(dev->primary->chan, &dev->op))
		return;
	for (i = 0; i < STORVSC_CLAIM_WAIT_MS && !storvsc_op_done(dev); i++)
		usleep_range(1000, 2000);
}

/* Send @pkt on the primary, waiting (bounded) for ring space. */
static int storvsc_op_send(struct storvsc_dev *dev, const struct vstor_packet *pkt,
			   unsigned int timeout_ms)
{
	unsigned int waited = 0;
	int ret;

	for (;;) {
		ret = vmbus_send_inband(dev->primary->chan, pkt, sizeof(*pkt),
					VMBUS_SEND_COMPLETION, &dev->op);
		if (ret != -EAGAIN && ret != -EBUSY)
			return ret;
		if (storvsc_op_stop(dev))
			return -ENODEV;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		if (ret == -EBUSY)
			msleep(20);	/* every request id is taken by I/O */
		else
			vmbus_wait_writable(dev->primary->chan,
					    vmbus_pkt_len_inband(sizeof(*pkt)),
					    STORVSC_WRITABLE_MS);
		waited += ret == -EBUSY ? 20 : STORVSC_WRITABLE_MS;
	}
}

/*
 * Send @pkt (operation and payload filled in; flags are set here) and
 * wait at most @timeout_ms for its completion, which is left in dev->op.resp.
 * Returns 0 when a well-formed COMPLETE_IO arrived (whatever its status),
 * or -ENODEV, -ETIMEDOUT, -EIO (malformed answer, or the send failed).
 * Must hold op_lock.  Process context.
 */
static int storvsc_exec(struct storvsc_dev *dev, struct vstor_packet *pkt,
		 unsigned int timeout_ms, const char *what)
{
	int ret;

	lockdep_assert_held(&dev->op_lock);
	pkt->flags = cpu_to_le32(VSTOR_FLAG_REQUEST_COMPLETION);
	pkt->status = 0;
	dev->op.req.kind = STORVSC_REQ_OP;
	dev->op.bad = false;
	WRITE_ONCE(dev->op.done, false);

	ret = storvsc_op_send(dev, pkt, timeout_ms);
	if (ret) {
		dev_err(&dev->vdev->dev, "VSTOR %s: send failed: %d\n", what, ret);
		return ret == -ENODEV ? ret : -EIO;
	}
	ret = storvsc_op_wait(dev, timeout_ms);
	if (ret) {
		storvsc_op_abandon(dev);
		dev_err(&dev->vdev->dev, "VSTOR %s: no answer: %s\n", what,
			ret == -ENODEV ? "channel gone" : "timed out");
		return ret;
	}
	if (dev->op.bad || le32_to_cpu(dev->op.resp.operation) != VSTOR_OP_COMPLETE_IO) {
		dev_err(&dev->vdev->dev, "VSTOR %s: malformed answer (operation %u)\n",
			what, dev->op.bad ? 0 : le32_to_cpu(dev->op.resp.operation));
		return -EIO;
	}
	return 0;
}

/* A simple operation: the answer's status must be 0.  Must hold op_lock. */
static int storvsc_simple_op(struct storvsc_dev *dev, struct vstor_packet *pkt,
			     unsigned int timeout_ms, const char *what)
{
	u32 status;
	int ret;

	ret = storvsc_exec(dev, pkt, timeout_ms, what);
	if (ret)
		return ret;
	status = le32_to_cpu(dev->op.resp.status);
	if (status) {
		dev_err(&dev->vdev->dev, "VSTOR %s failed: status 0x%08x\n", what, status);
		return -EIO;
	}
	return 0;
}

static void storvsc_pkt_init(struct vstor_packet *pkt, u32 op)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->operation = cpu_to_le32(op);
}

/* QUERY_PROTOCOL_VERSION, newest first.  Must hold op_lock. */
static int storvsc_negotiate(struct storvsc_dev *dev)
{
	struct vstor_packet pkt;
	unsigned int i;
	u32 status;
	int ret;

	for (i = 0; i < ARRAY_SIZE(storvsc_versions); i++) {
		storvsc_pkt_init(&pkt, VSTOR_OP_QUERY_PROTOCOL_VERSION);
		pkt.version.major_minor = cpu_to_le16(storvsc_versions[i]);
		ret = storvsc_exec(dev, &pkt, STORVSC_OP_TIMEOUT_MS, "QUERY_PROTOCOL_VERSION");
		if (ret)
			return ret;
		status = le32_to_cpu(dev->op.resp.status);
		if (!status) {
			dev->version = storvsc_versions[i];
			return 0;
		}
		if (status != VSTOR_STATUS_REVISION_MISMATCH) {
			dev_err(&dev->vdev->dev,
				"VSTOR QUERY_PROTOCOL_VERSION %u.%u failed: status 0x%08x\n",
				storvsc_versions[i] >> 8, storvsc_versions[i] & 0xff, status);
			return -EIO;
		}
	}
	dev_err(&dev->vdev->dev, "the host accepts none of the VSTOR versions 6.2, 6.0, 5.1\n");
	return -EPROTONOSUPPORT;
}

/* QUERY_PROPERTIES: the transfer limit and multichannel.  Must hold op_lock. */
static int storvsc_query_properties(struct storvsc_dev *dev)
{
	struct vstor_channel_props props;
	struct vstor_packet pkt;
	u32 max;
	int ret;

	storvsc_pkt_init(&pkt, VSTOR_OP_QUERY_PROPERTIES);
	ret = storvsc_simple_op(dev, &pkt, STORVSC_OP_TIMEOUT_MS, "QUERY_PROPERTIES");
	if (ret)
		return ret;
	props = dev->op.resp.props;
	max = round_down(le32_to_cpu(props.max_transfer_bytes), HV_PAGE_SIZE);
	if (!max) {
		dev_err(&dev->vdev->dev, "VSTOR QUERY_PROPERTIES: max transfer %u bytes is unusable\n",
			le32_to_cpu(props.max_transfer_bytes));
		return -EIO;
	}
	dev->max_xfer = min(max, STORVSC_MAX_XFER);
	dev->multichannel = le32_to_cpu(props.flags) & VSTOR_PROP_MULTI_CHANNEL;
	dev->max_subchans = le16_to_cpu(props.max_channel_cnt);
	return 0;
}

/*
 * The init sequence.  Process context (probe), the primary channel open.
 * Returns 0 or a negative errno; every failure is logged, naming the op.
 */
int storvsc_vstor_init(struct storvsc_dev *dev)
{
	struct vstor_packet pkt;
	int ret;

	mutex_lock(&dev->op_lock);
	storvsc_pkt_init(&pkt, VSTOR_OP_BEGIN_INITIALIZATION);
	ret = storvsc_simple_op(dev, &pkt, STORVSC_OP_TIMEOUT_MS, "BEGIN_INITIALIZATION");
	if (ret)
		goto out;
	ret = storvsc_negotiate(dev);
	if (ret)
		goto out;
	ret = storvsc_query_properties(dev);
	if (ret)
		goto out;
	storvsc_pkt_init(&pkt, VSTOR_OP_END_INITIALIZATION);
	ret = storvsc_simple_op(dev, &pkt, STORVSC_OP_TIMEOUT_MS, "END_INITIALIZATION");
out:
	mutex_unlock(&dev->op_lock);
	if (!ret)
		dev_info(&dev->vdev->dev,
			 "VSTOR %u.%u, max transfer %u KiB, %s, %u subchannels offered\n",
			 dev->version >> 8, dev->version & 0xff, dev->max_xfer / 1024,
			 dev->multichannel ? "multichannel" : "single channel",
			 dev->max_subchans);
	return ret;
}

/* Subchannels to ask for: one per storvsc_vcpus_per_sub_channel other CPUs. */
static unsigned int storvsc_subchan_budget(struct storvsc_dev *dev)
{
	unsigned int per = max(READ_ONCE(storvsc_vcpus_per_sub_channel), 1U);

	if (!dev->multichannel)
		return 0;
	return min_t(unsigned int, dev->max_subchans, (num_online_cpus() - 1) / per);
}

/*
 * After probe: CREATE_SUB_CHANNELS and wait (bounded) until the offers
 * arrived and were opened (chan.c); I/O flows on the primary meanwhile and
 * each subchannel joins the map as it opens.  The subchannel ops are set
 * already.  Failures only leave us with fewer channels.  Process context
 * (system_unbound_wq); remove cancels it after setting dead.
 */
void storvsc_subchan_work(struct work_struct *work)
{
	struct storvsc_dev *dev = container_of(work, struct storvsc_dev, subchan_work);
	unsigned int n = storvsc_subchan_budget(dev);
	struct vstor_packet pkt;
	long left;
	int ret;

	if (!n || READ_ONCE(dev->dead))
		return;
	mutex_lock(&dev->op_lock);
	storvsc_pkt_init(&pkt, VSTOR_OP_CREATE_SUB_CHANNELS);
	pkt.sub_channel_count = cpu_to_le16(n);
	ret = storvsc_simple_op(dev, &pkt, STORVSC_SUBCHAN_TIMEOUT_MS, "CREATE_SUB_CHANNELS");
	mutex_unlock(&dev->op_lock);
	if (ret)
		return;
	left = wait_event_timeout(dev->waitq, READ_ONCE(dev->nr_subs) >= n ||
				  READ_ONCE(dev->dead),
				  msecs_to_jiffies(STORVSC_SUBCHAN_TIMEOUT_MS));
	if (!left)
		dev_warn(&dev->vdev->dev, "%u of %u subchannels arrived in %u ms\n",
			 READ_ONCE(dev->nr_subs), n, STORVSC_SUBCHAN_TIMEOUT_MS);
	else if (!READ_ONCE(dev->dead))
		dev_info(&dev->vdev->dev, "%u subchannels open\n", READ_ONCE(dev->nr_subs));
}

/*
 * RESET_LUN (@sdev's path/target/lun) or RESET_BUS (@sdev's path) and its
 * acknowledgement.  Returns 0 or a negative errno.  Must hold op_lock.
 */
int storvsc_reset(struct storvsc_dev *dev, u32 op, struct scsi_device *sdev)
{
	const char *what = op == VSTOR_OP_RESET_LUN ? "RESET_LUN" : "RESET_BUS";
	struct vstor_packet pkt;
	int ret;

	lockdep_assert_held(&dev->op_lock);
	storvsc_pkt_init(&pkt, op);
	pkt.srb.length = cpu_to_le16(sizeof(pkt.srb));
	pkt.srb.port_number = dev->shost->host_no;
	pkt.srb.path_id = sdev->channel;
	if (op == VSTOR_OP_RESET_LUN) {
		pkt.srb.target_id = sdev->id;
		pkt.srb.lun = sdev->lun;
	}
	ret = storvsc_simple_op(dev, &pkt, STORVSC_OP_TIMEOUT_MS, what);
	if (!ret)
		atomic64_inc(&dev->stats.resets);
	return ret;
}
