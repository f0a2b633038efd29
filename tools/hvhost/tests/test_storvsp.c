// SPDX-License-Identifier: GPL-2.0
/*
 * storvsp end to end on fake guest memory: a SCSI controller over a
 * temporary file, its channel opened by the test, VSTOR packets written
 * into the guest -> host ring, completions read from the host -> guest
 * ring (include/hyperv/vstor.h).
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hyperv/vstor.h"
#include "test_vmbus.h"

#define RING_BASE	0x40	/* primary rings: 0x40 .. 0x4f */
#define SUB_RING	0x50	/* a subchannel's: 0x50 .. 0x57 */
#define DATA_PFN	0x90	/* data buffers from here */
#define WAIT_MS		5000

struct sv {
	struct tp t;
	char path[3][64];
	struct gring g2h[2], h2g[2];	/* [0] primary, [1] the subchannel */
	uint8_t buf[4096];
	uint32_t len;
	struct vstor_packet resp;
};

static void sv_path(struct sv *s, unsigned int i)
{
	snprintf(s->path[i], sizeof(s->path[i]), "/tmp/hvhost-storvsp-%d-%u.img", (int)getpid(), i);
	unlink(s->path[i]);
}

/* Open relid @relid over @n ring pages from @base (half each way), interrupts to VP 1. */
static void sv_open_chan(struct sv *s, uint32_t relid, uint64_t base, uint32_t n, unsigned int k)
{
	uint64_t pfn[16];
	uint32_t i;

	for (i = 0; i < n; i++)
		pfn[i] = base + i;
	vt_ring_open(&s->t, relid, 0x100 + relid, pfn, n, n / 2, 1, &s->g2h[k], &s->h2g[k]);
}

/* A controller with @max_sub subchannels and one 1 MiB LUN; relid 1 open. */
static void sv_setup(struct sv *s, unsigned int max_sub)
{
	struct storvsp_config *sc;
	struct hvh_config c;
	char spec[96], err[256];

	memset(s->path, 0, sizeof(s->path));
	sv_path(s, 0);
	hvh_config_default(&c);
	sc = hvh_config_new_scsi(&c);
	CHECK(sc);
	sc->max_sub = max_sub;
	snprintf(spec, sizeof(spec), "%s:1M", s->path[0]);
	CHECK_EQ(storvsp_config_add_disk(sc, spec, err, sizeof(err)), 0);
	vt_init(&s->t, 2, &c);
	hvh_config_release(&c);
	vt_connect(&s->t, 1);
	sv_open_chan(s, 1, RING_BASE, 16, 0);
}

static void sv_fini(struct sv *s)
{
	unsigned int i;

	vt_fini(&s->t);
	for (i = 0; i < 3; i++)
		if (s->path[i][0])
			unlink(s->path[i]);
}

static void sv_put(struct sv *s, unsigned int k, const void *pkt, uint32_t len, uint32_t relid)
{
	vt_ring_send(&s->t, relid, &s->g2h[k], pkt, len);
}

/* Send @v inband on channel @k (relid @relid) with @flags and @tid; @len payload bytes. */
static void sv_send_len(struct sv *s, unsigned int k, uint32_t relid, uint16_t flags,
			uint64_t tid, const struct vstor_packet *v, uint32_t len)
{
	static uint8_t pkt[512];

	sv_put(s, k, pkt, vt_pkt(pkt, VMBUS_PKT_DATA_INBAND, flags, tid, NULL, 0, v, len),
	       relid);
}

static void sv_send(struct sv *s, uint64_t tid, const struct vstor_packet *v)
{
	sv_send_len(s, 0, 1, VMBUS_PKT_FLAG_COMPLETION, tid, v, sizeof(*v));
}

/* Wait up to @ms for the next packet of channel @k into s->buf; its length or 0. */
static uint32_t sv_recv(struct sv *s, unsigned int k, uint32_t relid, unsigned int ms)
{
	s->len = vt_ring_get(&s->t, relid, &s->h2g[k], s->buf, sizeof(s->buf), ms);
	return s->len;
}

/* The next packet must be of @type with @tid; its vstor_packet into s->resp. */
static struct vstor_packet *sv_answer_on(struct sv *s, unsigned int k, uint32_t relid,
					 uint16_t type, uint64_t tid)
{
	const struct vmbus_pkt_desc *d = (const void *)s->buf;
	uint32_t off;

	CHECK(sv_recv(s, k, relid, WAIT_MS));
	CHECK_EQ(le16toh(d->type), type);
	CHECK_EQ(le64toh(d->trans_id), tid);
	off = le16toh(d->data_offset8) * 8;
	CHECK_EQ(s->len - off, VSTOR_PACKET_SIZE);
	memcpy(&s->resp, s->buf + off, sizeof(s->resp));
	return &s->resp;
}

