// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_echo_test: the inband commands.
 *
 *   echo COUNT SIZE QD [nocomp]  COUNT echo round trips of SIZE data bytes,
 *	at most QD outstanding.  Request seq carries hdr.arg = seq and data
 *	byte i = (u8)(seq + i); it uses slot seq % QD, so a slot is reused
 *	only once its answer arrived.  With completions the answer finds its
 *	slot through the request id; with "nocomp" through hdr.arg.
 *	Result: pkts= bytes= ns= mismatches= eagain=  (bytes: data bytes
 *	echoed, one direction).
 *   badcomp ID   HVECHO_OP_BAD_COMP: the host sends a completion with the
 *	unknown trans_id ID (hv_vmbus drops and counts it), then the real
 *	one.  Result: ok= status=
 *   flood COUNT SIZE   HVECHO_OP_FLOOD: COUNT host->guest packets of SIZE
 *	data bytes, then the completion.  Result: received= misordered= bad=
 *	status=
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vet.h"

#define VET_MAX_COUNT	100000000U

/*
 * An echo answer.  @req: the slot its completion named, NULL for an
 * inband answer (nocomp).  Tasklet context; takes lock.  The data is
 * compared outside the lock: only this callback frees a busy slot and
 * the command reuses only idle ones, so the slot stays put meanwhile.
 */
void vet_rx_echo(struct vet_dev *vd, struct vet_req *req, const struct hvecho_hdr *hdr,
		 const void *data, u32 data_len)
{
	u64 arg = le64_to_cpu(hdr->arg), seq;
	u32 size;
	bool ok;

	spin_lock(&vd->lock);
	if (vd->mode != VET_ECHO || vd->nocomp != !req)
		goto unexpected;
	if (!req) {
		req = &vd->reqs[arg % vd->qd];
		if (!req->busy || req->seq != arg)
			goto unexpected;
	}
	seq = req->seq;
	size = req->size;
	spin_unlock(&vd->lock);

	ok = le32_to_cpu(hdr->op) == HVECHO_OP_ECHO &&
	     le32_to_cpu(hdr->status) == HVECHO_ST_OK &&
	     le32_to_cpu(hdr->len) == size && arg == seq && data_len >= size &&
	     !memcmp(data, vet_pattern + (seq & 0xff), size);

	spin_lock(&vd->lock);
	/* The command may have ended (and another begun) meanwhile. */
	if (vd->mode != VET_ECHO || !req->busy || req->seq != seq)
		goto unexpected;
	WRITE_ONCE(req->busy, false);
	WRITE_ONCE(vd->outstanding, vd->outstanding - 1);
	vd->done++;
	vd->done_bytes += size;
	if (!ok)
		vd->mismatches++;
	spin_unlock(&vd->lock);
	return;

unexpected:
	vd->unexpected++;
	spin_unlock(&vd->lock);
}

/* Claim slot @req for request @seq; it must be idle. */
static void vet_echo_claim(struct vet_dev *vd, struct vet_req *req, u64 seq, u32 size)
{
	spin_lock_bh(&vd->lock);
	req->seq = seq;
	req->size = size;
	req->busy = true;
	vd->outstanding++;
	spin_unlock_bh(&vd->lock);
}

static void vet_echo_unclaim(struct vet_dev *vd, struct vet_req *req)
{
	spin_lock_bh(&vd->lock);
	req->busy = false;
	vd->outstanding--;
	spin_unlock_bh(&vd->lock);
}

/* Send @count requests from @buf (header + room for @size bytes). */
static int vet_echo_send_all(struct vet_dev *vd, u8 *buf, u32 count, u32 size,
			     u32 qd, u32 *eagain)
{
	struct hvecho_hdr *hdr = (struct hvecho_hdr *)buf;
	u32 flags = vd->nocomp ? 0 : VMBUS_SEND_COMPLETION;
	struct vet_req *req;
	u64 seq;
	int ret;

	for (seq = 0; seq < count; seq++) {
		req = &vd->reqs[seq % qd];
		ret = vet_wait(vd, vet_req_idle, req);
		if (ret)
			return ret;
		vet_echo_claim(vd, req, seq, size);
		vet_hdr(hdr, HVECHO_OP_ECHO, size, seq);
		memcpy(buf + sizeof(*hdr), vet_pattern + (seq & 0xff), size);
		ret = vet_send_inband(vd, buf, sizeof(*hdr) + size, flags,
				      vd->nocomp ? NULL : req, eagain);
		if (ret) {
			vet_echo_unclaim(vd, req);
			return ret;
		}
	}
	return vet_wait(vd, vet_no_outstanding, NULL);
}

