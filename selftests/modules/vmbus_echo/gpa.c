// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_echo_test: the commands that share guest memory with the host.
 *
 *   checksum SIZE mpb|pagebuf  a vmalloc buffer of pseudo-random bytes,
 *	HVECHO_OP_CHECKSUM as one multipage range (mpb) or as one-page
 *	ranges, VET_PAGEBUF_BATCH per request (pagebuf: every request's CRC
 *	is compared, and the host's CRCs are combined into the whole
 *	buffer's).  Result: bytes= crc_host= crc_guest= match=
 *   fill SIZE SEED   HVECHO_OP_FILL into a zeroed vmalloc buffer: every
 *	byte must be (u8)(SEED + i) and the host's CRC that of the buffer.
 *	Result: bytes= crc_host= crc_guest= bad= match=
 *   gpadl_create SIZE  a vmalloc buffer as a GPADL, kept until
 *	gpadl_teardown.  Result: handle= pages=
 *   gpadl_teardown  every kept GPADL torn down and freed (or leaked when
 *	the host may still use it).  Result: torn= leaked=
 *
 * CRCs are CRC-32 as hvecho.h defines it: crc32_le(~0, p, n) ^ ~0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/crc32.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vet.h"

static u32 vet_crc(const void *p, size_t n)
{
	return crc32_le(~0U, p, n) ^ ~0U;
}

/* xorshift32: cheap bytes that differ from run to run. */
static void vet_fill_random(u8 *buf, u32 size)
{
	u32 x = get_random_u32() | 1, i;

	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x;
	}
}

/*
 * One request of @op over @size bytes at @buf as one multipage range.
 * On an error the host may still use the buffer.
 */
static int vet_gpa_mpb(struct vet_dev *vd, u32 op, u64 arg, void *buf, u32 size,
		       struct hvecho_hdr *reply)
{
	struct vmbus_gpa_desc desc;
	struct hvecho_hdr hdr;
	u64 *pfns;
	int ret;

