// SPDX-License-Identifier: GPL-2.0
/*
 * The host's end of a VMBus ring buffer (see vmbus_ring.h).
 *
 * The host-guest contract this file relies on, with the barrier on each
 * side (Linux drivers/hv/ring_buffer.c, hv_ringbuffer_write() and
 * hv_pkt_iter_close(), are the guest's half; OpenVMM
 * vm/devices/vmbus/vmbus_ring/src/lib.rs a host's):
 *
 *  1. A writer copies a packet into free space, then (full fence) stores
 *     write_index with release semantics.  A reader loads write_index
 *     with acquire semantics before it reads the bytes below it.
 *  2. A reader copies packets out, then stores read_index with release
 *     semantics: only then may the writer reuse the space.  A writer
 *     loads read_index with acquire semantics before it writes.
 *  3. Writer signal: after publishing write_index, full fence, then load
 *     interrupt_mask and read_index: signal iff the mask is 0 and the
 *     ring was empty before this packet (old write_index == read_index).
 *     The reader that clears its mask issues a full fence and re-checks
 *     write_index, so one of the two sides always sees the other.
 *  4. Reader signal: after publishing read_index, full fence, then load
 *     feature_bits, pending_send_sz and write_index: signal iff the
 *     writer set the feature bit and pending_send_sz was crossed (free
 *     before <= pending < free after).  The writer that sets
 *     pending_send_sz issues a full fence and re-checks read_index.
 *  5. A writer always leaves VMBUS_RING_MIN_GAP bytes free, so a full
 *     ring never looks empty; the trailer of a packet holds its start
 *     index in the upper 32 bits.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "vmbus_ring.h"

#define DESC_LEN	((uint32_t)sizeof(struct vmbus_pkt_desc))
#define TRAILER_LEN	((uint32_t)VMBUS_PKT_TRAILER_LEN)
#define ALIGN8(x)	(((x) + 7U) & ~7U)

static uint32_t load_le32(const __le32 *p, int order)
{
	return le32toh(__atomic_load_n(p, order));
}

static void store_le32(__le32 *p, uint32_t v, int order)
{
	__atomic_store_n(p, htole32(v), order);
}

static bool index_ok(const struct hvh_ring *r, uint32_t idx)
{
	return idx < r->size && !(idx & 7);
}

/* Bytes between @from and @to going forward (the readable bytes from read to write). */
static uint32_t ring_dist(const struct hvh_ring *r, uint32_t from, uint32_t to)
{
	return to >= from ? to - from : r->size - from + to;
}

static uint32_t ring_adv(const struct hvh_ring *r, uint32_t off, uint32_t n)
{
	return (uint32_t)(((uint64_t)off + n) % r->size);
}

/*
 * Copy @len bytes at data offset @off out of the ring, page by page and
 * across the wrap (the data area ends on a page boundary, so no piece
 * crosses it).
 */
static void ring_copy_from(const struct hvh_ring *r, uint32_t off, void *dst, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t in_page, chunk;

	while (len) {
		in_page = off & (HV_PAGE_SIZE - 1);
		chunk = HV_PAGE_SIZE - in_page;
		if (chunk > len)
			chunk = len;
		memcpy(d, r->page[off >> HV_PAGE_SHIFT] + in_page, chunk);
		d += chunk;
		len -= chunk;
		off = ring_adv(r, off, chunk);
	}
}

/* The same into the ring; @src NULL writes zeros.  Returns the offset after. */
static uint32_t ring_copy_to(struct hvh_ring *r, uint32_t off, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint32_t in_page, chunk;

	while (len) {
		in_page = off & (HV_PAGE_SIZE - 1);
		chunk = HV_PAGE_SIZE - in_page;
		if (chunk > len)
			chunk = len;
		if (s) {
			memcpy(r->page[off >> HV_PAGE_SHIFT] + in_page, s, chunk);
			s += chunk;
		} else {
			memset(r->page[off >> HV_PAGE_SHIFT] + in_page, 0, chunk);
		}
		len -= chunk;
		off = ring_adv(r, off, chunk);
	}
	return off;
}

