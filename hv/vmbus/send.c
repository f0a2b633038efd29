// SPDX-License-Identifier: GPL-2.0
/*
 * The outbound ring: sending packets and signalling the host.
 *
 * Data path.  Every send builds its packet straight into the ring under
 * the channel lock (irqsave: senders may run in any context):
 *
 *   1. The ring must be open, not rescinded, not broken.
 *   2. read_index (host-written) is read once and checked (< size,
 *      multiple of 8; else the ring is marked broken: -EIO).  Our write
 *      position is private (ring.pos): the shared write_index is only ever
 *      written by us.
 *   3. Free space = size - (pos - read_index) mod size.  A packet needs
 *      its length plus the 8-byte trailer, and VMBUS_RING_MIN_GAP more
 *      bytes stay free so that a full ring never looks empty.  No room:
 *      -EAGAIN, counted in out_full_total (and out_full_first for the
 *      first of a run).  The request id is taken last, once nothing can
 *      fail any more, so a failed send never holds one.
 *   4. Descriptor, type header, payload, zero padding and the trailer
 *      ((u64)pos << 32) are copied at data + pos (contiguous thanks to
 *      the double mapping).
 *   5. Contract with the host (Linux drivers/hv/ring_buffer.c,
 *      hv_signal_on_write()): a full barrier, so the packet is visible
 *      before the new write_index; publish write_index; a full barrier, so
 *      the index is visible before we look at the host's state; then
 *      signal only if the host's interrupt_mask is 0 AND the ring was
 *      empty before this write (old pos == read_index as read now).  Any
 *      other signal is unwanted (Hyper-V throttles guests that signal
 *      needlessly).  The signal itself is sent after the lock is dropped.
 *
 * vmbus_wait_writable() sets pending_send_sz on the outbound control page
 * (ours to write as the writer), re-checks the free space after a full
 * barrier (the host may have read before seeing it: no lost wake-up), and
 * sleeps on chan->wait_q, which the channel interrupt wakes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/string.h>

#include "vmbus_private.h"

/* One packet to write. */
struct vmbus_out_pkt {
	u16 type;			/* enum vmbus_pkt_type */
	u16 flags;			/* VMBUS_PKT_FLAG_* */
	void *req;			/* non-NULL: take a request id for it */
	const struct vmbus_gpa_desc *ranges;	/* GPA direct only */
	u32 nr_ranges;
	u32 hdr_len;			/* descriptor + type header: data_offset8 * 8 */
	const void *buf;
	u32 len;
};

/*
 * Signal the host that @chan's outbound ring has news.  Any context.
 * Hosts before dedicated interrupts also look at the interrupt page's
 * "send" half (Linux drivers/hv/channel.c, vmbus_setevent()).
 */
void vmbus_chan_signal(struct vmbus_channel *chan)
{
	struct vmbus_monitor_page *mp = vmbus_conn.monitor_pages[1];

	if (!chan->dedicated_int)
		set_bit(chan->relid, (unsigned long *)((u8 *)vmbus_conn.int_page +
						       HV_PAGE_SIZE / 2));
	atomic64_inc(&chan->st.events);
	if (vmbus_chan_uses_mnf(chan)) {
		/* The host polls the pending bits: no hypercall (vmbus_setevent()). */
		atomic64_inc(&chan->st.mnf_events);
		set_bit(chan->monitor_bit,
			(unsigned long *)&mp->trigger_group[chan->monitor_grp].pending);
		return;
	}
	hvcore_signal_event(chan->sig_conn_id, 0, NULL);
}

bool vmbus_chan_uses_mnf(const struct vmbus_channel *chan)
{
	return chan->monitored && !READ_ONCE(chan->low_latency);
}
EXPORT_SYMBOL_GPL(vmbus_chan_uses_mnf);

void vmbus_chan_set_low_latency(struct vmbus_channel *chan, bool on)
{
	WRITE_ONCE(chan->low_latency, on);
}
EXPORT_SYMBOL_GPL(vmbus_chan_set_low_latency);