static struct vstor_packet *sv_answer(struct sv *s, uint64_t tid)
{
	struct vstor_packet *r = sv_answer_on(s, 0, 1, VMBUS_PKT_COMP, tid);

	CHECK_EQ(le32toh(r->operation), VSTOR_OP_COMPLETE_IO);
	return r;
}

static void pkt_op(struct vstor_packet *v, uint32_t op)
{
	memset(v, 0, sizeof(*v));
	v->operation = htole32(op);
	v->flags = htole32(VSTOR_FLAG_REQUEST_COMPLETION);
}

/* One init operation; returns the answer's status. */
static uint32_t sv_op(struct sv *s, uint32_t op, uint16_t arg)
{
	static uint64_t tid = 0x1000;
	struct vstor_packet v;

	pkt_op(&v, op);
	if (op == VSTOR_OP_QUERY_PROTOCOL_VERSION)
		v.version.major_minor = htole16(arg);
	if (op == VSTOR_OP_CREATE_SUB_CHANNELS)
		v.sub_channel_count = htole16(arg);
	sv_send(s, ++tid, &v);
	return le32toh(sv_answer(s, tid)->status);
}

static void sv_init(struct sv *s)
{
	CHECK_EQ(sv_op(s, VSTOR_OP_BEGIN_INITIALIZATION, 0), 0);
	CHECK_EQ(sv_op(s, VSTOR_OP_QUERY_PROTOCOL_VERSION, VSTOR_VERSION_WIN10), 0);
	CHECK_EQ(sv_op(s, VSTOR_OP_QUERY_PROPERTIES, 0), 0);
	CHECK_EQ(sv_op(s, VSTOR_OP_END_INITIALIZATION, 0), 0);
}

/* An SRB: @cdb (@n bytes), @len bytes of data at DATA_PFN page @page + @off, @data_in. */
static void srb_fill(struct vstor_packet *v, const uint8_t *cdb, uint8_t n, uint32_t len,
		     uint8_t data_in)
{
	pkt_op(v, VSTOR_OP_EXECUTE_SRB);
	v->srb.length = htole16(sizeof(v->srb));
	v->srb.cdb_length = n;
	memcpy(v->srb.cdb, cdb, n);
	v->srb.sense_info_length = VSTOR_SENSE_SIZE;
	v->srb.data_in = len ? data_in : VSTOR_DATA_UNKNOWN;
	v->srb.data_transfer_length = htole32(len);
	v->srb.srb_flags = htole32(SRB_FLAGS_DISABLE_SYNCH_TRANSFER |
				   (!len ? 0 : data_in == VSTOR_DATA_READ ? SRB_FLAGS_DATA_IN :
				    SRB_FLAGS_DATA_OUT));
}

/*
 * Send SRB @v with a GPA range of @bc bytes at @off into the pages from
 * DATA_PFN + @page (@nranges ranges; @pfn_over: first PFN replaced).
 */
static void srb_send_gpa(struct sv *s, uint64_t tid, const struct vstor_packet *v,
			 uint32_t page, uint32_t off, uint32_t bc, uint32_t nranges, uint64_t pfn0)
{
	static uint8_t hdr[1024], pkt[2048];
	uint32_t pos = 8, n = (uint32_t)VMBUS_PAGES_SPANNED(off, bc), i, r, le32v;
	uint64_t le64v;

	memset(hdr, 0, sizeof(hdr));
	le32v = htole32(nranges);
	memcpy(hdr + 4, &le32v, 4);
	for (r = 0; r < nranges; r++) {
		le32v = htole32(bc);
		memcpy(hdr + pos, &le32v, 4);
		le32v = htole32(off);
		memcpy(hdr + pos + 4, &le32v, 4);
		pos += 8;
		for (i = 0; i < n; i++, pos += 8) {
			le64v = htole64(!i && pfn0 ? pfn0 : DATA_PFN + page + i);
			memcpy(hdr + pos, &le64v, 8);
		}
	}
	sv_put(s, 0, pkt, vt_pkt(pkt, VMBUS_PKT_DATA_GPA_DIRECT, VMBUS_PKT_FLAG_COMPLETION, tid,
				 hdr, pos, v, sizeof(*v)), 1);
}

