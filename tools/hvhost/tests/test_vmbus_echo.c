// SPDX-License-Identifier: GPL-2.0
/*
 * The echo device end to end on fake guest memory: the test opens a
 * channel, writes requests into its guest -> host ring, signals the
 * channel's connection and reads the answers the worker thread writes
 * into the host -> guest ring (hyperv/hvecho.h).
 */
#include <endian.h>
#include <string.h>

#include "../crc32.h"
#include "../stats.h"
#include "hyperv/hvecho.h"
#include "test_vmbus.h"

#define RING_BASE	0x40	/* ring pages 0x40 .. 0x5f */
#define DATA_PFN_A	0x70	/* GPA-direct buffers */
#define DATA_PFN_B	0x74
#define WAIT_MS		5000

struct ec {
	struct tp t;
	struct gring g2h;	/* the guest writes */
	struct gring h2g;	/* the guest reads */
	uint8_t buf[72 * 1024];
	uint32_t len;		/* of the packet in buf */
};

/* Channel 1 open with @g2h + @h2g ring pages (control pages included), interrupts to VP 1. */
static void ec_setup(struct ec *e, uint32_t g2h, uint32_t h2g)
{
	uint64_t pfn[32];
	uint32_t i, n = g2h + h2g;

	CHECK(n <= 32);
	vt_init_echo(&e->t, 2, 1);
	vt_connect(&e->t, 1);
	for (i = 0; i < n; i++)		/* scattered: 0x40, 0x47, 0x4e, ... mod n */
		pfn[i] = RING_BASE + (i * 7) % n;
	vt_ring_open(&e->t, 1, 0x77, pfn, n, g2h, 1, &e->g2h, &e->h2g);
}

static void ec_fini(struct ec *e)
{
	vt_fini(&e->t);
}

/* Write packet @pkt (@len bytes) and signal the host if the ring rules say so. */
static void ec_send(struct ec *e, const void *pkt, uint32_t len)
{
	vt_ring_send(&e->t, 1, &e->g2h, pkt, len);
}

/* An echo request: @type, @flags, @tid, hdr (@op, @len, @arg), @data_len bytes of @data. */
static void ec_req(struct ec *e, uint16_t type, uint16_t flags, uint64_t tid, uint32_t op,
		   uint32_t len, uint64_t arg, const void *data, uint32_t data_len)
{
	static uint8_t req[72 * 1024], pkt[72 * 1024];
	struct hvecho_hdr h = {
		.op = htole32(op), .len = htole32(len), .arg = htole64(arg),
	};

	memcpy(req, &h, sizeof(h));
	if (data_len)
		memcpy(req + sizeof(h), data, data_len);
	ec_send(e, pkt, vt_pkt(pkt, type, flags, tid, NULL, 0, req, sizeof(h) + data_len));
}

/* Wait for the next host packet into e->buf; signal the host if it waits for space. */
static uint32_t ec_recv(struct ec *e, unsigned int timeout_ms)
{
	e->len = vt_ring_get(&e->t, 1, &e->h2g, e->buf, sizeof(e->buf), timeout_ms);
	return e->len;
}

static const struct vmbus_pkt_desc *ec_desc(struct ec *e)
{
	return (const void *)e->buf;
}

/* The hvecho header of the packet in e->buf (its payload starts at data_offset8). */
static struct hvecho_hdr ec_hdr(struct ec *e)
{
	struct hvecho_hdr h;

	CHECK(e->len >= 16 + sizeof(h));
	memcpy(&h, e->buf + le16toh(ec_desc(e)->data_offset8) * 8, sizeof(h));
	return h;
}

/* Receive an answer of @type/@tid; returns its header. */
static struct hvecho_hdr ec_answer(struct ec *e, uint16_t type, uint64_t tid)
{
	CHECK(ec_recv(e, WAIT_MS));
	CHECK_EQ(le16toh(ec_desc(e)->type), type);
	CHECK_EQ(le16toh(ec_desc(e)->flags), 0);
	CHECK_EQ(le64toh(ec_desc(e)->trans_id), tid);
	return ec_hdr(e);
}

/* Wait until counter @key reaches @want. */
static void ec_wait_key(struct ec *e, const char *key, long long want)
{
	unsigned int i;

	for (i = 0; i < WAIT_MS && vt_chan_key(&e->t, 1, key) < want; i++)
		vt_sleep_ms(1);
	CHECK_EQ(vt_chan_key(&e->t, 1, key), want);
}