int hvh_ring_init(struct hvh_ring *r, struct vmbus_ring_ctl *ctl, uint8_t **pages,
		  uint32_t nr_pages, bool reader)
{
	uint32_t idx;

	memset(r, 0, sizeof(*r));
	if (!ctl || !pages || !nr_pages || nr_pages > UINT32_MAX / HV_PAGE_SIZE)
		return -EINVAL;
	r->ctl = ctl;
	r->page = pages;
	r->nr_pages = nr_pages;
	r->size = nr_pages * HV_PAGE_SIZE;
	idx = load_le32(reader ? &ctl->read_index : &ctl->write_index, __ATOMIC_ACQUIRE);
	if (!index_ok(r, idx))
		return -EINVAL;
	r->priv = idx;
	return 0;
}

static bool pkt_type_ok(uint16_t type)
{
	return type == VMBUS_PKT_DATA_INBAND || type == VMBUS_PKT_DATA_XFER_PAGES ||
	       type == VMBUS_PKT_DATA_GPA_DIRECT || type == VMBUS_PKT_COMP;
}

int hvh_ring_read(struct hvh_ring *r, void *buf, uint32_t bufsize, struct hvh_ring_pkt *pkt)
{
	struct vmbus_pkt_desc d;
	uint32_t w, avail, len, off;
	uint16_t type, flags;

	w = load_le32(&r->ctl->write_index, __ATOMIC_ACQUIRE);	/* contract 1 */
	if (!index_ok(r, w))
		return -EIO;
	avail = ring_dist(r, r->priv, w);
	if (!avail)
		return 0;
	if (avail < DESC_LEN + TRAILER_LEN)
		return -EIO;
	ring_copy_from(r, r->priv, &d, DESC_LEN);	/* the one copy we check and use */
	type = le16toh(d.type);
	flags = le16toh(d.flags);
	off = le16toh(d.data_offset8) * 8U;
	len = le16toh(d.length8) * 8U;
	if (off < DESC_LEN || len < off || len + TRAILER_LEN > avail || !pkt_type_ok(type) ||
	    (flags & ~VMBUS_PKT_FLAG_COMPLETION) || len > bufsize)
		return -EIO;
	memcpy(buf, &d, DESC_LEN);
	ring_copy_from(r, ring_adv(r, r->priv, DESC_LEN), (uint8_t *)buf + DESC_LEN,
		       len - DESC_LEN);
	r->priv = ring_adv(r, r->priv, len + TRAILER_LEN);
	r->unpublished += len + TRAILER_LEN;
	pkt->type = type;
	pkt->flags = flags;
	pkt->trans_id = le64toh(d.trans_id);
	pkt->len = len;
	pkt->data_offset = off;
	return 1;
}

