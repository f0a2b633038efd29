/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_storvsc: the SCSI host driver for Hyper-V synthetic storage (VSTOR
 * over VMBus, include/hyperv/vstor.h).  Private state shared by the files
 * of the module.
 *
 * Files: main.c (module, parameters, host template, probe/remove), init.c
 * (synchronous VSTOR operations: the init sequence, subchannel request,
 * resets), chan.c (channels: open, callback, receive dispatch,
 * subchannels, the CPU -> channel map), io.c (queuecommand and
 * completions), scan.c (host-initiated rescans), eh.c (error handlers,
 * giving up on outstanding commands), stats.c (debugfs).
 *
 * Contexts:
 * - queuecommand: blk-mq dispatch, may not sleep, any CPU; it sends on the
 *   channel of the submitting CPU (RCU-protected map).
 * - The channel callback: VMBUS_CB_TASKLET, softirq on the channel's
 *   target CPU, the channel's only reader.  It completes SCSI commands
 *   (scsi_done) and storvsc_ops, and queues the rescan work.  It never
 *   sleeps and never touches the SCSI device list.
 * - Subchannel offer/rescind callbacks: hv_vmbus's workqueue (or probe),
 *   process context, under hv_vmbus's subchannel lock of the device.
 * - Error handlers: the SCSI EH thread (device/host reset) and the
 *   midlayer's abort work; process context, they sleep.
 * - The scan and rescan works: an ordered per-controller workqueue,
 *   process context.
 * - The subchannel work (CREATE_SUB_CHANNELS and the wait for the offers):
 *   system_unbound_wq, once after probe.  Not in probe itself: probe may
 *   run under hv_vmbus's connection lock (device_add from the offer
 *   work), which the subchannel offers need.
 * - probe/remove: process context under the bus's device_lock.
 *
 * Who completes a command: struct storvsc_cmd.state is 0 when the driver
 * does not hold the command, else (unsigned long)chan | STORVSC_CMD_INFLIGHT
 * for the channel it was sent on.  Whoever moves it to 0 with cmpxchg()
 * owns the command's ending; everybody else leaves it alone.  A claimer
 * other than the callback first makes sure no request id of the command
 * is left in hv_vmbus (vmbus_cancel_request() returned true, or the
 * channel is closed), so a command never has two ids and a late
 * completion can never reach a reused command.  When
 * vmbus_cancel_request() returns false the reader already took the
 * completion: the callback is about to claim it (waited for, bounded).
 *
 * Locks (outer first): the bus's device_lock -> hv_vmbus's subchannel lock
 * -> chan_lock; op_lock is taken alone (EH, probe, remove) and never
 * while holding chan_lock.
 */
#ifndef _STORVSC_H
#define _STORVSC_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <hyperv/tlfs.h>
#include <hyperv/vstor.h>
#include <hv/hv_vmbus.h>

struct Scsi_Host;
struct scsi_cmnd;
struct scsi_device;
struct dentry;

/* Module parameters (main.c). */
extern unsigned int storvsc_vcpus_per_sub_channel;
extern unsigned int storvsc_logging_level;
extern unsigned int storvsc_timeout;

#define STORVSC_LOG_ERROR	0
#define STORVSC_LOG_WARN	1
#define STORVSC_LOG_DEBUG	2

