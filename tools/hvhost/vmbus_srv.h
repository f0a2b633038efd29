/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMBus server: the host side of the channel-management protocol
 * (include/hyperv/vmbus.h).  One per partition, reachable as p->vmbus.
 *
 * The guest posts channel messages (HVMSG_CHANNEL) to message connection 1
 * (and 4 for INITIATE_CONTACT >= 5.0); the server answers with SynIC
 * messages of type HVMSG_CHANNEL into SINT 2 of the connection's target VP.
 * Version negotiation, offers (echo devices and their subchannels,
 * vmbus_offer.c, vmbus_sub.c), hot-add, rescind and relid release, GPADLs,
 * channels (vmbus_chan.h) with their rings (vmbus_ring.h) and the echo VSP
 * (vmbus_echo.c), monitored notification (vmbus_mnf.c), MODIFYCHANNEL,
 * UNLOAD.
 *
 * Relids: 1..HVH_SRV_MAX_CHANNELS, one slot each (struct hvh_dev).  A
 * slot holds a primary channel (a device: sub_index 0, primary = its own
 * relid) or a subchannel of one (sub_index 1.., primary = the primary's
 * relid, same interface type and instance).  At most
 * HVH_SRV_MAX_DEVICES slots hold primaries.  Subchannels exist only on
 * the connection that asked for them: a reset frees their slots.
 *
 * Every message is copied out of the hypercall input once, then checked for
 * its type's minimum length before any field is read.  A malformed message
 * (not HVMSG_CHANNEL, shorter than its type's minimum, unknown or
 * unsupported type) is dropped and counted (stat vmbus_malformed); a
 * well-formed message that does not fit the state (REQUESTOFFERS before
 * contact, a BODY for an unknown GPADL...) is dropped and counted as
 * vmbus_protocol_errors.  HvCallPostMessage returns SUCCESS for both: the
 * hypercall only transports.  The one exception: with a maximum version
 * below 5.0 the server behaves like a host without connection 4, so every
 * post to connection 4 gets INVALID_CONNECTION_ID.
 *
 * Host -> guest messages go through the server's outbox (vmbus_outbox.c):
 * a FIFO that feeds synic_post() while the target SINT queue has room and
 * is refilled from the EOM hook, so a burst longer than the 64-deep SINT
 * queue (128 offers) is delivered in order, nothing dropped.
 *
 * Locking.  Every lock of hvhost, in the order they are taken (a thread
 * only takes a lock below the ones it holds; Documentation/hvhost.md has
 * the same list):
 *   1. struct conn_table.lock (rwlock, partition.h): read-held by
 *      conn_post() / conn_signal() around a connection's handler (VP
 *      threads), so handlers run under it; write-held by
 *      conn_register() / conn_unregister() with no other lock.
 *   2. struct hvh_srv.lock: all server state (connection, slots, channel
 *      open/close state, GPADLs, outbox, monitor id pool).  Taken by the
 *      message handlers (under 1), the EOM hook (VP thread, nothing held:
 *      synic_eom() calls it after dropping the VP lock) and control
 *      commands (main thread, or a VP thread for HOSTCTL; nothing held).
 *      The server joins channel workers while holding it (CLOSECHANNEL,
 *      rescind, reset, hostile pause), so a worker never BLOCKS on it: the
 *      workers that need it (hvh_sub_request(): the echo VSP's SUBCHANNELS,
 *      VSTOR's CREATE_SUB_CHANNELS) take it with hvh_srv_lock_worker(), a
 *      trylock loop that gives up as soon as the channel is asked to stop
 *      (the request then goes unanswered), and drop it before answering.
 *   3. struct storvsp.lock (storvsp.h): taken under 2 by VSP hooks and
 *      control commands, alone by workers and I/O threads; nothing is
 *      taken under it.
 *   4. struct hvh_mnf.lock: the monitor poller's state (page, id ->
 *      channel map, open count).  Taken by the server (under 2) and the
 *      poller thread (alone), which the server joins only at destruction,
 *      without 2.
 *   5. struct hvh_chan.send_lock: the writers of a channel's outbound ring
 *      (hvh_chan_send(): workers, storvsp I/O threads), with nothing held.
 *   6. struct hvh_chan.lock: a channel's stop/kick flags, signal count and
 *      target VP.  Taken by the server (under 2), the channel's signal
 *      handler (under 1), the poller (under 4), senders (under 5) and the
 *      worker (alone).
 *   7. struct vp.lock (synic.c): synic_post() under 2 (outbox, hostile
 *      mode) or 1 (test services), synic_signal() under 6 (so no interrupt
 *      reaches a VP after MODIFYCHANNEL moved the channel away) or 1, the
 *      GPADL host-page check under 2; nothing is taken under it.
 *   8. struct partition.lock (partition.h): taken alone, or under 2 by the
 *      GPADL host-page check; never together with a VP lock.
 *   9. struct scsi_target.lock (scsi_disk.h): taken alone (I/O threads) or
 *      under 2 (control commands); nothing is taken under it.
 */
