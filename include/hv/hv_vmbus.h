/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_vmbus driver API: what VSC drivers (storvsc, netvsc, util, ...) use
 * to bind to VMBus devices.
 *
 * One struct vmbus_device exists per primary channel offer; it sits on the
 * "vmbus" bus, is named after the offer's instance GUID and carries the
 * modalias "vmbus:<class GUID bytes as 32 hex digits>", the same form
 * MODULE_DEVICE_TABLE(vmbus, ...) writes for struct hv_vmbus_device_id, so
 * udev/modprobe autoload works.
 *
 * Exported symbols carry the vmbus_ prefix; the only kernel module that
 * exports the same names is the distro hv_vmbus this module replaces.
 */
#ifndef _HV_HV_VMBUS_H
#define _HV_HV_VMBUS_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/uuid.h>

#include <hyperv/vmbus_ring.h>

/* Opaque: drivers never look inside a channel. */
struct vmbus_channel;

/*
 * A VMBus device.  All fields are read-only for drivers and stable from
 * probe until remove returns.
 */
struct vmbus_device {
	struct device dev;
	guid_t class_id;		/* offer interface type */
	guid_t device_id;		/* offer interface instance */
	struct vmbus_channel *channel;	/* the primary channel */
	const char *driver_override;	/* sysfs driver_override, under device_lock */
};

static inline struct vmbus_device *to_vmbus_device(struct device *dev)
{
	return container_of(dev, struct vmbus_device, dev);
}

/*
 * A VMBus driver.
 *
 * @name: driver name (also what driver_override compares with).
 * @id_table: class GUIDs the driver binds to, ended by an all-zero entry.
 *	The bus matches a device whose class GUID is in the table, unless
 *	the device's driver_override names another driver.
 * @probe: bind to @vdev; @id is the matching table entry (NULL when the
 *	device was bound through driver_override alone).  Process context,
 *	may sleep.  Return 0 or a negative errno; on an error the device
 *	stays unbound.
 * @remove: unbind.  Called when the driver unregisters, the device is
 *	rescinded by the host, or hv_vmbus unloads; the channel must not be
 *	used once it returns.  Process context, may sleep.
 */
struct vmbus_driver {
	const char *name;
	const struct hv_vmbus_device_id *id_table;
	int (*probe)(struct vmbus_device *vdev, const struct hv_vmbus_device_id *id);
	void (*remove)(struct vmbus_device *vdev);
	struct device_driver driver;	/* private to hv_vmbus */
};

static inline struct vmbus_driver *to_vmbus_driver(struct device_driver *drv)
{
	return container_of(drv, struct vmbus_driver, driver);
}

/*
 * Register @drv: it is bound at once to every existing matching device
 * and later to matching hot-added ones.  Returns 0 or a negative errno
 * (-EINVAL for a driver without name, id table or probe).  Process
 * context.  Use the vmbus_driver_register() wrapper.
 */
int __vmbus_driver_register(struct vmbus_driver *drv, struct module *owner,
			    const char *mod_name);
#define vmbus_driver_register(drv) \
	__vmbus_driver_register(drv, THIS_MODULE, KBUILD_MODNAME)

/*
 * Unregister @drv: every bound device is unbound (remove called) before
 * this returns.  Process context.
 */
void vmbus_driver_unregister(struct vmbus_driver *drv);

/* ====================================================================== */
/* Channels: GPADLs, open/close, sending, receiving                         */
/* ====================================================================== */

/*
 * Contexts.  Every function below that may sleep says "process context".
 * The send functions may be called from any context (they never sleep);
 * several senders on one channel are serialized inside hv_vmbus.  The
 * receive functions (vmbus_rx_next / vmbus_rx_done) belong to the
 * channel's single reader: its callback, or code the driver serializes
 * with it (e.g. a NAPI poll).
 *
 * A channel that the host rescinds stays valid until the device's remove
 * returns (the driver closes it there); from the rescind on, sends fail
 * with -ENODEV and every sleeping call returns -ENODEV promptly.
 */

/* ---- GPADLs ----------------------------------------------------------- */

/* A buffer shared with the host.  Filled by vmbus_gpadl_create(). */
struct vmbus_gpadl {
	u32 handle;		/* 0 when not created */
	void *buf;
	u32 size;
};

