// SPDX-License-Identifier: GPL-2.0
/*
 * GPADLs: guest memory shared with the host through a channel.
 *
 * Data path: a GPADL is one range (byte_offset 0, byte_count = size) and
 * the PFN of every page.  GPADL_HEADER carries the range and up to 26
 * PFNs, each GPADL_BODY up to 28 more; they are posted back to back, then
 * the caller sleeps for GPADL_CREATED (a waiter armed before the header
 * is posted).  Teardown: GPADL_TEARDOWN, then GPADL_TORNDOWN.
 *
 * range_buflen is a u16, and a 64 MiB GPADL has 16384 PFNs: 8 + 8 * 16384
 * does not fit.  Every host derives the PFN count from the range itself
 * (pages spanned by byte_offset + byte_count; hvhost does too), so we
 * write (8 + 8 * nr_pfns) truncated to 16 bits, which is exact for every
 * GPADL below 8189 pages.
 *
 * Handles come from one allocating xarray (vmbus_conn.gpadls), cyclic
 * from VMBUS_GPADL_FIRST, so a handle is unique among the live GPADLs and
 * those being built, and also among those the host never gave back
 * (leaked records stay until UNLOAD).  Each channel lists its own
 * (vmbus_conn.gpadl_lock) for the counters.  Process context throughout.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/unaligned.h>

#include "vmbus_private.h"

enum vmbus_gpadl_state {
	VMBUS_GPADL_CREATING,
	VMBUS_GPADL_LIVE,
	VMBUS_GPADL_LEAKED,	/* the host may still hold it: handle reserved */
};

struct vmbus_gpadl_rec {
	struct list_head node;		/* chan->gpadls while chan is set */
	struct vmbus_channel *chan;	/* NULL once the channel is gone */
	u32 handle;
	u32 nr_pfns;
	enum vmbus_gpadl_state state;
};

#define GPADL_HDR_LEN	sizeof(struct vmbus_chanmsg_gpadl_header)
#define GPADL_BODY_LEN	sizeof(struct vmbus_chanmsg_gpadl_body)
#define GPADL_RANGE_LEN	sizeof(struct vmbus_gpa_range)

static struct vmbus_gpadl_rec *vmbus_gpadl_rec_new(struct vmbus_channel *chan, u32 nr)
{
	struct vmbus_gpadl_rec *rec;
	int ret;

	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec)
		return NULL;
	rec->chan = chan;
	rec->nr_pfns = nr;
	rec->state = VMBUS_GPADL_CREATING;
	ret = xa_alloc_cyclic(&vmbus_conn.gpadls, &rec->handle, rec,
			      XA_LIMIT(VMBUS_GPADL_FIRST, U32_MAX),
			      &vmbus_conn.gpadl_next, GFP_KERNEL);
	if (ret < 0) {
		kfree(rec);
		return NULL;
	}
	spin_lock(&vmbus_conn.gpadl_lock);
	list_add_tail(&rec->node, &chan->gpadls);
	chan->nr_gpadls++;
	spin_unlock(&vmbus_conn.gpadl_lock);
	return rec;
}

/* Forget @rec: the host does not hold it. */
static void vmbus_gpadl_rec_free(struct vmbus_gpadl_rec *rec)
{
	spin_lock(&vmbus_conn.gpadl_lock);
	if (rec->chan) {
		list_del(&rec->node);
		rec->chan->nr_gpadls--;
	}
	spin_unlock(&vmbus_conn.gpadl_lock);
	xa_erase(&vmbus_conn.gpadls, rec->handle);
	kfree(rec);
}

static void vmbus_gpadl_rec_set(struct vmbus_gpadl_rec *rec, enum vmbus_gpadl_state state)
{
	spin_lock(&vmbus_conn.gpadl_lock);
	rec->state = state;
	spin_unlock(&vmbus_conn.gpadl_lock);
	if (state == VMBUS_GPADL_LEAKED)
		atomic64_inc(&vmbus_conn.gpadls_leaked);
}

