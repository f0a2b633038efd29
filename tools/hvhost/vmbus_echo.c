// SPDX-License-Identifier: GPL-2.0
/*
 * The echo device's VSP: the host half of include/hyperv/hvecho.h.  Runs
 * on the channel's worker thread, one packet at a time (vmbus_chan.h).
 *
 * Every packet is the worker's private copy, its descriptor already
 * checked by the ring.  Here: the payload must hold a struct hvecho_hdr
 * (else the packet is dropped and counted as malformed, as are packets of
 * a type the device does not take); a GPA-direct packet's ranges are all
 * checked (count > 0, each range inside data_offset8 * 8 with exactly the
 * PFNs its byte_offset + byte_count span, byte_offset < 4096, every page
 * in guest RAM, nothing after the last range) before any guest page is
 * touched.  Answers: VMBUS_PKT_COMP with the request's trans_id when the
 * request asked for a completion, else VMBUS_PKT_DATA_INBAND with the same
 * trans_id and flags 0.  An ECHO whose answer can never fit the outbound
 * ring gets status HVECHO_ST_BAD_LEN.  SUBCHANNELS is served by the server
 * (vmbus_sub.c), which this worker may only lock without blocking.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "hyperv/hvecho.h"
#include "util.h"
#include "vmbus_srv.h"

#define HDR_LEN		((uint32_t)sizeof(struct hvecho_hdr))
#define GPA_HDR_LEN	((uint32_t)sizeof(struct vmbus_pkt_gpa_direct))
#define ALIGN8(x)	(((x) + 7ULL) & ~7ULL)

/* One request being served. */
struct echo_req {
	struct hvh_chan *ch;
	const struct hvh_ring_pkt *pkt;
	const uint8_t *buf;		/* the whole packet */
	struct hvecho_hdr hdr;		/* copy of the request's header */
	uint32_t op;
	uint32_t len;
	uint64_t arg;
	const uint8_t *data;		/* after the header */
	uint32_t data_len;		/* payload bytes after the header, padding included */
};

/* Answer @rq: its header with @status, @len and @arg, then @data_len bytes. */
static int echo_answer(struct echo_req *rq, uint32_t status, uint32_t len, uint64_t arg,
		       const void *data, uint32_t data_len)
{
	struct hvecho_hdr h = rq->hdr;
	struct hvh_ring_seg seg[2] = { { &h, HDR_LEN }, { data, data_len } };
	uint16_t type = rq->pkt->flags & VMBUS_PKT_FLAG_COMPLETION ? VMBUS_PKT_COMP :
		VMBUS_PKT_DATA_INBAND;

	h.status = htole32(status);
	h.len = htole32(len);
	h.arg = htole64(arg);
	return hvh_chan_send(rq->ch, type, 0, rq->pkt->trans_id, seg, data_len ? 2 : 1);
}

static void echo_fail(struct echo_req *rq, uint32_t status)
{
	echo_answer(rq, status, 0, rq->arg, NULL, 0);
}

static void echo_echo(struct echo_req *rq)
{
	if (rq->pkt->type != VMBUS_PKT_DATA_INBAND) {
		echo_fail(rq, HVECHO_ST_BAD_OP);
		return;
	}
	if (rq->len > HVECHO_MAX_INBAND_DATA || ALIGN8(rq->len) != rq->data_len) {
		echo_fail(rq, HVECHO_ST_BAD_LEN);
		return;
	}
	if (echo_answer(rq, HVECHO_ST_OK, rq->len, rq->arg, rq->data, rq->len) == -EMSGSIZE)
		echo_fail(rq, HVECHO_ST_BAD_LEN);
}

/*
 * Check the range list of GPA-direct request @rq.  Returns 0 with the
 * bytes it describes in *@total, or -1 (malformed or outside guest RAM).
 */
