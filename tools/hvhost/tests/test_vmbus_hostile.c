// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile mode (vmbus_hostile.c): what each class puts into SINT 2 or the
 * host -> guest ring, its counter, refusals, and that the server and the
 * channel carry on where they should.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "../stats.h"
#include "hyperv/hvecho.h"
#include "test_vmbus.h"

#define RING_BASE	0x40
#define WAIT_MS		5000

/* Run `vmbus-hostile @args`, expect @rc. */
static const char *hostile(struct tp *t, const char *args, int rc)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "vmbus-hostile %s", args);
	return vt_ctl_answer(t, cmd, rc);
}

/* The next SINT 2 message of VP 0, raw: its channel type, *@size its payload_size. */
static uint32_t raw_recv(struct tp *t, uint32_t *size, struct hv_message *m)
{
	tp_consume(t, 0, HV_SINT_VMBUS, m);
	CHECK_EQ(le32toh(m->header.message_type), HVMSG_CHANNEL);
	*size = m->header.payload_size;
	return le32toh(((const struct vmbus_chanmsg_hdr *)m->payload)->msgtype);
}

static uint32_t payload_u32(const struct hv_message *m, unsigned int off)
{
	uint32_t v;

	memcpy(&v, m->payload + off, sizeof(v));
	return le32toh(v);
}

/* Send @args, expect one message of @type and @size in SINT 2; returns it in @m. */
static void expect_msg(struct tp *t, const char *args, uint32_t type, uint32_t size,
		       struct hv_message *m)
{
	uint32_t got;

	CHECK(!strcmp(hostile(t, args, 0), "ok"));
	CHECK_EQ(raw_recv(t, &got, m), type);
	CHECK_EQ(got, size);
}

static void hostile_messages(void)
{
	struct hv_message m;
	char before[256];
	struct tp t;

	vt_init_echo(&t, 1, 2);
	CHECK(!strncmp(hostile(&t, "truncated", -1), "error: the guest is not connected", 33));
	vt_connect(&t, 2);
	snprintf(before, sizeof(before), "%s", vt_state(&t));
	expect_msg(&t, "truncated", VMBUS_CHANMSG_OFFERCHANNEL, 100, &m);
	expect_msg(&t, "truncated:openresult", VMBUS_CHANMSG_OPENCHANNEL_RESULT, 12, &m);
	expect_msg(&t, "truncated:hdr", VMBUS_CHANMSG_OFFERCHANNEL, 4, &m);
	expect_msg(&t, "oversize", VMBUS_CHANMSG_RESCIND_CHANNELOFFER, 255, &m);
	expect_msg(&t, "oversize:241", VMBUS_CHANMSG_RESCIND_CHANNELOFFER, 241, &m);
	CHECK_EQ(payload_u32(&m, 8), 2001);
	expect_msg(&t, "unknown", 99, 12, &m);
	expect_msg(&t, "unknown:0", 0, 12, &m);
	expect_msg(&t, "unknown:0xffffffff", 0xffffffff, 12, &m);
	expect_msg(&t, "badrelid:rescind", VMBUS_CHANMSG_RESCIND_CHANNELOFFER, 12, &m);
	CHECK_EQ(payload_u32(&m, 8), 2000);
	expect_msg(&t, "badrelid:openresult 7", VMBUS_CHANMSG_OPENCHANNEL_RESULT, 20, &m);
	CHECK_EQ(payload_u32(&m, 8), 7);
	expect_msg(&t, "badrelid:gpadlcreated", VMBUS_CHANMSG_GPADL_CREATED, 20, &m);
	expect_msg(&t, "badrelid:gpadltorndown", VMBUS_CHANMSG_GPADL_TORNDOWN, 12, &m);
	CHECK_EQ(payload_u32(&m, 8), 0xbad0bad);
	expect_msg(&t, "badrelid:modifyresponse", VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE, 16, &m);
	expect_msg(&t, "outoforder:version", VMBUS_CHANMSG_VERSION_RESPONSE, 16, &m);
	expect_msg(&t, "outoforder:unload", VMBUS_CHANMSG_UNLOAD_RESPONSE, 8, &m);
	expect_msg(&t, "outoforder:alloffers", VMBUS_CHANMSG_ALLOFFERS_DELIVERED, 8, &m);
	expect_msg(&t, "outoforder:dupoffer", VMBUS_CHANMSG_OFFERCHANNEL, 196, &m);
	CHECK_EQ(payload_u32(&m, 184), 1);
	expect_msg(&t, "outoforder:dupoffer 2", VMBUS_CHANMSG_OFFERCHANNEL, 196, &m);
	CHECK_EQ(payload_u32(&m, 184), 2);
	expect_msg(&t, "outoforder:relid0", VMBUS_CHANMSG_OFFERCHANNEL, 196, &m);
	CHECK_EQ(payload_u32(&m, 184), 0);
	expect_msg(&t, "outoforder:relidbig", VMBUS_CHANMSG_OFFERCHANNEL, 196, &m);
	CHECK_EQ(payload_u32(&m, 184), 2048);
	/* Refusals send nothing. */
	hostile(&t, "nosuch", -1);
	hostile(&t, "truncated:nosuch", -1);
	hostile(&t, "oversize:240", -1);
	hostile(&t, "unknown:1", -1);
	hostile(&t, "outoforder:dupoffer 3", -1);
	hostile(&t, "ring-desc", -1);
	CHECK(strstr(hostile(&t, "ring-desc 1", -1), "not an open channel"));
	hostile(&t, "unknown x", -1);
	hostile(&t, "unknown 1 2", -1);
	CHECK(!tp_consume(&t, 0, HV_SINT_VMBUS, &m));
	CHECK_EQ(le32toh(m.header.message_type), HVMSG_NONE);
	/* Counted per class; the server's state did not move. */
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTILE_TRUNCATED), 3);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTILE_OVERSIZE), 2);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTILE_UNKNOWN), 3);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTILE_BADRELID), 5);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTILE_OUTOFORDER), 7);
	CHECK_EQ(stat_get(&t.p.stats, STAT_HOSTILE_RING_DESC), 0);
	CHECK(!strcmp(vt_state(&t), before));
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 0);
	vt_fini(&t);
}