static void echo_inband(void)
{
	static const char msg[] = "hello, echo device";
	struct hvecho_hdr h;
	uint8_t *flags;
	struct ec e;

	ec_setup(&e, 4, 4);
	flags = e.t.ram + TP_SIEFP(1) + HV_SINT_VMBUS * 256;
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x11, HVECHO_OP_ECHO,
	       sizeof(msg), 7, msg, sizeof(msg));
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x11);
	CHECK_EQ(le32toh(h.op), HVECHO_OP_ECHO);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(le32toh(h.len), sizeof(msg));
	CHECK_EQ(le64toh(h.arg), 7);
	CHECK_EQ(le16toh(ec_desc(&e)->length8) * 8, 16 + 24 + 24);
	CHECK(!memcmp(e.buf + 16 + 24, msg, sizeof(msg)));
	ec_wait_key(&e, "interrupts_out", 1);	/* counted just after the packet is visible */
	CHECK_EQ(flags[0], 1 << 1);				/* relid 1 on VP 1 */
	flags[0] = 0;						/* the guest takes it */
	ec_req(&e, VMBUS_PKT_DATA_INBAND, 0, 0x12, HVECHO_OP_ECHO, 3, 0, "abc", 3);
	h = ec_answer(&e, VMBUS_PKT_DATA_INBAND, 0x12);
	CHECK_EQ(le32toh(h.len), 3);
	CHECK(!memcmp(e.buf + 16 + 24, "abc", 3));
	ec_wait_key(&e, "interrupts_out", 2);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x13, HVECHO_OP_ECHO, 0, 0,
	       NULL, 0);					/* empty */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 0x13).status), HVECHO_ST_OK);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x14, HVECHO_OP_ECHO, 100, 0,
	       msg, sizeof(msg));				/* len says more than sent */
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x14);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_BAD_LEN);
	CHECK_EQ(le32toh(h.len), 0);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x15, HVECHO_OP_ECHO, 1, 0,
	       msg, 9);					/* len says less */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 0x15).status), HVECHO_ST_BAD_LEN);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x16, 99, 0, 0, NULL, 0);
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 0x16).status), HVECHO_ST_BAD_OP);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x17, HVECHO_OP_CHECKSUM, 0,
	       0, NULL, 0);					/* needs GPA ranges */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 0x17).status), HVECHO_ST_BAD_OP);
	CHECK_EQ(vt_chan_key(&e.t, 1, "pkts_in"), 7);
	ec_wait_key(&e, "pkts_out", 7);
	CHECK_EQ(vt_chan_key(&e.t, 1, "malformed"), 0);
	ec_fini(&e);
}

/* A 64 KiB echo: the largest, through rings of 20 data pages. */
static void echo_big(void)
{
	static uint8_t data[HVECHO_MAX_INBAND_DATA];
	struct hvecho_hdr h;
	struct ec e;
	uint32_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	ec_setup(&e, 21, 10);		/* the answer can never fit 9 data pages */
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 1, HVECHO_OP_ECHO,
	       sizeof(data), 0, data, sizeof(data));
	h = ec_answer(&e, VMBUS_PKT_COMP, 1);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_BAD_LEN);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 2, HVECHO_OP_ECHO,
	       sizeof(data) + 8, 0, data, sizeof(data));	/* above the maximum */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 2).status), HVECHO_ST_BAD_LEN);
	ec_fini(&e);
	ec_setup(&e, 10, 21);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 3, HVECHO_OP_ECHO,
	       4000, 0, data, 4000);
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 3).status), HVECHO_ST_OK);
	CHECK(!memcmp(e.buf + 40, data, 4000));
	ec_fini(&e);
}

/* A GPA-direct request: @nr ranges of (offset, count, pfns...) given flat in @r. */
static void gpa_req(struct ec *e, uint64_t tid, uint32_t op, uint64_t arg,
		    const uint32_t *ranges, uint32_t nr, const uint64_t *pfns, uint32_t extra)
{
	static uint8_t hdr[1024], pkt[2048];
	struct hvecho_hdr h = { .op = htole32(op), .arg = htole64(arg) };
	uint32_t pos = 8, i, k, n, v;
	uint64_t pfn;

	memset(hdr, 0, sizeof(hdr));
	v = htole32(nr);
	memcpy(hdr + 4, &v, 4);
	for (i = 0; i < nr; i++) {
		v = htole32(ranges[2 * i + 1]);			/* byte_count */
		memcpy(hdr + pos, &v, 4);
		v = htole32(ranges[2 * i]);			/* byte_offset */
		memcpy(hdr + pos + 4, &v, 4);
		pos += 8;
		n = VMBUS_PAGES_SPANNED(ranges[2 * i], ranges[2 * i + 1]);
		for (k = 0; k < n; k++) {
			pfn = htole64(*pfns++);
			memcpy(hdr + pos, &pfn, 8);
			pos += 8;
		}
	}
	ec_send(e, pkt, vt_pkt(pkt, VMBUS_PKT_DATA_GPA_DIRECT, VMBUS_PKT_FLAG_COMPLETION, tid,
			       hdr, pos + extra, &h, sizeof(h)));
}

