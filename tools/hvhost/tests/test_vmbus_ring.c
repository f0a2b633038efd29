// SPDX-License-Identifier: GPL-2.0
/*
 * The host ring (vmbus_ring.c) on plain memory: packets across pages that
 * are not contiguous and across the wrap, the signalling rules of both
 * sides, corrupt indices and descriptors.  The other end is the test's
 * guest ring (test_vmbus_guest.c).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util.h"
#include "../vmbus_ring.h"
#include "test_vmbus.h"

#define NR_DATA	3

/* One ring: control page + NR_DATA pages, allocated one by one, listed in reverse. */
struct pr {
	struct vmbus_ring_ctl *ctl;
	uint8_t *mem[NR_DATA];
	uint8_t *page[NR_DATA];
	struct gring g;
	struct hvh_ring h;
};

static void pr_init(struct pr *r, bool host_reads)
{
	unsigned int i;

	r->ctl = aligned_alloc(HV_PAGE_SIZE, HV_PAGE_SIZE);
	CHECK(r->ctl);
	memset(r->ctl, 0, HV_PAGE_SIZE);
	for (i = 0; i < NR_DATA; i++) {
		r->mem[i] = aligned_alloc(HV_PAGE_SIZE, HV_PAGE_SIZE);
		CHECK(r->mem[i]);
		memset(r->mem[i], 0xee, HV_PAGE_SIZE);
	}
	for (i = 0; i < NR_DATA; i++)
		r->page[i] = r->mem[NR_DATA - 1 - i];
	gring_init_pages(&r->g, r->ctl, r->page, NR_DATA);
	CHECK_EQ(hvh_ring_init(&r->h, r->ctl, r->page, NR_DATA, host_reads), 0);
}

static void pr_fini(struct pr *r)
{
	unsigned int i;

	for (i = 0; i < NR_DATA; i++)
		free(r->mem[i]);
	free(r->ctl);
}

static uint8_t pr_byte(struct pr *r, uint32_t off)
{
	off %= NR_DATA * HV_PAGE_SIZE;
	return r->page[off / HV_PAGE_SIZE][off % HV_PAGE_SIZE];
}

static void pattern(uint8_t *p, uint32_t n, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
}

/* Guest -> host: many packets of odd sizes, wrapping several times. */
static void ring_read_wraps(void)
{
	static uint8_t pkt[8192], data[4096], got[12288];
	struct hvh_ring_pkt hp;
	uint32_t i, len, n, wraps = 0, prev = 0;
	struct pr r;

	pr_init(&r, true);
	for (i = 0; i < 60; i++) {
		n = 100 + (i * 997) % 3000;
		pattern(data, n, i);
		len = vt_pkt(pkt, VMBUS_PKT_DATA_INBAND, i & 1, 0x100 + i, NULL, 0, data, n);
		CHECK(gring_put(&r.g, pkt, len) >= 0);
		CHECK_EQ(hvh_ring_read(&r.h, got, sizeof(got), &hp), 1);
		CHECK_EQ(hp.type, VMBUS_PKT_DATA_INBAND);
		CHECK_EQ(hp.flags, i & 1);
		CHECK_EQ(hp.trans_id, 0x100 + i);
		CHECK_EQ(hp.len, len);
		CHECK_EQ(hp.data_offset, 16);
		CHECK(!memcmp(got, pkt, len));
		CHECK_EQ(hvh_ring_read(&r.h, got, sizeof(got), &hp), 0);
		hvh_ring_publish_read(&r.h);
		CHECK_EQ(le32toh(r.ctl->read_index), le32toh(r.ctl->write_index));
		wraps += r.h.priv < prev;
		prev = r.h.priv;
	}
	CHECK(wraps >= 5);
	pr_fini(&r);
}