/* ---- rings --------------------------------------------------------------- */

struct hc {
	struct tp t;
	struct gring g2h;
	struct gring h2g;
	uint8_t buf[8192];
};

/* Channel 1 open over 4 + 4 pages, interrupts to VP 0. */
static void hc_setup(struct hc *h)
{
	uint64_t pfn[8];
	uint32_t i;

	vt_init_echo(&h->t, 1, 1);
	vt_connect(&h->t, 1);
	for (i = 0; i < 8; i++)
		pfn[i] = RING_BASE + i;
	vt_ring_open(&h->t, 1, 0x77, pfn, 8, 4, 0, &h->g2h, &h->h2g);
}

/* The descriptor at the guest's read position; *@avail the bytes published. */
static struct vmbus_pkt_desc hc_peek(struct hc *h, uint32_t *avail)
{
	uint32_t r = le32toh(h->h2g.ctl->read_index), w = le32toh(h->h2g.ctl->write_index);
	struct vmbus_pkt_desc d;

	memcpy(&d, h->h2g.page[r / HV_PAGE_SIZE] + r % HV_PAGE_SIZE, sizeof(d));
	*avail = w - r;
	return d;
}

/* Skip @len bytes like a guest that dropped a packet. */
static void hc_skip(struct hc *h, uint32_t len)
{
	uint32_t r = le32toh(h->h2g.ctl->read_index);

	__atomic_store_n(&h->h2g.ctl->read_index, htole32(r + len), __ATOMIC_RELEASE);
}

/* One echo round trip on the channel works (its worker runs). */
static void hc_echo(struct hc *h, uint64_t tid)
{
	struct hvecho_hdr e = { .op = htole32(HVECHO_OP_ECHO), .len = htole32(1) };
	uint8_t req[sizeof(e) + 1], pkt[64];
	uint32_t len;

	memcpy(req, &e, sizeof(e));
	req[sizeof(e)] = 'x';
	len = vt_pkt(pkt, VMBUS_PKT_DATA_INBAND, 0, tid, NULL, 0, req, sizeof(req));
	vt_ring_send(&h->t, 1, &h->g2h, pkt, len);
	len = vt_ring_get(&h->t, 1, &h->h2g, h->buf, sizeof(h->buf), WAIT_MS);
	CHECK(len);
	CHECK_EQ(le64toh(((const struct vmbus_pkt_desc *)h->buf)->trans_id), tid);
}

