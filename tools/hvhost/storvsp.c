// SPDX-License-Identifier: GPL-2.0
/*
 * storvsp: the VSTOR packets of a SCSI controller's channels (see
 * storvsp.h).  Runs on the channel worker, one packet at a time.
 *
 * Checks, in order, before anything is acted on (the guest is untrusted):
 * the packet is DATA_INBAND, or DATA_GPA_DIRECT for an EXECUTE_SRB with
 * data; its payload holds a whole vstor_packet (VSTOR_PACKET_SIZE, what
 * every guest >= 5.1 sends); then per operation: init operations only on
 * the primary and in order; EXECUTE_SRB only once initialised, with
 * cdb_length 1..16, data_in one of the three values, a transfer length
 * up to max_transfer that a GPA-direct packet with exactly one range
 * describes (byte_count equal to it, byte_offset < 4096, exactly the PFNs
 * spanned, nothing after them, every page in guest RAM) and srb_flags
 * that do not contradict data_in.  A packet failing a check is counted
 * (malformed), logged rate-limited, and answered with
 * VSTOR_STATUS_INVALID_PARAMETER (an SRB also with SRB_STATUS_INVALID_REQUEST)
 * if it asked for a completion with a non-zero transaction id, else dropped.
 * A well-formed operation the state does not allow gets
 * VSTOR_STATUS_INVALID_DEVICE_STATE.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "storvsp.h"
#include "util.h"
#include "vmbus_srv.h"

#define GPA_HDR_LEN	((uint32_t)sizeof(struct vmbus_pkt_gpa_direct))
#define RANGE_LEN	((uint32_t)sizeof(struct vmbus_pkt_range))

/* One packet being served. */
struct sv_req {
	struct hvh_chan *ch;
	struct storvsp *sp;
	const struct hvh_ring_pkt *pkt;
	const uint8_t *buf;		/* the whole packet (worker's copy) */
	struct vstor_packet v;		/* copy of the request (zero-padded if short) */
	uint32_t op;
	bool answer;			/* completion requested with a transaction id */
};

/* Answer @rq with its request, operation COMPLETE_IO and @status. */
static void sv_answer(struct sv_req *rq, uint32_t status)
{
	struct vstor_packet r = rq->v;

	if (!rq->answer)
		return;
	r.operation = htole32(VSTOR_OP_COMPLETE_IO);
	r.flags = 0;
	r.status = htole32(status);
	storvsp_complete(rq->ch, rq->pkt->trans_id, &r);
}

/* A packet failing the checks: counted, logged, answered as an error if it can be. */
static void sv_malformed(struct sv_req *rq, const char *why)
{
	struct vstor_packet r = rq->v;

	__atomic_fetch_add(&rq->sp->malformed, 1, __ATOMIC_RELAXED);
	hvh_chan_count(rq->ch, CHAN_MALFORMED, 1);
	hvh_chan_warn(rq->ch, "storvsp: %s (operation %u, type %u, %u bytes)%s", why, rq->op,
		      rq->pkt->type, rq->pkt->len, rq->answer ? "" : ": dropped");
	if (!rq->answer)
		return;
	r.operation = htole32(VSTOR_OP_COMPLETE_IO);
	r.flags = 0;
	r.status = htole32(VSTOR_STATUS_INVALID_PARAMETER);
	if (rq->op == VSTOR_OP_EXECUTE_SRB) {
		r.srb.length = htole16(sizeof(r.srb));
		r.srb.srb_status = SRB_STATUS_INVALID_REQUEST;
		r.srb.scsi_status = VSTOR_SCSI_GOOD;
		r.srb.sense_info_length = 0;
		r.srb.data_transfer_length = 0;
		scsi_count(&rq->sp->tgt, SCSI_ST_ERRORS, 1);
	}
	storvsp_complete(rq->ch, rq->pkt->trans_id, &r);
}

static bool is_primary(struct sv_req *rq)
{
	return rq->ch->relid == rq->sp->relid;
}

static enum storvsp_state get_state(struct storvsp *sp)
{
	enum storvsp_state st;

	pthread_mutex_lock(&sp->lock);
	st = sp->state;
	pthread_mutex_unlock(&sp->lock);
	return st;
}

/* Move from @from to @to; false (nothing changed) if the state is not @from. */
static bool move_state(struct storvsp *sp, enum storvsp_state from, enum storvsp_state to)
{
	bool ok;

	pthread_mutex_lock(&sp->lock);
	ok = sp->state == from;
	if (ok)
		sp->state = to;
	pthread_mutex_unlock(&sp->lock);
	return ok;
}