/* Post GPADL_HEADER and the GPADL_BODYs for @nr PFNs. */
static int vmbus_gpadl_post(struct vmbus_channel *chan, u32 handle, const u64 *pfns,
			    u32 nr, u32 size)
{
	union {
		struct vmbus_chanmsg_gpadl_header hdr;
		struct vmbus_chanmsg_gpadl_body body;
		u8 raw[HV_MESSAGE_PAYLOAD_MAX];
	} m;
	struct vmbus_gpa_range range = {
		.byte_count = cpu_to_le32(size),
		.byte_offset = 0,
	};
	u32 i, n, done;
	int ret;

	memset(&m, 0, sizeof(m));
	m.hdr.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_GPADL_HEADER);
	m.hdr.child_relid = cpu_to_le32(chan->relid);
	m.hdr.gpadl = cpu_to_le32(handle);
	/* Truncated to 16 bits on purpose: see the comment at the top. */
	m.hdr.range_buflen = cpu_to_le16((u16)(GPADL_RANGE_LEN + 8 * nr));
	m.hdr.range_count = cpu_to_le16(1);
	memcpy(m.raw + GPADL_HDR_LEN, &range, sizeof(range));
	n = min_t(u32, nr, VMBUS_GPADL_HEADER_PFNS);
	/* The header's PFNs are only 4-byte aligned. */
	for (i = 0; i < n; i++)
		put_unaligned_le64(pfns[i], m.raw + GPADL_HDR_LEN + GPADL_RANGE_LEN + 8 * i);
	ret = vmbus_post_sleep(&m, GPADL_HDR_LEN + GPADL_RANGE_LEN + 8 * n);
	if (ret)
		return ret;

	for (done = n; done < nr; done += n) {
		memset(&m, 0, GPADL_BODY_LEN);
		m.body.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_GPADL_BODY);
		m.body.gpadl = cpu_to_le32(handle);
		n = min_t(u32, nr - done, VMBUS_GPADL_BODY_PFNS);
		for (i = 0; i < n; i++)
			m.body.pfn[i] = cpu_to_le64(pfns[done + i]);
		ret = vmbus_post_sleep(&m, GPADL_BODY_LEN + 8 * n);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/*
 * Share the @nr pages @pfns (@size bytes, one range from offset 0) with
 * the host through @chan.  On 0, *@handle names the GPADL.  Returns as
 * vmbus_gpadl_create().
 */
int vmbus_gpadl_create_pfns(struct vmbus_channel *chan, const u64 *pfns, u32 nr,
			    u32 size, u32 *handle)
{
	const struct vmbus_chanmsg_gpadl_created *reply;
	struct vmbus_gpadl_rec *rec;
	struct vmbus_waiter w;
	u32 status;
	int ret;

	might_sleep();
	if (READ_ONCE(chan->rescinded) || vmbus_conn_gone())
		return -ENODEV;
	if (vmbus_fault_gpadl_create())
		return -ENOMEM;		/* test builds: fault/fail_gpadl_create */
	rec = vmbus_gpadl_rec_new(chan, nr);
	if (!rec)
		return -ENOMEM;

	/* The host answers a GPADL header even for a rescinded channel. */
	vmbus_waiter_init(&w, VMBUS_CHANMSG_GPADL_CREATED, rec->handle, chan->relid,
			  chan, true);
	ret = vmbus_waiter_arm(&w);
	if (ret)
		goto err_rec;
	ret = vmbus_gpadl_post(chan, rec->handle, pfns, nr, size);
	if (ret) {
		vmbus_waiter_disarm(&w);
		/*
		 * Part of it may have reached the host: an incomplete GPADL
		 * it cannot use and we cannot tear down.  Keep the handle.
		 */
		pr_err("relid %u: GPADL 0x%x could not be posted: %d\n",
		       chan->relid, rec->handle, ret);
		vmbus_gpadl_rec_set(rec, VMBUS_GPADL_LEAKED);
		return -EIO;
	}
	ret = vmbus_waiter_wait(&w, VMBUS_GPADL_TIMEOUT_MS);
	if (ret == -ETIMEDOUT) {
		pr_err("relid %u: no GPADL_CREATED for GPADL 0x%x (%u pages) within %u ms: its pages are leaked\n",
		       chan->relid, rec->handle, nr, VMBUS_GPADL_TIMEOUT_MS);
		vmbus_gpadl_rec_set(rec, VMBUS_GPADL_LEAKED);
		return ret;
	}
	if (ret) {
		/* UNLOAD: the host dropped everything. */
		ret = -ENODEV;
		goto err_rec;
	}
	reply = (const void *)w.reply;
	status = le32_to_cpu(reply->status);
	if (status) {
		/* Either way the host holds no reference to the pages. */
		if (READ_ONCE(chan->rescinded)) {
			ret = -ENODEV;	/* rescinded channels get no GPADLs */
		} else {
			pr_err("relid %u: the host refused GPADL 0x%x (%u pages): status 0x%x\n",
			       chan->relid, rec->handle, nr, status);
			ret = -EIO;
		}
		goto err_rec;
	}
	vmbus_gpadl_rec_set(rec, VMBUS_GPADL_LIVE);
	*handle = rec->handle;
	return 0;

err_rec:
	vmbus_gpadl_rec_free(rec);
	return ret;
}