#ifndef HVHOST_VMBUS_SRV_H
#define HVHOST_VMBUS_SRV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hyperv/vmbus.h"
#include "log.h"
#include "partition.h"
#include "storvsp.h"
#include "vmbus_chan.h"

#define HVH_SRV_MAX_CHANNELS		256	/* relids 1..256: primaries and subchannels */
#define HVH_SRV_MAX_DEVICES		128	/* primaries among them */
#define HVH_SRV_MAX_SUB			64	/* a device's maximum subchannels: 0..64 */
#define HVH_SRV_DEFAULT_SUB		8	/* ... unless configured */
#define HVH_SRV_MNF_LATENCY_MAX		100000	/* --vmbus-mnf-latency-us: 1..100000 us */
#define HVH_SRV_MNF_LATENCY_DEFAULT	100
#define HVH_SRV_MAX_GPADLS		256	/* created or being built, all channels */
#define HVH_SRV_GPADL_MAX_PAGES		262144	/* one GPADL: 1 GiB */
#define HVH_SRV_GPADL_TOTAL_PAGES	(4 * HVH_SRV_GPADL_MAX_PAGES)	/* all GPADLs */
#define HVH_SRV_OUTBOX_LEN		512	/* host -> guest messages waiting for a SINT queue */
#define HVH_SRV_NR_VERSIONS		8	/* entries of hvh_srv_versions[] */
/* GPADL_CREATED / OPENCHANNEL_RESULT failure: STATUS_UNSUCCESSFUL. */
#define HVH_SRV_STATUS_FAIL		0xc0000001U
/* Guest -> host signal connection of a channel: relid | SINT 2 << 12. */
#define HVH_SRV_CHANNEL_CONN(relid)	(0x2000U + (relid))

/* The versions the server knows, oldest first (2.4 .. 5.3). */
extern const uint32_t hvh_srv_versions[HVH_SRV_NR_VERSIONS];

/* One echo device of the config file (vmbus_config.c). */
struct hvh_dev_config {
	unsigned int max_sub;	/* subchannels at most, 0..HVH_SRV_MAX_SUB */
	bool mnf;		/* monitored notification */
};

struct storvsp_config;
struct storvsp;

struct hvh_config {
	uint32_t versions;	/* bit i: accept hvh_srv_versions[i] */
	uint32_t max_version;	/* accept nothing newer (VMBUS_MAKE_VERSION) */
	unsigned int echo;	/* --vmbus-echo: echo devices on relids 1..echo */
	unsigned int echo_sub;	/* their maximum subchannels (also for hot-added ones) */
	bool mnf;		/* they are monitored (also hot-added ones) */
	unsigned int mnf_latency_us;	/* monitor page latency and poll interval */
	unsigned int nr_file;	/* config file devices, after the echo ones */
	struct hvh_dev_config file[HVH_SRV_MAX_DEVICES];
	/* SCSI controllers (--scsi, then the config file's), after all echo devices. */
	unsigned int nr_scsi;
	struct storvsp_config *scsi;	/* malloc'd: hvh_config_release() */
};

enum hvh_dev_state {
	HVH_DEV_FREE,		/* relid unused (or released after a rescind) */
	HVH_DEV_ACTIVE,		/* a device; offered once the guest requests offers */
	HVH_DEV_RESCINDED,	/* rescind sent, waiting for RELID_RELEASED */
	HVH_DEV_RELEASED,	/* the guest gave the relid up; offered again next connection */
};

/*
 * A relid slot: a primary channel (a device) or a subchannel.  Must hold
 * the server lock.  A subchannel never reaches HVH_DEV_RELEASED: its
 * RELID_RELEASED frees the slot.
 */
struct hvh_dev {
	enum hvh_dev_state state;
	bool offered;			/* OFFERCHANNEL sent on this connection */
	bool known;			/* ever held a channel (FREE: "released") */
	bool monitored;			/* offered with monitor_id on this connection */
	uint8_t monitor_id;		/* held from the pool, VMBUS_MONITOR_ID_NONE: none */
	uint16_t sub_index;		/* 0: primary */
	uint32_t primary;		/* relid of the primary (own relid for a primary) */
	unsigned int max_sub;		/* primary: its subchannels at most */
	bool mnf;			/* primary: it and its subchannels are monitored */
	struct hv_guid if_type;
	struct hv_guid if_instance;
	struct hvh_chan chan;
};

