/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbus_echo_test: a test-only VMBus driver for hvhost's echo device
 * (include/hyperv/hvecho.h), driving hv_vmbus's data path (GPADLs,
 * open/close, inband and GPA-direct sends, completions, receive) from
 * debugfs "vmbus_echo_test/<relid>/{cmd,result}".  The command and result
 * line formats are an ABI for selftests/hv_vmbus_data/ and bench.sh.
 *
 * Files: main.c (module, driver, debugfs, command parsing), chan.c
 * (open/close, the channel callback, sending and waiting), echo.c (echo,
 * badcomp, flood), gpa.c (checksum, fill, GPADLs), sub.c (subchannels).
 *
 * Subchannels: hv_vmbus reports each one to vet_subchan_ops (on its
 * channel workqueue, under the device's subchannel lock); each gets a
 * vet_dev of its own on the primary's list (sub_lock), destroyed at its
 * rescind or when the primary goes.
 *
 * Contexts and locking:
 * - Commands run in the writer's process context, one at a time per
 *   device under vet_dev.cmd_lock; they sleep on vet_dev.wq for replies.
 * - The channel callback runs in a tasklet (VMBUS_CB_TASKLET) and shares
 *   the request slots and counters with the command under vet_dev.lock
 *   (the command takes it with spin_lock_bh).  It wakes vet_dev.wq after
 *   every packet that can end a wait.
 * - remove() sets vet_dev.dying and wakes the waiters before it takes
 *   cmd_lock, so a running command ends promptly with -ENODEV; only then
 *   is the debugfs directory removed (removal waits for writers in flight)
 *   and the channel closed.
 */
#ifndef _VET_H
#define _VET_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <asm/byteorder.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <hyperv/hvecho.h>
#include <hv/hv_vmbus.h>

#define VET_MAX_QD		256	/* outstanding requests of one command */
#define VET_MAX_GPADLS		16	/* GPADLs kept by gpadl_create */
#define VET_WAIT_MS		10000	/* longest wait without any received packet */
#define VET_RESULT_LEN		256
#define VET_PAGEBUF_BATCH	32	/* one-page ranges per checksum packet */
#define VET_MAX_GPA_SIZE	(16U << 20)	/* checksum / fill buffers */
#define VET_MAX_GPADL_SIZE	(256U << 20)

/* The largest packet the host sends us: a 64 KiB echo reply. */
#define VET_MAX_PKT	(sizeof(struct vmbus_pkt_desc) + sizeof(struct hvecho_hdr) + \
			 HVECHO_MAX_INBAND_DATA)

/* What the callback does with the packets it gets (must hold lock). */
enum vet_mode {
	VET_IDLE,	/* nothing expected: count as unexpected */
	VET_ECHO,	/* echo replies, verified against their request */
	VET_SINGLE,	/* one request: keep its completion's header */
	VET_FLOOD,	/* flood packets, then one completion */
};

/* One outstanding request.  Fields under vet_dev.lock. */
struct vet_req {
	bool busy;		/* sent, answer not yet seen */
	u64 seq;		/* hdr.arg of an echo request */
	u32 size;		/* echo data bytes */
	struct hvecho_hdr reply;	/* VET_SINGLE / VET_FLOOD: the completion */
};

struct vet_dev {
	struct vmbus_device *vdev;
	struct vmbus_channel *chan;	/* the primary, or a subchannel */
	struct dentry *dir;
	bool dying;			/* set once by remove; READ_ONCE */
	wait_queue_head_t wq;		/* command waits for the callback */

	/* Must hold cmd_lock. */
	struct mutex cmd_lock;
	bool open;
	u32 ring_kb;
	struct vmbus_gpadl gpadls[VET_MAX_GPADLS];
	unsigned int nr_gpadls;

	/* Must hold lock (_bh from process context). */
	spinlock_t lock;
	char result[VET_RESULT_LEN];
	enum vet_mode mode;
	bool broken;			/* vmbus_rx_next() said the ring is corrupt */
	unsigned long rx_pkts;		/* every packet taken: progress for waits */
	u64 unexpected;			/* packets no command asked for */
	unsigned int qd, outstanding;
	bool nocomp;			/* echo answers come inband, not as completions */
	u64 done, done_bytes, mismatches;	/* echo */
	u64 flood_rx, flood_next, flood_misordered, flood_bad;
	u32 flood_size;
	struct vet_req reqs[VET_MAX_QD];

	/* Primaries: their subchannels' vet_devs (sub.c); must hold sub_lock. */
	struct mutex sub_lock;
	struct list_head subs;
	unsigned int nr_subs;		/* also read with READ_ONCE */
	struct list_head sub_node;	/* subchannels: on the primary's list */
};

static inline void vet_hdr(struct hvecho_hdr *h, u32 op, u32 len, u64 arg)
{
	h->op = cpu_to_le32(op);
	h->status = 0;
	h->len = cpu_to_le32(len);
	h->reserved = 0;
	h->arg = cpu_to_le64(arg);
}

/* main.c: byte j is (u8)j, for j < HVECHO_MAX_INBAND_DATA + 256. */
extern u8 *vet_pattern;
void vet_set_result(struct vet_dev *vd, const char *fmt, ...) __printf(2, 3);
struct vet_dev *vet_dev_create(struct vmbus_device *vdev, struct vmbus_channel *chan);
void vet_dev_destroy(struct vet_dev *vd);

/* sub.c */
extern const struct vmbus_subchan_ops vet_subchan_ops;
int vet_cmd_subchan(struct vet_dev *vd, u32 count);
void vet_subs_destroy(struct vet_dev *vd);

/* chan.c; all must hold cmd_lock, process context unless stated. */
int vet_open(struct vet_dev *vd, u32 ring_kb);
void vet_close(struct vet_dev *vd);
void vet_begin(struct vet_dev *vd, enum vet_mode mode, unsigned int qd);
void vet_end(struct vet_dev *vd);
int vet_wait(struct vet_dev *vd, bool (*cond)(struct vet_dev *vd, void *arg), void *arg);
int vet_send_inband(struct vet_dev *vd, const void *buf, u32 len, u32 flags,
		    void *req, u32 *eagain);
int vet_single(struct vet_dev *vd, const struct hvecho_hdr *hdr,
	       const struct vmbus_gpa_desc *ranges, u32 nr, struct hvecho_hdr *reply);
bool vet_req_idle(struct vet_dev *vd, void *req);
bool vet_no_outstanding(struct vet_dev *vd, void *unused);

/* echo.c; the rx hooks run in the callback under lock. */
int vet_cmd_echo(struct vet_dev *vd, u32 count, u32 size, u32 qd, bool nocomp);
int vet_cmd_badcomp(struct vet_dev *vd, u64 id);
int vet_cmd_flood(struct vet_dev *vd, u32 count, u32 size);
void vet_rx_echo(struct vet_dev *vd, struct vet_req *req, const struct hvecho_hdr *hdr,
		 const void *data, u32 data_len);
void vet_rx_flood(struct vet_dev *vd, const struct hvecho_hdr *hdr,
		  const void *data, u32 data_len);

/* gpa.c */
int vet_cmd_checksum(struct vet_dev *vd, u32 size, bool pagebuf);
int vet_cmd_fill(struct vet_dev *vd, u32 size, u8 seed);
int vet_cmd_gpadl_create(struct vet_dev *vd, u32 size);
int vet_cmd_gpadl_teardown(struct vet_dev *vd);
unsigned int vet_gpadls_teardown(struct vet_dev *vd, unsigned int *torn);

#endif /* _VET_H */