static void rw10_cdb(uint8_t *cdb, bool write, uint32_t lba, uint16_t n)
{
	memset(cdb, 0, 10);
	cdb[0] = write ? 0x2a : 0x28;
	cdb[2] = lba >> 24;
	cdb[3] = (lba >> 16) & 0xff;
	cdb[4] = (lba >> 8) & 0xff;
	cdb[5] = lba & 0xff;
	cdb[7] = n >> 8;
	cdb[8] = n & 0xff;
}

static long long sv_stat(struct sv *s, const char *key)
{
	return vt_key(vt_ctl_answer(&s->t, "scsi-stats 1", 0), key);
}

static void storvsp_init_order(void)
{
	static const uint8_t tur[6] = { 0 };
	struct vstor_packet v, *r;
	struct sv s;

	sv_setup(&s, 2);
	srb_fill(&v, tur, 6, 0, 0);
	sv_send(&s, 1, &v);
	r = sv_answer(&s, 1);
	CHECK_EQ(le32toh(r->status), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK(r->srb.srb_status != SRB_STATUS_SUCCESS);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROPERTIES, 0), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK_EQ(sv_op(&s, VSTOR_OP_BEGIN_INITIALIZATION, 0), 0);
	CHECK_EQ(sv_op(&s, VSTOR_OP_BEGIN_INITIALIZATION, 0), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROPERTIES, 0), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROTOCOL_VERSION, 0x0a00),
		 VSTOR_STATUS_REVISION_MISMATCH);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROTOCOL_VERSION, 0x0402),
		 VSTOR_STATUS_REVISION_MISMATCH);
	CHECK_EQ(sv_op(&s, VSTOR_OP_END_INITIALIZATION, 0), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROTOCOL_VERSION, VSTOR_VERSION_WIN8), 0);
	CHECK_EQ(le16toh(s.resp.version.major_minor), VSTOR_VERSION_WIN8);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROTOCOL_VERSION, VSTOR_VERSION_WIN10),
		 VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK_EQ(sv_op(&s, VSTOR_OP_END_INITIALIZATION, 0), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROPERTIES, 0), 0);
	CHECK_EQ(le16toh(s.resp.props.max_channel_cnt), 2);
	CHECK_EQ(le32toh(s.resp.props.flags), VSTOR_PROP_MULTI_CHANNEL);
	CHECK_EQ(le32toh(s.resp.props.max_transfer_bytes), 1024 * 1024);
	CHECK_EQ(sv_op(&s, VSTOR_OP_END_INITIALIZATION, 0), 0);
	CHECK_EQ(sv_op(&s, VSTOR_OP_BEGIN_INITIALIZATION, 0), VSTOR_STATUS_INVALID_DEVICE_STATE);
	sv_send(&s, 2, &v);
	r = sv_answer(&s, 2);
	CHECK_EQ(le32toh(r->status), 0);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK_EQ(r->srb.scsi_status, 0);
	/* A new open starts over. */
	vt_close(&s.t, 1);
	memset(s.t.ram + RING_BASE * HV_PAGE_SIZE, 0, 16 * HV_PAGE_SIZE);
	CHECK_EQ(vt_open(&s.t, 1, 0x101, 8, 1), 0);
	sv_send(&s, 3, &v);
	CHECK_EQ(le32toh(sv_answer(&s, 3)->status), VSTOR_STATUS_INVALID_DEVICE_STATE);
	sv_fini(&s);
}