/*
 * Share @buf (@size bytes) with the host through @chan.  @buf must be
 * page aligned and lie in the linear map (kmalloc, alloc_pages) or in
 * vmalloc space; @size is a non-zero multiple of PAGE_SIZE (a 64 MiB
 * buffer is fine).  Process context.
 *
 * Returns 0 (the host accepted it; @gpadl filled in), -EINVAL (bad
 * arguments), -ENOMEM, -ENODEV (channel rescinded or bus going away), -EIO
 * (the host refused it; it holds no reference) or -ETIMEDOUT (no answer
 * in time: the host MAY STILL USE THE PAGES, the caller must never free
 * or reuse them; hv_vmbus logs the leak).
 */
int vmbus_gpadl_create(struct vmbus_channel *chan, void *buf, u32 size,
		       struct vmbus_gpadl *gpadl);

/*
 * Take @gpadl back from the host.  Process context.
 *
 * Returns 0 when the host has confirmed (GPADL_TORNDOWN) or the bus
 * connection is gone (the host dropped every GPADL with it): the caller
 * may free the buffer.  Any error (-ETIMEDOUT, -EIO) means the host MAY
 * STILL USE THE PAGES: the caller must leak the buffer.  A rescinded
 * channel's GPADLs are still torn down normally.
 */
int vmbus_gpadl_teardown(struct vmbus_channel *chan, struct vmbus_gpadl *gpadl);

/* ---- Open / close ----------------------------------------------------- */

/*
 * How the channel callback runs when the host signals the channel.
 * VMBUS_CB_TASKLET (default): in a per-channel tasklet on the channel's
 *	target CPU, with the inbound ring's interrupt mask set for the
 *	duration (the host does not interrupt while we drain); after the
 *	callback hv_vmbus unmasks and runs it again if packets arrived in
 *	between.
 * VMBUS_CB_ISR (NAPI style): in the interrupt handler on the target CPU,
 *	with nothing masked; the driver typically calls vmbus_chan_mask(),
 *	schedules its poll, and there calls vmbus_chan_unmask().
 */
enum vmbus_cb_mode {
	VMBUS_CB_TASKLET = 0,
	VMBUS_CB_ISR,
};

struct vmbus_open_params {
	u32 send_ring_size;	/* bytes incl. control page; page multiple, >= 2 pages */
	u32 recv_ring_size;	/* same, host -> guest */
	/* Largest inbound packet accepted, descriptor included; 0 = 4096. */
	u32 max_pkt_size;	/* larger packets are dropped and counted */
	u32 max_requests;	/* outstanding requests with completion (1..65536) */
	const void *user_data;	/* OPENCHANNEL user data, may be NULL */
	u32 user_data_len;	/* <= 120 */
	enum vmbus_cb_mode cb_mode;
	void (*callback)(struct vmbus_channel *chan, void *ctx);	/* required */
	void *ctx;
};

/*
 * Open @chan: allocate and share the rings, send OPENCHANNEL and wait for
 * the result (at most VMBUS_OPEN_TIMEOUT_MS).  The target CPU is chosen
 * among the online CPUs, spreading channels.  The callback may run as
 * soon as this returns 0 (not before).  Process context.
 *
 * Returns 0, -EINVAL (bad params), -EBUSY (already open), -ENOMEM,
 * -ENODEV (rescinded, or rescinded while opening), -EIO (the host
 * refused: status logged) or -ETIMEDOUT.  On failure nothing stays
 * allocated except rings the host may still hold (logged, leaked).
 */
int vmbus_channel_open(struct vmbus_channel *chan, const struct vmbus_open_params *p);

/*
 * Close @chan (a primary: its open subchannels first): no callback runs
 * once this returns, CLOSECHANNEL is sent, the ring GPADL torn down and
 * the rings freed (or leaked if the host does not give them back).  Requests still outstanding are forgotten:
 * their completions will never be delivered.  Safe on a channel that is
 * not open (no-op) and on a rescinded one.  Process context.
 */
void vmbus_channel_close(struct vmbus_channel *chan);

/* ---- Sending ----------------------------------------------------------- */