static void sv_version(struct sv_req *rq)
{
	uint16_t v = le16toh(rq->v.version.major_minor), max;

	if (get_state(rq->sp) != STORVSP_BEGUN) {
		sv_answer(rq, VSTOR_STATUS_INVALID_DEVICE_STATE);
		return;
	}
	pthread_mutex_lock(&rq->sp->lock);
	max = rq->sp->max_version;
	pthread_mutex_unlock(&rq->sp->lock);
	if ((v != VSTOR_VERSION_WIN10 && v != VSTOR_VERSION_WIN8_1 && v != VSTOR_VERSION_WIN8) ||
	    v > max) {
		sv_answer(rq, VSTOR_STATUS_REVISION_MISMATCH);	/* the guest tries the next */
		return;
	}
	pthread_mutex_lock(&rq->sp->lock);
	rq->sp->version = v;
	pthread_mutex_unlock(&rq->sp->lock);
	move_state(rq->sp, STORVSP_BEGUN, STORVSP_VERSIONED);
	sv_answer(rq, VSTOR_STATUS_SUCCESS);
}

static void sv_properties(struct sv_req *rq)
{
	struct vstor_channel_props *pr = &rq->v.props;

	if (!move_state(rq->sp, STORVSP_VERSIONED, STORVSP_PROPS)) {
		sv_answer(rq, VSTOR_STATUS_INVALID_DEVICE_STATE);
		return;
	}
	memset(rq->v.raw, 0, sizeof(rq->v.raw));
	pr->max_channel_cnt = htole16((uint16_t)rq->sp->max_sub);
	pr->flags = htole32(rq->sp->max_sub ? VSTOR_PROP_MULTI_CHANNEL : 0);
	pr->max_transfer_bytes = htole32(rq->sp->max_transfer);
	sv_answer(rq, VSTOR_STATUS_SUCCESS);
}

static void sv_sub_channels(struct sv_req *rq)
{
	uint16_t n = le16toh(rq->v.sub_channel_count);
	enum storvsp_state st = get_state(rq->sp);
	uint32_t have, max;
	int rc;

	if (st != STORVSP_PROPS && st != STORVSP_READY) {
		sv_answer(rq, VSTOR_STATUS_INVALID_DEVICE_STATE);
		return;
	}
	if (!n || n > rq->sp->max_sub) {
		sv_answer(rq, VSTOR_STATUS_INVALID_PARAMETER);
		return;
	}
	rc = hvh_sub_request(rq->ch, n, &have, &max);
	if (rc == -ESHUTDOWN)
		return;		/* the channel is stopping: nobody waits */
	sv_answer(rq, rc ? VSTOR_STATUS_INVALID_PARAMETER : VSTOR_STATUS_SUCCESS);
}

static void sv_reset(struct sv_req *rq)
{
	const struct vmscsi_request *srb = &rq->v.srb;

	if (get_state(rq->sp) != STORVSP_READY) {
		sv_answer(rq, VSTOR_STATUS_INVALID_DEVICE_STATE);
		return;
	}
	storvsp_reset(rq->sp, rq->op, srb->path_id, srb->target_id, srb->lun);
	sv_answer(rq, VSTOR_STATUS_SUCCESS);
}

/* An init operation (primary only): BEGIN, versions, properties, END. */
static void sv_init_op(struct sv_req *rq)
{
	bool ok;

	if (!is_primary(rq)) {
		sv_answer(rq, VSTOR_STATUS_INVALID_DEVICE_STATE);
		return;
	}
	switch (rq->op) {
	case VSTOR_OP_BEGIN_INITIALIZATION:
		ok = move_state(rq->sp, STORVSP_CLOSED, STORVSP_BEGUN);
		sv_answer(rq, ok ? VSTOR_STATUS_SUCCESS : VSTOR_STATUS_INVALID_DEVICE_STATE);
		break;
	case VSTOR_OP_QUERY_PROTOCOL_VERSION:
		sv_version(rq);
		break;
	case VSTOR_OP_QUERY_PROPERTIES:
		sv_properties(rq);
		break;
	case VSTOR_OP_END_INITIALIZATION:
		ok = move_state(rq->sp, STORVSP_PROPS, STORVSP_READY);
		sv_answer(rq, ok ? VSTOR_STATUS_SUCCESS : VSTOR_STATUS_INVALID_DEVICE_STATE);
		break;
	default:
		sv_sub_channels(rq);
	}
}

/*
 * Check the one GPA range of EXECUTE_SRB @rq against @len.  Returns the
 * number of PFNs, or 0 (malformed; *@why says how).
 */