static void storvsp_subchannels(void)
{
	static const uint8_t tur[6] = { 0 };
	const struct vmbus_chanmsg_offer *o;
	struct vstor_packet v, *r;
	struct hv_message m;
	unsigned int i;
	struct sv s;

	sv_setup(&s, 2);
	CHECK_EQ(sv_op(&s, VSTOR_OP_CREATE_SUB_CHANNELS, 1), VSTOR_STATUS_INVALID_DEVICE_STATE);
	sv_init(&s);
	CHECK_EQ(sv_op(&s, VSTOR_OP_CREATE_SUB_CHANNELS, 3), VSTOR_STATUS_INVALID_PARAMETER);
	CHECK_EQ(sv_op(&s, VSTOR_OP_CREATE_SUB_CHANNELS, 0), VSTOR_STATUS_INVALID_PARAMETER);
	CHECK_EQ(sv_op(&s, VSTOR_OP_CREATE_SUB_CHANNELS, 2), 0);
	for (i = 0; i < 2; i++) {
		static const struct hv_guid scsi = VMBUS_CLASS_SCSI;

		CHECK_EQ(vt_recv(&s.t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
		o = (const void *)m.payload;
		CHECK_EQ(le16toh(o->sub_channel_index), i + 1);
		CHECK_EQ(le32toh(o->child_relid), i + 2);
		CHECK(!memcmp(&o->if_type, &scsi, sizeof(scsi)));
	}
	CHECK_EQ(vt_key(vt_state(&s.t), "subchannels"), 2);
	sv_open_chan(&s, 2, SUB_RING, 8, 1);
	srb_fill(&v, tur, 6, 0, 0);
	sv_send_len(&s, 1, 2, VMBUS_PKT_FLAG_COMPLETION, 7, &v, sizeof(v));
	r = sv_answer_on(&s, 1, 2, VMBUS_PKT_COMP, 7);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_SUCCESS);
	pkt_op(&v, VSTOR_OP_QUERY_PROPERTIES);			/* init ops: primary only */
	sv_send_len(&s, 1, 2, VMBUS_PKT_FLAG_COMPLETION, 8, &v, sizeof(v));
	r = sv_answer_on(&s, 1, 2, VMBUS_PKT_COMP, 8);
	CHECK_EQ(le32toh(r->status), VSTOR_STATUS_INVALID_DEVICE_STATE);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-stats 1", 0), " relid=1:srbs=0 relid=2:srbs=1 relid=3:srbs=0"));
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-stats 2", -1)[0], 'e');	/* a subchannel */
	CHECK(!strcmp(vt_ctl_answer(&s.t, "vmbus-rescind 1", 0), "ok"));
	sv_fini(&s);
}

static void storvsp_io(void)
{
	uint8_t cdb[16], *src = NULL, *dst;
	struct vstor_packet v, *r;
	unsigned int i;
	struct sv s;

	sv_setup(&s, 0);
	sv_init(&s);
	src = s.t.ram + DATA_PFN * HV_PAGE_SIZE + 0x100;
	dst = s.t.ram + (DATA_PFN + 8) * HV_PAGE_SIZE + 0x200;
	for (i = 0; i < 8192; i++)
		src[i] = (uint8_t)(i * 3 + 5);
	rw10_cdb(cdb, true, 40, 16);					/* 8 KiB over 3 pages */
	srb_fill(&v, cdb, 10, 8192, VSTOR_DATA_WRITE);
	srb_send_gpa(&s, 0x21, &v, 0, 0x100, 8192, 1, 0);
	r = sv_answer(&s, 0x21);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK_EQ(le32toh(r->srb.data_transfer_length), 8192);
	rw10_cdb(cdb, false, 40, 16);
	srb_fill(&v, cdb, 10, 8192, VSTOR_DATA_READ);
	srb_send_gpa(&s, 0x22, &v, 8, 0x200, 8192, 1, 0);
	r = sv_answer(&s, 0x22);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK(!memcmp(src, dst, 8192));
	/* INQUIRY with a 96-byte buffer: DATA_OVERRUN, 36 bytes. */
	memset(cdb, 0, sizeof(cdb));
	cdb[0] = 0x12;
	cdb[4] = 96;
	srb_fill(&v, cdb, 6, 96, VSTOR_DATA_READ);
	srb_send_gpa(&s, 0x23, &v, 16, 0, 96, 1, 0);
	r = sv_answer(&s, 0x23);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_DATA_OVERRUN);
	CHECK_EQ(le32toh(r->srb.data_transfer_length), 36);
	CHECK_EQ(le32toh(r->status), VSTOR_STATUS_BUFFER_OVERFLOW);
	/* Past the end: CHECK CONDITION, autosense. */
	rw10_cdb(cdb, false, 2047, 2);
	srb_fill(&v, cdb, 10, 1024, VSTOR_DATA_READ);
	srb_send_gpa(&s, 0x24, &v, 16, 0, 1024, 1, 0);
	r = sv_answer(&s, 0x24);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
	CHECK_EQ(r->srb.scsi_status, VSTOR_SCSI_CHECK_CONDITION);
	CHECK_EQ(r->srb.sense_info_length, SCSI_SENSE_LEN);
	CHECK_EQ(r->srb.sense_data[2], SCSI_KEY_ILLEGAL_REQUEST);
	CHECK_EQ(r->srb.sense_data[12], SCSI_ASC_LBA_OUT_OF_RANGE);
	/* An absent LUN. */
	memset(cdb, 0, sizeof(cdb));
	srb_fill(&v, cdb, 6, 0, 0);
	v.srb.lun = 3;
	sv_send(&s, 0x25, &v);
	r = sv_answer(&s, 0x25);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_INVALID_LUN);
	CHECK_EQ(le32toh(r->status), VSTOR_STATUS_DEVICE_DOES_NOT_EXIST);
	/* A medium error. */
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 medium 0 41 1", 0), "ok"));
	rw10_cdb(cdb, false, 40, 16);
	srb_fill(&v, cdb, 10, 8192, VSTOR_DATA_READ);
	srb_send_gpa(&s, 0x26, &v, 8, 0x200, 8192, 1, 0);
	r = sv_answer(&s, 0x26);
	CHECK_EQ(r->srb.sense_data[2], SCSI_KEY_MEDIUM_ERROR);
	CHECK_EQ(r->srb.sense_data[12], SCSI_ASC_UNRECOVERED_READ);
	CHECK_EQ(r->srb.sense_data[6], 41);
	CHECK_EQ(sv_stat(&s, "reads"), 1);
	CHECK_EQ(sv_stat(&s, "writes"), 1);
	CHECK_EQ(sv_stat(&s, "read_bytes"), 8192);
	CHECK_EQ(sv_stat(&s, "errors"), 3);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-stats 1", 0), "relid=1:srbs=6"));
	sv_fini(&s);
}