bool hvh_ring_publish_read(struct hvh_ring *r)
{
	uint32_t consumed = r->unpublished, pending, w, free_after, free_before;

	if (!consumed)
		return false;
	r->unpublished = 0;
	store_le32(&r->ctl->read_index, r->priv, __ATOMIC_RELEASE);	/* contract 2 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);			/* contract 4 */
	if (!(load_le32(&r->ctl->feature_bits, __ATOMIC_RELAXED) &
	      VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return false;
	pending = load_le32(&r->ctl->pending_send_sz, __ATOMIC_RELAXED);
	if (!pending)
		return false;
	w = load_le32(&r->ctl->write_index, __ATOMIC_RELAXED);
	if (!index_ok(r, w))
		return false;		/* the next read reports the corruption */
	free_after = r->size - ring_dist(r, r->priv, w);
	free_before = free_after > consumed ? free_after - consumed : 0;
	return free_before <= pending && pending < free_after;
}

bool hvh_ring_readable(struct hvh_ring *r)
{
	return load_le32(&r->ctl->write_index, __ATOMIC_ACQUIRE) != r->priv;
}

void hvh_ring_mask(struct hvh_ring *r)
{
	store_le32(&r->ctl->interrupt_mask, 1, __ATOMIC_RELAXED);
}

bool hvh_ring_unmask(struct hvh_ring *r)
{
	uint32_t w;

	store_le32(&r->ctl->interrupt_mask, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);			/* contract 3 */
	w = load_le32(&r->ctl->write_index, __ATOMIC_ACQUIRE);
	return w != r->priv;
}

uint32_t hvh_ring_pkt_space(uint32_t payload_len)
{
	return DESC_LEN + ALIGN8(payload_len) + TRAILER_LEN;
}

int hvh_ring_write(struct hvh_ring *r, uint16_t type, uint16_t flags, uint64_t trans_id,
		   const struct hvh_ring_seg *seg, unsigned int nseg, bool *signal)
{
	uint64_t payload = 0, trailer;
	struct vmbus_pkt_desc d;
	uint32_t rd, total, old, off, pktlen;
	unsigned int i;

	*signal = false;
	for (i = 0; i < nseg; i++)
		payload += seg[i].len;
	if (payload > VMBUS_PKT_MAX_LEN)
		return -EMSGSIZE;
	pktlen = DESC_LEN + ALIGN8((uint32_t)payload);
	total = pktlen + TRAILER_LEN;
	if (pktlen > VMBUS_PKT_MAX_LEN || total > r->size - VMBUS_RING_MIN_GAP)
		return -EMSGSIZE;
	rd = load_le32(&r->ctl->read_index, __ATOMIC_ACQUIRE);	/* contract 2 */
	if (!index_ok(r, rd))
		return -EIO;
	if (r->size - ring_dist(r, rd, r->priv) <= total)	/* contract 5 */
		return -EAGAIN;
	memset(&d, 0, sizeof(d));
	d.type = htole16(type);
	d.data_offset8 = htole16(DESC_LEN / 8);
	d.length8 = htole16(pktlen / 8);
	d.flags = htole16(flags);
	d.trans_id = htole64(trans_id);
	old = r->priv;
	off = ring_copy_to(r, old, &d, DESC_LEN);
	for (i = 0; i < nseg; i++)
		off = ring_copy_to(r, off, seg[i].buf, seg[i].len);
	off = ring_copy_to(r, off, NULL, ALIGN8((uint32_t)payload) - (uint32_t)payload);
	trailer = htole64((uint64_t)old << 32);
	off = ring_copy_to(r, off, &trailer, TRAILER_LEN);
	r->priv = off;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);			/* contract 1 */
	store_le32(&r->ctl->write_index, off, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);			/* contract 3 */
	*signal = !load_le32(&r->ctl->interrupt_mask, __ATOMIC_RELAXED) &&
		  load_le32(&r->ctl->read_index, __ATOMIC_RELAXED) == old;
	return 0;
}

bool hvh_ring_want_space(struct hvh_ring *r, uint32_t need)
{
	uint32_t rd;

	store_le32(&r->ctl->pending_send_sz, need, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);			/* contract 4 */
	rd = load_le32(&r->ctl->read_index, __ATOMIC_ACQUIRE);
	if (index_ok(r, rd) && r->size - ring_dist(r, rd, r->priv) <= need)
		return false;
	hvh_ring_space_done(r);	/* room now (or a bad index the write reports) */
	return true;
}

void hvh_ring_space_done(struct hvh_ring *r)
{
	store_le32(&r->ctl->pending_send_sz, 0, __ATOMIC_RELAXED);
}

int hvh_ring_write_raw(struct hvh_ring *r, const void *bytes, uint32_t len)
{
	uint32_t rd;

	if (len & 7)
		return -EINVAL;
	rd = load_le32(&r->ctl->read_index, __ATOMIC_ACQUIRE);
	if (!index_ok(r, rd))
		return -EIO;
	if (r->size - ring_dist(r, rd, r->priv) <= len)
		return -EAGAIN;
	r->priv = ring_copy_to(r, r->priv, bytes, len);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	store_le32(&r->ctl->write_index, r->priv, __ATOMIC_RELEASE);
	return 0;
}

void hvh_ring_poke_write_index(struct hvh_ring *r, uint32_t idx)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	store_le32(&r->ctl->write_index, idx, __ATOMIC_RELEASE);
}

void hvh_ring_set_writer_features(struct hvh_ring *r)
{
	__atomic_fetch_or(&r->ctl->feature_bits, htole32(VMBUS_RING_FEAT_PENDING_SEND_SZ),
			  __ATOMIC_SEQ_CST);
}