static void echo_checksum(void)
{
	static const uint32_t one[] = { 4090, 9 };
	static const uint32_t two[] = { 10, 4, 4095, 5 };
	const uint64_t pfn1[] = { DATA_PFN_A, DATA_PFN_B };
	const uint64_t pfn2[] = { DATA_PFN_B, DATA_PFN_A, DATA_PFN_B };
	uint8_t *a, *b;
	struct hvecho_hdr h;
	struct ec e;

	ec_setup(&e, 4, 4);
	a = e.t.ram + DATA_PFN_A * HV_PAGE_SIZE;
	b = e.t.ram + DATA_PFN_B * HV_PAGE_SIZE;
	memcpy(a + 4090, "123456", 6);				/* across two pages */
	memcpy(b, "789", 3);
	gpa_req(&e, 0x21, HVECHO_OP_CHECKSUM, 0, one, 1, pfn1, 0);
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x21);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(le32toh(h.len), 9);
	CHECK_EQ(le64toh(h.arg), 0xcbf43926);
	CHECK_EQ(le16toh(ec_desc(&e)->length8) * 8, 16 + 24);
	memcpy(b + 10, "1234", 4);				/* two ranges */
	memcpy(a + 4095, "5", 1);
	memcpy(b, "6789", 4);
	gpa_req(&e, 0x22, HVECHO_OP_CHECKSUM, 0, two, 2, pfn2, 0);
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x22);
	CHECK_EQ(le32toh(h.len), 9);
	CHECK_EQ(le64toh(h.arg), 0xcbf43926);
	CHECK_EQ(vt_chan_key(&e.t, 1, "gpa_bytes"), 18);
	CHECK_EQ(crc32_update(0, "123456789", 9), 0xcbf43926);
	ec_fini(&e);
}

static void echo_fill(void)
{
	static const uint32_t r[] = { 100, 5000 };
	const uint64_t pfn[] = { DATA_PFN_B, DATA_PFN_A };
	uint8_t expect[5000];
	struct hvecho_hdr h;
	struct ec e;
	uint32_t i;

	ec_setup(&e, 4, 4);
	for (i = 0; i < sizeof(expect); i++)
		expect[i] = (uint8_t)(0x37 + i);
	gpa_req(&e, 0x31, HVECHO_OP_FILL, 0x37, r, 1, pfn, 0);
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x31);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(le32toh(h.len), 5000);
	CHECK_EQ(le64toh(h.arg), crc32_update(0, expect, sizeof(expect)));
	CHECK(!memcmp(e.t.ram + DATA_PFN_B * HV_PAGE_SIZE + 100, expect, 3996));
	CHECK(!memcmp(e.t.ram + DATA_PFN_A * HV_PAGE_SIZE, expect + 3996, 1004));
	CHECK_EQ(e.t.ram[DATA_PFN_B * HV_PAGE_SIZE + 99], 0);
	CHECK_EQ(e.t.ram[DATA_PFN_A * HV_PAGE_SIZE + 1004], 0);
	ec_fini(&e);
}