/* A malformed SRB @v with a GPA range as given: INVALID_PARAMETER / INVALID_REQUEST. */
static void expect_bad(struct sv *s, uint64_t tid)
{
	struct vstor_packet *r = sv_answer(s, tid);

	CHECK_EQ(le32toh(r->status), VSTOR_STATUS_INVALID_PARAMETER);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_INVALID_REQUEST);
}

static void storvsp_malformed(void)
{
	uint8_t cdb[16];
	struct vstor_packet v;
	struct sv s;

	sv_setup(&s, 0);
	sv_init(&s);
	rw10_cdb(cdb, true, 0, 8);
	srb_fill(&v, cdb, 10, 4096, VSTOR_DATA_WRITE);
	sv_send_len(&s, 0, 1, VMBUS_PKT_FLAG_COMPLETION, 1, &v, 0x30);	/* pre-Win8 size */
	expect_bad(&s, 1);
	srb_send_gpa(&s, 2, &v, 0, 0, 2048, 1, 0);		/* range shorter than the transfer */
	expect_bad(&s, 2);
	srb_send_gpa(&s, 3, &v, 0, 0, 4096, 1, TP_RAM_SIZE / HV_PAGE_SIZE);	/* outside RAM */
	expect_bad(&s, 3);
	srb_send_gpa(&s, 4, &v, 0, 0, 4096, 2, 0);		/* two ranges */
	expect_bad(&s, 4);
	sv_send(&s, 5, &v);					/* data without a range */
	expect_bad(&s, 5);
	v.srb.cdb_length = 17;
	srb_send_gpa(&s, 6, &v, 0, 0, 4096, 1, 0);
	expect_bad(&s, 6);
	v.srb.cdb_length = 10;
	v.srb.srb_flags = htole32(SRB_FLAGS_DATA_IN);		/* contradicts data_in */
	srb_send_gpa(&s, 7, &v, 0, 0, 4096, 1, 0);
	expect_bad(&s, 7);
	srb_fill(&v, cdb, 10, 1024 * 1024, VSTOR_DATA_WRITE);	/* above max_transfer */
	sv_send(&s, 8, &v);
	expect_bad(&s, 8);
	pkt_op(&v, 99);
	sv_send(&s, 9, &v);
	CHECK_EQ(le32toh(sv_answer(&s, 9)->status), VSTOR_STATUS_INVALID_PARAMETER);
	pkt_op(&v, VSTOR_OP_QUERY_PROPERTIES);			/* GPA range on a non-SRB */
	srb_send_gpa(&s, 10, &v, 0, 0, 4096, 1, 0);
	CHECK_EQ(le32toh(sv_answer(&s, 10)->status), VSTOR_STATUS_INVALID_PARAMETER);
	/* Without a completion requested, or with id 0: dropped; the next one is answered. */
	sv_send_len(&s, 0, 1, 0, 11, &v, 0x30);
	sv_send_len(&s, 0, 1, VMBUS_PKT_FLAG_COMPLETION, 0, &v, 0x30);
	rw10_cdb(cdb, false, 0, 8);
	srb_fill(&v, cdb, 10, 4096, VSTOR_DATA_READ);
	srb_send_gpa(&s, 12, &v, 0, 0, 4096, 1, 0);
	CHECK_EQ(sv_answer(&s, 12)->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK_EQ(sv_stat(&s, "malformed"), 12);
	CHECK_EQ(vt_chan_key(&s.t, 1, "malformed"), 12);
	sv_fini(&s);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The queue fault: with at most one SRB queued and every thread holding a
 * delayed one, the worker takes no more SRBs (it stops reading the ring
 * after the batch it has: the guest's packets stay there); clearing the
 * fault lets everything through, answered.
 */
/* scsi-max-version: newer versions are refused from the next negotiation on. */
static void storvsp_max_version(void)
{
	struct sv s;

	sv_setup(&s, 0);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-max-version 1 6.0", 0), "ok"));
	CHECK_EQ(sv_op(&s, VSTOR_OP_BEGIN_INITIALIZATION, 0), 0);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROTOCOL_VERSION, VSTOR_VERSION_WIN10),
		 VSTOR_STATUS_REVISION_MISMATCH);
	CHECK_EQ(sv_op(&s, VSTOR_OP_QUERY_PROTOCOL_VERSION, VSTOR_VERSION_WIN8_1), 0);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-max-version 1 none", 0), "ok"));
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-max-version 1 7.0", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-max-version 9 6.0", -1)[0], 'e');
	sv_fini(&s);
}

