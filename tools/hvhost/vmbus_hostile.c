// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile mode: `vmbus-hostile CLASS[:VARIANT] [RELID]` makes the host send
 * the guest ONE malformed or out-of-place thing now, so guest tests can
 * check that it is dropped, counted and survived (Documentation/hvhost.md
 * lists the classes and variants).  Every success is counted in
 * hostile_sent_<class>.
 *
 * The message classes go through the outbox like any channel message (or,
 * for oversize, straight into SINT 2's queue) and change no server state,
 * so the connection carries on.  The ring classes need an open channel:
 * its worker is paused (joined) so this thread owns the host -> guest
 * ring, the bad bytes or index are written, the guest is signalled, and
 * the worker is resumed when the guest can still use the ring (it skips a
 * bad packet); after a variant that breaks the ring for the guest the
 * worker stays stopped until the guest closes the channel.
 *
 * Context: control command (main thread or a VP thread for HOSTCTL); takes
 * the server lock, and under it the channel and VP locks (vmbus_srv.h).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "synic.h"
#include "util.h"
#include "vmbus_srv.h"

#define HOSTILE_RELID		2000	/* inside 1..VMBUS_RELID_MAX, never a device */
#define HOSTILE_GPADL		0xbad0badU
#define HOSTILE_OPEN_ID		0xbadU
#define HOSTILE_TID		0xbad0000000000000ULL
#define HOSTILE_PKT_MAX		64	/* bytes of one raw ring write */

struct hostile_ctx {
	struct hvh_srv *s;
	const char *variant;		/* after the ':', or NULL */
	bool have_relid;
	uint32_t relid;			/* the RELID argument, if any */
	struct strbuf *sb;
};

struct hostile_class {
	const char *name;
	enum stat_id stat;
	int (*fn)(struct hostile_ctx *c);
};

static int hostile_err(struct hostile_ctx *c, const char *what)
{
	sb_printf(c->sb, "error: %s", what);
	return -1;
}

/* Index of the variant in @names (NULL-terminated; none given = 0), or -1. */
static int hostile_variant(struct hostile_ctx *c, const char *const *names)
{
	int i;

	if (!c->variant)
		return 0;
	for (i = 0; names[i]; i++)
		if (!strcmp(c->variant, names[i]))
			return i;
	sb_printf(c->sb, "error: unknown variant '%.32s' (one of", c->variant);
	for (i = 0; names[i]; i++)
		sb_printf(c->sb, " %s", names[i]);
	sb_printf(c->sb, ")");
	return -1;
}

/* An unsigned 32-bit number (decimal or 0x hex). */
static int hostile_u32(const char *arg, uint32_t *out)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 0);
	if (*arg < '0' || *arg > '9' || *end || errno || n > UINT32_MAX)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

static uint32_t hostile_relid(const struct hostile_ctx *c, uint32_t dflt)
{
	return c->have_relid ? c->relid : dflt;
}

/* An OFFERCHANNEL for @relid; @d supplies the GUIDs, else a made-up echo device. */
static void hostile_offer(struct vmbus_chanmsg_offer *o, uint32_t relid,
			  const struct hvh_dev *d)
{
	static const struct hv_guid echo_class = VMBUS_CLASS_HVSTACK_ECHO;
	static const struct hv_guid fake = HV_GUID_INIT(0x1e7cbad0, 0xbad0, 0x4000, 0x80, 0x00,
							0x68, 0x6f, 0x73, 0x74, 0x69, 0x6c);

	memset(o, 0, sizeof(*o));
	o->hdr.msgtype = htole32(VMBUS_CHANMSG_OFFERCHANNEL);
	o->if_type = d ? d->if_type : echo_class;
	o->if_instance = d ? d->if_instance : fake;
	o->sub_channel_index = htole16(d ? d->sub_index : 0);
	o->child_relid = htole32(relid);
	o->monitor_id = VMBUS_MONITOR_ID_NONE;
	o->interrupt_flags = htole16(VMBUS_OFFER_DEDICATED_INTERRUPT);
	o->connection_id = htole32(HVH_SRV_CHANNEL_CONN(relid));
	if (d && d->monitored) {
		o->monitor_id = d->monitor_id;
		o->monitor_flags = VMBUS_OFFER_MONITOR_ALLOCATED;
	}
}

/* ---- channel-message classes ------------------------------------------- */