/* Host -> guest: segments, padding, trailer, wrapping. */
static void ring_write_wraps(void)
{
	static uint8_t a[3000], b[2000], got[12288];
	struct hvh_ring_seg seg[2] = { { a, 0 }, { b, 0 } };
	uint32_t i, len, old, toff, k, wraps = 0;
	struct vmbus_pkt_desc d;
	uint64_t trailer;
	bool sig, gsig;
	struct pr r;

	pr_init(&r, false);
	for (i = 0; i < 60; i++) {
		seg[0].len = 1 + (i * 389) % 3000;
		seg[1].len = (i * 577) % 2000;
		pattern(a, seg[0].len, i);
		pattern(b, seg[1].len, i + 1000);
		old = r.h.priv;
		CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_COMP, 0, 0xabc0 + i, seg, 2, &sig), 0);
		CHECK(sig);				/* empty before, mask 0 */
		len = gring_get(&r.g, got, sizeof(got), &gsig);
		CHECK(!gsig);
		CHECK_EQ(len, 16 + ((seg[0].len + seg[1].len + 7) & ~7U));
		memcpy(&d, got, sizeof(d));
		CHECK_EQ(le16toh(d.type), VMBUS_PKT_COMP);
		CHECK_EQ(le16toh(d.data_offset8), 2);
		CHECK_EQ(le16toh(d.flags), 0);
		CHECK_EQ(le64toh(d.trans_id), 0xabc0 + i);
		CHECK(!memcmp(got + 16, a, seg[0].len));
		CHECK(!memcmp(got + 16 + seg[0].len, b, seg[1].len));
		for (k = 16 + seg[0].len + seg[1].len; k < len; k++)
			CHECK_EQ(got[k], 0);		/* padding */
		toff = old + len;
		trailer = 0;
		for (k = 0; k < 8; k++)
			trailer |= (uint64_t)pr_byte(&r, toff + k) << (8 * k);
		CHECK_EQ(trailer, (uint64_t)old << 32);
		CHECK_EQ(le32toh(r.ctl->write_index), r.h.priv);
		wraps += r.h.priv < old;
	}
	CHECK(wraps >= 5);
	pr_fini(&r);
}

/* D.4 writer rule: signal only if the mask is 0 and the ring was empty. */
static void ring_writer_signal_rules(void)
{
	static uint8_t got[12288];
	struct hvh_ring_seg seg = { "0123456789", 10 };
	bool sig, gsig;
	struct pr r;

	pr_init(&r, false);
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 1, &seg, 1, &sig), 0);
	CHECK(sig);
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 2, &seg, 1, &sig), 0);
	CHECK(!sig);					/* not empty before */
	CHECK(gring_get(&r.g, got, sizeof(got), &gsig));
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 3, &seg, 1, &sig), 0);
	CHECK(!sig);					/* still not empty */
	CHECK(gring_get(&r.g, got, sizeof(got), &gsig));
	CHECK(gring_get(&r.g, got, sizeof(got), &gsig));
	CHECK(!gring_get(&r.g, got, sizeof(got), &gsig));
	r.ctl->interrupt_mask = htole32(1);		/* the guest drains */
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 4, &seg, 1, &sig), 0);
	CHECK(!sig);
	CHECK(gring_get(&r.g, got, sizeof(got), &gsig));
	r.ctl->interrupt_mask = 0;
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 5, &seg, 1, &sig), 0);
	CHECK(sig);
	pr_fini(&r);
}

/* Put @n packets of @payload bytes into the guest -> host ring. */
static void put_n(struct pr *r, unsigned int n, uint32_t payload)
{
	static uint8_t pkt[8192], data[4096];
	uint32_t len = vt_pkt(pkt, VMBUS_PKT_DATA_INBAND, 0, 7, NULL, 0, data, payload);

	while (n--)
		CHECK(gring_put(&r->g, pkt, len) >= 0);
}

static void get_one(struct pr *r)
{
	static uint8_t got[12288];
	struct hvh_ring_pkt hp;

	CHECK_EQ(hvh_ring_read(&r->h, got, sizeof(got), &hp), 1);
}

