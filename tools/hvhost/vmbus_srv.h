/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMBus server: the host side of the channel-management protocol
 * (include/hyperv/vmbus.h).  One per partition, reachable as p->vmbus.
 *
 * The guest posts channel messages (HVMSG_CHANNEL) to message connection 1
 * (and 4 for INITIATE_CONTACT >= 5.0); the server answers with SynIC
 * messages of type HVMSG_CHANNEL into SINT 2 of the connection's target VP.
 * Version negotiation, offers (echo devices), hot-add, rescind and relid
 * release, GPADLs, channels (vmbus_chan.h) with their rings (vmbus_ring.h)
 * and the echo VSP (vmbus_echo.c), MODIFYCHANNEL, UNLOAD.
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
 * Locking, in the order locks are taken:
 *   1. struct vmbus_server.lock: all server state (connection, devices,
 *      channel open/close state, GPADLs, outbox).  Taken by message
 *      handlers (posting VP's thread, connection table read-locked), the
 *      EOM hook (VP thread, no other lock) and control commands (main
 *      thread).  Channel workers NEVER take it: the server joins a worker
 *      while holding it (CLOSECHANNEL, rescind, reset).
 *   2. struct vmbus_chan.lock: a channel's stop/kick flags and target VP.
 *      Taken by the server (under 1), the channel's signal handler (VP
 *      thread, no server lock) and the worker.
 *   3. struct vp.lock (synic.c), innermost: synic_post() under 1,
 *      synic_signal() under 2 (so no interrupt reaches a VP after
 *      MODIFYCHANNEL moved the channel away); struct partition.lock is
 *      taken alone under 1 (GPADL page checks), never with a VP lock.
 *   Nothing takes the server lock under a channel or VP lock: synic_eom()
 *   calls the hook after dropping the VP lock.
 */
#ifndef HVHOST_VMBUS_SRV_H
#define HVHOST_VMBUS_SRV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "hyperv/vmbus.h"
#include "log.h"
#include "partition.h"
#include "vmbus_chan.h"

#define VMBUS_SRV_MAX_DEVICES	128	/* relids 1..128 */
#define VMBUS_SRV_MAX_GPADLS	256	/* created or being built, all channels */
#define VMBUS_SRV_GPADL_MAX_PAGES	262144	/* one GPADL: 1 GiB */
#define VMBUS_SRV_GPADL_TOTAL_PAGES	(4 * VMBUS_SRV_GPADL_MAX_PAGES)	/* all GPADLs */
#define VMBUS_SRV_OUTBOX_LEN	512	/* host -> guest messages waiting for a SINT queue */
#define VMBUS_SRV_NR_VERSIONS	8	/* entries of vmbus_srv_versions[] */
/* GPADL_CREATED / OPENCHANNEL_RESULT failure: STATUS_UNSUCCESSFUL. */
#define VMBUS_SRV_STATUS_FAIL	0xc0000001U
/* Guest -> host signal connection of a channel: relid | SINT 2 << 12. */
#define VMBUS_SRV_CHANNEL_CONN(relid)	(0x2000U + (relid))

/* The versions the server knows, oldest first (2.4 .. 5.3). */
extern const uint32_t vmbus_srv_versions[VMBUS_SRV_NR_VERSIONS];

struct vmbus_config {
	uint32_t versions;	/* bit i: accept vmbus_srv_versions[i] */
	uint32_t max_version;	/* accept nothing newer (VMBUS_MAKE_VERSION) */
	unsigned int echo;	/* echo devices offered from the start */
};

enum vmbus_dev_state {
	VMBUS_DEV_FREE,		/* relid unused (or released after a rescind) */
	VMBUS_DEV_ACTIVE,	/* a device; offered once the guest requests offers */
	VMBUS_DEV_RESCINDED,	/* rescind sent, waiting for RELID_RELEASED */
	VMBUS_DEV_RELEASED,	/* the guest gave the relid up; offered again next connection */
};

struct vmbus_dev {
	enum vmbus_dev_state state;
	bool offered;			/* OFFERCHANNEL sent on this connection */
	bool known;			/* ever held a device (FREE: "released") */
	struct hv_guid if_type;
	struct hv_guid if_instance;
	struct vmbus_chan chan;
};