#define storvsc_log(dev, level, fmt, ...)					\
	do {									\
		if (READ_ONCE(storvsc_logging_level) >= (level))		\
			dev_warn_ratelimited(&(dev)->vdev->dev, fmt, ##__VA_ARGS__); \
	} while (0)

/*
 * Largest I/O: the host's max_transfer_bytes, capped at 1 MiB (the block
 * layer's default max_sectors_kb is 1280).  The PFN list of an I/O up to
 * 512 KiB lives in the command's private data; a larger one is allocated
 * for the send (GFP_ATOMIC, one page at most) and freed right after it,
 * since the send copies the list into the ring.
 */
#define STORVSC_MAX_XFER	(1024U * 1024)
#define STORVSC_INLINE_XFER	(512U * 1024)
#define STORVSC_INLINE_PFNS	(STORVSC_INLINE_XFER / HV_PAGE_SIZE + 1)
#define STORVSC_MAX_PFNS	(STORVSC_MAX_XFER / HV_PAGE_SIZE + 1)

/* Timeouts (ms) of the synchronous operations. */
#define STORVSC_OP_TIMEOUT_MS		5000	/* each init op, resets */
#define STORVSC_SUBCHAN_TIMEOUT_MS	10000	/* CREATE_SUB_CHANNELS and the offers */
#define STORVSC_CLAIM_WAIT_MS		1000	/* a taken completion being handled */

/* vmscsi_request.queue_tag / queue_action of tagged commands (Linux's values). */
#define STORVSC_QUEUE_TAG_UNTAGGED	0xff
#define STORVSC_QUEUE_ACTION_SIMPLE	0x20

/* What a request pointer given to hv_vmbus is: the first field of each. */
enum storvsc_req_kind {
	STORVSC_REQ_CMD = 1,	/* struct storvsc_cmd */
	STORVSC_REQ_OP,		/* struct storvsc_op */
};

struct storvsc_req {
	u32 kind;
};

/* SCSI command private data (scsi_cmd_priv). */
#define STORVSC_CMD_INFLIGHT	1UL

struct storvsc_cmd {
	struct storvsc_req req;		/* first: STORVSC_REQ_CMD */
	unsigned long state;		/* see "Who completes a command" */
	struct scsi_cmnd *scmd;		/* set by queuecommand */
	u64 pfns[STORVSC_INLINE_PFNS];	/* the GPA range being sent, if it fits */
};

/* A synchronous operation on the primary channel (init, resets). */
struct storvsc_op {
	struct storvsc_req req;		/* first: STORVSC_REQ_OP */
	bool done;			/* store-release by the callback */
	bool bad;			/* the completion was malformed */
	struct vstor_packet resp;	/* valid when done && !bad */
};

/* One open channel (the primary or a subchannel). */
struct storvsc_chan {
	struct storvsc_dev *dev;
	struct vmbus_channel *chan;
	u32 relid;
	bool gone;			/* rescinded; under chan_lock */
	atomic64_t ios;			/* commands sent on it */
	struct list_head node;		/* dev->chans, under chan_lock */
};

/*
 * Where queuecommand sends: by_cpu[cpu] for every possible CPU, then
 * all[nr] (the usable channels).  Replaced as a whole under chan_lock,
 * read under RCU.
 */
struct storvsc_chanmap {
	struct rcu_head rcu;
	unsigned int nr;
	struct storvsc_chan **all;
	struct storvsc_chan *by_cpu[];
};

struct storvsc_stats {
	atomic64_t ios;			/* commands sent to the host */
	atomic64_t completions;		/* commands the host completed */
	atomic64_t busy_returns;	/* queuecommand said SCSI_MLQUEUE_HOST_BUSY */
	atomic64_t timeouts;		/* abort handler runs (a command timed out) */
	atomic64_t resets;		/* RESET_LUN / RESET_BUS acknowledged */
	atomic64_t cancelled;		/* commands given up on (EH, rescind, remove) */
	atomic64_t rescans;		/* rescan work runs */
	atomic64_t luns_removed;	/* LUNs removed by a rescan */
	atomic64_t bad_packets;		/* malformed or unexpected packets dropped */
};

/* One controller: the Scsi_Host's hostdata. */
struct storvsc_dev {
	struct Scsi_Host *shost;
	struct vmbus_device *vdev;
	struct storvsc_chan *primary;	/* set in probe, freed after remove */

	/* Negotiated in probe, read-only afterwards. */
	u16 version;			/* VSTOR_MAKE_VERSION */
	u32 max_xfer;			/* bytes, 4 KiB multiple, <= STORVSC_MAX_XFER */
	u16 max_subchans;		/* what the host offers */
	bool multichannel;
	u32 ring_size;			/* each ring, bytes */
	u32 max_requests;		/* per channel */

	bool dead;			/* remove started: WRITE_ONCE/READ_ONCE */
	bool host_added;		/* scsi_add_host() done: WRITE_ONCE/READ_ONCE */
	wait_queue_head_t waitq;	/* op waits, subchannel waits, remove */

	/* One synchronous operation at a time; EH handlers hold it throughout. */
	struct mutex op_lock;
	struct storvsc_op op;

	/* Channels.  Must hold chan_lock. */
	struct mutex chan_lock;
	struct list_head chans;
	unsigned int nr_subs;		/* open, not rescinded; READ_ONCE for waits */
	struct storvsc_chanmap __rcu *map;

	struct work_struct subchan_work;	/* CREATE_SUB_CHANNELS, system_unbound_wq */
	struct workqueue_struct *wq;	/* ordered: rescans */
	struct work_struct scan_work;	/* the first scan, on wq */
	struct work_struct rescan_work;
	unsigned long rescan_flags;	/* STORVSC_RESCAN_* bits */

	struct dentry *dbg;
	struct storvsc_stats stats;
};

#define STORVSC_RESCAN_DEVICES	0	/* also re-read every LUN (capacity changed) */

/* init.c */
int storvsc_vstor_init(struct storvsc_dev *dev);
void storvsc_subchan_work(struct work_struct *work);
int storvsc_reset(struct storvsc_dev *dev, u32 op, struct scsi_device *sdev);
void storvsc_op_complete(struct storvsc_dev *dev, struct storvsc_op *op,
			 const struct vstor_packet *resp);

/* chan.c */
extern const struct vmbus_subchan_ops storvsc_subchan_ops;
int storvsc_open_primary(struct storvsc_dev *dev);
void storvsc_chans_close(struct storvsc_dev *dev);
void storvsc_chans_free(struct storvsc_dev *dev);
void storvsc_bad_packet(struct storvsc_dev *dev, struct storvsc_chan *sc, const char *why);

/* io.c */
int storvsc_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *scmd);
void storvsc_io_complete(struct storvsc_chan *sc, struct storvsc_cmd *cmd,
			 const struct vstor_packet *resp);

/* scan.c */
void storvsc_scan_work(struct work_struct *work);
void storvsc_rescan_work(struct work_struct *work);
void storvsc_queue_rescan(struct storvsc_dev *dev, bool devices);

/* eh.c */
int storvsc_eh_abort(struct scsi_cmnd *scmd);
int storvsc_eh_device_reset(struct scsi_cmnd *scmd);
int storvsc_eh_host_reset(struct scsi_cmnd *scmd);
void storvsc_fail_outstanding(struct storvsc_dev *dev, struct storvsc_chan *sc,
			      int host_byte);

/* stats.c */
void storvsc_debugfs_init(void);
void storvsc_debugfs_uninit(void);
void storvsc_debugfs_add(struct storvsc_dev *dev);
void storvsc_debugfs_remove(struct storvsc_dev *dev);

#endif /* _STORVSC_H */
