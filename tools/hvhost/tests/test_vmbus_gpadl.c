// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus GPADLs: header + body reassembly, PFN checks, duplicate handles,
 * teardown, reset on UNLOAD.
 */
#include <endian.h>
#include <string.h>

#include "../regs.h"
#include "../stats.h"
#include "test_vmbus.h"

#define PFN0	0x30	/* first PFN used: inside TP_RAM_SIZE (256 pages) */

/*
 * GPADL_HEADER for @relid/@handle spanning @n pages from PFN0 (one range,
 * offset 0), with the first min(n, 26) PFNs.  Returns the PFNs sent.
 */
static uint32_t post_header(struct tp *t, uint32_t relid, uint32_t handle, uint32_t n)
{
	uint32_t i, k = n < VMBUS_GPADL_HEADER_PFNS ? n : VMBUS_GPADL_HEADER_PFNS;
	uint64_t pfn[VMBUS_GPADL_HEADER_PFNS];

	for (i = 0; i < k; i++)
		pfn[i] = PFN0 + i;
	vt_gpadl_header(t, relid, handle, 0, n * HV_PAGE_SIZE, 8 + 8 * n, pfn, k);
	return k;
}

/* GPADL_BODY for @handle with PFNs PFN0 + @first .. + @n - 1. */
static void post_body(struct tp *t, uint32_t handle, uint32_t first, uint32_t n)
{
	uint64_t pfn[VMBUS_GPADL_BODY_PFNS];
	uint32_t i;

	CHECK(n <= VMBUS_GPADL_BODY_PFNS);
	for (i = 0; i < n; i++)
		pfn[i] = PFN0 + first + i;
	vt_gpadl_body(t, handle, pfn, n);
}

/* Expect GPADL_CREATED for @relid/@handle; returns its status. */
static uint32_t created(struct tp *t, uint32_t relid, uint32_t handle)
{
	long st = vt_gpadl_created(t, relid, handle);

	CHECK(st >= 0);
	return (uint32_t)st;
}

static void setup(struct tp *t, unsigned int echo)
{
	vt_init_echo(t, 1, echo);
	vt_connect(t, echo);
}

static void gpadl_one_page(void)
{
	struct hvh_gpadl *g;
	struct tp t;

	setup(&t, 1);
	post_header(&t, 1, 0xe1e10, 1);
	CHECK_EQ(created(&t, 1, 0xe1e10), 0);
	CHECK(strstr(vt_state(&t), " gpadls=1"));
	g = hvh_gpadl_find(t.p.vmbus, 0xe1e10);
	CHECK(g);
	CHECK_EQ(g->nr_pfns, 1);
	CHECK_EQ(g->pfn[0], PFN0);
	CHECK_EQ(g->byte_count, HV_PAGE_SIZE);
	CHECK_EQ(g->relid, 1);
	CHECK_EQ(vt_teardown(&t, 1, 0xe1e10), 1);
	CHECK(strstr(vt_state(&t), " gpadls=0"));
	CHECK(!hvh_gpadl_find(t.p.vmbus, 0xe1e10));
	vt_fini(&t);
}

static void gpadl_100_pages(void)
{
	struct hvh_gpadl *g;
	struct hv_message m;
	uint32_t i;
	struct tp t;

	setup(&t, 1);
	CHECK_EQ(post_header(&t, 1, 7, 100), 26);
	post_body(&t, 7, 26, 28);
	post_body(&t, 7, 54, 28);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);		/* not complete yet */
	CHECK(strstr(vt_state(&t), " gpadls=0"));
	CHECK(!hvh_gpadl_find(t.p.vmbus, 7));
	post_body(&t, 7, 82, 18);
	CHECK_EQ(created(&t, 1, 7), 0);
	g = hvh_gpadl_find(t.p.vmbus, 7);
	CHECK(g);
	CHECK_EQ(g->nr_pfns, 100);
	for (i = 0; i < 100; i++)
		CHECK_EQ(g->pfn[i], PFN0 + i);
	/* A body after completion belongs to nothing. */
	post_body(&t, 7, 0, 1);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 1);
	vt_fini(&t);
}