static int hostile_truncated(struct hostile_ctx *c)
{
	static const char *const v[] = { "offer", "openresult", "hdr", NULL };
	struct vmbus_chanmsg_open_result r;
	struct vmbus_chanmsg_offer o;

	switch (hostile_variant(c, v)) {
	case 0:		/* 100 of 196 bytes */
		hostile_offer(&o, hostile_relid(c, HOSTILE_RELID), NULL);
		hvh_msg_send(c->s, &o, 100);
		return 0;
	case 1:		/* 12 of 20 bytes */
		memset(&r, 0, sizeof(r));
		r.hdr.msgtype = htole32(VMBUS_CHANMSG_OPENCHANNEL_RESULT);
		r.child_relid = htole32(hostile_relid(c, HOSTILE_RELID));
		hvh_msg_send(c->s, &r, 12);
		return 0;
	case 2:		/* 4 bytes: not even a header */
		hostile_offer(&o, HOSTILE_RELID, NULL);
		hvh_msg_send(c->s, &o, 4);
		return 0;
	}
	return -1;
}

static int hostile_oversize(struct hostile_ctx *c)
{
	struct vmbus_chanmsg_relid m;
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX];
	uint32_t size = 255;
	uint16_t st;

	if (c->variant && (hostile_u32(c->variant, &size) || size <= HV_MESSAGE_PAYLOAD_MAX ||
			   size > 255))
		return hostile_err(c, "oversize:SIZE needs 241..255");
	/* A rescind of a relid nobody has: visible in the guest's log if it were taken. */
	memset(payload, 0, sizeof(payload));
	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = htole32(VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	m.child_relid = htole32(hostile_relid(c, HOSTILE_RELID + 1));
	memcpy(payload, &m, sizeof(m));
	st = synic_post_bad_size(c->s->p, c->s->target_vp, VMBUS_MESSAGE_SINT, HVMSG_CHANNEL,
				 payload, (uint8_t)size);
	if (st != HV_STATUS_SUCCESS) {
		sb_printf(c->sb, "error: SINT 2 of vp %u refused it: status 0x%04x",
			  c->s->target_vp, st);
		return -1;
	}
	return 0;
}

static int hostile_unknown(struct hostile_ctx *c)
{
	struct vmbus_chanmsg_relid m;
	uint32_t type = 99;

	if (c->variant && hostile_u32(c->variant, &type))
		return hostile_err(c, "unknown:TYPE needs a number");
	if (type && type < VMBUS_CHANMSG_COUNT)
		return hostile_err(c, "unknown:TYPE must be 0 or >= 25 (not a known type)");
	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = htole32(type);
	m.child_relid = htole32(hostile_relid(c, HOSTILE_RELID));
	hvh_msg_send(c->s, &m, sizeof(m));
	return 0;
}