/* `vmbus-hostile @args` on relid 1, then the descriptor the guest finds. */
static struct vmbus_pkt_desc hc_hostile(struct hc *h, const char *args, uint32_t *avail)
{
	unsigned int irqs;
	char cmd[64];

	/* The test guest never clears event flags: clear channel 1's so it is set anew. */
	h->t.ram[TP_SIEFP(0) + HV_SINT_VMBUS * sizeof(struct hv_event_flags)] = 0;
	irqs = tp_irqs(&h->t, 0);
	snprintf(cmd, sizeof(cmd), "%s 1", args);
	CHECK(!strcmp(hostile(&h->t, cmd, 0), "ok"));
	CHECK(tp_irqs(&h->t, 0) > irqs);	/* the guest was signalled */
	return hc_peek(h, avail);
}

static void hostile_ring_skipped(void)
{
	struct vmbus_pkt_desc d;
	uint32_t avail;
	struct hc h;

	hc_setup(&h);
	hc_echo(&h, 1);
	d = hc_hostile(&h, "ring-desc:offset", &avail);
	CHECK_EQ(avail, 32);
	CHECK_EQ(le16toh(d.data_offset8), 1);
	hc_skip(&h, avail);
	hc_echo(&h, 2);
	d = hc_hostile(&h, "ring-desc:short", &avail);
	CHECK_EQ(avail, 24);
	CHECK(le16toh(d.length8) < le16toh(d.data_offset8));
	hc_skip(&h, avail);
	d = hc_hostile(&h, "ring-desc:type", &avail);
	CHECK_EQ(le16toh(d.type), 0x55);
	hc_skip(&h, avail);
	d = hc_hostile(&h, "ring-gpa:norange", &avail);
	CHECK_EQ(le16toh(d.type), VMBUS_PKT_DATA_GPA_DIRECT);
	CHECK_EQ(avail, 40);
	hc_skip(&h, avail);
	d = hc_hostile(&h, "ring-gpa", &avail);
	CHECK_EQ(le16toh(d.type), VMBUS_PKT_COMP);
	CHECK_EQ(le64toh(d.trans_id) >> 48, 0xbad0);
	hc_skip(&h, avail);
	hc_echo(&h, 3);		/* the worker was given the ring back every time */
	CHECK_EQ(stat_get(&h.t.p.stats, STAT_HOSTILE_RING_DESC), 3);
	CHECK_EQ(stat_get(&h.t.p.stats, STAT_HOSTILE_RING_GPA), 2);
	CHECK_EQ(vt_chan_key(&h.t, 1, "ring_errors"), 0);
	vt_fini(&h.t);
}

/* A ring-breaking variant: the worker stays stopped until CLOSECHANNEL. */
static void broken_case(const char *args, uint32_t len8)
{
	struct vmbus_pkt_desc d;
	uint32_t avail, w0;
	struct hc h;

	hc_setup(&h);
	hc_echo(&h, 1);
	w0 = le32toh(h.h2g.ctl->write_index);
	d = hc_hostile(&h, args, &avail);
	if (!strcmp(args, "ring-index"))	/* beyond the 3-page data area */
		CHECK_EQ(le32toh(h.h2g.ctl->write_index), 4 * HV_PAGE_SIZE);
	else if (!len8)				/* not a multiple of 8 */
		CHECK_EQ(le32toh(h.h2g.ctl->write_index), w0 + 12);
	else
		CHECK_EQ(le16toh(d.length8), len8);
	CHECK(strstr(hostile(&h.t, "ring-desc 1", -1), "worker is stopped"));
	CHECK(!strncmp(vt_chan(&h.t, 1), "state=open ", 11));
	vt_close(&h.t, 1);
	CHECK_EQ(vt_chan_key(&h.t, 1, "closes"), 1);
	CHECK(strstr(hostile(&h.t, "ring-desc 1", -1), "not an open channel"));
	vt_fini(&h.t);
}

static void hostile_ring_broken(void)
{
	broken_case("ring-index", 0);
	broken_case("ring-index:unaligned", 0);
	broken_case("ring-desc:long", 0x1000);
	broken_case("ring-gpa:huge", 0xffff);
}

const struct unit_test hvh_hostile_tests[] = {
	{ "hostile_messages", hostile_messages },
	{ "hostile_ring_skipped", hostile_ring_skipped },
	{ "hostile_ring_broken", hostile_ring_broken },
	{ NULL, NULL },
};
