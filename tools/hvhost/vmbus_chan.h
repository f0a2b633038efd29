/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus channels on the host: one per relid slot (a primary or a
 * subchannel: each has its own rings, worker and counters), opened by the
 * guest with OPENCHANNEL over a ring GPADL, served by a worker thread that
 * runs the device's VSP (vmbus_echo.c) until CLOSECHANNEL, a rescind or a
 * connection reset stops it.  Locking rules: vmbus_srv.h.
 *
 * Life of a channel (the device's state is in struct hvh_dev):
 *   closed --OPENCHANNEL ok--> open, worker running
 *   open --CLOSECHANNEL--> closed (worker joined, ring GPADL unpinned)
 *   open --rescind--> open, worker joined; the guest then closes it, tears
 *                     its GPADLs down and releases the relid
 *   any --UNLOAD / INITIATE_CONTACT--> closed
 * While a channel is open its ring GPADL is pinned: GPADL_TEARDOWN of it
 * is a protocol error (dropped, no answer) and RELID_RELEASED is refused.
 *
 * The worker: waits (condition variable) until the guest signals the
 * channel's connection (HvCallSignalEvent, or its monitor page bit seen
 * by the poller, vmbus_mnf.c) or a stop is requested; drains the inbound ring
 * with its interrupt_mask set, in batches: it reads every packet there is
 * (up to HVH_CHAN_BATCH_MAX, or HVH_CHAN_BATCH_BYTES past the largest
 * packet) and frees their space, THEN hands them to the VSP one by one,
 * so the replies of a batch go out together and only the first can find
 * the outbound ring empty (one interrupt per batch).  When the ring is
 * empty it keeps the mask set and polls for up to HVH_CHAN_POLL_NS
 * (the guest's next requests need no signal), then unmasks and re-checks.
 * Replies go through hvh_chan_send(), which waits for outbound space
 * with pending_send_sz when the ring is full.  A corrupt ring stops the
 * worker (counted in ring_errors, logged); the channel stays open until
 * the guest closes it.
 */
#ifndef HVHOST_VMBUS_CHAN_H
#define HVHOST_VMBUS_CHAN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "partition.h"
#include "vmbus_ring.h"

struct hvh_srv;
struct hvh_chan;

#define HVH_CHAN_BATCH_MAX	64		/* packets read before they are served */
#define HVH_CHAN_BATCH_BYTES	(64 * 1024)	/* batch room beyond one largest packet */
#define HVH_CHAN_POLL_NS	200000		/* masked polling of an empty ring */
#define HVH_CHAN_POLL_STEP_NS	20000		/* sleep between two looks */

/* Per-channel counters (`vmbus-chan RELID`), in the order printed. */
enum hvh_chan_stat {
	CHAN_SIGNALS_IN,	/* HvCallSignalEvent on the channel's connection */
	CHAN_INTERRUPTS_OUT,	/* event flags newly set for the guest */
	CHAN_PKTS_IN,		/* packets read from the inbound ring */
	CHAN_PKTS_OUT,		/* packets written to the outbound ring */
	CHAN_BYTES_IN,		/* inbound packet bytes (length8 * 8) */
	CHAN_GPA_BYTES,		/* bytes read or written through GPA ranges */
	CHAN_MALFORMED,		/* inbound packets dropped */
	CHAN_RING_FULL_WAITS,	/* sends that had to wait for outbound space */
	CHAN_OPENS,
	CHAN_CLOSES,
	CHAN_MODIFIES,		/* MODIFYCHANNELs applied */
	CHAN_RING_ERRORS,	/* corrupt rings (the worker stopped) */
	CHAN_MNF_SIGNALS,	/* monitor page bits seen by the poller (not hypercalls) */
	CHAN_STAT_NR
};

/*
 * A device's VSP.  packet() is required, the rest optional.  A VSP may
 * keep a context per device (hvh_chan.vsp_ctx, shared by the primary
 * and its subchannels), and may send on a channel from threads of its own
 * (hvh_chan_send() serialises the writers) as long as stop() makes them
 * let go of the channel.
 */
struct hvh_vsp {
	const char *name;
	/*
	 * @pkt describes the checked private copy @buf (@pkt->len bytes).
	 * Worker thread, no lock held.
	 */
	void (*packet)(struct hvh_chan *ch, const struct hvh_ring_pkt *pkt, const uint8_t *buf);
	/* The channel was opened; its worker starts next.  Server lock held. */
	void (*open)(struct hvh_chan *ch);
	/*
	 * The worker was joined (close, rescind, reset, hostile pause): when
	 * this returns, no thread of the VSP uses @ch or its rings any more
	 * (queued work dropped, running work finished).  Server lock held.
	 */
	void (*stop)(struct hvh_chan *ch);
	/* A subchannel slot took a reference to @ctx / a slot holding @ctx was freed. */
	void (*get)(void *ctx);
	void (*put)(void *ctx);
};

extern const struct hvh_vsp hvh_echo_vsp;
extern const struct hvh_vsp storvsp_vsp;

struct hvh_chan {
	struct hvh_srv *s;		/* fixed at server creation */
	struct partition *p;
	uint32_t relid;
	const struct hvh_vsp *vsp;	/* set when the device is created */
	void *vsp_ctx;			/* the VSP's, for the device's slots; set with vsp */
	uint64_t vsp_count;		/* the VSP's per-channel counter (atomic) */

	/* Must hold the server lock: */
	bool open;			/* OPENCHANNEL accepted, no CLOSECHANNEL yet */
	bool running;			/* worker thread started, not joined */
	pthread_t thread;
	uint32_t ring_gpadl;		/* handle, while open */
	uint8_t **pages;		/* ring pages: in.nr_pages, then out.nr_pages */
	uint8_t mnf_id;			/* polled under this monitor id while open, or NONE */

	/* The worker's while it runs; set up before it starts, freed after the join: */
	struct hvh_ring in;		/* guest -> host */
	struct hvh_ring out;		/* host -> guest */
	uint8_t *buf;			/* a batch of inbound packets */
	uint32_t buf_size;
	uint32_t pkt_max;		/* largest inbound packet: min(in.size, VMBUS_PKT_MAX_LEN) */
	bool broken;			/* a ring was found corrupt (atomic: VSP threads send) */
	unsigned int warned;		/* rate limit of warnings (atomic) */

	/*
	 * Serialises writers of the outbound ring (hvh_chan_send()): the
	 * worker and VSP threads.  Taken before lock, never with the server
	 * lock held by a sender that may wait (only workers and VSP threads send).
	 */
	pthread_mutex_t send_lock;

	pthread_mutex_t lock;		/* guards the next five; taken after the server lock */
	pthread_cond_t cond;		/* the worker and waiting senders wait here (broadcast) */
	bool stop;			/* the worker must return (read atomically too) */
	bool kick;			/* the guest signalled since the worker last looked */
	uint64_t sig_seq;		/* guest signals so far (senders waiting for space) */
	uint32_t target_vp;		/* VMBUS_TARGET_VP_NONE: no interrupts */

	uint64_t st[CHAN_STAT_NR];	/* relaxed atomics */
};

/* Counter names in enum order ("signals_in", ...). */
extern const char *const hvh_chan_stat_names[CHAN_STAT_NR];

/* ---- server side (must hold the server lock unless stated) ---- */

/* Initialise @ch for @relid (server creation; no lock needed). */
void hvh_chan_init(struct hvh_chan *ch, struct hvh_srv *s, uint32_t relid);
/* Free @ch's lock (server destruction, channel closed). */
void hvh_chan_fini(struct hvh_chan *ch);
/* A new device on the relid: its VSP and the VSP's context, counters to 0. */
void hvh_chan_new_device(struct hvh_chan *ch, const struct hvh_vsp *vsp, void *ctx);

void hvh_chan_open_msg(struct hvh_srv *s, const uint8_t *msg);
void hvh_chan_close_msg(struct hvh_srv *s, const uint8_t *msg);
void hvh_chan_modify_msg(struct hvh_srv *s, const uint8_t *msg);
/* Stop and join the worker (rescind); the channel stays open. */
void hvh_chan_stop(struct hvh_chan *ch);
/* Stop the worker and close the channel (CLOSECHANNEL, reset). No-op if closed. */
void hvh_chan_close(struct hvh_chan *ch);
/*
 * Hostile mode: stop and join the worker of open channel @ch so the
 * caller owns its rings (a reply the worker was waiting to send is lost);
 * hvh_chan_resume() starts a new worker (0 or -errno).
 */
void hvh_chan_pause(struct hvh_chan *ch);
int hvh_chan_resume(struct hvh_chan *ch);
/* Set the channel's event flag for the guest (no ring rule applied). */
void hvh_chan_interrupt(struct hvh_chan *ch);

/* Wake the worker as a guest signal does (takes the channel lock only). */
void hvh_chan_kick(struct hvh_chan *ch);

/*
 * HvCallSignalEvent on a channel connection (HVH_SRV_CHANNEL_CONN(relid)):
 * count it, wake the worker.  VP thread, connection table read-locked, no
 * server lock.
 */
uint16_t hvh_chan_signal(struct partition *p, void *ctx, unsigned int vp, uint32_t id,
			 unsigned int flag);

/* ---- worker side (VSPs) ---- */

static inline void hvh_chan_count(struct hvh_chan *ch, enum hvh_chan_stat id, uint64_t n)
{
	__atomic_fetch_add(&ch->st[id], n, __ATOMIC_RELAXED);
}

static inline uint64_t hvh_chan_stat_get(struct hvh_chan *ch, enum hvh_chan_stat id)
{
	return __atomic_load_n(&ch->st[id], __ATOMIC_RELAXED);
}

/* True once a stop was requested: the VSP should return soon. */
bool hvh_chan_stopping(struct hvh_chan *ch);

/*
 * Send one packet (see hvh_ring_write()), waiting for outbound space as long
 * as needed.  Returns 0, -EMSGSIZE (can never fit), -ESHUTDOWN (stop
 * requested while waiting) or -EIO (the outbound ring is corrupt: the
 * channel is broken).  Any thread that may block (the worker or a VSP
 * thread, no server lock held); concurrent senders are serialised by
 * send_lock.  A waiting sender does not take the worker's wake-up: it
 * waits for the next guest signal (sig_seq) or a stop.
 */
int hvh_chan_send(struct hvh_chan *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
		  const struct hvh_ring_seg *seg, unsigned int nseg);

/* Log a problem with the guest's packets, at most a few times per channel. */
void hvh_chan_warn(struct hvh_chan *ch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* HVHOST_VMBUS_CHAN_H */
