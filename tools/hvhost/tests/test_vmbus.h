/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the VMBus server tests: a test partition with a server, and
 * the guest's side of the channel-management protocol (post to connection
 * 1 / 4, read SINT 2 slots).
 */
#ifndef HVHOST_TESTS_TEST_VMBUS_H
#define HVHOST_TESTS_TEST_VMBUS_H

#include "../vmbus_srv.h"
#include "hyperv/hvecho.h"
#include "hyperv/vmbus_ring.h"
#include "unit.h"

/* tp_init + SynIC on for every VP + a server with @c (NULL = defaults). */
void vt_init(struct tp *t, unsigned int nr_vps, const struct hvh_config *c);
/* vt_init() with the default configuration and @echo echo devices. */
void vt_init_echo(struct tp *t, unsigned int nr_vps, unsigned int echo);
void vt_fini(struct tp *t);
/* Post channel message @msg (@size bytes) to connection @conn from VP 0. */
uint16_t vt_post(struct tp *t, uint32_t conn, const void *msg, uint32_t size);
/* Post a message that is only a header of type @type to connection 1. */
uint16_t vt_post_hdr(struct tp *t, uint32_t type);
/*
 * Take the next message from SINT 2 of VP @vp into @m; returns its channel
 * message type, or -1 if the slot is empty (checks the SynIC type).
 */
int vt_recv(struct tp *t, unsigned int vp, struct hv_message *m);
/*
 * INITIATE_CONTACT for @version targeting VP @target, posted to the right
 * connection; returns version_supported from the response read on VP
 * @reply_vp (the response must be there), *@conn_id its msg_conn_id.
 */
int vt_contact(struct tp *t, uint32_t version, uint32_t target, unsigned int reply_vp,
	       uint32_t *conn_id);
/* Contact at @version on VP 0, REQUESTOFFERS, consume @nr offers + ALLOFFERS. */
void vt_connect_at(struct tp *t, uint32_t version, unsigned int nr);
/* vt_connect_at() version 5.3. */
void vt_connect(struct tp *t, unsigned int nr);
/* The `vmbus-state` answer. */
const char *vt_state(struct tp *t);
/* Run control command @cmd, expect return code @rc; the answer (static buffer). */
const char *vt_ctl_answer(struct tp *t, const char *cmd, int rc);
/* The `vmbus-chan RELID` answer (must succeed). */
const char *vt_chan(struct tp *t, uint32_t relid);
/* Counter @key of the `vmbus-chan RELID` answer (-1 if absent). */
long long vt_chan_key(struct tp *t, uint32_t relid, const char *key);
/* Value of key @key in a one-line k=v answer @line (-1 if absent). */
long long vt_key(const char *line, const char *key);

/* ---- channels (tests/test_vmbus_guest.c) ---- */

/*
 * Post a GPADL_HEADER: @handle for @relid, one range of @byte_count bytes
 * from @byte_offset, range_buflen @buflen (8 + 8 * PFNs, cut to 16 bits,
 * unless testing), and the @carry PFNs at @pfn (at most 26).
 */
void vt_gpadl_header(struct tp *t, uint32_t relid, uint32_t handle, uint32_t byte_offset,
		     uint32_t byte_count, uint16_t buflen, const uint64_t *pfn, uint32_t carry);
/* Post a GPADL_BODY for @handle with the @n PFNs at @pfn (at most 28). */
void vt_gpadl_body(struct tp *t, uint32_t handle, const uint64_t *pfn, uint32_t n);
/*
 * The next message, if it is GPADL_CREATED (checked to be 16 bytes, for
 * @relid and @handle): its status; -1 if it is not.
 */
long vt_gpadl_created(struct tp *t, uint32_t relid, uint32_t handle);

/*
 * GPADL @handle for @relid over @n PFNs (one range: @byte_offset,
 * @byte_count; byte_count 0 = n whole pages), header and bodies; returns
 * the GPADL_CREATED status, or -1 when no answer came.
 */
long vt_gpadl(struct tp *t, uint32_t relid, uint32_t handle, const uint64_t *pfn, uint32_t n,
	      uint32_t byte_offset, uint32_t byte_count);
/* OPENCHANNEL; returns the OPENCHANNEL_RESULT status (open_id checked). */
uint32_t vt_open(struct tp *t, uint32_t relid, uint32_t gpadl, uint32_t down, uint32_t vp);
void vt_close(struct tp *t, uint32_t relid);
/* Post a relid-only message (CLOSECHANNEL, RELID_RELEASED). */
void vt_relid_msg(struct tp *t, uint32_t type, uint32_t relid);
/*
 * GPADL_TEARDOWN; returns 1 if GPADL_TORNDOWN (of @handle, 12 bytes) came
 * back, 0 if nothing.
 */