static void gpadl_bad_pfn(void)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX] __attribute__((aligned(8)));
	uint64_t bad = htole64(TP_RAM_SIZE / HV_PAGE_SIZE), huge = htole64(1ULL << 60);
	struct hv_message m;
	struct tp t;

	setup(&t, 1);
	/* In the header. */
	memset(buf, 0, sizeof(buf));
	((struct vmbus_chanmsg_gpadl_header *)buf)->hdr.msgtype =
		htole32(VMBUS_CHANMSG_GPADL_HEADER);
	((struct vmbus_chanmsg_gpadl_header *)buf)->child_relid = htole32(1);
	((struct vmbus_chanmsg_gpadl_header *)buf)->gpadl = htole32(1);
	((struct vmbus_chanmsg_gpadl_header *)buf)->range_buflen = htole16(16);
	((struct vmbus_chanmsg_gpadl_header *)buf)->range_count = htole16(1);
	buf[20] = 1;				/* byte_count 1 */
	memcpy(buf + 28, &bad, 8);
	CHECK_EQ(vt_post(&t, 1, buf, 36), HV_STATUS_SUCCESS);
	CHECK(created(&t, 1, 1) != 0);
	memcpy(buf + 28, &huge, 8);
	CHECK_EQ(vt_post(&t, 1, buf, 36), HV_STATUS_SUCCESS);
	CHECK(created(&t, 1, 1) != 0);
	/* In a body: the GPADL is dropped, later bodies are orphans. */
	post_header(&t, 1, 2, 60);
	post_body(&t, 2, 26, 28);
	memset(buf, 0, sizeof(buf));
	((struct vmbus_chanmsg_gpadl_body *)buf)->hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_BODY);
	((struct vmbus_chanmsg_gpadl_body *)buf)->gpadl = htole32(2);
	memcpy(buf + 16, &bad, 8);
	CHECK_EQ(vt_post(&t, 1, buf, 24), HV_STATUS_SUCCESS);
	CHECK(created(&t, 1, 2) != 0);
	post_body(&t, 2, 54, 6);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK(strstr(vt_state(&t), " gpadls=0"));
	CHECK_EQ(t.p.vmbus->nr_gpadls, 0);
	vt_fini(&t);
}

static void gpadl_duplicate_handle(void)
{
	struct tp t;

	setup(&t, 2);
	post_header(&t, 1, 5, 2);
	CHECK_EQ(created(&t, 1, 5), 0);
	post_header(&t, 2, 5, 1);			/* same handle, other channel */
	CHECK(created(&t, 2, 5) != 0);
	CHECK(hvh_gpadl_find(t.p.vmbus, 5));
	CHECK_EQ(hvh_gpadl_find(t.p.vmbus, 5)->relid, 1);
	/* In progress counts as in use too. */
	post_header(&t, 2, 6, 40);
	post_header(&t, 2, 6, 1);
	CHECK(created(&t, 2, 6) != 0);
	post_body(&t, 6, 26, 14);
	CHECK_EQ(created(&t, 2, 6), 0);
	CHECK(strstr(vt_state(&t), " gpadls=2"));
	vt_fini(&t);
}

static void gpadl_bad_header(void)
{
	uint8_t buf[HV_MESSAGE_PAYLOAD_MAX] __attribute__((aligned(8)));
	struct vmbus_chanmsg_gpadl_header *h = (void *)buf;
	struct hv_message m;
	struct tp t;

	setup(&t, 1);
	post_header(&t, 2, 9, 1);			/* relid not offered */
	CHECK(created(&t, 2, 9) != 0);
	memset(buf, 0, sizeof(buf));
	h->hdr.msgtype = htole32(VMBUS_CHANMSG_GPADL_HEADER);
	h->child_relid = htole32(1);
	h->gpadl = htole32(9);
	h->range_buflen = htole16(16);
	h->range_count = htole16(2);			/* two ranges */
	buf[21] = 0x10;					/* byte_count 4096 */
	buf[28] = PFN0;
	CHECK_EQ(vt_post(&t, 1, buf, 36), HV_STATUS_SUCCESS);
	CHECK(created(&t, 1, 9) != 0);
	h->range_count = htole16(1);
	h->range_buflen = htole16(20);			/* not 8 + 8n */
	CHECK_EQ(vt_post(&t, 1, buf, 36), HV_STATUS_SUCCESS);
	CHECK(created(&t, 1, 9) != 0);
	h->range_buflen = htole16(24);			/* 2 PFNs for 1 page */
	CHECK_EQ(vt_post(&t, 1, buf, 36), HV_STATUS_SUCCESS);
	CHECK(created(&t, 1, 9) != 0);
	h->range_buflen = htole16(16);
	CHECK_EQ(vt_post(&t, 1, buf, 44), HV_STATUS_SUCCESS);	/* more PFNs than buflen */
	CHECK(created(&t, 1, 9) != 0);
	CHECK_EQ(vt_post(&t, 1, buf, 27), HV_STATUS_SUCCESS);	/* short: dropped */
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_MALFORMED), 1);
	CHECK_EQ(vt_post(&t, 1, buf, 36), HV_STATUS_SUCCESS);	/* now right */
	CHECK_EQ(created(&t, 1, 9), 0);
	vt_fini(&t);
}

