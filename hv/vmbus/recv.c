// SPDX-License-Identifier: GPL-2.0
/*
 * The inbound ring: taking packets out and telling the host about space.
 *
 * Data path.  The channel has one reader (its callback, or code the
 * driver serializes with it); it owns in.pos, the private read position,
 * and the bounce buffer.  vmbus_rx_next():
 *
 *   1. reads the host's write_index once and checks it (< size, multiple
 *      of 8; else the ring is broken), then a read barrier: the packet
 *      bytes are read after the index that published them;
 *   2. reads the 16-byte descriptor.  length8 * 8 + trailer must fit in
 *      what is available, or the ring is inconsistent: broken.  A packet
 *      with data_offset8 < 2, length8 < data_offset8 or longer than
 *      max_pkt_size is skipped and counted (rx_dropped);
 *   3. copies the whole packet into the bounce buffer, THEN reads every
 *      field again from the copy only and checks it (the host may change
 *      the ring under us): same length, type-specific headers (GPA direct:
 *      range_count > 0, every range and its PFNs inside data_offset8;
 *      transfer pages: the ranges inside data_offset8), completion ids
 *      (requestor.c: an unknown one is skipped and counted in
 *      comp_unknown);
 *   4. advances in.pos past the trailer; nothing is published yet.
 *
 * vmbus_rx_done() publishes in.pos as read_index after a full barrier (our
 * reads are done before the host may reuse the space), then, after another
 * full barrier, signals the host if it waits for space (Linux
 * drivers/hv/ring_buffer.c, hv_pkt_iter_close()): only if it set the
 * feature bit on this ring, its pending_send_sz is not 0, and this batch
 * moved the free space from <= pending_send_sz to more than it.  Counted in
 * intr_in_full (and events).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>

#include "vmbus_private.h"

/* Why the packet in the bounce buffer is not acceptable, or NULL. */
static const char *vmbus_rx_check_gpa(const u8 *raw, u32 hdr_len)
{
	const struct vmbus_pkt_gpa_direct *h = (const void *)raw;
	const struct vmbus_pkt_range *range;
	u32 i, count, off = sizeof(*h);
	u64 end;

	if (hdr_len < sizeof(*h))
		return "GPA-direct header too short";
	count = le32_to_cpu(h->range_count);
	if (!count)
		return "GPA-direct packet without ranges";
	for (i = 0; i < count; i++) {
		if (off + sizeof(*range) > hdr_len)
			return "GPA-direct ranges overflow the header";
		range = (const void *)(raw + off);
		if (le32_to_cpu(range->byte_offset) >= HV_PAGE_SIZE)
			return "GPA-direct range offset beyond its first page";
		end = off + sizeof(*range) +
		      8 * VMBUS_PAGES_SPANNED(le32_to_cpu(range->byte_offset),
					      le32_to_cpu(range->byte_count));
		if (end > hdr_len)
			return "GPA-direct PFNs overflow the header";
		off = end;
	}
	return NULL;
}

static const char *vmbus_rx_check_xfer(const u8 *raw, u32 hdr_len)
{
	const struct vmbus_pkt_xfer_pages *h = (const void *)raw;

	if (hdr_len < sizeof(*h))
		return "transfer-page header too short";
	if (sizeof(*h) + (u64)le32_to_cpu(h->range_count) *
	    sizeof(struct vmbus_pkt_xfer_range) > hdr_len)
		return "transfer-page ranges overflow the header";
	return NULL;
}

/*
 * Fill @pkt from the @raw_len bytes in the bounce buffer.  Returns NULL,
 * or why the packet is skipped.  Reader context.
 */
static const char *vmbus_rx_parse(struct vmbus_channel *chan, u32 raw_len,
				  struct vmbus_packet *pkt)
{
	const struct vmbus_pkt_desc *d = (const void *)chan->bounce;
	u32 doff = le16_to_cpu(d->data_offset8) * 8;
	unsigned long flags;

