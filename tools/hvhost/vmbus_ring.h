/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's end of a VMBus ring buffer (wire format: include/hyperv/
 * vmbus_ring.h; rules: those of the guest's end in Linux
 * drivers/hv/ring_buffer.c, hv_ringbuffer_write() and hv_pkt_iter_close()).
 *
 * A ring is its control page plus its data pages, given as host pointers
 * one page at a time: the pages come from a GPADL and need not be
 * contiguous, so every copy goes in pieces across page boundaries and
 * across the wrap at the end of the data area.  Nothing here knows about
 * guest RAM, channels or signals: the caller maps the pages and does the
 * signalling these functions ask for (so the unit tests run it on plain
 * memory).
 *
 * The host reads its INBOUND ring (guest -> host) and writes its OUTBOUND
 * ring (host -> guest).  It keeps the index it owns (inbound read_index,
 * outbound write_index) privately and only ever stores it into the shared
 * page, never loads it back; the index the guest owns is loaded once per
 * operation and checked (below the data size, a multiple of 8) before use.
 * A bad index or packet descriptor makes the call fail with -EIO: the ring
 * is corrupt and the caller stops using it.
 *
 * Threads: one thread (the channel worker) uses a ring at a time; nothing
 * here locks.  The guest runs concurrently on the same memory.
 */
#ifndef HVHOST_VMBUS_RING_H
#define HVHOST_VMBUS_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "hyperv/vmbus_ring.h"

struct hvh_ring {
	struct vmbus_ring_ctl *ctl;	/* shared with the guest */
	uint8_t **page;			/* the data pages, nr_pages of them */
	uint32_t nr_pages;
	uint32_t size;			/* data bytes: nr_pages * HV_PAGE_SIZE */
	uint32_t priv;			/* reader: next read; writer: next write */
	uint32_t unpublished;		/* reader: bytes consumed since the last publish */
};

/* One piece of a packet's payload for hvh_ring_write(). */
struct hvh_ring_seg {
	const void *buf;
	uint32_t len;
};

/* A packet hvh_ring_read() copied out: the descriptor fields, checked. */
struct hvh_ring_pkt {
	uint16_t type;			/* one of 0x6, 0x7, 0x9, 0xb */
	uint16_t flags;			/* VMBUS_PKT_FLAG_COMPLETION or 0 */
	uint64_t trans_id;
	uint32_t len;			/* length8 * 8: the copy's size, descriptor included */
	uint32_t data_offset;		/* data_offset8 * 8 (>= 16, <= len) */
};

/*
 * Set @r up over @ctl and @nr_pages data pages @pages (the array is kept,
 * not copied).  @reader: the host reads this ring (inbound), else it writes
 * it.  The host's own index is taken from the page.  Returns 0, or -EINVAL
 * when there is no data page or the index found there is bad.
 */
int hvh_ring_init(struct hvh_ring *r, struct vmbus_ring_ctl *ctl, uint8_t **pages,
		  uint32_t nr_pages, bool reader);

/* ---- reader (inbound) ---- */

/*
 * Copy the next packet into @buf (@bufsize bytes, at least the largest
 * packet the ring can hold: min(size - 8, VMBUS_PKT_MAX_LEN)) and consume
 * it privately (hvh_ring_publish_read() makes that visible).  Returns 1 (a
 * packet, described in @pkt), 0 (empty) or -EIO (corrupt: bad write
 * index, fewer bytes than a packet, bad descriptor).
 */
int hvh_ring_read(struct hvh_ring *r, void *buf, uint32_t bufsize, struct hvh_ring_pkt *pkt);

/*
 * Store the read index, then tell whether the guest must be signalled:
 * it set the pending-send feature bit on this ring and its pending_send_sz
 * was crossed by this publish (free before <= pending < free after).
 */
bool hvh_ring_publish_read(struct hvh_ring *r);

/* True if the guest has published bytes the host has not read (or a bad index). */
bool hvh_ring_readable(struct hvh_ring *r);

/* interrupt_mask = 1: the guest need not signal while the host drains. */
void hvh_ring_mask(struct hvh_ring *r);
/*
 * interrupt_mask = 0, full fence, look again.  Returns true if packets
 * (or a bad write index) are waiting: drain again, no signal will come.
 */
bool hvh_ring_unmask(struct hvh_ring *r);

/* ---- writer (outbound) ---- */

/* Ring bytes a packet with @payload_len payload bytes takes (trailer included). */
uint32_t hvh_ring_pkt_space(uint32_t payload_len);

/*
 * Write one packet: a descriptor (@type, @flags, @trans_id, data_offset8
 * 2), the @nseg pieces of @seg as payload, padding to 8, the trailer; then
 * publish the write index.  *@signal: the guest must be signalled (its
 * interrupt_mask was 0 and the ring was empty before this packet).
 * Returns 0, -EAGAIN (not enough free space now), -EMSGSIZE (can never
 * fit this ring) or -EIO (the guest's read index is bad).
 */
int hvh_ring_write(struct hvh_ring *r, uint16_t type, uint16_t flags, uint64_t trans_id,
		   const struct hvh_ring_seg *seg, unsigned int nseg, bool *signal);

/*
 * The host waits for @need bytes (hvh_ring_pkt_space()): set pending_send_sz,
 * full fence, look again.  Returns true if the space is there now (then
 * pending_send_sz is cleared again and no wait is needed).
 */
bool hvh_ring_want_space(struct hvh_ring *r, uint32_t need);
/* Done waiting: pending_send_sz = 0. */
void hvh_ring_space_done(struct hvh_ring *r);
/* Tell the guest that the host sets pending_send_sz on this ring (feature bit). */
void hvh_ring_set_writer_features(struct hvh_ring *r);

/* ---- hostile mode (vmbus_hostile.c): deliberately bad rings ---- */

/*
 * Copy @len bytes (a multiple of 8: descriptor, body, trailer, whatever
 * they say) at the write position and publish the new write index,
 * without looking at them.  Returns 0, -EAGAIN (no room) or -EIO (bad
 * read index).
 */
int hvh_ring_write_raw(struct hvh_ring *r, const void *bytes, uint32_t len);
/* Store @idx as write_index as it is (the private position is kept). */
void hvh_ring_poke_write_index(struct hvh_ring *r, uint32_t idx);

#endif /* HVHOST_VMBUS_RING_H */