/*
 * The monitor poller (vmbus_mnf.c): while at least one monitored channel
 * is open it looks at the guest -> host monitor page's pending words every
 * latency_ns and turns each set bit into a signal of the channel holding
 * that monitor id.
 */
struct hvh_mnf {
	pthread_t thread;
	bool started;			/* thread created (server creation) */
	uint64_t latency_ns;		/* fixed at creation */
	pthread_mutex_t lock;		/* guards the rest; lock order: vmbus_srv.h */
	pthread_cond_t cond;		/* the poller sleeps here while nothing is open */
	bool stop;
	struct vmbus_monitor_page *page;	/* this connection's guest -> host page, or NULL */
	struct hvh_chan *chan[VMBUS_MONITOR_IDS];	/* open channel polled under each id */
	unsigned int nr_open;		/* non-NULL entries of chan[] */
	unsigned int warned;		/* spurious bits logged */
};

/* A GPADL: its page list, complete when have == nr_pfns. */
struct hvh_gpadl {
	struct hvh_gpadl *next;
	uint32_t handle;
	uint32_t relid;
	uint32_t byte_count;		/* of the single range */
	uint32_t byte_offset;		/* into the first page */
	uint32_t nr_pfns;		/* pages spanned by byte_offset + byte_count */
	uint32_t have;			/* PFNs received so far */
	bool pinned;			/* the rings of an open channel */
	uint64_t pfn[];			/* each checked against guest RAM */
};

/* A host -> guest message waiting in the outbox. */
struct hvh_outmsg {
	uint32_t vp;
	uint32_t size;
	bool deferred;			/* counted in vmbus_outbox_deferred */
	uint8_t msg[HV_MESSAGE_PAYLOAD_MAX];
};

struct hvh_srv {
	struct partition *p;
	pthread_mutex_t lock;		/* guards everything below */
	uint32_t versions;		/* struct hvh_config */
	uint32_t max_version;
	/* The connection. */
	bool connected;
	uint32_t version;		/* negotiated, 0 when disconnected */
	unsigned int target_vp;		/* VP for host -> guest messages */
	unsigned int msg_sint;
	uint64_t monitor_page[2];	/* guest GPAs: host -> guest, guest -> host; 0 = none */
	bool requested;			/* REQUESTOFFERS seen on this connection */
	/* Slots: relid = index + 1. */
	struct hvh_dev dev[HVH_SRV_MAX_CHANNELS];
	unsigned int echo_made;		/* echo devices created: instance GUID index */
	uint32_t scsi_made;		/* SCSI controllers created: instance GUID index */
	unsigned int hot_max_sub;	/* settings of hot-added echo devices */
	bool hot_mnf;
	/* Monitor ids: bit i of mon_used[i / 32] set = id i held by a slot. */
	uint32_t mon_used[VMBUS_MONITOR_GROUPS];
	uint16_t mon_latency;		/* written into the monitor page, 100 ns units */
	bool mon_exhausted_logged;
	struct hvh_mnf mnf;
	/* GPADLs, newest first. */
	struct hvh_gpadl *gpadls;
	unsigned int nr_gpadls;
	uint64_t gpadl_pages;		/* nr_pfns of all of them, being built included */
	/* Outbox: out[(out_head + i) % HVH_SRV_OUTBOX_LEN], i < out_count (atomic stores). */
	struct hvh_outmsg *out;
	unsigned int out_head;
	unsigned int out_count;
};

/* ---- configuration (vmbus_config.c) ---- */

/*
 * Defaults: every known version, maximum 5.3, no devices, 8 subchannels
 * and no MNF for --vmbus-echo devices, MNF latency 100 us.
 */
void hvh_config_default(struct hvh_config *c);
/* "X.Y" naming a known version.  Returns 0 or -1. */
int hvh_parse_version(const char *s, uint32_t *version);
/* "none", "all" or a comma-separated list of X.Y.  Returns 0 or -1. */
int hvh_parse_versions(const char *s, uint32_t *mask);
/*
 * Read a config file (format: Documentation/hvhost.md) from @f, named
 * @name in messages: its devices are appended to @c (after c->echo and
 * c->nr_file devices), its max-version / versions statements set @c's.
 * Returns 0, or -1 with "NAME:LINE: reason" in @err (@c then partly
 * updated).
 */