	/* Everything again, from the copy: the ring may have changed. */
	if (le16_to_cpu(d->length8) * 8 != raw_len || doff < sizeof(*d) || doff > raw_len)
		return "descriptor changed while it was copied";
	memset(pkt, 0, sizeof(*pkt));
	pkt->type = le16_to_cpu(d->type);
	pkt->flags = le16_to_cpu(d->flags);
	pkt->trans_id = le64_to_cpu(d->trans_id);
	pkt->raw = chan->bounce;
	pkt->raw_len = raw_len;
	pkt->data = chan->bounce + doff;
	pkt->data_len = raw_len - doff;

	switch (pkt->type) {
	case VMBUS_PKT_DATA_INBAND:
		return NULL;
	case VMBUS_PKT_DATA_GPA_DIRECT:
		return vmbus_rx_check_gpa(chan->bounce, doff);
	case VMBUS_PKT_DATA_XFER_PAGES:
		return vmbus_rx_check_xfer(chan->bounce, doff);
	case VMBUS_PKT_COMP:
		spin_lock_irqsave(&chan->lock, flags);
		pkt->req = vmbus_rqst_take(chan, pkt->trans_id);
		spin_unlock_irqrestore(&chan->lock, flags);
		if (pkt->req)
			return NULL;
		atomic64_inc(&chan->st.comp_unknown);
		pr_warn_ratelimited("relid %u: completion with unknown id 0x%llx dropped\n",
				    chan->relid, pkt->trans_id);
		return "";	/* counted as comp_unknown, not rx_dropped */
	default:
		return "unsupported packet type";
	}
}

/* Skip @len bytes of the inbound ring (a packet and its trailer). */
static void vmbus_rx_advance(struct vmbus_channel *chan, u32 len)
{
	chan->in.pos = (chan->in.pos + len) % chan->in.size;
	chan->in_batch += len;
}

static void vmbus_rx_drop(struct vmbus_channel *chan, u16 type, const char *why)
{
	atomic64_inc(&chan->st.rx_dropped);
	pr_warn_ratelimited("relid %u: inbound packet (type %u) dropped: %s\n",
			    chan->relid, type, why);
}

/*
 * Bytes the host has published beyond in.pos: 0 when empty, -EIO (ring
 * broken) when its write_index is invalid.  Reader context.
 */
static int vmbus_rx_avail(struct vmbus_channel *chan)
{
	struct vmbus_ring *r = &chan->in;
	u32 write = le32_to_cpu(READ_ONCE(r->ctl->write_index));

	if (!vmbus_ring_index_ok(r, write)) {
		vmbus_chan_mark_broken(chan, "inbound write_index out of range");
		return -EIO;
	}
	return vmbus_ring_used(r->size, write, r->pos);
}

/*
 * True when the inbound ring has bytes we have not taken (false when it
 * is broken: there is nothing more to read).  Reader context.
 */
bool vmbus_rx_pending(struct vmbus_channel *chan)
{
	return !READ_ONCE(chan->broken) && vmbus_rx_avail(chan) > 0;
}

/* Steps 2-4 for the packet at in.pos: 1 taken, 0 skipped, -EIO. */
static int vmbus_rx_one(struct vmbus_channel *chan, u32 avail, struct vmbus_packet *pkt)
{
	struct vmbus_ring *r = &chan->in;
	struct vmbus_pkt_desc desc;
	u32 len8, doff8, raw_len;
	const char *why;

	if (avail < sizeof(desc) + VMBUS_PKT_TRAILER_LEN) {
		vmbus_chan_mark_broken(chan, "inbound ring holds a partial packet");
		return -EIO;
	}
	memcpy(&desc, r->data + r->pos, sizeof(desc));
	len8 = le16_to_cpu(desc.length8);
	doff8 = le16_to_cpu(desc.data_offset8);
	raw_len = len8 * 8;
	if (raw_len + VMBUS_PKT_TRAILER_LEN > avail) {
		vmbus_chan_mark_broken(chan, "inbound packet longer than the ring data");
		return -EIO;
	}
	if (doff8 < 2 || len8 < doff8 || raw_len > chan->max_pkt_size) {
		vmbus_rx_advance(chan, raw_len + VMBUS_PKT_TRAILER_LEN);
		vmbus_rx_drop(chan, le16_to_cpu(desc.type),
			      raw_len > chan->max_pkt_size ? "larger than max_pkt_size" :
			      "bad data offset or length");
		return 0;
	}
	/* Contiguous even across the end: the data pages are mapped twice. */
	memcpy(chan->bounce, r->data + r->pos, raw_len);
	vmbus_rx_advance(chan, raw_len + VMBUS_PKT_TRAILER_LEN);
	why = vmbus_rx_parse(chan, raw_len, pkt);
	if (!why)
		return 1;
	if (*why)
		vmbus_rx_drop(chan, pkt->type, why);
	return 0;
}