/* A GPADL: its page list, complete when have == nr_pfns. */
struct vmbus_gpadl {
	struct vmbus_gpadl *next;
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
struct vmbus_outmsg {
	uint32_t vp;
	uint32_t size;
	bool deferred;			/* counted in vmbus_outbox_deferred */
	uint8_t msg[HV_MESSAGE_PAYLOAD_MAX];
};

struct vmbus_server {
	struct partition *p;
	pthread_mutex_t lock;		/* guards everything below */
	uint32_t versions;		/* struct vmbus_config */
	uint32_t max_version;
	/* The connection. */
	bool connected;
	uint32_t version;		/* negotiated, 0 when disconnected */
	unsigned int target_vp;		/* VP for host -> guest messages */
	unsigned int msg_sint;
	uint64_t monitor_page[2];	/* guest GPAs, recorded only */
	bool requested;			/* REQUESTOFFERS seen on this connection */
	/* Devices: relid = index + 1. */
	struct vmbus_dev dev[VMBUS_SRV_MAX_DEVICES];
	unsigned int echo_made;		/* echo devices created: instance GUID index */
	/* GPADLs, newest first. */
	struct vmbus_gpadl *gpadls;
	unsigned int nr_gpadls;
	uint64_t gpadl_pages;		/* nr_pfns of all of them, being built included */
	/* Outbox: out[(out_head + i) % VMBUS_SRV_OUTBOX_LEN], i < out_count (atomic stores). */
	struct vmbus_outmsg *out;
	unsigned int out_head;
	unsigned int out_count;
};

/* Defaults: every known version, maximum 5.3, no devices. */
void vmbus_config_default(struct vmbus_config *c);
/* "X.Y" naming a known version.  Returns 0 or -1. */
int vmbus_parse_version(const char *s, uint32_t *version);
/* "none", "all" or a comma-separated list of X.Y.  Returns 0 or -1. */
int vmbus_parse_versions(const char *s, uint32_t *mask);

/*
 * Create the server of @p (p->vmbus) and register message connections 1
 * and 4.  Returns 0 or -errno.
 */
int vmbus_server_create(struct partition *p, const struct vmbus_config *c);
/* Unregister and free p->vmbus (if any). */
void vmbus_server_destroy(struct partition *p);

/* Control commands (ctl.c's table): answers as in Documentation/hvhost.md. */
int vmbus_ctl_state(struct partition *p, char **argv, struct strbuf *sb);
int vmbus_ctl_max_version(struct partition *p, char **argv, struct strbuf *sb);
int vmbus_ctl_offer(struct partition *p, char **argv, struct strbuf *sb);
int vmbus_ctl_rescind(struct partition *p, char **argv, struct strbuf *sb);
int vmbus_ctl_chan(struct partition *p, char **argv, struct strbuf *sb);
int vmbus_ctl_gpadls(struct partition *p, char **argv, struct strbuf *sb);
/* vmbus-hostile CLASS[:VARIANT] [RELID] (vmbus_hostile.c). */
int vmbus_ctl_hostile(struct partition *p, char **argv, struct strbuf *sb);

/* ---- inside the server (vmbus_*.c); must hold the lock ---- */

/* The device @relid if it is offered on this connection (and not rescinded). */
struct vmbus_dev *vmbus_dev_offered(struct vmbus_server *s, uint32_t relid);
/* The device slot of @relid (any state), or NULL outside 1..MAX_DEVICES. */
struct vmbus_dev *vmbus_dev_get(struct vmbus_server *s, uint32_t relid);
/* Add an echo device on the lowest free relid (not offered).  Returns it, or 0. */
uint32_t vmbus_add_echo(struct vmbus_server *s);
/* Add an echo device and offer it if the guest has requested offers.  Relid or 0. */
int vmbus_hot_add(struct vmbus_server *s);
/* Rescind @relid (RESCIND_CHANNELOFFER if the guest has it).  Returns 0 or -1. */
int vmbus_rescind(struct vmbus_server *s, uint32_t relid);
/*
 * Send channel message @msg (@size bytes) to the connection's target VP:
 * appended to the outbox, which is then flushed (vmbus_outbox.c).
 */
void vmbus_send(struct vmbus_server *s, const void *msg, uint32_t size);
/* Move outbox messages into SINT queues while they have room. */
void vmbus_outbox_flush(struct vmbus_server *s);
/* Drop everything in the outbox (connection reset). */
void vmbus_outbox_clear(struct vmbus_server *s);
/* partition eom_hook: flush the outbox (takes the lock; no lock held on entry). */
void vmbus_outbox_eom(struct partition *p, unsigned int vp);
/* Count a protocol error and log @what at debug level. */
void vmbus_proto_error(struct vmbus_server *s, const char *what, uint32_t a);

void vmbus_gpadl_header(struct vmbus_server *s, const uint8_t *msg, uint32_t size);
void vmbus_gpadl_body(struct vmbus_server *s, const uint8_t *msg, uint32_t size);
void vmbus_gpadl_teardown(struct vmbus_server *s, const uint8_t *msg, uint32_t size);
/* Forget every GPADL (connection reset: channels closed first). */
void vmbus_gpadl_free_all(struct vmbus_server *s);
/* Forget the GPADLs of @relid (released after a rescind; none pinned). */
void vmbus_gpadl_free_relid(struct vmbus_server *s, uint32_t relid);
/* The created GPADL @handle, or NULL. */
struct vmbus_gpadl *vmbus_gpadl_find(struct vmbus_server *s, uint32_t handle);
/* Created GPADLs (not those still being built) of @relid, or of all relids (0). */
unsigned int vmbus_gpadl_count(struct vmbus_server *s, uint32_t relid);
/* Their pages. */
uint64_t vmbus_gpadl_pages(struct vmbus_server *s);

#endif /* HVHOST_VMBUS_SRV_H */