int vet_cmd_echo(struct vet_dev *vd, u32 count, u32 size, u32 qd, bool nocomp)
{
	u64 t0, ns, done, bytes, mismatches;
	u32 eagain = 0;
	u8 *buf;
	int ret;

	if (!count || count > VET_MAX_COUNT || size > HVECHO_MAX_INBAND_DATA ||
	    !qd || qd > VET_MAX_QD)
		return -EINVAL;
	if (!vd->open)
		return -ENOTCONN;
	buf = kvmalloc(sizeof(struct hvecho_hdr) + size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	vet_begin(vd, VET_ECHO, qd);
	spin_lock_bh(&vd->lock);
	vd->nocomp = nocomp;
	spin_unlock_bh(&vd->lock);

	t0 = ktime_get_ns();
	ret = vet_echo_send_all(vd, buf, count, size, qd, &eagain);
	ns = ktime_get_ns() - t0;

	spin_lock_bh(&vd->lock);
	done = vd->done;
	bytes = vd->done_bytes;
	mismatches = vd->mismatches;
	spin_unlock_bh(&vd->lock);
	vet_end(vd);
	kvfree(buf);

	vet_set_result(vd, "pkts=%llu bytes=%llu ns=%llu mismatches=%llu eagain=%u",
		       done, bytes, ns, mismatches, eagain);
	return ret;
}

int vet_cmd_badcomp(struct vet_dev *vd, u64 id)
{
	struct hvecho_hdr hdr, reply;
	int ret;

	if (!vd->open)
		return -ENOTCONN;
	vet_hdr(&hdr, HVECHO_OP_BAD_COMP, 0, id);
	vet_begin(vd, VET_SINGLE, 1);
	ret = vet_single(vd, &hdr, NULL, 0, &reply);
	vet_end(vd);
	if (ret)
		return ret;
	vet_set_result(vd, "ok=%d status=%u", reply.status == 0,
		       le32_to_cpu(reply.status));
	return reply.status ? -EIO : 0;
}

/* A flood packet.  Tasklet context; takes lock. */
void vet_rx_flood(struct vet_dev *vd, const struct hvecho_hdr *hdr,
		  const void *data, u32 data_len)
{
	u64 seq = le64_to_cpu(hdr->arg);
	u32 size;
	bool ok;

	spin_lock(&vd->lock);
	if (vd->mode != VET_FLOOD) {
		vd->unexpected++;
		spin_unlock(&vd->lock);
		return;
	}
	size = vd->flood_size;
	spin_unlock(&vd->lock);

	ok = le32_to_cpu(hdr->status) == HVECHO_ST_OK &&
	     le32_to_cpu(hdr->len) == size && data_len >= size &&
	     !memcmp(data, vet_pattern, size);

	spin_lock(&vd->lock);
	if (seq != vd->flood_next)
		vd->flood_misordered++;
	vd->flood_next = seq + 1;
	vd->flood_rx++;
	if (!ok)
		vd->flood_bad++;
	spin_unlock(&vd->lock);
}

int vet_cmd_flood(struct vet_dev *vd, u32 count, u32 size)
{
	struct hvecho_hdr hdr, reply = {};
	u64 rx, misordered, bad;
	int ret;

	if (!count || count > VET_MAX_COUNT || size > HVECHO_MAX_INBAND_DATA)
		return -EINVAL;
	if (!vd->open)
		return -ENOTCONN;
	vet_hdr(&hdr, HVECHO_OP_FLOOD, size, count);
	vet_begin(vd, VET_FLOOD, 1);
	spin_lock_bh(&vd->lock);
	vd->flood_size = size;
	spin_unlock_bh(&vd->lock);

	/* In ring order the completion comes after the last flood packet. */
	ret = vet_single(vd, &hdr, NULL, 0, &reply);

	spin_lock_bh(&vd->lock);
	rx = vd->flood_rx;
	misordered = vd->flood_misordered;
	bad = vd->flood_bad;
	spin_unlock_bh(&vd->lock);
	vet_end(vd);

	vet_set_result(vd, "received=%llu misordered=%llu bad=%llu status=%u",
		       rx, misordered, bad, le32_to_cpu(reply.status));
	if (!ret && reply.status)
		ret = -EIO;
	return ret;
}