/* D.4 reader rule: feature bit, pending_send_sz, crossing only. */
static void ring_reader_pending(void)
{
	struct pr r;

	/* Three packets of 1024 + 16 + 8 = 1048 bytes: 3144 used, 9144 free. */
	pr_init(&r, true);
	put_n(&r, 3, 1024);
	r.ctl->pending_send_sz = htole32(9500);
	get_one(&r);				/* free 9144 -> 10192: crosses 9500 */
	CHECK(!hvh_ring_publish_read(&r.h));	/* but no feature bit */
	r.ctl->feature_bits = htole32(VMBUS_RING_FEAT_PENDING_SEND_SZ);
	r.ctl->pending_send_sz = htole32(10500);
	get_one(&r);				/* 10192 -> 11240: crosses 10500 */
	CHECK(hvh_ring_publish_read(&r.h));
	CHECK(!hvh_ring_publish_read(&r.h));	/* nothing consumed since */
	put_n(&r, 2, 1024);			/* used 1048 + 2096 = 3144 */
	r.ctl->pending_send_sz = 0;
	get_one(&r);
	CHECK(!hvh_ring_publish_read(&r.h));	/* nothing pending */
	r.ctl->pending_send_sz = htole32(8000);
	get_one(&r);				/* 10192 -> 11240: had room before */
	CHECK(!hvh_ring_publish_read(&r.h));
	put_n(&r, 3, 1024);			/* 1048 + 3144 used: free 8096 */
	r.ctl->pending_send_sz = htole32(11000);
	get_one(&r);				/* 8096 -> 9144: still short */
	CHECK(!hvh_ring_publish_read(&r.h));
	r.ctl->pending_send_sz = htole32(9144);
	get_one(&r);				/* 9144 -> 10192: before == pending */
	CHECK(hvh_ring_publish_read(&r.h));
	pr_fini(&r);
}

/* Mask, unmask, re-check. */
static void ring_mask(void)
{
	struct pr r;

	pr_init(&r, true);
	hvh_ring_mask(&r.h);
	CHECK_EQ(le32toh(r.ctl->interrupt_mask), 1);
	CHECK(!hvh_ring_unmask(&r.h));
	CHECK_EQ(r.ctl->interrupt_mask, 0);
	put_n(&r, 1, 8);
	hvh_ring_mask(&r.h);
	CHECK(hvh_ring_unmask(&r.h));		/* data arrived while masked */
	get_one(&r);
	CHECK(!hvh_ring_unmask(&r.h));
	pr_fini(&r);
}

/* Write @desc at the host's read position, then publish write_index @w. */
static int corrupt_read(const struct vmbus_pkt_desc *desc, uint32_t w)
{
	static uint8_t got[12288];
	struct hvh_ring_pkt hp;
	struct pr r;
	int rc;

	pr_init(&r, true);
	memcpy(r.page[0], desc, sizeof(*desc));
	r.ctl->write_index = htole32(w);
	rc = hvh_ring_read(&r.h, got, sizeof(got), &hp);
	pr_fini(&r);
	return rc;
}

static void ring_corrupt_reader(void)
{
	struct vmbus_pkt_desc d = {
		.type = htole16(VMBUS_PKT_DATA_INBAND),
		.data_offset8 = htole16(2),
		.length8 = htole16(4),
	};
	static const uint16_t bad_types[] = { 0, 1, 2, 3, 4, 5, 8, 0xa, 0xc, 0xd, 0xe, 0xffff };
	static const uint16_t good_types[] = { 6, 7, 9, 0xb };
	struct vmbus_pkt_desc x;
	unsigned int i;

	CHECK_EQ(corrupt_read(&d, 40), 1);		/* 32 + trailer: fine */
	CHECK_EQ(corrupt_read(&d, 0), 0);
	CHECK_EQ(corrupt_read(&d, 44), -EIO);		/* not a multiple of 8 */
	CHECK_EQ(corrupt_read(&d, NR_DATA * HV_PAGE_SIZE), -EIO);	/* >= size */
	CHECK_EQ(corrupt_read(&d, 16), -EIO);		/* shorter than a packet */
	CHECK_EQ(corrupt_read(&d, 32), -EIO);		/* no room for the trailer */
	x = d;
	x.data_offset8 = htole16(1);
	CHECK_EQ(corrupt_read(&x, 40), -EIO);
	x = d;
	x.length8 = htole16(1);				/* < data_offset8 */
	CHECK_EQ(corrupt_read(&x, 40), -EIO);
	x = d;
	x.data_offset8 = htole16(5);			/* > length8 */
	CHECK_EQ(corrupt_read(&x, 40), -EIO);
	x = d;
	x.length8 = htole16(0xffff);			/* more than written */
	CHECK_EQ(corrupt_read(&x, 40), -EIO);
	x = d;
	x.flags = htole16(2);
	CHECK_EQ(corrupt_read(&x, 40), -EIO);
	for (i = 0; i < ARRAY_SIZE(bad_types); i++) {
		x = d;
		x.type = htole16(bad_types[i]);
		CHECK_EQ(corrupt_read(&x, 40), -EIO);
	}
	for (i = 0; i < ARRAY_SIZE(good_types); i++) {
		x = d;
		x.type = htole16(good_types[i]);
		x.flags = htole16(1);
		CHECK_EQ(corrupt_read(&x, 40), 1);
	}
}