int hvh_config_parse(struct hvh_config *c, const char *name, FILE *f, char *err,
		     size_t errsz);
/* The same for file @path ("PATH: reason" if it cannot be read). */
int hvh_config_load(struct hvh_config *c, const char *path, char *err, size_t errsz);
/*
 * A new SCSI controller at the end of @c (storvsp_config_init() defaults),
 * or NULL (out of memory, or HVH_SRV_MAX_DEVICES devices in all).
 */
struct storvsp_config *hvh_config_new_scsi(struct hvh_config *c);
/* Free what @c allocated (its SCSI controllers). */
void hvh_config_release(struct hvh_config *c);

/*
 * Create the server of @p (p->vmbus) and register message connections 1
 * and 4.  Returns 0 or -errno.
 */
int hvh_srv_create(struct partition *p, const struct hvh_config *c);
/* Unregister and free p->vmbus (if any). */
void hvh_srv_destroy(struct partition *p);

/* Control commands (ctl.c's table): answers as in Documentation/hvhost.md. */
int hvh_ctl_state(struct partition *p, char **argv, struct strbuf *sb);
int hvh_ctl_max_version(struct partition *p, char **argv, struct strbuf *sb);
int hvh_ctl_offer(struct partition *p, char **argv, struct strbuf *sb);
int hvh_ctl_offer_sub(struct partition *p, char **argv, struct strbuf *sb);
int hvh_ctl_rescind(struct partition *p, char **argv, struct strbuf *sb);
int hvh_ctl_chan(struct partition *p, char **argv, struct strbuf *sb);
int hvh_ctl_gpadls(struct partition *p, char **argv, struct strbuf *sb);
/* vmbus-hostile CLASS[:VARIANT] [RELID] (vmbus_hostile.c). */
int hvh_ctl_hostile(struct partition *p, char **argv, struct strbuf *sb);

/* ---- inside the server (vmbus_*.c); must hold the lock ---- */

/* The slot @relid if it is offered on this connection (and not rescinded). */
struct hvh_dev *hvh_dev_offered(struct hvh_srv *s, uint32_t relid);
/* The slot of @relid (any state), or NULL outside 1..MAX_CHANNELS. */
struct hvh_dev *hvh_dev_get(struct hvh_srv *s, uint32_t relid);
/* Slots not FREE: primaries (devices) and subchannels. */
unsigned int hvh_count_primaries(struct hvh_srv *s);
unsigned int hvh_count_subs(struct hvh_srv *s);

/* ---- offers, rescind, release (vmbus_offer.c) ---- */

/*
 * Add an echo device with at most @max_sub subchannels, monitored if
 * @mnf, on the lowest free relid (not offered).  Returns it, or 0 (no
 * free relid, or HVH_SRV_MAX_DEVICES devices already).
 */
uint32_t hvh_add_echo(struct hvh_srv *s, unsigned int max_sub, bool mnf);
/*
 * Add a subchannel of primary @primary on the lowest free relid, index
 * after its highest (not offered).  Returns the relid or 0 (none free).
 */
uint32_t hvh_add_sub(struct hvh_srv *s, uint32_t primary);
/* Send OFFERCHANNEL for slot @relid (monitored if it can be). */
void hvh_offer_send(struct hvh_srv *s, uint32_t relid);
/* REQUESTOFFERS: every device, then ALLOFFERS_DELIVERED. */
void hvh_request_offers(struct hvh_srv *s);
/* Add an echo device and offer it if the guest has requested offers.  Relid or 0. */
int hvh_hot_add_echo(struct hvh_srv *s);
/*
 * Add SCSI controller @sp (storvsp.h; its reference passes to the slot)
 * on the lowest free relid, not offered.  Returns the relid, or 0 (no
 * room: @sp is still the caller's).
 */
uint32_t hvh_add_scsi(struct hvh_srv *s, struct storvsp *sp);
/* The same, offered at once if the guest has requested offers. */
uint32_t hvh_hot_add_scsi(struct hvh_srv *s, struct storvsp *sp);
/*
 * Rescind @relid (RESCIND_CHANNELOFFER if the guest has it); a primary's
 * subchannels first, in index order.  Returns 0 or -1 (no such channel).
 */
int hvh_rescind(struct hvh_srv *s, uint32_t relid);
void hvh_relid_released(struct hvh_srv *s, const uint8_t *msg);
/* Connection reset (channels closed, GPADLs gone): drop subchannels, forget offers. */
void hvh_offers_reset(struct hvh_srv *s);

/* ---- subchannels (vmbus_sub.c) ---- */

