// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's side of channels for the VMBus tests: GPADL, open, close,
 * teardown messages, channel signals, and a guest ring written
 * independently of the host's (byte by byte, Linux's signalling rules).
 */
#include <endian.h>
#include <string.h>
#include <time.h>

#include "../hypercall.h"
#include "test_vmbus.h"

void vt_gpadl_header(struct tp *t, uint32_t relid, uint32_t handle, uint32_t byte_offset,
		     uint32_t byte_count, uint16_t buflen, const uint64_t *pfn, uint32_t carry)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX] __attribute__((aligned(8)));
	struct vmbus_chanmsg_gpadl_header *h = (void *)buf;
	struct vmbus_gpa_range r = {
		.byte_count = htole32(byte_count),
		.byte_offset = htole32(byte_offset),
	};
	uint64_t le;
	uint32_t i;

	memset(buf, 0, sizeof(buf));
	h->hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_HEADER);
	h->child_relid = htole32(relid);
	h->gpadl = htole32(handle);
	h->range_buflen = htole16(buflen);
	h->range_count = htole16(1);
	memcpy(buf + 20, &r, sizeof(r));
	for (i = 0; i < carry && i < VMBUS_GPADL_HEADER_PFNS; i++) {
		le = htole64(pfn[i]);
		memcpy(buf + 28 + 8 * i, &le, 8);
	}
	CHECK_EQ(vt_post(t, 1, buf, 28 + 8 * i), HV_STATUS_SUCCESS);
}

void vt_gpadl_body(struct tp *t, uint32_t handle, const uint64_t *pfn, uint32_t n)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX] __attribute__((aligned(8)));
	struct vmbus_chanmsg_gpadl_body *b = (void *)buf;
	uint64_t le;
	uint32_t i;

	memset(buf, 0, sizeof(buf));
	b->hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_BODY);
	b->gpadl = htole32(handle);
	for (i = 0; i < n && i < VMBUS_GPADL_BODY_PFNS; i++) {
		le = htole64(pfn[i]);
		memcpy(buf + 16 + 8 * i, &le, 8);
	}
	CHECK_EQ(vt_post(t, 1, buf, 16 + 8 * i), HV_STATUS_SUCCESS);
}

long vt_gpadl_created(struct tp *t, uint32_t relid, uint32_t handle)
{
	const struct vmbus_chanmsg_gpadl_created *c;
	struct hv_message m;

	if (vt_recv(t, 0, &m) != VMBUS_CHANMSG_GPADL_CREATED)
		return -1;
	CHECK_EQ(m.header.payload_size, sizeof(*c));
	c = (const void *)m.payload;
	CHECK_EQ(le32toh(c->child_relid), relid);
	CHECK_EQ(le32toh(c->gpadl), handle);
	return le32toh(c->status);
}

long vt_gpadl(struct tp *t, uint32_t relid, uint32_t handle, const uint64_t *pfn, uint32_t n,
	      uint32_t byte_offset, uint32_t byte_count)
{
	uint32_t k = n < VMBUS_GPADL_HEADER_PFNS ? n : VMBUS_GPADL_HEADER_PFNS, b;

	vt_gpadl_header(t, relid, handle, byte_offset, byte_count ? byte_count : n * HV_PAGE_SIZE,
			(8 + 8 * n) & 0xffff, pfn, k);
	for (; k < n; k += b) {
		b = n - k < VMBUS_GPADL_BODY_PFNS ? n - k : VMBUS_GPADL_BODY_PFNS;
		vt_gpadl_body(t, handle, pfn + k, b);
	}
	return vt_gpadl_created(t, relid, handle);
}

uint32_t vt_open(struct tp *t, uint32_t relid, uint32_t gpadl, uint32_t down, uint32_t vp)
{
	const struct vmbus_chanmsg_open_result *r;
	struct vmbus_chanmsg_open o;
	struct hv_message m;

	memset(&o, 0, sizeof(o));
	o.hdr.msgtype = htole32(VMBUS_CHANMSG_OPENCHANNEL);
	o.child_relid = htole32(relid);
	o.open_id = htole32(0x1000 + relid);
	o.ring_gpadl = htole32(gpadl);
	o.target_vp = htole32(vp);
	o.downstream_page_offset = htole32(down);
	CHECK_EQ(vt_post(t, 1, &o, sizeof(o)), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(t, 0, &m), VMBUS_CHANMSG_OPENCHANNEL_RESULT);
	CHECK_EQ(m.header.payload_size, sizeof(*r));
	r = (const void *)m.payload;
	CHECK_EQ(le32toh(r->child_relid), relid);
	CHECK_EQ(le32toh(r->open_id), 0x1000 + relid);
	return le32toh(r->status);
}

void vt_relid_msg(struct tp *t, uint32_t type, uint32_t relid)
{
	struct vmbus_chanmsg_relid c = {
		.hdr.msgtype = htole32(type),
		.child_relid = htole32(relid),
	};

	CHECK_EQ(vt_post(t, 1, &c, sizeof(c)), HV_STATUS_SUCCESS);
}