static int echo_check_ranges(struct echo_req *rq, uint64_t *total)
{
	const struct guestmem *gm = &rq->ch->p->mem;
	uint32_t end = rq->pkt->data_offset, pos = GPA_HDR_LEN, count, i, bc, bo;
	uint64_t n, k, pfn;

	*total = 0;
	if (end < GPA_HDR_LEN)
		return -1;
	count = get_le32(rq->buf + GPA_HDR_LEN - 4);
	if (!count)
		return -1;
	for (i = 0; i < count; i++) {
		if (end - pos < sizeof(struct vmbus_pkt_range))
			return -1;
		bc = get_le32(rq->buf + pos);
		bo = get_le32(rq->buf + pos + 4);
		pos += sizeof(struct vmbus_pkt_range);
		if (!bc || bo >= HV_PAGE_SIZE)
			return -1;
		n = VMBUS_PAGES_SPANNED(bo, bc);
		if ((end - pos) / 8 < n)
			return -1;
		for (k = 0; k < n; k++) {
			pfn = get_le64(rq->buf + pos + 8 * k);
			if (pfn >= 1ULL << (64 - HV_PAGE_SHIFT) ||
			    !gm_range_ok(gm, pfn << HV_PAGE_SHIFT, HV_PAGE_SIZE))
				return -1;
		}
		pos += 8 * n;
		*total += bc;
	}
	return pos == end && *total <= UINT32_MAX ? 0 : -1;
}

/* CHECKSUM reads, FILL writes; both keep the CRC of the bytes. */
struct gpa_op {
	bool fill;
	uint8_t next;			/* FILL: the next byte's value */
	uint32_t crc;
	uint8_t tmp[HV_PAGE_SIZE];
};

static void gpa_piece(struct gpa_op *op, uint8_t *gp, uint32_t n)
{
	uint32_t i;

	if (!op->fill) {
		op->crc = crc32_update(op->crc, gp, n);
		return;
	}
	for (i = 0; i < n; i++)
		op->tmp[i] = op->next++;
	memcpy(gp, op->tmp, n);
	op->crc = crc32_update(op->crc, op->tmp, n);	/* what was written, not re-read */
}

/* Run @op over every byte of the (checked) ranges of @rq, in order. */
static void echo_walk(struct echo_req *rq, struct gpa_op *op)
{
	const struct guestmem *gm = &rq->ch->p->mem;
	uint32_t pos = GPA_HDR_LEN, count = get_le32(rq->buf + GPA_HDR_LEN - 4);
	uint32_t i, bc, off, chunk;
	uint64_t k, n, pfn;

	for (i = 0; i < count; i++) {
		bc = get_le32(rq->buf + pos);
		off = get_le32(rq->buf + pos + 4);
		pos += sizeof(struct vmbus_pkt_range);
		n = VMBUS_PAGES_SPANNED(off, bc);
		for (k = 0; bc; k++) {
			chunk = HV_PAGE_SIZE - off < bc ? HV_PAGE_SIZE - off : bc;
			pfn = get_le64(rq->buf + pos + 8 * k);
			gpa_piece(op, gm_ptr(gm, (pfn << HV_PAGE_SHIFT) + off, chunk), chunk);
			bc -= chunk;
			off = 0;
		}
		pos += 8 * n;
	}
}

static void echo_gpa(struct echo_req *rq, bool fill)
{
	struct gpa_op *op;
	uint64_t total;

	if (rq->pkt->type != VMBUS_PKT_DATA_GPA_DIRECT) {
		echo_fail(rq, HVECHO_ST_BAD_OP);
		return;
	}
	if (echo_check_ranges(rq, &total)) {
		hvh_chan_warn(rq->ch, "GPA-direct request with bad ranges");
		echo_fail(rq, HVECHO_ST_BAD_RANGE);
		return;
	}
	op = calloc(1, sizeof(*op));
	if (!op)
		return;		/* no answer: the guest's request times out */
	op->fill = fill;
	op->next = (uint8_t)rq->arg;
	echo_walk(rq, op);
	hvh_chan_count(rq->ch, CHAN_GPA_BYTES, total);
	echo_answer(rq, HVECHO_ST_OK, (uint32_t)total, op->crc, NULL, 0);
	free(op);
}

static void echo_bad_comp(struct echo_req *rq)
{
	struct hvecho_hdr h = rq->hdr;
	struct hvh_ring_seg seg = { &h, HDR_LEN };

	if (rq->pkt->type != VMBUS_PKT_DATA_INBAND) {
		echo_fail(rq, HVECHO_ST_BAD_OP);
		return;
	}
	h.status = htole32(HVECHO_ST_OK);
	h.len = 0;
	/* A completion for an id the guest never issued, then the real one. */
	if (hvh_chan_send(rq->ch, VMBUS_PKT_COMP, 0, rq->arg, &seg, 1))
		return;
	echo_answer(rq, HVECHO_ST_OK, 0, rq->arg, NULL, 0);
}