/* Writer: bad read index, full ring, too large, waiting for space. */
static void ring_writer_full(void)
{
	static uint8_t big[12288], got[12288];
	struct hvh_ring_seg seg = { big, 1000 };
	uint32_t need;
	bool sig, gsig;
	struct pr r;
	int n = 0;

	pr_init(&r, false);
	hvh_ring_set_writer_features(&r.h);		/* or the guest never signals */
	seg.len = NR_DATA * HV_PAGE_SIZE - 16 - 8 - 8 + 1;	/* one byte too many */
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig), -EMSGSIZE);
	seg.len -= 1;						/* exactly the maximum */
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig), 0);
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig), -EAGAIN);
	CHECK(gring_get(&r.g, got, sizeof(got), &gsig));
	seg.len = 1000;
	while (!hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig))
		n++;
	CHECK_EQ(n, 11);				/* 1024 bytes each */
	need = hvh_ring_pkt_space(1000);
	CHECK_EQ(need, 1024);
	CHECK(!hvh_ring_want_space(&r.h, need));
	CHECK_EQ(le32toh(r.ctl->pending_send_sz), need);
	CHECK(gring_get(&r.g, got, sizeof(got), &gsig));
	CHECK(gsig);					/* the guest must wake the host */
	CHECK(hvh_ring_want_space(&r.h, need));
	CHECK_EQ(r.ctl->pending_send_sz, 0);
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig), 0);
	r.ctl->read_index = htole32(12);		/* the guest scribbles */
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig), -EIO);
	r.ctl->read_index = htole32(NR_DATA * HV_PAGE_SIZE);
	CHECK_EQ(hvh_ring_write(&r.h, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1, &sig), -EIO);
	pr_fini(&r);
}

static void ring_init_checks(void)
{
	struct pr r;
	struct hvh_ring h;

	pr_init(&r, true);
	r.ctl->read_index = htole32(4);
	CHECK_EQ(hvh_ring_init(&h, r.ctl, r.page, NR_DATA, true), -EINVAL);
	CHECK_EQ(hvh_ring_init(&h, r.ctl, r.page, NR_DATA, false), 0);	/* write_index 0 */
	r.ctl->write_index = htole32(NR_DATA * HV_PAGE_SIZE);
	CHECK_EQ(hvh_ring_init(&h, r.ctl, r.page, NR_DATA, false), -EINVAL);
	CHECK_EQ(hvh_ring_init(&h, r.ctl, r.page, 0, false), -EINVAL);
	r.ctl->read_index = htole32(HV_PAGE_SIZE + 8);
	CHECK_EQ(hvh_ring_init(&h, r.ctl, r.page, NR_DATA, true), 0);
	CHECK_EQ(h.priv, HV_PAGE_SIZE + 8);
	hvh_ring_set_writer_features(&h);
	CHECK_EQ(le32toh(r.ctl->feature_bits), VMBUS_RING_FEAT_PENDING_SEND_SZ);
	pr_fini(&r);
}

const struct unit_test hvh_ring_tests[] = {
	{ "ring_read_wraps", ring_read_wraps },
	{ "ring_write_wraps", ring_write_wraps },
	{ "ring_writer_signal_rules", ring_writer_signal_rules },
	{ "ring_reader_pending", ring_reader_pending },
	{ "ring_mask", ring_mask },
	{ "ring_corrupt_reader", ring_corrupt_reader },
	{ "ring_writer_full", ring_writer_full },
	{ "ring_init_checks", ring_init_checks },
	{ NULL, NULL },
};