/*
 * Send flags: VMBUS_SEND_COMPLETION asks the host for a completion;
 * hv_vmbus then allocates a request id (the packet's trans_id) bound to
 * @req, a non-NULL pointer the driver gets back with the completion.
 * Without it @req is ignored and trans_id is 0.
 */
#define VMBUS_SEND_COMPLETION	0x1

/*
 * Give up on the outstanding request @req (sent with
 * VMBUS_SEND_COMPLETION), e.g. when a command timed out: its id is freed,
 * and a completion the host sends for it later is dropped and counted
 * (comp_unknown), never delivered.  Returns true when @req was
 * outstanding.  Any context.
 */
bool vmbus_cancel_request(struct vmbus_channel *chan, void *req);

/*
 * Send @len bytes as one VMBUS_PKT_DATA_INBAND packet.  Any context.
 * Returns 0, -EAGAIN (the ring has no room now: see vmbus_wait_writable),
 * -EBUSY (no free request id), -EMSGSIZE (can never fit the ring),
 * -EINVAL, -ENODEV (rescinded or not open) or -EIO (ring broken).
 */
int vmbus_send_inband(struct vmbus_channel *chan, const void *buf, u32 len,
		      u32 flags, void *req);

/* One range of guest memory for a GPA-direct packet. */
struct vmbus_gpa_desc {
	u32 byte_count;
	u32 byte_offset;	/* into the first page, < PAGE_SIZE */
	u32 nr_pfns;		/* == pages spanned by offset + count */
	const u64 *pfns;
};

/*
 * Send @len payload bytes with @nr ranges as one
 * VMBUS_PKT_DATA_GPA_DIRECT packet ("page buffers": many one-page
 * ranges; "multipage buffer": one range of many pages).  Same contract
 * and returns as vmbus_send_inband().
 */
int vmbus_send_gpa(struct vmbus_channel *chan, const struct vmbus_gpa_desc *ranges,
		   u32 nr, const void *buf, u32 len, u32 flags, void *req);

/*
 * Describe @size bytes at @kbuf (linear map or vmalloc) as one range in
 * @desc, writing its PFNs to @pfns (room for at least
 * vmbus_pages_spanned(kbuf, size)).  Returns 0 or -EINVAL.
 */
int vmbus_gpa_from_buf(const void *kbuf, u32 size, u64 *pfns, struct vmbus_gpa_desc *desc);
u32 vmbus_pages_spanned(const void *kbuf, u32 size);

/*
 * Sleep until the outbound ring has room for a packet of @pkt_len bytes
 * (descriptor and payload, as the send would build it), asking the host
 * to signal (pending_send_sz).  Returns 0, -ETIMEDOUT, -EMSGSIZE, -ENODEV
 * or -ERESTARTSYS.  Process context.
 */
int vmbus_wait_writable(struct vmbus_channel *chan, u32 pkt_len, unsigned int timeout_ms);

/* Bytes a send of @payload_len bytes with @nr_pfns PFNs in @nr ranges needs. */
u32 vmbus_pkt_len_inband(u32 payload_len);
u32 vmbus_pkt_len_gpa(u32 nr_ranges, u32 nr_pfns, u32 payload_len);

/* ---- Receiving --------------------------------------------------------- */

/*
 * One received packet: a private copy, checked (lengths, offsets,
 * alignment, GPA-direct/transfer-page headers), valid until the next
 * vmbus_rx_next() or vmbus_rx_done() on the channel.
 */
struct vmbus_packet {
	u16 type;		/* enum vmbus_pkt_type */
	u16 flags;		/* VMBUS_PKT_FLAG_* */
	u64 trans_id;
	const void *raw;	/* the whole packet, descriptor first */
	u32 raw_len;		/* length8 * 8 */
	const void *data;	/* payload: raw + data_offset8 * 8 */
	u32 data_len;		/* (length8 - data_offset8) * 8, padding included */
	void *req;		/* VMBUS_PKT_COMP only: the @req of the send */
};

/*
 * Take the next packet.  Returns 1 (one in @pkt), 0 (ring empty) or
 * -EIO (the ring is corrupt: the channel is marked broken, sends and
 * receives fail from now on, logged once).  A completion whose trans_id
 * is not an outstanding request id (unknown, stale, duplicate) and a
 * packet larger than max_pkt_size or malformed are skipped and counted
 * (sysfs), never returned.  Reader context only (see above).
 */