/* Why @chan cannot send now, or 0.  Must hold the channel lock. */
static int vmbus_out_usable(struct vmbus_channel *chan)
{
	lockdep_assert_held(&chan->lock);
	if (READ_ONCE(chan->rescinded) || chan->state != VMBUS_CHAN_OPEN)
		return -ENODEV;
	if (READ_ONCE(chan->broken))
		return -EIO;
	return 0;
}

/*
 * Free bytes of the outbound ring, or -EIO (and the ring is broken) if
 * the host's read_index is invalid.  Must hold the channel lock.
 */
static int vmbus_out_free(struct vmbus_channel *chan, u32 *read)
{
	struct vmbus_ring *r = &chan->out;

	*read = le32_to_cpu(READ_ONCE(r->ctl->read_index));
	if (!vmbus_ring_index_ok(r, *read)) {
		vmbus_chan_mark_broken(chan, "outbound read_index out of range");
		return -EIO;
	}
	return r->size - vmbus_ring_used(r->size, r->pos, *read);
}

static void vmbus_out_full(struct vmbus_channel *chan)
{
	atomic64_inc(&chan->st.out_full_total);
	if (!chan->out_full) {
		chan->out_full = true;
		atomic64_inc(&chan->st.out_full_first);
	}
}

/* Copy the GPA-direct header and ranges at @dst. */
static void vmbus_out_put_ranges(u8 *dst, const struct vmbus_out_pkt *p)
{
	struct vmbus_pkt_range *range;
	__le32 *hdr = (__le32 *)dst;	/* reserved, range_count */
	u32 i, j;

	hdr[0] = 0;
	hdr[1] = cpu_to_le32(p->nr_ranges);
	dst += 8;
	for (i = 0; i < p->nr_ranges; i++) {
		range = (struct vmbus_pkt_range *)dst;
		range->byte_count = cpu_to_le32(p->ranges[i].byte_count);
		range->byte_offset = cpu_to_le32(p->ranges[i].byte_offset);
		for (j = 0; j < p->ranges[i].nr_pfns; j++)
			range->pfn[j] = cpu_to_le64(p->ranges[i].pfns[j]);
		dst += sizeof(*range) + 8 * p->ranges[i].nr_pfns;
	}
}

/* Build the packet at r->data + r->pos; @pkt_len = hdr_len + padded payload. */
static void vmbus_out_copy(struct vmbus_ring *r, const struct vmbus_out_pkt *p,
			   u64 trans_id, u32 pkt_len)
{
	u8 *dst = r->data + r->pos;
	struct vmbus_pkt_desc desc = {
		.type = cpu_to_le16(p->type),
		.data_offset8 = cpu_to_le16(p->hdr_len / 8),
		.length8 = cpu_to_le16(pkt_len / 8),
		.flags = cpu_to_le16(p->flags),
		.trans_id = cpu_to_le64(trans_id),
	};
	struct vmbus_pkt_trailer trailer = {
		.prev_index = cpu_to_le64((u64)r->pos << 32),
	};

	memcpy(dst, &desc, sizeof(desc));
	if (p->type == VMBUS_PKT_DATA_GPA_DIRECT)
		vmbus_out_put_ranges(dst + sizeof(desc), p);
	if (p->len)
		memcpy(dst + p->hdr_len, p->buf, p->len);
	memset(dst + p->hdr_len + p->len, 0, pkt_len - p->hdr_len - p->len);
	memcpy(dst + pkt_len, &trailer, sizeof(trailer));
}

/*
 * Write one packet (steps 1-5 above).  Returns 0 or the send functions'
 * errors.  Any context.
 */