static void echo_bad_range(void)
{
	static const uint32_t r[] = { 0, 100 }, r2[] = { 0, 5000 }, rz[] = { 0, 0 };
	static const uint32_t roff[] = { 4096, 10 };
	const uint64_t out[] = { TP_RAM_SIZE / HV_PAGE_SIZE }, ok[] = { DATA_PFN_A, DATA_PFN_B };
	uint64_t tid = 0x40;
	struct ec e;

	ec_setup(&e, 4, 4);
	gpa_req(&e, ++tid, HVECHO_OP_FILL, 1, r, 1, out, 0);		/* outside RAM */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	gpa_req(&e, ++tid, HVECHO_OP_FILL, 1, r, 0, ok, 0);		/* no range */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	gpa_req(&e, ++tid, HVECHO_OP_FILL, 1, r2, 1, ok, 0);
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_OK);
	gpa_req(&e, ++tid, HVECHO_OP_CHECKSUM, 1, r, 1, ok, 8);	/* bytes after the ranges */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	gpa_req(&e, ++tid, HVECHO_OP_CHECKSUM, 1, rz, 1, ok, 8);	/* byte_count 0 */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	gpa_req(&e, ++tid, HVECHO_OP_CHECKSUM, 1, roff, 1, ok, 0);	/* offset >= 4096 */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	memset(e.t.ram + DATA_PFN_A * HV_PAGE_SIZE, 0, 2 * HV_PAGE_SIZE);
	/* Two pages spanned, one PFN given (the second would be the payload). */
	gpa_req(&e, ++tid, HVECHO_OP_FILL, 1, r2, 1, ok, -8U);
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	CHECK_EQ(e.t.ram[DATA_PFN_A * HV_PAGE_SIZE], 0);		/* nothing written */
	ec_req(&e, VMBUS_PKT_DATA_GPA_DIRECT, VMBUS_PKT_FLAG_COMPLETION, ++tid, HVECHO_OP_ECHO, 0,
	       0, NULL, 0);					/* data_offset8 2: no header */
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_OP);
	ec_req(&e, VMBUS_PKT_DATA_GPA_DIRECT, VMBUS_PKT_FLAG_COMPLETION, ++tid,
	       HVECHO_OP_CHECKSUM, 0, 0, NULL, 0);
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, tid).status), HVECHO_ST_BAD_RANGE);
	CHECK_EQ(vt_chan_key(&e.t, 1, "gpa_bytes"), 5000);
	ec_fini(&e);
}

static void echo_bad_comp(void)
{
	struct hvecho_hdr h;
	struct ec e;

	ec_setup(&e, 4, 4);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x55, HVECHO_OP_BAD_COMP, 0,
	       0x9999, NULL, 0);
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x9999);		/* first the bogus one */
	CHECK_EQ(le32toh(h.op), HVECHO_OP_BAD_COMP);
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x55);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(le16toh(ec_desc(&e)->length8) * 8, 16 + 24);
	CHECK_EQ(ec_recv(&e, 20), 0);
	ec_fini(&e);
}

/* The host waits for space: pending_send_sz set, three packets unread. */
static bool host_stuck(struct vmbus_ring_ctl *ctl)
{
	uint32_t w = le32toh(__atomic_load_n(&ctl->write_index, __ATOMIC_ACQUIRE));
	uint32_t r = le32toh(__atomic_load_n(&ctl->read_index, __ATOMIC_ACQUIRE));

	return __atomic_load_n(&ctl->pending_send_sz, __ATOMIC_ACQUIRE) &&
	       (w + HV_PAGE_SIZE - r) % HV_PAGE_SIZE == 3 * 1048;
}

/* FLOOD through a one-page ring: the host must wait with pending_send_sz. */
static void echo_flood(void)
{
	struct vmbus_ring_ctl *ctl;
	struct hvecho_hdr h;
	unsigned int i, k, waits = 0;
	struct ec e;

	ec_setup(&e, 4, 2);
	ctl = e.h2g.ctl;
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 0x66, HVECHO_OP_FLOOD,
	       1000, 20, NULL, 0);
	for (i = 0; i < 20; i++) {
		/*
		 * Three packets of 1048 bytes fill the ring: until the last
		 * three, read only once the host is stuck behind three unread
		 * packets, so our read must wake it.
		 */
		for (k = 0; i < 17 && k < WAIT_MS && !host_stuck(ctl); k++)
			vt_sleep_ms(1);
		waits += host_stuck(ctl);
		h = ec_answer(&e, VMBUS_PKT_DATA_INBAND, 0);
		CHECK_EQ(le32toh(h.op), HVECHO_OP_FLOOD);
		CHECK_EQ(le32toh(h.len), 1000);
		CHECK_EQ(le64toh(h.arg), i);
		for (k = 0; k < 1000; k++)
			CHECK_EQ(e.buf[40 + k], (uint8_t)k);
	}
	h = ec_answer(&e, VMBUS_PKT_COMP, 0x66);
	CHECK_EQ(le32toh(h.status), HVECHO_ST_OK);
	CHECK_EQ(waits, 17);
	CHECK_EQ(vt_chan_key(&e.t, 1, "ring_full_waits"), 17);
	/* One per wait, and the request's unless the worker was still draining. */
	CHECK(vt_chan_key(&e.t, 1, "signals_in") >= 17 && vt_chan_key(&e.t, 1, "signals_in") <= 18);
	ec_wait_key(&e, "pkts_out", 21);
	CHECK_EQ(ctl->pending_send_sz, 0);
	ec_fini(&e);
}