/* The live GPADL @handle of @chan, or NULL. */
static struct vmbus_gpadl_rec *vmbus_gpadl_find(struct vmbus_channel *chan, u32 handle)
{
	struct vmbus_gpadl_rec *rec;

	rec = xa_load(&vmbus_conn.gpadls, handle);
	if (!rec)
		return NULL;
	spin_lock(&vmbus_conn.gpadl_lock);
	if (rec->chan != chan || rec->state != VMBUS_GPADL_LIVE)
		rec = NULL;
	spin_unlock(&vmbus_conn.gpadl_lock);
	return rec;
}

/* Take GPADL @handle of @chan back.  Returns as vmbus_gpadl_teardown(). */
int vmbus_gpadl_teardown_handle(struct vmbus_channel *chan, u32 handle)
{
	struct vmbus_chanmsg_gpadl_teardown msg = {
		.hdr.msgtype = cpu_to_le32(VMBUS_CHANMSG_GPADL_TEARDOWN),
		.child_relid = cpu_to_le32(chan->relid),
		.gpadl = cpu_to_le32(handle),
	};
	struct vmbus_gpadl_rec *rec;
	struct vmbus_waiter w;
	int ret;

	might_sleep();
	rec = vmbus_gpadl_find(chan, handle);
	if (!rec)
		return -EINVAL;
	/* A rescinded channel's GPADLs are torn down (and answered) normally. */
	vmbus_waiter_init(&w, VMBUS_CHANMSG_GPADL_TORNDOWN, handle,
			  VMBUS_WAIT_ANY_RELID, chan, true);
	ret = vmbus_waiter_arm(&w);
	if (ret == -ESHUTDOWN)
		goto out_free;		/* UNLOAD took every GPADL back */
	ret = vmbus_post_sleep(&msg, sizeof(msg));
	if (ret) {
		vmbus_waiter_disarm(&w);
		pr_err("relid %u: GPADL_TEARDOWN of 0x%x could not be posted: %d; its pages are leaked\n",
		       chan->relid, handle, ret);
		vmbus_gpadl_rec_set(rec, VMBUS_GPADL_LEAKED);
		return -EIO;
	}
	ret = vmbus_waiter_wait(&w, VMBUS_GPADL_TIMEOUT_MS);
	if (ret == -ETIMEDOUT) {
		pr_err("relid %u: no GPADL_TORNDOWN for 0x%x within %u ms: its pages are leaked\n",
		       chan->relid, handle, VMBUS_GPADL_TIMEOUT_MS);
		vmbus_gpadl_rec_set(rec, VMBUS_GPADL_LEAKED);
		return ret;
	}
	/* 0, or -ESHUTDOWN: UNLOAD completed meanwhile; both free it. */
out_free:
	vmbus_gpadl_rec_free(rec);
	return 0;
}

/*
 * @chan is being freed: its records lose their channel.  Live ones are
 * a driver that did not tear its GPADLs down; they and leaked ones keep
 * their handles until UNLOAD.
 */