static uint32_t sv_check_range(struct sv_req *rq, uint32_t len, const char **why)
{
	const struct guestmem *gm = &rq->ch->p->mem;
	uint32_t end = rq->pkt->data_offset, bc, bo, n, k;
	uint64_t pfn;

	*why = "GPA range header";
	if (end < GPA_HDR_LEN + RANGE_LEN || get_le32(rq->buf + GPA_HDR_LEN - 4) != 1)
		return 0;
	bc = get_le32(rq->buf + GPA_HDR_LEN);
	bo = get_le32(rq->buf + GPA_HDR_LEN + 4);
	*why = "GPA range does not match the transfer length";
	if (bc != len || bo >= HV_PAGE_SIZE)
		return 0;
	n = (uint32_t)VMBUS_PAGES_SPANNED(bo, bc);
	if ((end - GPA_HDR_LEN - RANGE_LEN) / 8 != n || (end - GPA_HDR_LEN - RANGE_LEN) % 8)
		return 0;
	*why = "GPA range outside guest RAM";
	for (k = 0; k < n; k++) {
		pfn = get_le64(rq->buf + GPA_HDR_LEN + RANGE_LEN + 8 * k);
		if (pfn >= 1ULL << (64 - HV_PAGE_SHIFT) ||
		    !gm_range_ok(gm, pfn << HV_PAGE_SHIFT, HV_PAGE_SIZE))
			return 0;
	}
	*why = NULL;
	return n;
}

/* Why EXECUTE_SRB @rq is malformed (its range aside), or NULL. */
static const char *sv_check_srb(struct sv_req *rq, uint32_t len)
{
	const struct vmscsi_request *srb = &rq->v.srb;
	uint32_t flags = le32toh(srb->srb_flags);

	if (!srb->cdb_length || srb->cdb_length > VSTOR_CDB_MAX)
		return "cdb_length not 1..16";
	if (srb->data_in > VSTOR_DATA_UNKNOWN)
		return "bad data_in";
	if (len > rq->sp->max_transfer)
		return "transfer longer than max_transfer_bytes";
	if (!len)
		return rq->pkt->type == VMBUS_PKT_DATA_INBAND ? NULL : "GPA range without data";
	if (rq->pkt->type != VMBUS_PKT_DATA_GPA_DIRECT)
		return "data without a GPA range";
	if (srb->data_in == VSTOR_DATA_UNKNOWN ||
	    (srb->data_in == VSTOR_DATA_READ && (flags & SRB_FLAGS_DATA_OUT)) ||
	    (srb->data_in == VSTOR_DATA_WRITE && (flags & SRB_FLAGS_DATA_IN)))
		return "data_in contradicts the SRB flags";
	return NULL;
}

static void sv_execute_srb(struct sv_req *rq)
{
	uint32_t len = le32toh(rq->v.srb.data_transfer_length), n = 0;
	struct storvsp_job *job;
	const char *why;

	if (get_state(rq->sp) != STORVSP_READY) {
		rq->v.srb.srb_status = SRB_STATUS_INVALID_REQUEST;
		rq->v.srb.data_transfer_length = 0;
		sv_answer(rq, VSTOR_STATUS_INVALID_DEVICE_STATE);
		return;
	}
	why = sv_check_srb(rq, len);
	if (!why && len)
		n = sv_check_range(rq, len, &why);
	if (why) {
		sv_malformed(rq, why);
		return;
	}
	storvsp_wait_room(rq->sp, rq->ch);
	job = storvsp_job_new(n);
	if (!job) {
		rq->v.srb.srb_status = SRB_STATUS_BUSY;
		sv_answer(rq, VSTOR_STATUS_DEVICE_BUSY);
		return;
	}
	job->ch = rq->ch;
	job->tid = rq->pkt->trans_id;
	job->pkt = rq->v;
	if (n) {
		job->byte_offset = get_le32(rq->buf + GPA_HDR_LEN + 4);
		for (job->nr_pfns = 0; job->nr_pfns < n; job->nr_pfns++)
			job->pfn[job->nr_pfns] = get_le64(rq->buf + GPA_HDR_LEN + RANGE_LEN +
							  8 * job->nr_pfns);
	}
	__atomic_fetch_add(&rq->ch->vsp_count, 1, __ATOMIC_RELAXED);
	if (!rq->answer)
		job->cancelled = true;	/* run it, answer nothing */
	storvsp_submit(rq->sp, job);
}