static void storvsp_queue_fault(void)
{
	static const uint8_t tur[6] = { 0 };
	struct vstor_packet v;
	char want[64];
	unsigned int i;
	struct sv s;

	sv_setup(&s, 0);
	sv_init(&s);
	srb_fill(&v, tur, 6, 0, 0);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 queue 1", 0), "ok"));
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 delay 300", 0), "ok"));
	for (i = 0; i < STORVSP_THREADS + 4; i++)
		sv_send(&s, 100 + i, &v);
	vt_sleep_ms(100);
	/* THREADS running and 1 queued; the worker waits with the next one. */
	snprintf(want, sizeof(want), "relid=1:srbs=%u", STORVSP_THREADS + 1);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-stats 1", 0), want));
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 clear", 0), "ok"));
	for (i = 0; i < STORVSP_THREADS + 4; i++)
		CHECK(sv_recv(&s, 0, 1, WAIT_MS));
	snprintf(want, sizeof(want), "relid=1:srbs=%u", STORVSP_THREADS + 4);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-stats 1", 0), want));
	CHECK_EQ(sv_stat(&s, "dropped"), 0);
	sv_fini(&s);
}

static void storvsp_faults(void)
{
	static const uint8_t tur[6] = { 0 };
	struct vstor_packet v;
	uint64_t t0;
	struct sv s;

	sv_setup(&s, 0);
	sv_init(&s);
	srb_fill(&v, tur, 6, 0, 0);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 drop 1", 0), "ok"));
	sv_send(&s, 1, &v);
	CHECK_EQ(sv_recv(&s, 0, 1, 100), 0);
	sv_send(&s, 2, &v);
	CHECK_EQ(sv_answer(&s, 2)->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK_EQ(sv_stat(&s, "dropped"), 1);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 delay 100", 0), "ok"));
	t0 = now_ms();
	sv_send(&s, 3, &v);
	sv_answer(&s, 3);
	CHECK(now_ms() - t0 >= 90);
	/* Lowering the delay releases a held completion at once. */
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 delay 20000", 0), "ok"));
	sv_send(&s, 8, &v);
	CHECK_EQ(sv_recv(&s, 0, 1, 50), 0);
	t0 = now_ms();
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 delay 0", 0), "ok"));
	sv_answer(&s, 8);
	CHECK(now_ms() - t0 < 2000);
	/* A reset cancels a delayed SRB of its scope and is answered at once. */
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 delay 20000", 0), "ok"));
	sv_send(&s, 4, &v);
	vt_sleep_ms(20);
	t0 = now_ms();
	CHECK_EQ(sv_op(&s, VSTOR_OP_RESET_LUN, 0), 0);
	CHECK(now_ms() - t0 < 2000);
	CHECK_EQ(sv_recv(&s, 0, 1, 50), 0);
	CHECK_EQ(sv_stat(&s, "dropped"), 2);
	/* Closing the channel with a delayed SRB does not wait for it. */
	sv_send(&s, 5, &v);
	vt_sleep_ms(20);
	t0 = now_ms();
	vt_close(&s.t, 1);
	CHECK(now_ms() - t0 < 2000);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 clear", 0), "ok"));
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-fault 1 bogus", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-fault 1 queue 65537", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-fault 1 delay", -1)[0], 'e');
	sv_fini(&s);
}

/* The payload length of the packet in s->buf (descriptor and padding off). */
static uint32_t sv_payload_len(struct sv *s)
{
	const struct vmbus_pkt_desc *d = (const void *)s->buf;

	return s->len - le16toh(d->data_offset8) * 8;
}

/* scsi-fault corrupt: each kind mangles exactly the next N completions. */
static void storvsp_corrupt_fault(void)
{
	static const uint8_t tur[6] = { 0 };
	struct vstor_packet v, *r;
	struct sv s;

	sv_setup(&s, 0);
	sv_init(&s);
	srb_fill(&v, tur, 6, 0, 0);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt short 2", 0), "ok"));
	sv_send(&s, 1, &v);
	CHECK(sv_recv(&s, 0, 1, WAIT_MS));
	CHECK_EQ(sv_payload_len(&s), 8);
	sv_send(&s, 2, &v);
	CHECK(sv_recv(&s, 0, 1, WAIT_MS));
	CHECK_EQ(sv_payload_len(&s), 8);
	sv_send(&s, 3, &v);					/* the fault is spent */
	CHECK_EQ(sv_answer(&s, 3)->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt op 1", 0), "ok"));
	sv_send(&s, 4, &v);
	r = sv_answer_on(&s, 0, 1, VMBUS_PKT_COMP, 4);
	CHECK_EQ(le32toh(r->operation), VSTOR_OP_EXECUTE_SRB);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt xfer 1", 0), "ok"));
	sv_send(&s, 5, &v);
	r = sv_answer(&s, 5);
	CHECK_EQ(r->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK_EQ(le32toh(r->srb.data_transfer_length), UINT32_MAX);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt sense 1", 0), "ok"));
	sv_send(&s, 6, &v);
	r = sv_answer(&s, 6);
	CHECK_EQ(r->srb.scsi_status, VSTOR_SCSI_CHECK_CONDITION);
	CHECK_EQ(r->srb.sense_info_length, 255);
	CHECK_EQ(sv_stat(&s, "corrupted"), 5);
	/* clear disarms it. */
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt op 5", 0), "ok"));
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-fault 1 clear", 0), "ok"));
	sv_send(&s, 7, &v);
	CHECK_EQ(sv_answer(&s, 7)->srb.srb_status, SRB_STATUS_SUCCESS);
	CHECK_EQ(sv_stat(&s, "corrupted"), 5);
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt bogus 1", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt op", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-fault 1 corrupt op 1 2", -1)[0], 'e');
	sv_fini(&s);
}

/* scsi-notify and a quiet scsi-lun-remove. */
static void storvsp_notify_ctl(void)
{
	const struct vmbus_pkt_desc *d;
	struct sv s;

	sv_setup(&s, 0);
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-notify 1 enumerate", -1)[0], 'e');	/* not ready */
	sv_init(&s);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-notify 1 remove", 0), "ok"));
	sv_answer_on(&s, 0, 1, VMBUS_PKT_DATA_INBAND, 0);
	d = (const void *)s.buf;
	CHECK_EQ(le16toh(d->flags), 0);
	CHECK_EQ(le32toh(s.resp.operation), VSTOR_OP_REMOVE_DEVICE);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-notify 1 enumerate", 0), "ok"));
	sv_answer_on(&s, 0, 1, VMBUS_PKT_DATA_INBAND, 0);
	CHECK_EQ(le32toh(s.resp.operation), VSTOR_OP_ENUMERATE_BUS);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-notify 1 77", 0), "ok"));
	sv_answer_on(&s, 0, 1, VMBUS_PKT_DATA_INBAND, 0);
	CHECK_EQ(le32toh(s.resp.operation), 77);
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-notify 1 0", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-notify 1 x", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-notify 9 enumerate", -1)[0], 'e');
	/* quiet: the LUN goes, the guest hears nothing. */
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-lun-remove 1 0 quiet", 0), "ok"));
	CHECK_EQ(sv_recv(&s, 0, 1, 50), 0);
	CHECK(!strstr(vt_ctl_answer(&s.t, "scsi-luns 1", 0), "lun=0 "));
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-lun-remove 1 0 loud", -1)[0], 'e');
	sv_fini(&s);
}

static void storvsp_ctl(void)
{
	const struct vmbus_pkt_desc *d;
	struct hv_message m;
	char cmd[160];
	struct sv s;

	sv_setup(&s, 0);
	sv_path(&s, 1);
	sv_path(&s, 2);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-luns 1", 0), "lun=0 path=/tmp/hvhost-storvsp-"));
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-luns 1", 0), " blocks=2048"));
	snprintf(cmd, sizeof(cmd), "scsi-lun-add 1 1 %s:2M", s.path[1]);
	CHECK(!strcmp(vt_ctl_answer(&s.t, cmd, 0), "ok"));	/* not initialised: no message */
	CHECK_EQ(sv_recv(&s, 0, 1, 20), 0);
	sv_init(&s);
	CHECK(!strcmp(vt_ctl_answer(&s.t, "scsi-lun-remove 1 1", 0), "ok"));
	sv_answer_on(&s, 0, 1, VMBUS_PKT_DATA_INBAND, 0);
	d = (const void *)s.buf;
	CHECK_EQ(le16toh(d->flags), 0);
	CHECK_EQ(le32toh(s.resp.operation), VSTOR_OP_ENUMERATE_BUS);
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-lun-remove 1 1", -1)[0], 'e');
	CHECK(!strcmp(vt_ctl_answer(&s.t, cmd, 0), "ok"));
	sv_answer_on(&s, 0, 1, VMBUS_PKT_DATA_INBAND, 0);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-luns 1", 0), "\nlun=1 path="));
	CHECK_EQ(vt_ctl_answer(&s.t, cmd, -1)[0], 'e');			/* LUN 1 taken */
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-luns 5", -1)[0], 'e');
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-lun-add 1 1 nosize", -1)[0], 'e');
	/* Hot-add a controller: offered at once. */
	snprintf(cmd, sizeof(cmd), "vmbus-offer scsi %s:1M", s.path[2]);
	CHECK(!strcmp(vt_ctl_answer(&s.t, cmd, 0), "relid=2"));
	CHECK_EQ(vt_recv(&s.t, 0, &m), VMBUS_CHANMSG_OFFERCHANNEL);
	CHECK(strstr(vt_ctl_answer(&s.t, "scsi-luns 2", 0), s.path[2]));
	CHECK_EQ(vt_ctl_answer(&s.t, "vmbus-offer scsi /x", -1)[0], 'e');
	CHECK(!strcmp(vt_ctl_answer(&s.t, "vmbus-rescind 2", 0), "ok"));
	CHECK_EQ(vt_recv(&s.t, 0, &m), VMBUS_CHANMSG_RESCIND_CHANNELOFFER);
	vt_relid_msg(&s.t, VMBUS_CHANMSG_RELID_RELEASED, 2);	/* the controller is freed */
	CHECK_EQ(vt_ctl_answer(&s.t, "scsi-luns 2", -1)[0], 'e');
	sv_fini(&s);
}

static int cfg_parse(struct hvh_config *c, const char *text, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	CHECK(f);
	rc = hvh_config_parse(c, "t.conf", f, err, 256);
	fclose(f);
	return rc;
}

static void storvsp_config(void)
{
	struct hvh_config c;
	char err[256];

	hvh_config_default(&c);
	CHECK_EQ(cfg_parse(&c, "scsi subchannels=2 max-transfer=256K disk=/tmp/a:1M disk=/tmp/b:2M\n"
			   "echo\nscsi\n", err), 0);
	CHECK_EQ(c.nr_scsi, 2);
	CHECK_EQ(c.nr_file, 1);
	CHECK_EQ(c.scsi[0].max_sub, 2);
	CHECK_EQ(c.scsi[0].max_transfer, 256 * 1024);
	CHECK_EQ(c.scsi[0].nr_disks, 2);
	CHECK(!strcmp(c.scsi[0].disk[1].path, "/tmp/b"));
	CHECK_EQ(c.scsi[0].disk[1].size, 2 << 20);
	CHECK_EQ(c.scsi[1].max_sub, HVH_SRV_DEFAULT_SUB);
	CHECK_EQ(c.scsi[1].nr_disks, 0);
	CHECK_EQ(cfg_parse(&c, "scsi foo=1\n", err), -1);
	CHECK(!strcmp(err, "t.conf:1: scsi: unknown key 'foo' (subchannels, max-transfer, disk)"));
	CHECK_EQ(cfg_parse(&c, "scsi disk=/tmp/a\n", err), -1);
	CHECK_EQ(cfg_parse(&c, "scsi max-transfer=100\n", err), -1);
	CHECK_EQ(cfg_parse(&c, "scsi subchannels=65\n", err), -1);
	hvh_config_release(&c);
	CHECK_EQ(c.nr_scsi, 0);
}

const struct unit_test storvsp_tests[] = {
	{ "storvsp_init_order", storvsp_init_order },
	{ "storvsp_subchannels", storvsp_subchannels },
	{ "storvsp_io", storvsp_io },
	{ "storvsp_malformed", storvsp_malformed },
	{ "storvsp_faults", storvsp_faults },
	{ "storvsp_queue_fault", storvsp_queue_fault },
	{ "storvsp_max_version", storvsp_max_version },
	{ "storvsp_corrupt_fault", storvsp_corrupt_fault },
	{ "storvsp_notify_ctl", storvsp_notify_ctl },
	{ "storvsp_ctl", storvsp_ctl },
	{ "storvsp_config", storvsp_config },
	{ NULL, NULL },
};