void vmbus_gpadl_chan_gone(struct vmbus_channel *chan)
{
	struct vmbus_gpadl_rec *rec, *tmp;
	unsigned int live = 0;

	spin_lock(&vmbus_conn.gpadl_lock);
	list_for_each_entry_safe(rec, tmp, &chan->gpadls, node) {
		live += rec->state == VMBUS_GPADL_LIVE;
		list_del(&rec->node);
		rec->chan = NULL;
	}
	chan->nr_gpadls = 0;
	spin_unlock(&vmbus_conn.gpadl_lock);
	if (live)
		pr_warn("relid %u: %u GPADLs were not torn down before the channel went away\n",
			chan->relid, live);
}

/* After UNLOAD: the host holds no GPADL any more; drop every record. */
void vmbus_gpadl_forget_all(void)
{
	struct vmbus_gpadl_rec *rec;
	unsigned long handle;

	xa_for_each(&vmbus_conn.gpadls, handle, rec)
		vmbus_gpadl_rec_free(rec);
}

/* GPADLs the host holds or may hold (debugfs). */
unsigned int vmbus_gpadl_count(void)
{
	struct vmbus_gpadl_rec *rec;
	unsigned long handle;
	unsigned int n = 0;

	xa_for_each(&vmbus_conn.gpadls, handle, rec)
		n++;
	return n;
}

/* The PFN of the page at @p (linear map or vmalloc).  0 or -EINVAL. */
static int vmbus_virt_to_pfn(const void *p, u64 *pfn)
{
	struct page *page;

	if (is_vmalloc_addr(p)) {
		page = vmalloc_to_page(p);
		if (!page)
			return -EINVAL;
		*pfn = page_to_pfn(page);
		return 0;
	}
	if (!virt_addr_valid(p))
		return -EINVAL;
	*pfn = PHYS_PFN(virt_to_phys((void *)p));
	return 0;
}

int vmbus_gpadl_create(struct vmbus_channel *chan, void *buf, u32 size,
		       struct vmbus_gpadl *gpadl)
{
	u32 i, nr, handle;
	u64 *pfns;
	int ret;

	if (!chan || !buf || !gpadl || !size || size % PAGE_SIZE ||
	    offset_in_page(buf))
		return -EINVAL;
	nr = size >> PAGE_SHIFT;
	pfns = kvmalloc_array(nr, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		ret = vmbus_virt_to_pfn((u8 *)buf + (size_t)i * PAGE_SIZE, &pfns[i]);
		if (ret)
			goto out;
	}
	ret = vmbus_gpadl_create_pfns(chan, pfns, nr, size, &handle);
	if (!ret) {
		gpadl->handle = handle;
		gpadl->buf = buf;
		gpadl->size = size;
	}
out:
	kvfree(pfns);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_gpadl_create);

int vmbus_gpadl_teardown(struct vmbus_channel *chan, struct vmbus_gpadl *gpadl)
{
	int ret;

	if (!chan || !gpadl || !gpadl->handle)
		return -EINVAL;
	ret = vmbus_gpadl_teardown_handle(chan, gpadl->handle);
	if (!ret)
		gpadl->handle = 0;
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_gpadl_teardown);

u32 vmbus_pages_spanned(const void *kbuf, u32 size)
{
	return VMBUS_PAGES_SPANNED(offset_in_page(kbuf), size);
}
EXPORT_SYMBOL_GPL(vmbus_pages_spanned);

int vmbus_gpa_from_buf(const void *kbuf, u32 size, u64 *pfns, struct vmbus_gpa_desc *desc)
{
	const u8 *page = (const u8 *)((unsigned long)kbuf & PAGE_MASK);
	u32 i, nr;
	int ret;

	if (!kbuf || !size || !pfns || !desc)
		return -EINVAL;
	nr = vmbus_pages_spanned(kbuf, size);
	for (i = 0; i < nr; i++) {
		ret = vmbus_virt_to_pfn(page + (size_t)i * PAGE_SIZE, &pfns[i]);
		if (ret)
			return ret;
	}
	desc->byte_count = size;
	desc->byte_offset = offset_in_page(kbuf);
	desc->nr_pfns = nr;
	desc->pfns = pfns;
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_gpa_from_buf);
