/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_vmbus private state.  Wire formats: include/hyperv/vmbus.h and
 * include/hyperv/vmbus_ring.h; driver API: include/hv/hv_vmbus.h; core API
 * below us: include/hv/hv_core.h.
 *
 * Files: main.c (module init/exit, parameters), connection.c (SINT 2,
 * posting, version negotiation, UNLOAD), chanmsg.c (host message intake:
 * validation and dispatch), waiter.c (replies a caller sleeps for),
 * offer.c (offers, rescind, relid release), subchan.c (subchannel lists
 * and driver callbacks), channel.c (channel objects,
 * open/close), gpadl.c (GPADLs), ring.c (ring memory and indices),
 * send.c / recv.c (the two directions of the data path), requestor.c
 * (request ids), intr.c (channel interrupts, target CPUs, MODIFYCHANNEL),
 * bus.c (bus_type, matching, driver API), sysfs.c (device attributes),
 * chan_sysfs.c (channels/<relid>/ attributes), debugfs.c (counters),
 * unload.c (the polled UNLOAD of panic, reboot and kexec), hotplug.c
 * (refusing to offline a CPU that open channels target), trace.c /
 * trace.h (channel message tracepoints).  Test builds only
 * (CONFIG_HVSTACK_TESTING): fault.c (debugfs fault injection),
 * unload_test.c (debugfs unload_test); elsewhere their hooks below are
 * empty inlines.
 *
 * Contexts and locking, in one place:
 *
 * - Host messages arrive in hard interrupt context (hv_common's SINT
 *   callback, a private copy).  chanmsg.c checks type and length there.
 *   Replies a caller sleeps for (GPADL_CREATED, GPADL_TORNDOWN,
 *   OPENCHANNEL_RESULT, MODIFYCHANNEL_RESPONSE) are matched against the
 *   waiter list right there (waiter.c), under vmbus_conn.waiter_lock.
 *   Everything else is copied into a work item: connection replies
 *   (VERSION_RESPONSE, UNLOAD_RESPONSE) on vmbus_conn.reply_wq; offers,
 *   rescinds and ALLOFFERS_DELIVERED on the ordered vmbus_conn.chan_wq,
 *   which keeps the host's order (a rescind always follows its offer) and
 *   may block (device registration, driver probe/remove).  A driver's
 *   probe may therefore open its channel: no reply queues behind offers.
 *
 * - Channel interrupts arrive in hard interrupt context too (the SINT 2
 *   event flags, intr.c).  The channel is looked up by relid with xa_load
 *   under rcu_read_lock(); channel memory is freed only after a grace
 *   period (kfree_rcu from the channel kobject's release).  The ISR
 *   dispatches only while the channel is VMBUS_CHAN_OPEN (read with
 *   acquire): to the tasklet, or to the driver's callback directly.
 *
 * - vmbus_conn.lock (mutex) guards the channel table and the connection
 *   state against the channel work and module exit.
 *
 * - vmbus_channel.open_lock (mutex) serializes open, close and
 *   MODIFYCHANNEL of one channel; the state moves under it.
 *
 * - vmbus_channel.lock (spinlock, irqsave) is "the channel lock": the
 *   outbound ring (senders from any context), the request-id table, the
 *   pending_send_sz bookkeeping, and every move out of VMBUS_CHAN_OPEN
 *   (so a sender or sysfs reader holding it sees the rings alive).
 *
 * - vmbus_conn.waiter_lock (spinlock, irqsave) guards the waiter list and
 *   each channel's "rescinded" flag; vmbus_conn.gpadl_lock (spinlock)
 *   the per-channel GPADL lists.  vmbus_conn.reply_lock the single
 *   outstanding connection-level request.
 *
 * - vmbus_channel.sc_lock (mutex, primaries) guards the subchannel list
 *   and the driver's subchannel callbacks, which run under it
 *   (subchan.c).
 *
 * - Lock order: vmbus_conn.lock -> device_lock -> primary's sc_lock
 *   -> vmbus_channel.open_lock
 *   -> { vmbus_channel.lock, vmbus_conn.waiter_lock, vmbus_conn.gpadl_lock }
 *   (the three spinlocks never nest); open_lock -> cpu_hotplug_lock
 *   (cpus_read_lock), and vmbus_connect() takes vmbus_conn.lock before
 *   cpus_read_lock(), never after.  Driver callbacks never take
 *   vmbus_conn.lock.  sysfs "cpu" writes take open_lock under the kernfs
 *   active reference; the channel directory is removed (which drains them)
 *   with no open_lock held.
 */
#ifndef _VMBUS_PRIVATE_H
#define _VMBUS_PRIVATE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <hyperv/vmbus.h>
#include <hyperv/vmbus_ring.h>
#include <hv/hv_core.h>
#include <hv/hv_vmbus.h>

/* Waits, in milliseconds. */
#define VMBUS_REPLY_TIMEOUT_MS		10000	/* VERSION_RESPONSE, UNLOAD_RESPONSE */
#define VMBUS_OFFERS_TIMEOUT_MS		60000	/* ALLOFFERS_DELIVERED */
#define VMBUS_MODIFY_TIMEOUT_MS		10000	/* MODIFYCHANNEL_RESPONSE */

/* Ring and open limits (hv_vmbus.h states them for drivers). */
#define VMBUS_RINGS_MAX_BYTES		(64U << 20)	/* both rings of a channel */
#define VMBUS_MAX_REQUESTS		65536
#define VMBUS_DEFAULT_MAX_PKT		4096
#define VMBUS_MIN_MAX_PKT		16

/* The first GPADL handle (Linux starts at the same value; any would do). */
#define VMBUS_GPADL_FIRST		0xe1e10

static_assert(PAGE_SIZE == HV_PAGE_SIZE, "rings and GPADLs assume HV_PAGE_SIZE pages");

enum vmbus_conn_state {
	VMBUS_DISCONNECTED,	/* before INITIATE_CONTACT or after UNLOAD */
	VMBUS_CONNECTING,	/* version loop running */
	VMBUS_CONNECTED,	/* a version was accepted; offers are handled */
	VMBUS_UNLOADING,	/* module exit: offers and rescinds are ignored */
};

struct vmbus_connection {
	/* Written by connection.c during connect, stable afterwards. */
	u32 version;			/* negotiated, 0 when none */
	u32 msg_conn_id;		/* where channel messages are posted */
	u32 target_vp;			/* VP the host sends messages to */
	unsigned int target_cpu;	/* CPU of target_vp */
	void *int_page;			/* interrupt page (< 5.0 hosts), zeroed */
	void *monitor_pages[2];		/* H->G, G->H monitor pages, zeroed */

	struct workqueue_struct *reply_wq;
	struct workqueue_struct *chan_wq;	/* ordered */

	/* One connection-level request at a time; must hold reply_lock. */
	spinlock_t reply_lock;
	u32 reply_type;			/* VMBUS_CHANMSG_*, 0 = none expected */
	u8 reply_buf[HV_MESSAGE_PAYLOAD_MAX];
	u32 reply_len;
	struct completion reply_done;

	struct completion all_offers;	/* ALLOFFERS_DELIVERED seen */

	/* Must hold lock to write; see the notes above. */
	struct mutex lock;
	enum vmbus_conn_state state;
	struct xarray channels;		/* relid -> struct vmbus_channel; RCU readers */
	unsigned int nr_offers;		/* channels in the table */

	/* waiter.c; must hold waiter_lock. */
	spinlock_t waiter_lock;
	struct list_head waiters;
	bool gone;			/* UNLOAD done: nothing more is answered */

	/* gpadl.c: handle -> struct vmbus_gpadl_rec (allocating xarray). */
	struct xarray gpadls;
	u32 gpadl_next;			/* xa_alloc_cyclic() cursor */
	spinlock_t gpadl_lock;		/* channel GPADL lists, record states */

	/* intr.c: round-robin cursor of the target CPU choice. */
	spinlock_t cpu_lock;
	int last_cpu;

	/* Counters (debugfs "stats"). */
	atomic64_t unexpected_replies;	/* a reply nobody waited for */
	atomic64_t late_replies;	/* answers after a rescind ended the wait */
	atomic64_t unknown_interrupts;	/* event flag of no channel */
	atomic64_t gpadls_leaked;	/* teardowns the host did not confirm */
	atomic64_t malformed_messages;	/* host messages dropped by chanmsg.c's checks */

	/* unload.c: the polled UNLOAD of panic, reboot and kexec. */
	bool unload_polling;		/* an UNLOAD_RESPONSE is polled for */
	bool unload_seen;		/* ... and it arrived */
	atomic64_t unload_dropped;	/* other messages polled meanwhile */
};

extern struct vmbus_connection vmbus_conn;

/*
 * Channel states; the numbers are what sysfs "state" shows.  2 and 3 keep
 * upstream's meaning (2: may be opened, 3: opened).
 */
enum vmbus_chan_state {
	VMBUS_CHAN_OFFERED = 0,	/* never opened */
	VMBUS_CHAN_OPENING = 1,	/* vmbus_channel_open() running */
	VMBUS_CHAN_CLOSED = 2,	/* was open, closed: may be opened again */
	VMBUS_CHAN_OPEN = 3,	/* the callback may run, sends are accepted */
	VMBUS_CHAN_CLOSING = 4,	/* vmbus_channel_close() running */
};

/*
 * One ring: a shared control page and a data area mapped twice in a row,
 * so a packet that wraps is contiguous (ring.c).  @pos is private: the
 * next write offset of the outbound ring, the next read offset of the
 * inbound one.  The host's indices are read from @ctl and checked.
 */
struct vmbus_ring {
	struct vmbus_ring_ctl *ctl;
	u8 *data;
	u32 size;			/* data area bytes */
	u32 pos;
	void *map;			/* vmap() of ctl + data + data */
	struct page **pages;		/* ctl + data pages */
	u32 nr_pages;
};

/* One request id slot (requestor.c). */
struct vmbus_rqst_slot {
	void *req;			/* the driver's pointer; NULL when free */
	u32 gen;			/* upper half of the id */
	u32 next;			/* free-list link */
};

struct vmbus_requestor {
	struct vmbus_rqst_slot *slots;
	u32 size;
	u32 free_head;			/* VMBUS_RQST_NONE when all are taken */
};

struct vmbus_chan_stats {
	atomic64_t events;		/* signals sent to the host */
	atomic64_t interrupts;		/* event flags taken */
	atomic64_t intr_in_full;	/* signals: inbound ring no longer full */
	atomic64_t intr_out_empty;	/* signals: outbound ring no longer empty */
	atomic64_t out_full_first;	/* writes that first found the ring full */
	atomic64_t out_full_total;	/* writes that found the ring full */
	atomic64_t comp_unknown;	/* completions with no outstanding id */
	atomic64_t rx_dropped;		/* inbound packets skipped as invalid */
	atomic64_t mnf_events;		/* of events: through the monitor page */
};

/*
 * A channel, created from an offer, destroyed after its rescind (or at
 * module exit).  The offer copy and the fields above "open_lock" are
 * immutable after creation.  Counters live as long as the channel, across
 * opens.
 */
struct vmbus_channel {
	struct vmbus_chanmsg_offer offer;	/* validated copy */
	u32 relid;
	u16 subchan_index;
	u32 sig_conn_id;		/* HvCallSignalEvent connection */
	bool dedicated_int;		/* else also set the interrupt page bit */
	struct vmbus_device *vdev;	/* primary: its device; NULL for subchannels */
	struct vmbus_channel *primary;	/* subchannels: referenced primary */
	bool monitored;			/* MNF: signal through the monitor page */
	u8 monitor_grp, monitor_bit;	/* monitor id / 32, monitor id % 32 */
	bool low_latency;		/* the driver wants hypercall signals; READ_ONCE */

	/* subchan.c: primaries' list and callbacks; under sc_lock. */
	struct mutex sc_lock;
	struct list_head subchans;	/* struct vmbus_channel.sc_node, by index */
	const struct vmbus_subchan_ops *sc_ops;
	void *sc_ctx;
	bool sc_holders;		/* a driver may hold subchannel pointers */
	struct list_head sc_node;	/* subchannels: on the primary's list */
	bool sc_dead;			/* subchannels: left the table, kept for the driver */

	/* sysfs channels/<relid>; the last put frees the channel after RCU. */
	struct kobject kobj;
	bool kobj_added;
	struct kobject *channels_kobj;	/* primary: the "channels" directory */
	struct rcu_head rcu;

	struct mutex open_lock;
	enum vmbus_chan_state state;	/* written under open_lock; see above */
	bool rescinded;			/* written under vmbus_conn.waiter_lock */
	bool broken;			/* a ring is corrupt; set once */

	/* Set by open before the state becomes OPEN; read by the ISR. */
	enum vmbus_cb_mode cb_mode;
	void (*callback)(struct vmbus_channel *chan, void *ctx);
	void *ctx;
	u32 max_pkt_size;
	unsigned int target_cpu;	/* under open_lock; READ_ONCE elsewhere */
	u32 target_vp;

	/* The channel lock and what it guards (see above). */
	spinlock_t lock;
	struct vmbus_ring out;
	struct vmbus_requestor rqst;
	u32 rqst_epoch;			/* seeds slot generations, per open */
	bool out_full;			/* the last write found the ring full */
	unsigned int nr_wait_writable;	/* sleepers in vmbus_wait_writable() */

	/* The single reader's (callback or driver-serialized code). */
	struct vmbus_ring in;
	u8 *bounce;			/* max_pkt_size bytes */
	u32 in_batch;			/* bytes consumed, not yet published */

	struct tasklet_struct tasklet;
	wait_queue_head_t wait_q;	/* vmbus_wait_writable() sleepers */

	u32 ring_gpadl;			/* under open_lock; 0 = none */
	struct list_head gpadls;	/* struct vmbus_gpadl_rec; gpadl_lock */
	unsigned int nr_gpadls;

	struct vmbus_chan_stats st;
};

/*
 * A reply a caller sleeps for, registered before the request is posted
 * (waiter.c).  Lives on the caller's stack.
 */
#define VMBUS_WAIT_ANY_RELID	U32_MAX

struct vmbus_waiter {
	struct list_head node;		/* in vmbus_conn.waiters while armed */
	u32 type;			/* VMBUS_CHANMSG_* of the reply */
	u32 key;			/* GPADL handle or relid / open id */
	u32 relid;			/* or VMBUS_WAIT_ANY_RELID */
	struct vmbus_channel *chan;	/* a rescind of it fails the wait */
	bool survives_rescind;		/* the host answers it even then */
	int err;
	struct completion done;
	u8 reply[24];			/* the reply, zero-filled */
};

struct dentry;

/* main.c */
extern unsigned int vmbus_max_version;

/* connection.c */
int vmbus_connection_init(void);
void vmbus_connection_uninit(void);
int vmbus_connect(void);
void vmbus_disconnect(void);
int vmbus_post(const void *msg, u32 len);
int vmbus_post_sleep(const void *msg, u32 len);
const char *vmbus_chanmsg_name(u32 type);

/* chanmsg.c */
void vmbus_chanmsg_isr(unsigned int sint, const struct hv_message *msg, void *ctx);
void vmbus_reply_arrived(const void *msg, u32 len);

/* waiter.c */
void vmbus_waiter_init(struct vmbus_waiter *w, u32 type, u32 key, u32 relid,
		       struct vmbus_channel *chan, bool survives_rescind);
int vmbus_waiter_arm(struct vmbus_waiter *w);
void vmbus_waiter_disarm(struct vmbus_waiter *w);
int vmbus_waiter_wait(struct vmbus_waiter *w, unsigned int timeout_ms);
void vmbus_waiter_reply(const void *msg, u32 len);
void vmbus_waiters_rescind(struct vmbus_channel *chan);
void vmbus_waiters_shutdown(void);
bool vmbus_conn_gone(void);

/* offer.c */
void vmbus_handle_offer(const struct vmbus_chanmsg_offer *msg);
void vmbus_handle_rescind(const struct vmbus_chanmsg_relid *msg);
void vmbus_handle_alloffers(void);
void vmbus_remove_all_channels(void);

/* subchan.c */
void vmbus_subchan_add(struct vmbus_channel *sub);
void vmbus_subchan_rescinded(struct vmbus_channel *sub);
void vmbus_subchan_del(struct vmbus_channel *sub);
void vmbus_subchan_close_all(struct vmbus_channel *primary);
void vmbus_subchan_unbind_begin(struct vmbus_channel *primary);
void vmbus_subchan_unbind_end(struct vmbus_channel *primary);

/* channel.c */
struct vmbus_channel *vmbus_chan_alloc(const struct vmbus_chanmsg_offer *msg);
void vmbus_chan_put(struct vmbus_channel *chan);
void vmbus_chan_release(struct kobject *kobj);
void vmbus_chan_rescind(struct vmbus_channel *chan);
bool vmbus_chan_is_open(const struct vmbus_channel *chan);
void vmbus_chan_mark_broken(struct vmbus_channel *chan, const char *why);

/* gpadl.c */
int vmbus_gpadl_create_pfns(struct vmbus_channel *chan, const u64 *pfns, u32 nr,
			    u32 size, u32 *handle);
int vmbus_gpadl_teardown_handle(struct vmbus_channel *chan, u32 handle);
void vmbus_gpadl_chan_gone(struct vmbus_channel *chan);
void vmbus_gpadl_forget_all(void);
unsigned int vmbus_gpadl_count(void);

/* ring.c */
int vmbus_ring_alloc(struct vmbus_ring *r, u32 bytes);
void vmbus_ring_free(struct vmbus_ring *r);
void vmbus_ring_leak(struct vmbus_ring *r);
void vmbus_ring_pfns(const struct vmbus_ring *r, u64 *pfns);
u32 vmbus_ring_used(u32 size, u32 write, u32 read);
bool vmbus_ring_index_ok(const struct vmbus_ring *r, u32 index);
u32 vmbus_ring_read_avail(const struct vmbus_ring *r);
u32 vmbus_ring_write_avail(const struct vmbus_ring *r);

/* send.c */
void vmbus_chan_signal(struct vmbus_channel *chan);

/* recv.c */
bool vmbus_rx_pending(struct vmbus_channel *chan);

/* requestor.c */
int vmbus_rqst_init(struct vmbus_channel *chan, u32 size);
void vmbus_rqst_uninit(struct vmbus_channel *chan);
u64 vmbus_rqst_get(struct vmbus_channel *chan, void *req);
void *vmbus_rqst_take(struct vmbus_channel *chan, u64 id);

/* intr.c */
void vmbus_chan_events(unsigned int sint, const unsigned long *flags, void *ctx);
void vmbus_chan_tasklet(struct tasklet_struct *t);
void vmbus_chan_kick(struct vmbus_channel *chan);
unsigned int vmbus_pick_cpu_for(const struct vmbus_channel *chan);
int vmbus_chan_set_cpu(struct vmbus_channel *chan, unsigned int cpu);

/* bus.c */
int vmbus_bus_init(void);
void vmbus_bus_uninit(void);
int vmbus_device_add(struct vmbus_channel *chan);
void vmbus_device_del(struct vmbus_channel *chan);

/* sysfs.c */
extern const struct attribute_group *vmbus_dev_groups[];
extern const struct attribute_group *vmbus_bus_groups[];

/* chan_sysfs.c */
extern const struct kobj_type vmbus_chan_ktype;
void vmbus_chan_sysfs_add(struct vmbus_channel *chan);
void vmbus_chan_sysfs_del(struct vmbus_channel *chan);

/* debugfs.c */
void vmbus_debugfs_init(void);
void vmbus_debugfs_uninit(void);

/* unload.c */
int vmbus_unload_polled(void);
bool vmbus_unload_polled_for(void);
void vmbus_unload_init(void);
void vmbus_unload_uninit(void);

/* hotplug.c */
int vmbus_hotplug_init(void);
void vmbus_hotplug_uninit(void);
bool vmbus_cpu_usable(unsigned int cpu);

/*
 * Test-only hooks (fault.c, unload_test.c), as upstream's
 * CONFIG_HYPERV_TESTING: compiled only into test builds; a production
 * build gets these empty inlines and its hot paths no code at all.
 */
#ifdef CONFIG_HVSTACK_TESTING
void vmbus_fault_debugfs(struct dentry *dir);
void vmbus_fault_delay_interrupt(void);
void vmbus_fault_delay_message(void);
bool vmbus_fault_gpadl_create(void);
void vmbus_unload_test_debugfs(struct dentry *dir);
#else
static inline void vmbus_fault_debugfs(struct dentry *dir)
{
}

static inline void vmbus_fault_delay_interrupt(void)
{
}

static inline void vmbus_fault_delay_message(void)
{
}

static inline bool vmbus_fault_gpadl_create(void)
{
	return false;
}

static inline void vmbus_unload_test_debugfs(struct dentry *dir)
{
}
#endif

/* trace.c */
void vmbus_trace_recv(const void *msg, u32 len);
void vmbus_trace_post(const void *msg, u32 len);

#endif /* _VMBUS_PRIVATE_H */