static int vmbus_out_write(struct vmbus_channel *chan, const struct vmbus_out_pkt *p)
{
	u32 pkt_len = p->hdr_len + ALIGN(p->len, 8);
	u32 need = pkt_len + VMBUS_PKT_TRAILER_LEN;
	struct vmbus_ring *r = &chan->out;
	u64 trans_id = 0;		/* without a request id */
	bool signal = false;
	unsigned long flags;
	u32 old, read;
	int ret;

	spin_lock_irqsave(&chan->lock, flags);
	ret = vmbus_out_usable(chan);
	if (ret)
		goto out_unlock;
	if (need + VMBUS_RING_MIN_GAP > r->size) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	ret = vmbus_out_free(chan, &read);
	if (ret < 0)
		goto out_unlock;
	if ((u32)ret < need + VMBUS_RING_MIN_GAP) {
		vmbus_out_full(chan);
		ret = -EAGAIN;
		goto out_unlock;
	}
	if (p->req) {
		trans_id = vmbus_rqst_get(chan, p->req);
		if (!trans_id) {
			ret = -EBUSY;
			goto out_unlock;
		}
	}
	ret = 0;
	chan->out_full = false;
	old = r->pos;
	vmbus_out_copy(r, p, trans_id, pkt_len);

	virt_mb();	/* 5.: the packet is visible before the index */
	r->pos = (old + need) % r->size;
	WRITE_ONCE(r->ctl->write_index, cpu_to_le32(r->pos));
	virt_mb();	/* 5.: the index is visible before we read the host's state */
	if (!READ_ONCE(r->ctl->interrupt_mask) &&
	    old == le32_to_cpu(READ_ONCE(r->ctl->read_index)))
		signal = true;
out_unlock:
	spin_unlock_irqrestore(&chan->lock, flags);
	if (signal) {
		atomic64_inc(&chan->st.intr_out_empty);
		vmbus_chan_signal(chan);
	}
	return ret;
}

/* Checks shared by the send functions; @hdr_len includes the descriptor. */
static int vmbus_out_check(struct vmbus_channel *chan, u64 hdr_len, const void *buf,
			   u32 len, u32 flags, void *req)
{
	if (!chan || (len && !buf) || (flags & ~VMBUS_SEND_COMPLETION))
		return -EINVAL;
	if ((flags & VMBUS_SEND_COMPLETION) && !req)
		return -EINVAL;
	/* length8 is 16 bits. */
	if (hdr_len + ALIGN((u64)len, 8) > VMBUS_PKT_MAX_LEN)
		return -EMSGSIZE;
	return 0;
}

int vmbus_send_inband(struct vmbus_channel *chan, const void *buf, u32 len,
		      u32 flags, void *req)
{
	struct vmbus_out_pkt p = {
		.type = VMBUS_PKT_DATA_INBAND,
		.hdr_len = sizeof(struct vmbus_pkt_desc),
		.buf = buf,
		.len = len,
	};
	int ret;

	ret = vmbus_out_check(chan, p.hdr_len, buf, len, flags, req);
	if (ret)
		return ret;
	if (flags & VMBUS_SEND_COMPLETION) {
		p.flags = VMBUS_PKT_FLAG_COMPLETION;
		p.req = req;
	}
	return vmbus_out_write(chan, &p);
}
EXPORT_SYMBOL_GPL(vmbus_send_inband);

/* The header bytes of @nr ranges, or 0 if one of them is malformed. */
static u64 vmbus_gpa_hdr_len(const struct vmbus_gpa_desc *ranges, u32 nr)
{
	u64 len = sizeof(struct vmbus_pkt_gpa_direct);
	u32 i;

	if (!ranges || !nr)
		return 0;
	for (i = 0; i < nr; i++) {
		if (!ranges[i].byte_count || ranges[i].byte_offset >= HV_PAGE_SIZE ||
		    !ranges[i].pfns ||
		    ranges[i].nr_pfns != VMBUS_PAGES_SPANNED(ranges[i].byte_offset,
							     ranges[i].byte_count))
			return 0;
		len += sizeof(struct vmbus_pkt_range) + 8 * (u64)ranges[i].nr_pfns;
		if (len > VMBUS_PKT_MAX_LEN)
			return len;	/* vmbus_out_check() says -EMSGSIZE */
	}
	return len;
}

int vmbus_send_gpa(struct vmbus_channel *chan, const struct vmbus_gpa_desc *ranges,
		   u32 nr, const void *buf, u32 len, u32 flags, void *req)
{
	struct vmbus_out_pkt p = {
		.type = VMBUS_PKT_DATA_GPA_DIRECT,
		.ranges = ranges,
		.nr_ranges = nr,
		.buf = buf,
		.len = len,
	};
	u64 hdr_len = vmbus_gpa_hdr_len(ranges, nr);
	int ret;

	if (!hdr_len)
		return -EINVAL;
	ret = vmbus_out_check(chan, hdr_len, buf, len, flags, req);
	if (ret)
		return ret;
	p.hdr_len = hdr_len;
	if (flags & VMBUS_SEND_COMPLETION) {
		p.flags = VMBUS_PKT_FLAG_COMPLETION;
		p.req = req;
	}
	return vmbus_out_write(chan, &p);
}
EXPORT_SYMBOL_GPL(vmbus_send_gpa);

