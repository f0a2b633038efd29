// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: timeouts and resets, and giving up on outstanding commands.
 *
 * A command that gets no completion within storvsc_timeout seconds times
 * out in the block layer; the midlayer then owns it (scsi_done() on it is
 * ignored from then on) and runs, in order until one succeeds:
 *
 *   abort (tmf work):    RESET_LUN, acknowledged within 5 s; then forget
 *                        the command (cancel its request id).  SUCCESS:
 *                        the midlayer retries it.
 *   device reset (EH):   RESET_LUN; forget every command of the LUN.
 *   host reset (EH):     RESET_BUS; forget every command of the host.
 *
 * The reset comes first so that the host has let go of the data buffers
 * before they are handed back.  A host that does not acknowledge a reset
 * gets FAILED: the midlayer escalates and finally takes the devices
 * offline, which completes the commands; nothing here waits unbounded.
 *
 * Forgetting a command: vmbus_cancel_request() true means its id is gone
 * (a late completion is dropped by hv_vmbus) and we claim it; false means
 * the reader already took the completion and the callback claims it in
 * its current run, which we wait for (bounded).
 *
 * Every handler holds op_lock throughout and gives up at once when remove
 * has started (dev->dead): remove takes op_lock after setting dead, so no
 * handler touches a channel after remove closed it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/delay.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_host.h>

#include "storvsc.h"

/*
 * Make sure the driver no longer holds @cmd.  Returns true when it did
 * and we claimed it now (the caller ends it, or not), false when it was
 * not held or the callback ended it.  Process context.
 */
static bool storvsc_forget(struct storvsc_dev *dev, struct storvsc_cmd *cmd, bool *stuck)
{
	unsigned long st = READ_ONCE(cmd->state);
	struct storvsc_chan *sc;
	unsigned int i;

	if (!(st & STORVSC_CMD_INFLIGHT))
		return false;
	sc = (struct storvsc_chan *)(st & ~STORVSC_CMD_INFLIGHT);
	if (vmbus_cancel_request(sc->chan, cmd)) {
		if (cmpxchg(&cmd->state, st, 0) != st)
			return false;
		atomic64_inc(&dev->stats.cancelled);
		return true;
	}
	/* The reader has it, or the channel is closing: someone else claims. */
	for (i = 0; i < STORVSC_CLAIM_WAIT_MS && READ_ONCE(cmd->state) == st; i++)
		usleep_range(1000, 2000);
	if (READ_ONCE(cmd->state) == st)
		*stuck = true;
	return false;
}

struct storvsc_fail_ctx {
	struct storvsc_dev *dev;
	struct scsi_device *sdev;	/* only its commands; NULL: all */
	struct storvsc_chan *sc;	/* claim only commands in flight on it */
	int host_byte;
	bool forget;			/* cancel request ids (channels open) */
	bool stuck;			/* a command could not be taken back */
};

static bool storvsc_fail_one(struct scsi_cmnd *scmd, void *data)
{
	struct storvsc_fail_ctx *ctx = data;
	struct storvsc_cmd *cmd = scsi_cmd_priv(scmd);
	unsigned long st;

	if (ctx->sdev && scmd->device != ctx->sdev)
		return true;
	if (ctx->forget) {
		if (!storvsc_forget(ctx->dev, cmd, &ctx->stuck))
			return true;
	} else {
		/* Closed channel: no id is left, only a racing sender. */
		st = READ_ONCE(cmd->state);
		if (!(st & STORVSC_CMD_INFLIGHT) ||
		    (ctx->sc && st != ((unsigned long)ctx->sc | STORVSC_CMD_INFLIGHT)))
			return true;
		if (cmpxchg(&cmd->state, st, 0) != st)
			return true;
		atomic64_inc(&ctx->dev->stats.cancelled);
	}
	/* A timed-out command belongs to the midlayer: scsi_done() ignores it. */
	set_host_byte(scmd, ctx->host_byte);
	scsi_set_resid(scmd, scsi_bufflen(scmd));
	scsi_done(scmd);
	return true;
}

/*
 * After @sc (a rescinded subchannel) or every channel (@sc NULL: remove)
 * was closed: end each command still in flight there with @host_byte.
 * Process context, after scsi_add_host().
 */
void storvsc_fail_outstanding(struct storvsc_dev *dev, struct storvsc_chan *sc,
			      int host_byte)
{
	struct storvsc_fail_ctx ctx = {
		.dev = dev,
		.sc = sc,
		.host_byte = host_byte,
	};

	scsi_host_busy_iter(dev->shost, storvsc_fail_one, &ctx);
}

/* EH: forget the commands of @sdev (NULL: all), channels still open. */
static bool storvsc_forget_all(struct storvsc_dev *dev, struct scsi_device *sdev)
{
	struct storvsc_fail_ctx ctx = {
		.dev = dev,
		.sdev = sdev,
		.host_byte = DID_RESET,
		.forget = true,
	};

	scsi_host_busy_iter(dev->shost, storvsc_fail_one, &ctx);
	return !ctx.stuck;
}

int storvsc_eh_abort(struct scsi_cmnd *scmd)
{
	struct storvsc_dev *dev = shost_priv(scmd->device->host);
	struct storvsc_cmd *cmd = scsi_cmd_priv(scmd);
	bool stuck = false;
	int ret = FAILED;

	atomic64_inc(&dev->stats.timeouts);
	scmd_printk(KERN_WARNING, scmd, "storvsc: cmd 0x%02x timed out, resetting the LUN\n",
		    scmd->cmnd[0]);
	mutex_lock(&dev->op_lock);
	if (READ_ONCE(dev->dead))
		goto out;
	if (storvsc_reset(dev, VSTOR_OP_RESET_LUN, scmd->device))
		goto out;
	/* The midlayer owns the command: forget it, do not complete it. */
	storvsc_forget(dev, cmd, &stuck);
	if (!stuck)
		ret = SUCCESS;
out:
	mutex_unlock(&dev->op_lock);
	return ret;
}

int storvsc_eh_device_reset(struct scsi_cmnd *scmd)
{
	struct storvsc_dev *dev = shost_priv(scmd->device->host);
	int ret = FAILED;

	mutex_lock(&dev->op_lock);
	if (READ_ONCE(dev->dead))
		goto out;
	if (storvsc_reset(dev, VSTOR_OP_RESET_LUN, scmd->device))
		goto out;
	if (storvsc_forget_all(dev, scmd->device))
		ret = SUCCESS;
out:
	mutex_unlock(&dev->op_lock);
	return ret;
}

int storvsc_eh_host_reset(struct scsi_cmnd *scmd)
{
	struct storvsc_dev *dev = shost_priv(scmd->device->host);
	int ret = FAILED;

	scmd_printk(KERN_WARNING, scmd, "storvsc: resetting the bus\n");
	mutex_lock(&dev->op_lock);
	if (READ_ONCE(dev->dead))
		goto out;
	if (storvsc_reset(dev, VSTOR_OP_RESET_BUS, scmd->device))
		goto out;
	if (storvsc_forget_all(dev, NULL))
		ret = SUCCESS;
out:
	mutex_unlock(&dev->op_lock);
	return ret;
}