void vt_close(struct tp *t, uint32_t relid)
{
	vt_relid_msg(t, VMBUS_CHANMSG_CLOSECHANNEL, relid);
}

int vt_teardown(struct tp *t, uint32_t relid, uint32_t handle)
{
	struct vmbus_chanmsg_gpadl_teardown d = {
		.hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_TEARDOWN),
		.child_relid = htole32(relid),
		.gpadl = htole32(handle),
	};
	struct hv_message m;
	int type;

	CHECK_EQ(vt_post(t, 1, &d, sizeof(d)), HV_STATUS_SUCCESS);
	type = vt_recv(t, 0, &m);
	if (type < 0)
		return 0;
	CHECK_EQ(type, VMBUS_CHANMSG_GPADL_TORNDOWN);
	CHECK_EQ(m.header.payload_size, sizeof(struct vmbus_chanmsg_gpadl_torndown));
	CHECK_EQ(le32toh(((struct vmbus_chanmsg_gpadl_torndown *)m.payload)->gpadl), handle);
	return 1;
}

uint16_t vt_signal(struct tp *t, uint32_t conn)
{
	uint64_t r = hypercall_exec(&t->p, 0, 0, hv_hc_control(HVCALL_SIGNAL_EVENT, 1, 0, 0, 0),
				    hv_signal_event_fast_input(conn, 0), 0, false);

	return hv_hc_result_status(r);
}

/* ---- the guest ring ---------------------------------------------------- */

void gring_init_pages(struct gring *g, void *ctl, uint8_t **pages, uint32_t nr_data)
{
	uint32_t i;

	CHECK(nr_data <= GRING_MAX_PAGES);
	memset(g, 0, sizeof(*g));
	g->ctl = ctl;
	for (i = 0; i < nr_data; i++)
		g->page[i] = pages[i];
	g->size = nr_data * HV_PAGE_SIZE;
}

void gring_init(struct gring *g, struct tp *t, const uint64_t *pfn, uint32_t n)
{
	uint8_t *pages[GRING_MAX_PAGES];
	uint32_t i;

	CHECK(n >= 2 && n - 1 <= GRING_MAX_PAGES);
	for (i = 1; i < n; i++)
		pages[i - 1] = t->ram + pfn[i] * HV_PAGE_SIZE;
	gring_init_pages(g, t->ram + pfn[0] * HV_PAGE_SIZE, pages, n - 1);
}

static uint8_t *gb(struct gring *g, uint32_t off)
{
	off %= g->size;
	return g->page[off / HV_PAGE_SIZE] + off % HV_PAGE_SIZE;
}

static void gcopy_to(struct gring *g, uint32_t off, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint32_t i;

	for (i = 0; i < len; i++)
		*gb(g, off + i) = s[i];
}

static void gcopy_from(struct gring *g, uint32_t off, void *dst, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t i;

	for (i = 0; i < len; i++)
		d[i] = *gb(g, off + i);
}