int vmbus_rx_next(struct vmbus_channel *chan, struct vmbus_packet *pkt)
{
	int avail, ret;

	if (READ_ONCE(chan->broken))
		return -EIO;
	if (!vmbus_chan_is_open(chan))
		return 0;
	for (;;) {
		avail = vmbus_rx_avail(chan);
		if (avail <= 0)
			return avail;
		virt_rmb();	/* the packet is read after the index that published it */
		ret = vmbus_rx_one(chan, avail, pkt);
		if (ret)
			return ret;
	}
}
EXPORT_SYMBOL_GPL(vmbus_rx_next);

/* The reader's signalling rule: does the host wait for the space this batch freed? */
static bool vmbus_rx_host_waits(struct vmbus_channel *chan, u32 freed)
{
	struct vmbus_ring *r = &chan->in;
	u32 pending, write, free_now, free_before;

	if (!(le32_to_cpu(READ_ONCE(r->ctl->feature_bits)) & VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return false;
	pending = le32_to_cpu(READ_ONCE(r->ctl->pending_send_sz));
	if (!pending)
		return false;
	write = le32_to_cpu(READ_ONCE(r->ctl->write_index));
	if (!vmbus_ring_index_ok(r, write))
		return false;	/* the next vmbus_rx_next() marks it broken */
	free_now = r->size - vmbus_ring_used(r->size, write, r->pos);
	free_before = free_now > freed ? free_now - freed : 0;
	return free_before <= pending && free_now > pending;
}

void vmbus_rx_done(struct vmbus_channel *chan)
{
	struct vmbus_ring *r = &chan->in;
	u32 freed = chan->in_batch;

	if (!freed || !vmbus_chan_is_open(chan))
		return;
	chan->in_batch = 0;
	virt_mb();	/* our reads are done before the space is handed back */
	WRITE_ONCE(r->ctl->read_index, cpu_to_le32(r->pos));
	virt_mb();	/* the index is visible before pending_send_sz is read */
	if (READ_ONCE(chan->broken) || !vmbus_rx_host_waits(chan, freed))
		return;
	atomic64_inc(&chan->st.intr_in_full);
	vmbus_chan_signal(chan);
}
EXPORT_SYMBOL_GPL(vmbus_rx_done);

/*
 * VMBUS_CB_ISR drivers.  The mask is the reader's field of the inbound
 * control page: while it is set the host does not signal.
 */
void vmbus_chan_mask(struct vmbus_channel *chan)
{
	if (!vmbus_chan_is_open(chan))
		return;
	WRITE_ONCE(chan->in.ctl->interrupt_mask, cpu_to_le32(1));
	/* The mask is visible before the caller reads the ring. */
	virt_mb();
}
EXPORT_SYMBOL_GPL(vmbus_chan_mask);

bool vmbus_chan_unmask(struct vmbus_channel *chan)
{
	if (!vmbus_chan_is_open(chan))
		return false;
	WRITE_ONCE(chan->in.ctl->interrupt_mask, 0);
	/* Unmask, then look again: a packet may have come meanwhile. */
	virt_mb();
	return vmbus_rx_pending(chan);
}
EXPORT_SYMBOL_GPL(vmbus_chan_unmask);