int vt_teardown(struct tp *t, uint32_t relid, uint32_t handle);
/* HvCallSignalEvent from VP 0 on connection @conn; returns the status. */
uint16_t vt_signal(struct tp *t, uint32_t conn);

/* The guest's view of one ring (control page + data pages) in test RAM. */
#define GRING_MAX_PAGES	64
struct gring {
	struct vmbus_ring_ctl *ctl;
	uint8_t *page[GRING_MAX_PAGES];
	uint32_t size;
	uint32_t feature_bits;
};

/* The ring over @pfn[0] (control) and @pfn[1 .. n - 1] (data), indices 0. */
void gring_init(struct gring *g, struct tp *t, const uint64_t *pfn, uint32_t n);
/* The same over plain pages (no partition). */
void gring_init_pages(struct gring *g, void *ctl, uint8_t **pages, uint32_t nr_data);
/*
 * Guest writer: @pkt (@len bytes, a multiple of 8, descriptor included)
 * and its trailer.  Returns 1 (the host must be signalled), 0 (not), -1
 * (no room).
 */
int gring_put(struct gring *g, const void *pkt, uint32_t len);
/*
 * Guest reader: the next packet into @buf (descriptor included); returns
 * its length (length8 * 8) or 0 when empty.  Publishes read_index;
 * *@signal: the host must be signalled (its pending_send_sz was crossed).
 */
uint32_t gring_get(struct gring *g, void *buf, uint32_t size, bool *signal);
/*
 * GPADL @handle over the @n pages @pfn, then OPENCHANNEL of @relid with the
 * first @g2h of them guest -> host and interrupts to VP @vp (both must
 * succeed); the guest's view of the two rings into @out and @in.
 */
void vt_ring_open(struct tp *t, uint32_t relid, uint32_t handle, const uint64_t *pfn,
		  uint32_t n, uint32_t g2h, uint32_t vp, struct gring *out, struct gring *in);
/* gring_put() that must find room; its answer (1: the host must be signalled). */
int vt_ring_put(struct gring *g, const void *pkt, uint32_t len);
/* vt_ring_put(), then HvCallSignalEvent on @relid's connection if the rules say so. */
void vt_ring_send(struct tp *t, uint32_t relid, struct gring *g, const void *pkt, uint32_t len);
/*
 * The next packet of @g into @buf (@size bytes), polling every millisecond
 * for up to @timeout_ms (0: look once) and signalling @relid's connection
 * whenever the guest must (the host waits for space).  Its length or 0.
 */
uint32_t vt_ring_get(struct tp *t, uint32_t relid, struct gring *g, void *buf, uint32_t size,
		     unsigned int timeout_ms);
/*
 * Build a packet in @buf: descriptor (@type, @flags, @tid), @hdr_len bytes
 * of @hdr (type-specific header, a multiple of 8), @len bytes of @data,
 * padding.  Returns its length.
 */
uint32_t vt_pkt(void *buf, uint16_t type, uint16_t flags, uint64_t tid, const void *hdr,
		uint32_t hdr_len, const void *data, uint32_t len);

/* ---- an open echo channel as the guest sees it (tests/test_vmbus_guest.c) ---- */

#define VCHAN_WAIT_MS	5000

struct vchan {
	struct tp *t;
	uint32_t relid;
	struct gring g2h;	/* the guest writes */
	struct gring h2g;	/* the guest reads */
	uint8_t buf[4096];	/* the last packet received */
	uint32_t len;
};

/*
 * GPADL (handle 0x100 + @relid) over the @n pages from PFN @base, then
 * OPENCHANNEL with the first @g2h pages guest -> host, interrupts to VP 0.
 * The server's messages must all have been read before.
 */
void vchan_open(struct vchan *c, struct tp *t, uint32_t relid, uint64_t base, uint32_t n,
		uint32_t g2h);
/*
 * Write an inband hvecho request (@flags, @tid; header @op, @len, @arg;
 * @len bytes of @data).  Returns 1 if the ring rules say the host must be
 * signalled, else 0.
 */
int vchan_put(struct vchan *c, uint16_t flags, uint64_t tid, uint32_t op, uint32_t len,
	      uint64_t arg, const void *data);
/* vchan_put(), then HvCallSignalEvent on the channel's connection if needed. */
void vchan_req(struct vchan *c, uint16_t flags, uint64_t tid, uint32_t op, uint32_t len,
	       uint64_t arg, const void *data);
/*
 * Wait (VCHAN_WAIT_MS at most) for the next packet into c->buf and check
 * it is of @type with @tid; returns its hvecho header.
 */
struct hvecho_hdr vchan_answer(struct vchan *c, uint16_t type, uint64_t tid);
/* Sleep @ms milliseconds. */
void vt_sleep_ms(unsigned int ms);

#endif /* HVHOST_TESTS_TEST_VMBUS_H */