static void gpadl_teardown_checks(void)
{
	struct hv_message m;
	struct tp t;

	setup(&t, 2);
	post_header(&t, 1, 3, 1);
	CHECK_EQ(created(&t, 1, 3), 0);
	CHECK_EQ(vt_teardown(&t, 2, 3), 0);		/* wrong channel */
	CHECK_EQ(vt_teardown(&t, 1, 4), 0);		/* unknown handle */
	post_header(&t, 1, 4, 30);
	CHECK_EQ(vt_teardown(&t, 1, 4), 0);		/* still being built */
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_PROTOCOL_ERRORS), 3);
	CHECK_EQ(vt_teardown(&t, 1, 3), 1);
	/* Short teardown: malformed. */
	CHECK_EQ(vt_post(&t, 1, "\x0b\0\0\0\0\0\0\0\1\0\0\0", 12), HV_STATUS_SUCCESS);
	CHECK_EQ(stat_get(&t.p.stats, STAT_VMBUS_MALFORMED), 1);
	vt_fini(&t);
}

static void gpadl_reset_on_unload(void)
{
	struct hv_message m;
	struct tp t;

	setup(&t, 1);
	post_header(&t, 1, 1, 1);
	CHECK_EQ(created(&t, 1, 1), 0);
	post_header(&t, 1, 2, 50);			/* half built */
	CHECK_EQ(t.p.vmbus->nr_gpadls, 2);
	CHECK_EQ(vt_post_hdr(&t, VMBUS_CHANMSG_UNLOAD), HV_STATUS_SUCCESS);
	CHECK_EQ(vt_recv(&t, 0, &m), VMBUS_CHANMSG_UNLOAD_RESPONSE);
	CHECK_EQ(t.p.vmbus->nr_gpadls, 0);
	/* And on a new INITIATE_CONTACT while connected. */
	vt_connect(&t, 1);
	post_header(&t, 1, 1, 1);			/* handle 1 is free again */
	CHECK_EQ(created(&t, 1, 1), 0);
	CHECK_EQ(vt_contact(&t, VMBUS_VERSION_IRON, 0, 0, NULL), 1);
	CHECK(!strcmp(vt_state(&t),
		      "version=0x50003 connected=1 target_vp=0 offers=1 requested=0 gpadls=0 subchannels=0"));
	vt_fini(&t);
}

/* A GPADL_HEADER of @pages pages announcing range_buflen @buflen, one PFN. */
static void big_header(struct tp *t, uint32_t handle, uint64_t pages, uint16_t buflen)
{
	uint64_t pfn = PFN0;

	vt_gpadl_header(t, 1, handle, 0, (uint32_t)(pages * HV_PAGE_SIZE - 1), buflen, &pfn, 1);
}