/*
 * Take the server lock from channel worker @ch without blocking for good:
 * 0 (locked), or -ESHUTDOWN once @ch is asked to stop (not locked).
 */
int hvh_srv_lock_worker(struct hvh_chan *ch);
/*
 * HVECHO_OP_SUBCHANNELS on channel @ch (worker thread, no lock held): the
 * primary wants @want subchannels in all.  Offers the missing ones up to
 * the maximum.  Returns 0 with *@have (subchannels offered now) and *@max,
 * -EOPNOTSUPP (a subchannel, or maximum 0), or -ESHUTDOWN (@ch is
 * stopping: do not answer).
 */
int hvh_sub_request(struct hvh_chan *ch, uint64_t want, uint32_t *have, uint32_t *max);
/*
 * `vmbus-offer-sub`: offer @n more subchannels of primary @primary now,
 * their relids into @relids.  Returns 0, -ENOENT (not an offered primary),
 * -ERANGE (past the maximum: *@have of *@max already) or -ENOSPC (not
 * enough free relids).
 */
int hvh_sub_host_offer(struct hvh_srv *s, uint32_t primary, unsigned int n,
		       uint32_t *relids, unsigned int *have, unsigned int *max);

/* ---- monitored notification (vmbus_mnf.c) ---- */

int hvh_mnf_init(struct hvh_srv *s, unsigned int latency_us);
/* Stop and join the poller (no server lock: it is never taken by the poller anyway). */
void hvh_mnf_fini(struct hvh_srv *s);
/* A monitor id from the pool for a new slot, or VMBUS_MONITOR_ID_NONE. */
uint8_t hvh_mnf_id_get(struct hvh_srv *s);
void hvh_mnf_id_put(struct hvh_srv *s, uint8_t id);
/* The connection's monitor pages are known (contact) / gone (reset). */
void hvh_mnf_connect(struct hvh_srv *s);
void hvh_mnf_reset(struct hvh_srv *s);
/*
 * Offer @o of slot @d (relid @relid) is about to be sent: if @d holds a
 * monitor id and the guest gave monitor pages, fill its latency and
 * parameter entries and enable its group in the guest -> host page, and
 * mark @o monitored.
 */
void hvh_mnf_offer(struct hvh_srv *s, struct hvh_dev *d, uint32_t relid,
		   struct vmbus_chanmsg_offer *o);
/* Channel @ch opened / closed with monitor id @id: poll it / stop. */
void hvh_mnf_attach(struct hvh_srv *s, uint8_t id, struct hvh_chan *ch);
void hvh_mnf_detach(struct hvh_srv *s, uint8_t id);
/*
 * Send channel message @msg (@size bytes) to the connection's target VP:
 * appended to the outbox, which is then flushed (vmbus_outbox.c).
 */
void hvh_msg_send(struct hvh_srv *s, const void *msg, uint32_t size);
/* A header-only message of @type. */
void hvh_msg_send_hdr(struct hvh_srv *s, uint32_t type);
/* Move outbox messages into SINT queues while they have room. */
void hvh_outbox_flush(struct hvh_srv *s);
/* Drop everything in the outbox (connection reset). */
void hvh_outbox_clear(struct hvh_srv *s);
/* partition eom_hook: flush the outbox (takes the lock; no lock held on entry). */
void hvh_outbox_eom(struct partition *p, unsigned int vp);
/* Count a protocol error and log @what at debug level. */
void hvh_proto_error(struct hvh_srv *s, const char *what, uint32_t a);

void hvh_gpadl_header(struct hvh_srv *s, const uint8_t *msg, uint32_t size);
void hvh_gpadl_body(struct hvh_srv *s, const uint8_t *msg, uint32_t size);
void hvh_gpadl_teardown(struct hvh_srv *s, const uint8_t *msg, uint32_t size);
/* Forget every GPADL (connection reset: channels closed first). */
void hvh_gpadl_free_all(struct hvh_srv *s);
/* Forget the GPADLs of @relid (released after a rescind; none pinned). */
void hvh_gpadl_free_relid(struct hvh_srv *s, uint32_t relid);
/* The created GPADL @handle, or NULL. */
struct hvh_gpadl *hvh_gpadl_find(struct hvh_srv *s, uint32_t handle);
/* Created GPADLs (not those still being built) of @relid, or of all relids (0). */
unsigned int hvh_gpadl_count(struct hvh_srv *s, uint32_t relid);
/* Their pages. */
uint64_t hvh_gpadl_pages(struct hvh_srv *s);

#endif /* HVHOST_VMBUS_SRV_H */