	pfns = kvmalloc_array(vmbus_pages_spanned(buf, size), sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	ret = vmbus_gpa_from_buf(buf, size, pfns, &desc);
	if (!ret) {
		vet_hdr(&hdr, op, 0, arg);
		vet_begin(vd, VET_SINGLE, 1);
		ret = vet_single(vd, &hdr, &desc, 1, reply);
		vet_end(vd);
	}
	kvfree(pfns);
	return ret;
}

struct vet_pagebuf {
	struct vmbus_gpa_desc desc[VET_PAGEBUF_BATCH];
	u64 pfns[VET_PAGEBUF_BATCH];
};

/*
 * CHECKSUM of @buf in batches of one-page ranges.  *@crc_host: the
 * host's CRCs combined; *@ok: every batch's CRC and length right.
 */
static int vet_checksum_pages(struct vet_dev *vd, u8 *buf, u32 size, u32 *crc_host,
			      u32 *bytes, bool *ok)
{
	struct hvecho_hdr hdr, reply;
	struct vet_pagebuf *pb;
	u32 off = 0, blen, n, chunk;
	int ret = 0;

	pb = kmalloc(sizeof(*pb), GFP_KERNEL);
	if (!pb)
		return -ENOMEM;
	*ok = true;
	*bytes = 0;
	vet_hdr(&hdr, HVECHO_OP_CHECKSUM, 0, 0);
	while (off < size && !ret) {
		for (n = 0, blen = 0; n < VET_PAGEBUF_BATCH && off + blen < size; n++) {
			chunk = min_t(u32, PAGE_SIZE, size - off - blen);
			ret = vmbus_gpa_from_buf(buf + off + blen, chunk, &pb->pfns[n],
						 &pb->desc[n]);
			if (ret)
				break;
			blen += chunk;
		}
		if (ret)
			break;
		vet_begin(vd, VET_SINGLE, 1);
		ret = vet_single(vd, &hdr, pb->desc, n, &reply);
		vet_end(vd);
		if (ret)
			break;
		if (reply.status || le32_to_cpu(reply.len) != blen ||
		    (u32)le64_to_cpu(reply.arg) != vet_crc(buf + off, blen))
			*ok = false;
		*crc_host = off ? crc32_le_combine(*crc_host, le64_to_cpu(reply.arg), blen)
				: le64_to_cpu(reply.arg);
		*bytes += le32_to_cpu(reply.len);
		off += blen;
	}
	kfree(pb);
	return ret;
}

int vet_cmd_checksum(struct vet_dev *vd, u32 size, bool pagebuf)
{
	u32 crc_guest, crc_host = 0, bytes = 0;
	struct hvecho_hdr reply = {};
	bool ok = true;
	u8 *buf;
	int ret;

	if (!size || size > VET_MAX_GPA_SIZE)
		return -EINVAL;
	if (!vd->open)
		return -ENOTCONN;
	buf = vmalloc(size);
	if (!buf)
		return -ENOMEM;
	vet_fill_random(buf, size);
	crc_guest = vet_crc(buf, size);

	if (pagebuf) {
		ret = vet_checksum_pages(vd, buf, size, &crc_host, &bytes, &ok);
	} else {
		ret = vet_gpa_mpb(vd, HVECHO_OP_CHECKSUM, 0, buf, size, &reply);
		ok = !reply.status;
		crc_host = le64_to_cpu(reply.arg);
		bytes = le32_to_cpu(reply.len);
	}
	/* The host only reads this buffer: freeing it is safe even now. */
	vfree(buf);
	if (ret)
		return ret;
	vet_set_result(vd, "bytes=%u crc_host=%#x crc_guest=%#x match=%d",
		       bytes, crc_host, crc_guest,
		       ok && bytes == size && crc_host == crc_guest);
	return 0;
}

int vet_cmd_fill(struct vet_dev *vd, u32 size, u8 seed)
{
	struct hvecho_hdr reply;
	u32 crc_guest, i, bad = 0;
	u8 *buf;
	int ret;

	if (!size || size > VET_MAX_GPA_SIZE)
		return -EINVAL;
	if (!vd->open)
		return -ENOTCONN;
	buf = vzalloc(size);
	if (!buf)
		return -ENOMEM;
	ret = vet_gpa_mpb(vd, HVECHO_OP_FILL, seed, buf, size, &reply);
	if (ret) {
		/* The host may still write it: never give it back. */
		pr_warn("relid %u: fill failed (%d): leaking %u bytes the host may write\n",
			vmbus_chan_relid(vd->chan), ret, size);
		return ret;
	}
	for (i = 0; i < size; i++)
		bad += buf[i] != (u8)(seed + i);
	crc_guest = vet_crc(buf, size);
	vfree(buf);
	vet_set_result(vd, "bytes=%u crc_host=%#x crc_guest=%#x bad=%u match=%d",
		       le32_to_cpu(reply.len), (u32)le64_to_cpu(reply.arg), crc_guest, bad,
		       !reply.status && !bad && le32_to_cpu(reply.len) == size &&
		       (u32)le64_to_cpu(reply.arg) == crc_guest);
	return 0;
}

int vet_cmd_gpadl_create(struct vet_dev *vd, u32 size)
{
	struct vmbus_gpadl *g;
	void *buf;
	int ret;

	if (!size || size > VET_MAX_GPADL_SIZE || !PAGE_ALIGNED(size))
		return -EINVAL;
	if (vd->nr_gpadls == VET_MAX_GPADLS)
		return -ENOSPC;
	buf = vzalloc(size);
	if (!buf)
		return -ENOMEM;
	g = &vd->gpadls[vd->nr_gpadls];
	ret = vmbus_gpadl_create(vd->chan, buf, size, g);
	if (ret == -ETIMEDOUT) {
		pr_warn("relid %u: GPADL create timed out: leaking %u bytes\n",
			vmbus_chan_relid(vd->chan), size);
		return ret;
	}
	if (ret) {
		vfree(buf);
		return ret;
	}
	vd->nr_gpadls++;
	vet_set_result(vd, "handle=%u pages=%u", g->handle, size >> PAGE_SHIFT);
	return 0;
}

/* Tear down every kept GPADL.  Returns how many had to be leaked. */
unsigned int vet_gpadls_teardown(struct vet_dev *vd, unsigned int *torn)
{
	unsigned int leaked = 0;
	struct vmbus_gpadl *g;

	lockdep_assert_held(&vd->cmd_lock);
	*torn = 0;
	while (vd->nr_gpadls) {
		g = &vd->gpadls[--vd->nr_gpadls];
		if (vmbus_gpadl_teardown(vd->chan, g)) {
			pr_warn("relid %u: GPADL %u not given back: leaking %u bytes\n",
				vmbus_chan_relid(vd->chan), g->handle, g->size);
			leaked++;
			continue;
		}
		vfree(g->buf);
		(*torn)++;
	}
	return leaked;
}

int vet_cmd_gpadl_teardown(struct vet_dev *vd)
{
	unsigned int torn, leaked;

	leaked = vet_gpadls_teardown(vd, &torn);
	vet_set_result(vd, "torn=%u leaked=%u", torn, leaked);
	return leaked ? -EIO : 0;
}