static void sv_packet(struct hvh_chan *ch, const struct hvh_ring_pkt *pkt, const uint8_t *buf)
{
	struct sv_req rq = { .ch = ch, .sp = ch->vsp_ctx, .pkt = pkt, .buf = buf };
	uint32_t payload = pkt->len - pkt->data_offset;

	rq.answer = (pkt->flags & VMBUS_PKT_FLAG_COMPLETION) && pkt->trans_id &&
		    pkt->type != VMBUS_PKT_COMP;
	memcpy(&rq.v, buf + pkt->data_offset, payload < sizeof(rq.v) ? payload : sizeof(rq.v));
	rq.op = payload >= 4 ? le32toh(rq.v.operation) : 0;
	if (pkt->type != VMBUS_PKT_DATA_INBAND && pkt->type != VMBUS_PKT_DATA_GPA_DIRECT) {
		sv_malformed(&rq, "packet type");
		return;
	}
	if (payload < VSTOR_PACKET_SIZE) {
		sv_malformed(&rq, "payload shorter than a vstor_packet");
		return;
	}
	if (pkt->type == VMBUS_PKT_DATA_GPA_DIRECT && rq.op != VSTOR_OP_EXECUTE_SRB) {
		sv_malformed(&rq, "GPA range on a non-SRB operation");
		return;
	}
	switch (rq.op) {
	case VSTOR_OP_EXECUTE_SRB:
		sv_execute_srb(&rq);
		break;
	case VSTOR_OP_RESET_LUN:
	case VSTOR_OP_RESET_BUS:
	case VSTOR_OP_RESET_ADAPTER:
		sv_reset(&rq);
		break;
	case VSTOR_OP_BEGIN_INITIALIZATION:
	case VSTOR_OP_END_INITIALIZATION:
	case VSTOR_OP_QUERY_PROTOCOL_VERSION:
	case VSTOR_OP_QUERY_PROPERTIES:
	case VSTOR_OP_CREATE_SUB_CHANNELS:
		sv_init_op(&rq);
		break;
	default:
		sv_malformed(&rq, "unknown operation");
	}
}

/* A new open of the primary starts the VSTOR state machine over. */
static void sv_open(struct hvh_chan *ch)
{
	struct storvsp *sp = ch->vsp_ctx;

	if (ch->relid != sp->relid)
		return;
	pthread_mutex_lock(&sp->lock);
	sp->state = STORVSP_CLOSED;
	sp->version = 0;
	pthread_mutex_unlock(&sp->lock);
}

/*
 * NTSTATUS for an SRB status, as OpenVMM's host maps it:
 * vm/devices/storage/storvsp/src/lib.rs, convert_srb_status_to_nt_status().
 */
static uint32_t srb_ntstatus(uint8_t srb_status)
{
	switch (SRB_STATUS_CODE(srb_status)) {
	case SRB_STATUS_SUCCESS:
		return VSTOR_STATUS_SUCCESS;
	case SRB_STATUS_DATA_OVERRUN:
		return VSTOR_STATUS_BUFFER_OVERFLOW;
	case SRB_STATUS_INVALID_LUN:
		return VSTOR_STATUS_DEVICE_DOES_NOT_EXIST;
	default:
		return VSTOR_STATUS_IO_DEVICE_ERROR;
	}
}

void storvsp_srb_result(const struct vstor_packet *req, const struct scsi_cmd *c,
			struct vstor_packet *resp)
{
	struct vmscsi_request *srb = &resp->srb;
	uint8_t room = req->srb.sense_info_length;

	*resp = *req;
	resp->operation = htole32(VSTOR_OP_COMPLETE_IO);
	resp->flags = 0;
	srb->length = htole16(sizeof(*srb));
	srb->sense_info_length = 0;
	srb->scsi_status = VSTOR_SCSI_GOOD;
	switch (c->res) {
	case SCSI_RES_GOOD:
		/*
		 * No flag bits on success or overrun: Linux drivers/scsi/storvsc_drv.c,
		 * storvsc_command_completion(), compares the raw status byte.
		 */
		srb->srb_status = c->xfer < c->len ? SRB_STATUS_DATA_OVERRUN : SRB_STATUS_SUCCESS;
		srb->data_transfer_length = htole32(c->xfer);
		break;
	case SCSI_RES_CHECK:
		srb->scsi_status = VSTOR_SCSI_CHECK_CONDITION;
		srb->srb_status = SRB_STATUS_ERROR;
		srb->data_transfer_length = 0;
		memset(srb->sense_data, 0, sizeof(srb->sense_data));
		if (room > VSTOR_SENSE_SIZE)
			room = VSTOR_SENSE_SIZE;
		if (room > c->sense_len)
			room = c->sense_len;
		if (room) {
			memcpy(srb->sense_data, c->sense, room);
			srb->sense_info_length = room;
			srb->srb_status |= SRB_STATUS_AUTOSENSE_VALID;
		}
		break;
	default:
		srb->scsi_status = VSTOR_SCSI_CHECK_CONDITION;
		srb->srb_status = SRB_STATUS_INVALID_LUN;
		srb->data_transfer_length = 0;
	}
	resp->status = htole32(srb_ntstatus(srb->srb_status));
}

const struct hvh_vsp storvsp_vsp = {
	.name = "storvsp",
	.packet = sv_packet,
	.open = sv_open,
	.stop = storvsp_stop_chan,
	.get = storvsp_get,
	.put = storvsp_put,
};
