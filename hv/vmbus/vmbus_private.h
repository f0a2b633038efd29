/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_vmbus private state.  Wire formats: include/hyperv/vmbus.h; driver
 * API: include/hv/hv_vmbus.h; core API below us: include/hv/hv_core.h.
 *
 * Files: main.c (module init/exit, parameters), connection.c (SINT 2,
 * posting, version negotiation, UNLOAD), chanmsg.c (host message intake:
 * validation and dispatch), offer.c (channel objects, offers, rescind,
 * relid release), bus.c (bus_type, matching, driver API), sysfs.c
 * (attributes).
 *
 * Contexts and locking, in one place:
 *
 * - Host messages arrive in hard interrupt context (hv_common's SINT
 *   callback, a private copy).  chanmsg.c checks type and length there,
 *   copies the message into a work item and queues it: replies the
 *   connection waits for (VERSION_RESPONSE, UNLOAD_RESPONSE) on
 *   vmbus_conn.reply_wq; offers, rescinds and ALLOFFERS_DELIVERED on the
 *   ordered vmbus_conn.chan_wq, which keeps the host's order (a rescind
 *   always follows its offer) and may block (device registration, driver
 *   probe/remove).  A driver's probe may therefore wait for a reply
 *   without deadlock: replies never queue behind offers.
 *
 * - vmbus_conn.lock (mutex) guards the channel table and the connection
 *   state against the channel work and module exit.  Lock order:
 *   vmbus_conn.lock -> device_lock (device_register/unregister run under
 *   it).  Driver callbacks never take vmbus_conn.lock.
 *
 * - vmbus_conn.reply_lock (spinlock) guards the single outstanding
 *   connection-level request (reply_type / reply_buf).
 */
#ifndef _VMBUS_PRIVATE_H
#define _VMBUS_PRIVATE_H

#include <linux/types.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <hyperv/vmbus.h>
#include <hv/hv_core.h>
#include <hv/hv_vmbus.h>

/* Waits, in milliseconds. */
#define VMBUS_REPLY_TIMEOUT_MS		10000	/* VERSION_RESPONSE, UNLOAD_RESPONSE */
#define VMBUS_OFFERS_TIMEOUT_MS		60000	/* ALLOFFERS_DELIVERED */

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
	struct xarray channels;		/* relid -> struct vmbus_channel */
	unsigned int nr_offers;		/* channels in the table */
};

extern struct vmbus_connection vmbus_conn;

/* Channel states; the numbers are what sysfs "state" shows. */
enum vmbus_chan_state {
	VMBUS_CHAN_OFFERED = 0,
};

/*
 * A channel, created from an offer, destroyed after its rescind (or at
 * module exit).  The offer copy is immutable after creation.
 */
struct vmbus_channel {
	struct vmbus_chanmsg_offer offer;	/* validated copy */
	u32 relid;
	u16 subchan_index;
	enum vmbus_chan_state state;
	struct vmbus_device *vdev;	/* primary: its device; NULL for subchannels */
};

/* main.c */
extern unsigned int vmbus_max_version;

/* connection.c */
int vmbus_connection_init(void);
void vmbus_connection_uninit(void);
int vmbus_connect(void);
void vmbus_disconnect(void);
int vmbus_post(const void *msg, u32 len);
const char *vmbus_chanmsg_name(u32 type);

/* chanmsg.c */
void vmbus_chanmsg_isr(unsigned int sint, const struct hv_message *msg, void *ctx);
void vmbus_reply_arrived(const void *msg, u32 len);

/* offer.c */
void vmbus_handle_offer(const struct vmbus_chanmsg_offer *msg);
void vmbus_handle_rescind(const struct vmbus_chanmsg_relid *msg);
void vmbus_handle_alloffers(void);
void vmbus_remove_all_channels(void);

/* bus.c */
int vmbus_bus_init(void);
void vmbus_bus_uninit(void);
int vmbus_device_add(struct vmbus_channel *chan);
void vmbus_device_del(struct vmbus_channel *chan);

/* sysfs.c */
extern const struct attribute_group *vmbus_dev_groups[];
extern const struct attribute_group *vmbus_bus_groups[];

#endif /* _VMBUS_PRIVATE_H */