static int hostile_badrelid(struct hostile_ctx *c)
{
	static const char *const v[] = { "rescind", "openresult", "gpadlcreated",
					 "gpadltorndown", "modifyresponse", NULL };
	uint32_t relid = hostile_relid(c, HOSTILE_RELID), m[5];
	uint32_t size = 16;

	memset(m, 0, sizeof(m));
	switch (hostile_variant(c, v)) {
	case 0:		/* struct vmbus_chanmsg_relid */
		m[0] = htole32(VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
		m[2] = htole32(relid);
		size = 12;
		break;
	case 1:		/* struct vmbus_chanmsg_open_result */
		m[0] = htole32(VMBUS_CHANMSG_OPENCHANNEL_RESULT);
		m[2] = htole32(relid);
		m[3] = htole32(HOSTILE_OPEN_ID);
		size = 20;
		break;
	case 2:		/* struct vmbus_chanmsg_gpadl_created */
		m[0] = htole32(VMBUS_CHANMSG_GPADL_CREATED);
		m[2] = htole32(relid);
		m[3] = htole32(HOSTILE_GPADL);
		size = 20;
		break;
	case 3:		/* struct vmbus_chanmsg_gpadl_torndown: a handle, no relid */
		m[0] = htole32(VMBUS_CHANMSG_GPADL_TORNDOWN);
		m[2] = htole32(c->have_relid ? c->relid : HOSTILE_GPADL);
		size = 12;
		break;
	case 4:		/* struct vmbus_chanmsg_modifychannel_response */
		m[0] = htole32(VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE);
		m[2] = htole32(relid);
		break;
	default:
		return -1;
	}
	hvh_msg_send(c->s, m, size);
	return 0;
}

/* The lowest relid offered on this connection, or 0. */
static uint32_t hostile_live_relid(struct hvh_srv *s)
{
	uint32_t relid;

	for (relid = 1; relid <= HVH_SRV_MAX_CHANNELS; relid++)
		if (hvh_dev_offered(s, relid))
			return relid;
	return 0;
}

static int hostile_outoforder(struct hostile_ctx *c)
{
	static const char *const v[] = { "version", "unload", "alloffers", "dupoffer",
					 "relid0", "relidbig", NULL };
	struct vmbus_chanmsg_version_response r;
	struct vmbus_chanmsg_hdr h;
	struct vmbus_chanmsg_offer o;
	uint32_t relid;

	memset(&h, 0, sizeof(h));
	switch (hostile_variant(c, v)) {
	case 0:
		memset(&r, 0, sizeof(r));
		r.hdr.msgtype = htole32(VMBUS_CHANMSG_VERSION_RESPONSE);
		r.version_supported = 1;
		hvh_msg_send(c->s, &r, sizeof(r));
		return 0;
	case 1:
		h.msgtype = htole32(VMBUS_CHANMSG_UNLOAD_RESPONSE);
		hvh_msg_send(c->s, &h, sizeof(h));
		return 0;
	case 2:
		h.msgtype = htole32(VMBUS_CHANMSG_ALLOFFERS_DELIVERED);
		hvh_msg_send(c->s, &h, sizeof(h));
		return 0;
	case 3:		/* the very offer the guest has, again */
		relid = hostile_relid(c, hostile_live_relid(c->s));
		if (!hvh_dev_offered(c->s, relid))
			return hostile_err(c, "dupoffer needs a relid the guest was offered");
		hostile_offer(&o, relid, hvh_dev_get(c->s, relid));
		hvh_msg_send(c->s, &o, sizeof(o));
		return 0;
	case 4:
	case 5:
		relid = !strcmp(c->variant, "relid0") ? 0 : hostile_relid(c, VMBUS_RELID_MAX + 1);
		hostile_offer(&o, relid, NULL);
		hvh_msg_send(c->s, &o, sizeof(o));
		return 0;
	}
	return -1;
}

/* ---- ring classes ------------------------------------------------------- */

/* The open channel named by RELID, its worker paused; NULL (and the error) if none. */
static struct hvh_chan *hostile_chan(struct hostile_ctx *c)
{
	struct hvh_dev *d = c->have_relid ? hvh_dev_offered(c->s, c->relid) : NULL;

	if (!c->have_relid) {
		hostile_err(c, "this class needs the RELID of an open channel");
		return NULL;
	}
	if (!d || !d->chan.open) {
		sb_printf(c->sb, "error: relid %u is not an open channel", c->relid);
		return NULL;
	}
	if (!d->chan.running) {
		sb_printf(c->sb, "error: relid %u: its worker is stopped (ring already broken)",
			  c->relid);
		return NULL;
	}
	hvh_chan_pause(&d->chan);
	return &d->chan;
}

/* Signal the guest, then give the ring back to a new worker if @resume. */
static int hostile_chan_done(struct hostile_ctx *c, struct hvh_chan *ch, bool resume)
{
	hvh_chan_interrupt(ch);
	if (resume && hvh_chan_resume(ch))
		return hostile_err(c, "cannot restart the channel worker");
	return 0;
}

static int hostile_ring_index(struct hostile_ctx *c)
{
	static const char *const v[] = { "beyond", "unaligned", NULL };
	struct hvh_chan *ch;
	int which = hostile_variant(c, v);

	if (which < 0)
		return -1;
	ch = hostile_chan(c);
	if (!ch)
		return -1;
	if (which == 0)
		hvh_ring_poke_write_index(&ch->out, ch->out.size + HV_PAGE_SIZE);
	else
		hvh_ring_poke_write_index(&ch->out, (ch->out.priv + 12) % ch->out.size);
	return hostile_chan_done(c, ch, false);
}

/*
 * Build a raw packet in @buf: descriptor, @body_len zero bytes, trailer.
 * Returns the bytes to write.
 */
static uint32_t hostile_pkt(uint8_t *buf, const struct hvh_ring *out, uint16_t type,
			    uint16_t doff8, uint16_t len8, uint32_t body_len, uint64_t tid)
{
	struct vmbus_pkt_desc d = {
		.type = htole16(type),
		.data_offset8 = htole16(doff8),
		.length8 = htole16(len8),
		.trans_id = htole64(tid),
	};
	uint64_t trailer = htole64((uint64_t)out->priv << 32);
	uint32_t n = sizeof(d) + body_len;

	memset(buf, 0, HOSTILE_PKT_MAX);
	memcpy(buf, &d, sizeof(d));
	memcpy(buf + n, &trailer, sizeof(trailer));
	return n + sizeof(trailer);
}

/* Write packet @buf (@len bytes) on a paused channel; see hostile_chan_done(). */
static int hostile_ring_put(struct hostile_ctx *c, struct hvh_chan *ch, const uint8_t *buf,
			    uint32_t len, bool resume)
{
	int rc = hvh_ring_write_raw(&ch->out, buf, len);

	if (rc) {
		hvh_chan_resume(ch);
		sb_printf(c->sb, "error: relid %u: the packet was not written (%d)", ch->relid, rc);
		return -1;
	}
	return hostile_chan_done(c, ch, resume);
}

static int hostile_ring_desc(struct hostile_ctx *c)
{
	static const char *const v[] = { "offset", "short", "long", "type", NULL };
	int which = hostile_variant(c, v);
	uint8_t buf[HOSTILE_PKT_MAX];
	struct hvh_chan *ch;
	uint32_t len;

	if (which < 0)
		return -1;
	ch = hostile_chan(c);
	if (!ch)
		return -1;
	switch (which) {
	case 0:		/* data_offset8 < 2: skipped by the guest */
		len = hostile_pkt(buf, &ch->out, VMBUS_PKT_DATA_INBAND, 1, 3, 8, 0);
		break;
	case 1:		/* length8 < data_offset8: skipped */
		len = hostile_pkt(buf, &ch->out, VMBUS_PKT_DATA_INBAND, 3, 2, 0, 0);
		break;
	case 2:		/* length8 far beyond what was published: the ring is broken */
		len = hostile_pkt(buf, &ch->out, VMBUS_PKT_DATA_INBAND, 2, 0x1000, 8, 0);
		break;
	default:	/* a type no packet has: skipped */
		len = hostile_pkt(buf, &ch->out, 0x55, 2, 3, 8, 0);
		break;
	}
	return hostile_ring_put(c, ch, buf, len, which != 2);
}

static int hostile_ring_gpa(struct hostile_ctx *c)
{
	static const char *const v[] = { "unknown", "huge", "norange", NULL };
	static uint64_t seq;
	int which = hostile_variant(c, v);
	uint8_t buf[HOSTILE_PKT_MAX];
	struct hvh_chan *ch;
	uint32_t len;

	if (which < 0)
		return -1;
	ch = hostile_chan(c);
	if (!ch)
		return -1;
	switch (which) {
	case 0:		/* a completion for a request id never issued */
		len = hostile_pkt(buf, &ch->out, VMBUS_PKT_COMP, 2, 3, 8, HOSTILE_TID + seq++);
		break;
	case 1:		/* a completion 512 KiB long: the ring is broken */
		len = hostile_pkt(buf, &ch->out, VMBUS_PKT_COMP, 2, 0xffff, 8, HOSTILE_TID);
		break;
	default:	/* GPA direct with range_count 0 (header: 8 bytes after the descriptor) */
		len = hostile_pkt(buf, &ch->out, VMBUS_PKT_DATA_GPA_DIRECT, 3, 4, 16, 0);
		break;
	}
	return hostile_ring_put(c, ch, buf, len, which != 1);
}

static const struct hostile_class hostile_classes[] = {
	{ "truncated", STAT_HOSTILE_TRUNCATED, hostile_truncated },
	{ "oversize", STAT_HOSTILE_OVERSIZE, hostile_oversize },
	{ "unknown", STAT_HOSTILE_UNKNOWN, hostile_unknown },
	{ "badrelid", STAT_HOSTILE_BADRELID, hostile_badrelid },
	{ "outoforder", STAT_HOSTILE_OUTOFORDER, hostile_outoforder },
	{ "ring-index", STAT_HOSTILE_RING_INDEX, hostile_ring_index },
	{ "ring-desc", STAT_HOSTILE_RING_DESC, hostile_ring_desc },
	{ "ring-gpa", STAT_HOSTILE_RING_GPA, hostile_ring_gpa },
};

static const struct hostile_class *hostile_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostile_classes); i++)
		if (strlen(hostile_classes[i].name) == len &&
		    !strncmp(hostile_classes[i].name, name, len))
			return &hostile_classes[i];
	return NULL;
}