int vmbus_rx_next(struct vmbus_channel *chan, struct vmbus_packet *pkt);

/*
 * Publish what vmbus_rx_next() consumed (the read index) and signal the
 * host if it waits for that space.  Call once after a batch.
 */
void vmbus_rx_done(struct vmbus_channel *chan);

/*
 * VMBUS_CB_ISR drivers: mask / unmask host interrupts for the inbound
 * ring.  vmbus_chan_unmask() returns true when packets are already
 * waiting (the driver must poll again: no interrupt will come for them).
 */
void vmbus_chan_mask(struct vmbus_channel *chan);
bool vmbus_chan_unmask(struct vmbus_channel *chan);

/* ---- Subchannels ----------------------------------------------------- */

/*
 * A device may have subchannels: channels the host offers with the
 * primary's type and instance and a subchannel index 1..n, usually after
 * the driver asked for them in the device protocol (storvsc's
 * CREATE_SUB_CHANNELS, the echo device's HVECHO_OP_SUBCHANNELS).  Each is
 * opened, used and closed with the functions above, with its own rings,
 * callback and target CPU (spread like primaries).
 *
 * @offer: a subchannel of the device arrived, or existed when the ops
 *	were set (each live subchannel is reported once, in index order).
 *	Process context, with the device's subchannel lock held: it may
 *	open @sub; it must not call vmbus_subchan_set_ops(),
 *	vmbus_channel_close() on the primary, or wait for other offers.
 * @rescind: optional.  The host took @sub back: sends on it already
 *	fail with -ENODEV.  The driver stops using it before returning;
 *	hv_vmbus closes it afterwards if it is still open.  Same context.
 *
 * Lifetime: a subchannel pointer from @offer stays valid (as memory: a
 * rescinded one only fails every call) until the ops are cleared: by
 * vmbus_subchan_set_ops(vdev, NULL, NULL), or by the bus right before
 * the driver's remove runs (no callback runs during remove) -- then
 * until remove returns.
 */
struct vmbus_subchan_ops {
	void (*offer)(struct vmbus_channel *sub, void *ctx);
	void (*rescind)(struct vmbus_channel *sub, void *ctx);
};

/*
 * Set the subchannel callbacks of @vdev (@ops with a non-NULL @offer),
 * reporting the subchannels already offered; or clear them (@ops NULL),
 * after which the driver must not use subchannels it was given.  Process
 * context, typically in probe; not from the callbacks.  Returns 0 or
 * -EINVAL.
 */
int vmbus_subchan_set_ops(struct vmbus_device *vdev, const struct vmbus_subchan_ops *ops,
			  void *ctx);

/* Subchannel index of @chan: 0 for a primary. */
u16 vmbus_chan_subchan_index(const struct vmbus_channel *chan);

/*
 * Note: vmbus_channel_close() of a primary first closes every open
 * subchannel of the device (the host wants subchannels closed first).
 */

/* ---- Signalling ------------------------------------------------------ */

/*
 * A channel the host offered with a monitor id (MNF) is signalled by
 * setting its bit in the guest -> host monitor page, which the host
 * polls at the channel's latency (batching signals, no hypercall), unless
 * the driver asks for low latency: then every signal is a
 * HvCallSignalEvent.  No effect on channels without a monitor id.  Any
 * context.
 */
void vmbus_chan_set_low_latency(struct vmbus_channel *chan, bool on);
/* True when signals of @chan go through the monitor page now. */
bool vmbus_chan_uses_mnf(const struct vmbus_channel *chan);

/* ---- Information ----------------------------------------------------- */

/* Relid of @chan; CPU its interrupts are directed to. */
u32 vmbus_chan_relid(const struct vmbus_channel *chan);
unsigned int vmbus_chan_target_cpu(const struct vmbus_channel *chan);
/* True once the host rescinded @chan. */
bool vmbus_chan_rescinded(const struct vmbus_channel *chan);

/* Timeouts (ms) hv_vmbus applies to host answers. */
#define VMBUS_OPEN_TIMEOUT_MS		10000
#define VMBUS_GPADL_TIMEOUT_MS		10000

#endif /* _HV_HV_VMBUS_H */