/* 64 MiB: 16384 PFNs, range_buflen 8 + 8 * 16384 truncated to 16 bits (= 8). */
static void gpadl_large(void)
{
	static uint64_t pfn[16384];
	struct hvh_gpadl *g;
	struct hv_message m;
	uint32_t i;
	struct tp t;

	setup(&t, 1);
	for (i = 0; i < 16384; i++)
		pfn[i] = PFN0 + i % 64;
	CHECK_EQ(vt_gpadl(&t, 1, 0x64, pfn, 16384, 0, 0), 0);
	g = hvh_gpadl_find(t.p.vmbus, 0x64);
	CHECK(g);
	CHECK_EQ(g->nr_pfns, 16384);
	CHECK_EQ(g->byte_count, 64U << 20);
	CHECK_EQ(g->pfn[16383], PFN0 + 63);
	CHECK(!strcmp(vt_ctl_answer(&t, "vmbus-gpadls", 0), "count=1 pages=16384"));
	/* The untruncated value is wrong on the wire. */
	big_header(&t, 0x65, 16384, 8 + 8 * 26);
	CHECK(created(&t, 1, 0x65) != 0);
	/* 1 GiB is the most; headers reserve their pages, 4 GiB in all. */
	big_header(&t, 0x66, 262145, (8 + 8 * 262145) & 0xffff);
	CHECK(created(&t, 1, 0x66) != 0);
	for (i = 0; i < 3; i++)
		big_header(&t, 0x70 + i, 262144, (8 + 8 * 262144) & 0xffff);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);			/* being built */
	big_header(&t, 0x73, 262144, (8 + 8 * 262144) & 0xffff);
	CHECK(created(&t, 1, 0x73) != 0);			/* 16384 pages too many */
	CHECK_EQ(vt_teardown(&t, 1, 0x64), 1);
	big_header(&t, 0x73, 262144, (8 + 8 * 262144) & 0xffff);
	CHECK_EQ(vt_recv(&t, 0, &m), -1);
	CHECK_EQ(t.p.vmbus->gpadl_pages, 4 * 262144);
	vt_fini(&t);
}

/* Pages hvhost writes itself cannot be shared. */
static void gpadl_host_pages(void)
{
	uint64_t pfn[40];
	uint32_t i;
	struct tp t;

	vt_init_echo(&t, 2, 1);
	vt_connect(&t, 1);
	for (i = 0; i < 40; i++)
		pfn[i] = PFN0 + i;
	pfn[0] = TP_SIMP(0) >> HV_PAGE_SHIFT;
	CHECK(vt_gpadl(&t, 1, 1, pfn, 1, 0, 0) != 0);		/* VP 0's SIMP */
	pfn[0] = TP_SIEFP(1) >> HV_PAGE_SHIFT;
	CHECK(vt_gpadl(&t, 1, 2, pfn, 1, 0, 0) != 0);		/* VP 1's SIEFP */
	pfn[0] = PFN0;
	pfn[30] = TP_SIMP(1) >> HV_PAGE_SHIFT;			/* in a body */
	CHECK(vt_gpadl(&t, 1, 3, pfn, 40, 0, 0) != 0);
	pfn[30] = PFN0 + 100;
	CHECK(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, (PFN0 + 100) << HV_PAGE_SHIFT | 1, 0) == 0);
	CHECK(vt_gpadl(&t, 1, 4, pfn, 40, 0, 0) != 0);		/* the TSC page */
	CHECK(reg_set(&t.p, 0, HV_REG_REFERENCE_TSC, (PFN0 + 100) << HV_PAGE_SHIFT, 0) == 0);
	CHECK_EQ(vt_gpadl(&t, 1, 5, pfn, 40, 0, 0), 0);		/* disabled: fine */
	CHECK(reg_set(&t.p, 0, HV_REG_X64_HYPERCALL, (PFN0 + 1) << HV_PAGE_SHIFT | 1, 0) == 0);
	CHECK(vt_gpadl(&t, 1, 6, pfn, 40, 0, 0) != 0);		/* the hypercall page */
	reg_set(&t.p, 1, HV_REG_SIMP, 0, 0);			/* VP 1's SIMP off */
	pfn[1] = TP_SIMP(1) >> HV_PAGE_SHIFT;
	CHECK_EQ(vt_gpadl(&t, 1, 7, pfn + 1, 1, 0, 0), 0);
	vt_fini(&t);
}
const struct unit_test hvh_gpadl_tests[] = {
	{ "gpadl_one_page", gpadl_one_page },
	{ "gpadl_100_pages", gpadl_100_pages },
	{ "gpadl_bad_pfn", gpadl_bad_pfn },
	{ "gpadl_duplicate_handle", gpadl_duplicate_handle },
	{ "gpadl_bad_header", gpadl_bad_header },
	{ "gpadl_teardown_checks", gpadl_teardown_checks },
	{ "gpadl_reset_on_unload", gpadl_reset_on_unload },
	{ "gpadl_large", gpadl_large },
	{ "gpadl_host_pages", gpadl_host_pages },
	{ NULL, NULL },
};