int hvh_ctl_hostile(struct partition *p, char **argv, struct strbuf *sb)
{
	struct hostile_ctx c = { .s = p->vmbus, .sb = sb };
	const struct hostile_class *k;
	const char *colon = strchr(argv[1], ':');
	int rc;

	if (!c.s) {
		sb_printf(sb, "error: no VMBus server");
		return -1;
	}
	k = hostile_find(argv[1], colon ? (size_t)(colon - argv[1]) : strlen(argv[1]));
	if (!k) {
		sb_printf(sb, "error: usage: vmbus-hostile CLASS[:VARIANT] [RELID]; classes: truncated oversize unknown badrelid outoforder ring-index ring-desc ring-gpa");
		return -1;
	}
	c.variant = colon ? colon + 1 : NULL;
	if (argv[2]) {
		if (hostile_u32(argv[2], &c.relid)) {
			sb_printf(sb, "error: RELID must be a number");
			return -1;
		}
		c.have_relid = true;
	}
	pthread_mutex_lock(&c.s->lock);
	if (!c.s->connected) {
		pthread_mutex_unlock(&c.s->lock);
		sb_printf(sb, "error: the guest is not connected");
		return -1;
	}
	rc = k->fn(&c);
	pthread_mutex_unlock(&c.s->lock);
	if (rc)
		return -1;
	stat_inc(&p->stats, k->stat);
	hv_dbg("vmbus: hostile %s sent", argv[1]);
	sb_printf(sb, "ok");
	return 0;
}