/* A worker waiting for space stops at once on CLOSECHANNEL. */
static void echo_stop_while_full(void)
{
	struct ec e;

	ec_setup(&e, 4, 2);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, 0, 1, HVECHO_OP_FLOOD, 1000, 1000000, NULL, 0);
	ec_wait_key(&e, "ring_full_waits", 1);
	vt_close(&e.t, 1);
	CHECK(!strncmp(vt_chan(&e.t, 1), "state=offered ", 14));
	CHECK_EQ(vt_chan_key(&e.t, 1, "closes"), 1);
	CHECK(vt_chan_key(&e.t, 1, "pkts_out") < 10);
	ec_fini(&e);
}

static void echo_malformed(void)
{
	static const uint8_t zero[32];
	uint8_t pkt[64];
	struct ec e;

	ec_setup(&e, 4, 4);
	ec_send(&e, pkt, vt_pkt(pkt, VMBUS_PKT_DATA_INBAND, 0, 1, NULL, 0, "short", 5));
	ec_send(&e, pkt, vt_pkt(pkt, VMBUS_PKT_COMP, 0, 2, NULL, 0, zero, 32));
	ec_req(&e, VMBUS_PKT_DATA_INBAND, VMBUS_PKT_FLAG_COMPLETION, 3, HVECHO_OP_ECHO, 1, 0,
	       "x", 1);
	CHECK_EQ(le32toh(ec_answer(&e, VMBUS_PKT_COMP, 3).status), HVECHO_ST_OK);
	CHECK_EQ(vt_chan_key(&e.t, 1, "malformed"), 2);
	CHECK_EQ(vt_chan_key(&e.t, 1, "pkts_in"), 3);
	ec_fini(&e);
}

/* The guest's interrupt mask on its inbound ring: no signal while set. */
static void echo_guest_masked(void)
{
	struct ec e;

	ec_setup(&e, 4, 4);
	__atomic_store_n(&e.h2g.ctl->interrupt_mask, htole32(1), __ATOMIC_RELEASE);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, 0, 1, HVECHO_OP_ECHO, 1, 0, "x", 1);
	ec_answer(&e, VMBUS_PKT_DATA_INBAND, 1);
	CHECK_EQ(vt_chan_key(&e.t, 1, "interrupts_out"), 0);
	CHECK_EQ(tp_irqs(&e.t, 1), 0);
	__atomic_store_n(&e.h2g.ctl->interrupt_mask, 0, __ATOMIC_RELEASE);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, 0, 2, HVECHO_OP_ECHO, 1, 0, "x", 1);
	ec_answer(&e, VMBUS_PKT_DATA_INBAND, 2);
	ec_wait_key(&e, "interrupts_out", 1);
	CHECK_EQ(tp_irqs(&e.t, 1), 1);
	ec_fini(&e);
}

static void echo_ring_corrupt(void)
{
	struct ec e;

	ec_setup(&e, 4, 4);
	__atomic_store_n(&e.g2h.ctl->write_index, htole32(12), __ATOMIC_RELEASE);
	CHECK_EQ(vt_signal(&e.t, HVH_SRV_CHANNEL_CONN(1)), HV_STATUS_SUCCESS);
	ec_wait_key(&e, "ring_errors", 1);
	CHECK(!strncmp(vt_chan(&e.t, 1), "state=open ", 11));
	CHECK_EQ(stat_get(&e.t.p.stats, STAT_VMBUS_RING_ERRORS), 1);
	vt_close(&e.t, 1);
	CHECK_EQ(vt_chan_key(&e.t, 1, "closes"), 1);
	ec_fini(&e);
	/* The guest breaks the host -> guest ring's read index. */
	ec_setup(&e, 4, 4);
	__atomic_store_n(&e.h2g.ctl->read_index, htole32(4), __ATOMIC_RELEASE);
	ec_req(&e, VMBUS_PKT_DATA_INBAND, 0, 1, HVECHO_OP_ECHO, 1, 0, "x", 1);
	ec_wait_key(&e, "ring_errors", 1);
	CHECK_EQ(vt_chan_key(&e.t, 1, "pkts_out"), 0);
	ec_fini(&e);		/* closes the channel on the way out */
}

const struct unit_test hvh_echo_tests[] = {
	{ "echo_inband", echo_inband },
	{ "echo_big", echo_big },
	{ "echo_checksum", echo_checksum },
	{ "echo_fill", echo_fill },
	{ "echo_bad_range", echo_bad_range },
	{ "echo_bad_comp", echo_bad_comp },
	{ "echo_flood", echo_flood },
	{ "echo_stop_while_full", echo_stop_while_full },
	{ "echo_malformed", echo_malformed },
	{ "echo_guest_masked", echo_guest_masked },
	{ "echo_ring_corrupt", echo_ring_corrupt },
	{ NULL, NULL },
};