u32 vmbus_pkt_len_inband(u32 payload_len)
{
	u64 len = sizeof(struct vmbus_pkt_desc) + ALIGN((u64)payload_len, 8);

	return min_t(u64, len, U32_MAX);
}
EXPORT_SYMBOL_GPL(vmbus_pkt_len_inband);

u32 vmbus_pkt_len_gpa(u32 nr_ranges, u32 nr_pfns, u32 payload_len)
{
	u64 len = sizeof(struct vmbus_pkt_gpa_direct) +
		  (u64)nr_ranges * sizeof(struct vmbus_pkt_range) +
		  (u64)nr_pfns * 8 + ALIGN((u64)payload_len, 8);

	return min_t(u64, len, U32_MAX);
}
EXPORT_SYMBOL_GPL(vmbus_pkt_len_gpa);

/*
 * 1 when @need bytes (trailer included) fit, 0 when not (pending_send_sz
 * is then set to @need), or a negative errno.  Must hold the channel lock.
 */
static int vmbus_out_room(struct vmbus_channel *chan, u32 need)
{
	struct vmbus_ring *r = &chan->out;
	u32 read;
	int ret;

	ret = vmbus_out_usable(chan);
	if (ret)
		return ret;
	ret = vmbus_out_free(chan, &read);
	if (ret < 0)
		return ret;
	if ((u32)ret >= need + VMBUS_RING_MIN_GAP)
		return 1;
	/* Ask for a signal, then look again: it may have read already. */
	WRITE_ONCE(r->ctl->pending_send_sz, cpu_to_le32(need));
	/* The request is visible before read_index is read again. */
	virt_mb();
	ret = vmbus_out_free(chan, &read);
	if (ret < 0)
		return ret;
	return (u32)ret >= need + VMBUS_RING_MIN_GAP;
}

/* wait_event condition: room, or a reason to stop (re-checked under lock). */
static bool vmbus_out_ready(struct vmbus_channel *chan, u32 need)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&chan->lock, flags);
	ret = vmbus_out_room(chan, need);
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret != 0;
}

int vmbus_wait_writable(struct vmbus_channel *chan, u32 pkt_len, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	u32 need = ALIGN(pkt_len, 8) + VMBUS_PKT_TRAILER_LEN;
	unsigned long flags;
	long left;
	int ret;

	might_sleep();
	if (!chan || pkt_len > VMBUS_PKT_MAX_LEN)
		return -EMSGSIZE;
	spin_lock_irqsave(&chan->lock, flags);
	ret = vmbus_out_usable(chan);
	if (!ret && need + VMBUS_RING_MIN_GAP > chan->out.size)
		ret = -EMSGSIZE;
	if (!ret)
		chan->nr_wait_writable++;
	spin_unlock_irqrestore(&chan->lock, flags);
	if (ret)
		return ret;

	for (;;) {
		spin_lock_irqsave(&chan->lock, flags);
		ret = vmbus_out_room(chan, need);
		spin_unlock_irqrestore(&chan->lock, flags);
		if (ret) {
			ret = ret > 0 ? 0 : ret;
			break;
		}
		left = (long)(deadline - jiffies);
		if (left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		left = wait_event_interruptible_timeout(chan->wait_q,
							vmbus_out_ready(chan, need), left);
		if (left < 0) {
			ret = -ERESTARTSYS;
			break;
		}
	}

	spin_lock_irqsave(&chan->lock, flags);
	/* The last sleeper withdraws the request; the ring may be gone. */
	if (!--chan->nr_wait_writable && chan->state == VMBUS_CHAN_OPEN)
		WRITE_ONCE(chan->out.ctl->pending_send_sz, 0);
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_wait_writable);