static void echo_flood(struct echo_req *rq)
{
	struct hvecho_hdr h = { .op = htole32(HVECHO_OP_FLOOD), .len = htole32(rq->len) };
	struct hvh_ring_seg seg[2] = { { &h, HDR_LEN }, { NULL, rq->len } };
	uint8_t *data;
	uint64_t seq;
	uint32_t i;
	int rc = 0;

	if (rq->pkt->type != VMBUS_PKT_DATA_INBAND) {
		echo_fail(rq, HVECHO_ST_BAD_OP);
		return;
	}
	if (rq->len > HVECHO_MAX_INBAND_DATA) {
		echo_fail(rq, HVECHO_ST_BAD_LEN);
		return;
	}
	data = malloc(rq->len + 1);
	if (!data)
		return;
	for (i = 0; i < rq->len; i++)
		data[i] = (uint8_t)i;
	seg[1].buf = data;
	for (seq = 0; seq < rq->arg && !rc && !hvh_chan_stopping(rq->ch); seq++) {
		h.arg = htole64(seq);
		rc = hvh_chan_send(rq->ch, VMBUS_PKT_DATA_INBAND, 0, 0, seg, rq->len ? 2 : 1);
	}
	free(data);
	if (rc == -EMSGSIZE)
		echo_fail(rq, HVECHO_ST_BAD_LEN);
	else if (!rc && !hvh_chan_stopping(rq->ch) &&
		 (rq->pkt->flags & VMBUS_PKT_FLAG_COMPLETION))
		echo_answer(rq, HVECHO_ST_OK, rq->len, rq->arg, NULL, 0);
}

static void echo_subchannels(struct echo_req *rq)
{
	uint32_t have = 0, max = 0;
	int rc;

	if (rq->pkt->type != VMBUS_PKT_DATA_INBAND) {
		echo_fail(rq, HVECHO_ST_BAD_OP);
		return;
	}
	rc = hvh_sub_request(rq->ch, rq->arg, &have, &max);
	if (rc == -EOPNOTSUPP)
		echo_fail(rq, HVECHO_ST_UNSUPPORTED);
	else if (!rc)		/* after the offers were queued */
		echo_answer(rq, HVECHO_ST_OK, max, have, NULL, 0);
	/* -ESHUTDOWN: the channel is stopping, nobody waits for an answer. */
}

static void echo_packet(struct hvh_chan *ch, const struct hvh_ring_pkt *pkt, const uint8_t *buf)
{
	struct echo_req rq = { .ch = ch, .pkt = pkt, .buf = buf };
	uint32_t payload = pkt->len - pkt->data_offset;

	if ((pkt->type != VMBUS_PKT_DATA_INBAND && pkt->type != VMBUS_PKT_DATA_GPA_DIRECT) ||
	    payload < HDR_LEN) {
		hvh_chan_count(ch, CHAN_MALFORMED, 1);
		hvh_chan_warn(ch, "dropped a packet of type %u with %u payload bytes",
			      pkt->type, payload);
		return;
	}
	memcpy(&rq.hdr, buf + pkt->data_offset, HDR_LEN);
	rq.op = le32toh(rq.hdr.op);
	rq.len = le32toh(rq.hdr.len);
	rq.arg = le64toh(rq.hdr.arg);
	rq.data = buf + pkt->data_offset + HDR_LEN;
	rq.data_len = payload - HDR_LEN;
	switch (rq.op) {
	case HVECHO_OP_ECHO:
		echo_echo(&rq);
		break;
	case HVECHO_OP_CHECKSUM:
		echo_gpa(&rq, false);
		break;
	case HVECHO_OP_FILL:
		echo_gpa(&rq, true);
		break;
	case HVECHO_OP_BAD_COMP:
		echo_bad_comp(&rq);
		break;
	case HVECHO_OP_FLOOD:
		echo_flood(&rq);
		break;
	case HVECHO_OP_SUBCHANNELS:
		echo_subchannels(&rq);
		break;
	default:
		echo_fail(&rq, HVECHO_ST_BAD_OP);
	}
}

const struct hvh_vsp hvh_echo_vsp = {
	.name = "echo",
	.packet = echo_packet,
};
