// SPDX-License-Identifier: GPL-2.0
/*
 * Ring memory and index arithmetic.
 *
 * Data path: a ring is a control page and a data area of whole pages, each
 * allocated on its own (a 64 MiB ring needs no high-order allocation).
 * vmap() maps the control page once and the data pages twice in a row (as
 * Linux drivers/hv/ring_buffer.c, hv_ringbuffer_init()), so a packet that
 * wraps around the end of the data area is one contiguous block at data +
 * offset; indices still wrap modulo the data size.  Both control pages
 * start zeroed with VMBUS_RING_FEAT_PENDING_SEND_SZ set before the ring is
 * shared: we set pending_send_sz when blocked on the outbound ring and
 * honour the host's on the inbound one.
 *
 * Indices the host writes (the outbound read_index, the inbound
 * write_index) are read once with READ_ONCE and checked
 * (vmbus_ring_index_ok()) before any arithmetic uses them.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmbus_private.h"

/* Free pages [0, n) of r->pages and the array. */
static void vmbus_ring_free_pages(struct vmbus_ring *r, u32 n)
{
	while (n--)
		__free_page(r->pages[n]);
	kvfree(r->pages);
	r->pages = NULL;
}

/* Map ctl + data + data. */
static int vmbus_ring_map(struct vmbus_ring *r)
{
	u32 d = r->nr_pages - 1, i;
	struct page **map;

	map = kvmalloc_array(1 + 2 * d, sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map[0] = r->pages[0];
	for (i = 0; i < d; i++) {
		map[1 + i] = r->pages[1 + i];
		map[1 + d + i] = r->pages[1 + i];
	}
	r->map = vmap(map, 1 + 2 * d, VM_MAP, PAGE_KERNEL);
	kvfree(map);
	return r->map ? 0 : -ENOMEM;
}

/*
 * Allocate and map a ring of @bytes (a page multiple, >= 2 pages: the
 * caller checked).  Process context.
 */
int vmbus_ring_alloc(struct vmbus_ring *r, u32 bytes)
{
	u32 i;
	int ret;

	memset(r, 0, sizeof(*r));
	r->nr_pages = bytes >> PAGE_SHIFT;
	r->pages = kvcalloc(r->nr_pages, sizeof(*r->pages), GFP_KERNEL);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < r->nr_pages; i++) {
		r->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!r->pages[i]) {
			ret = -ENOMEM;
			goto err_pages;
		}
	}
	ret = vmbus_ring_map(r);
	if (ret)
		goto err_pages;
	r->ctl = r->map;
	r->data = (u8 *)r->map + PAGE_SIZE;
	r->size = (r->nr_pages - 1) << PAGE_SHIFT;
	r->pos = 0;
	r->ctl->feature_bits = cpu_to_le32(VMBUS_RING_FEAT_PENDING_SEND_SZ);
	return 0;

err_pages:
	vmbus_ring_free_pages(r, i);
	return ret;
}

/* Free a ring the host no longer holds (or never got). */
void vmbus_ring_free(struct vmbus_ring *r)
{
	if (!r->pages)
		return;
	vunmap(r->map);
	vmbus_ring_free_pages(r, r->nr_pages);
	memset(r, 0, sizeof(*r));
}

/*
 * Forget a ring the host may still write: its pages are never freed or
 * reused (the caller logged it).  Only our mapping goes away.
 */
void vmbus_ring_leak(struct vmbus_ring *r)
{
	if (!r->pages)
		return;
	vunmap(r->map);
	kvfree(r->pages);
	memset(r, 0, sizeof(*r));
}

/* The PFNs of the ring's pages (ctl first), r->nr_pages of them. */
void vmbus_ring_pfns(const struct vmbus_ring *r, u64 *pfns)
{
	u32 i;

	for (i = 0; i < r->nr_pages; i++)
		pfns[i] = page_to_pfn(r->pages[i]);
}

/* Bytes between @read and @write in a data area of @size bytes. */
u32 vmbus_ring_used(u32 size, u32 write, u32 read)
{
	return write >= read ? write - read : size - read + write;
}

/* A host-written index is usable: inside the data area, 8-byte aligned. */
bool vmbus_ring_index_ok(const struct vmbus_ring *r, u32 index)
{
	return index < r->size && !(index & 7);
}

/*
 * sysfs: bytes to read / free bytes, from the shared indices.  0 when an
 * index is invalid.  The caller keeps the ring alive (channel lock).
 */
u32 vmbus_ring_read_avail(const struct vmbus_ring *r)
{
	u32 w = le32_to_cpu(READ_ONCE(r->ctl->write_index));
	u32 rd = le32_to_cpu(READ_ONCE(r->ctl->read_index));

	if (!vmbus_ring_index_ok(r, w) || !vmbus_ring_index_ok(r, rd))
		return 0;
	return vmbus_ring_used(r->size, w, rd);
}

u32 vmbus_ring_write_avail(const struct vmbus_ring *r)
{
	u32 w = le32_to_cpu(READ_ONCE(r->ctl->write_index));
	u32 rd = le32_to_cpu(READ_ONCE(r->ctl->read_index));

	if (!vmbus_ring_index_ok(r, w) || !vmbus_ring_index_ok(r, rd))
		return 0;
	return r->size - vmbus_ring_used(r->size, w, rd);
}