static uint32_t gload(__le32 *p)
{
	return le32toh(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

static void gstore(__le32 *p, uint32_t v)
{
	__atomic_store_n(p, htole32(v), __ATOMIC_RELEASE);
}

int gring_put(struct gring *g, const void *pkt, uint32_t len)
{
	uint32_t w = gload(&g->ctl->write_index), r = gload(&g->ctl->read_index);
	uint32_t used = (w + g->size - r) % g->size;
	uint64_t trailer = htole64((uint64_t)w << 32);

	if (g->size - used <= len + 8)
		return -1;
	gcopy_to(g, w, pkt, len);
	gcopy_to(g, w + len, &trailer, 8);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	gstore(&g->ctl->write_index, (w + len + 8) % g->size);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !gload(&g->ctl->interrupt_mask) && gload(&g->ctl->read_index) == w;
}

uint32_t gring_get(struct gring *g, void *buf, uint32_t size, bool *signal)
{
	uint32_t w = gload(&g->ctl->write_index), r = gload(&g->ctl->read_index);
	uint32_t len, pending, avail_now, write_sz;
	struct vmbus_pkt_desc d;

	*signal = false;
	if (w == r)
		return 0;
	gcopy_from(g, r, &d, sizeof(d));
	len = le16toh(d.length8) * 8;
	CHECK(len >= 16 && len <= size);
	gcopy_from(g, r, buf, len);
	r = (r + len + 8) % g->size;
	gstore(&g->ctl->read_index, r);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(gload(&g->ctl->feature_bits) & VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return len;
	pending = gload(&g->ctl->pending_send_sz);
	if (!pending)
		return len;
	/* Linux's hv_pkt_iter_close(): skip if there was room before, or is none now. */
	avail_now = (gload(&g->ctl->write_index) + g->size - r) % g->size;
	write_sz = g->size - avail_now;
	if (write_sz - (len + 8) > pending || write_sz <= pending)
		return len;
	*signal = true;
	return len;
}

void vt_ring_open(struct tp *t, uint32_t relid, uint32_t handle, const uint64_t *pfn,
		  uint32_t n, uint32_t g2h, uint32_t vp, struct gring *out, struct gring *in)
{
	CHECK_EQ(vt_gpadl(t, relid, handle, pfn, n, 0, 0), 0);
	CHECK_EQ(vt_open(t, relid, handle, g2h, vp), 0);
	gring_init(out, t, pfn, g2h);
	gring_init(in, t, pfn + g2h, n - g2h);
}

int vt_ring_put(struct gring *g, const void *pkt, uint32_t len)
{
	int rc = gring_put(g, pkt, len);

	CHECK(rc >= 0);
	return rc;
}

void vt_ring_send(struct tp *t, uint32_t relid, struct gring *g, const void *pkt, uint32_t len)
{
	if (vt_ring_put(g, pkt, len))
		CHECK_EQ(vt_signal(t, HVH_SRV_CHANNEL_CONN(relid)), HV_STATUS_SUCCESS);
}

uint32_t vt_ring_get(struct tp *t, uint32_t relid, struct gring *g, void *buf, uint32_t size,
		     unsigned int timeout_ms)
{
	unsigned int waited = 0;
	uint32_t len;
	bool signal;

	for (;;) {
		len = gring_get(g, buf, size, &signal);
		if (signal)
			CHECK_EQ(vt_signal(t, HVH_SRV_CHANNEL_CONN(relid)), HV_STATUS_SUCCESS);
		if (len || waited >= timeout_ms)
			return len;
		vt_sleep_ms(1);
		waited++;
	}
}

uint32_t vt_pkt(void *buf, uint16_t type, uint16_t flags, uint64_t tid, const void *hdr,
		uint32_t hdr_len, const void *data, uint32_t len)
{
	struct vmbus_pkt_desc d;
	uint32_t total = (16 + hdr_len + len + 7) & ~7U;

	memset(buf, 0, total);
	d.type = htole16(type);
	d.data_offset8 = htole16((16 + hdr_len) / 8);
	d.length8 = htole16(total / 8);
	d.flags = htole16(flags);
	d.trans_id = htole64(tid);
	memcpy(buf, &d, sizeof(d));
	if (hdr_len)
		memcpy((uint8_t *)buf + 16, hdr, hdr_len);
	if (len)
		memcpy((uint8_t *)buf + 16 + hdr_len, data, len);
	return total;
}

/* ---- an open echo channel ----------------------------------------------- */

void vt_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void vchan_open(struct vchan *c, struct tp *t, uint32_t relid, uint64_t base, uint32_t n,
		uint32_t g2h)
{
	uint64_t pfn[GRING_MAX_PAGES];
	uint32_t i;

	CHECK(n <= GRING_MAX_PAGES);
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->relid = relid;
	for (i = 0; i < n; i++)
		pfn[i] = base + i;
	vt_ring_open(t, relid, 0x100 + relid, pfn, n, g2h, 0, &c->g2h, &c->h2g);
}

int vchan_put(struct vchan *c, uint16_t flags, uint64_t tid, uint32_t op, uint32_t len,
	      uint64_t arg, const void *data)
{
	uint8_t req[1024], pkt[1100];
	struct hvecho_hdr h = { .op = htole32(op), .len = htole32(len), .arg = htole64(arg) };

	CHECK(len <= sizeof(req) - sizeof(h));
	memcpy(req, &h, sizeof(h));
	if (len)
		memcpy(req + sizeof(h), data, len);
	return vt_ring_put(&c->g2h, pkt, vt_pkt(pkt, VMBUS_PKT_DATA_INBAND, flags, tid, NULL, 0,
						req, (uint32_t)sizeof(h) + len));
}

void vchan_req(struct vchan *c, uint16_t flags, uint64_t tid, uint32_t op, uint32_t len,
	       uint64_t arg, const void *data)
{
	if (vchan_put(c, flags, tid, op, len, arg, data))
		CHECK_EQ(vt_signal(c->t, HVH_SRV_CHANNEL_CONN(c->relid)), HV_STATUS_SUCCESS);
}

struct hvecho_hdr vchan_answer(struct vchan *c, uint16_t type, uint64_t tid)
{
	const struct vmbus_pkt_desc *d = (const void *)c->buf;
	unsigned int waited;
	struct hvecho_hdr h;

	for (waited = 0;; waited++) {
		c->len = vt_ring_get(c->t, c->relid, &c->h2g, c->buf, sizeof(c->buf), 0);
		if (c->len)
			break;
		CHECK(waited < VCHAN_WAIT_MS);
		vt_sleep_ms(1);
	}
	CHECK_EQ(le16toh(d->type), type);
	CHECK_EQ(le64toh(d->trans_id), tid);
	CHECK(c->len >= le16toh(d->data_offset8) * 8U + sizeof(h));
	memcpy(&h, c->buf + le16toh(d->data_offset8) * 8, sizeof(h));
	return h;
}
