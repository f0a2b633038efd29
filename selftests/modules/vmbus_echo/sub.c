// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_echo_test: subchannels.  "subchan COUNT" on a primary asks the
 * host for COUNT subchannels (HVECHO_OP_SUBCHANNELS) and waits until
 * that many arrived; hv_vmbus reports each one to vet_sub_offer(), which
 * gives it a vet_dev (opened when open_on_probe is set) and a debugfs
 * directory of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/list.h>

#include "vet.h"

/*
 * hv_vmbus's channel workqueue (or probe), under the device's subchannel
 * lock: no other offer or rescind of this device runs meanwhile.
 */
static void vet_sub_offer(struct vmbus_channel *sub, void *ctx)
{
	struct vet_dev *primary = ctx, *vd;

	vd = vet_dev_create(primary->vdev, sub);
	if (IS_ERR(vd)) {
		pr_err("subchannel %u (relid %u) not taken: %ld\n",
		       vmbus_chan_subchan_index(sub), vmbus_chan_relid(sub), PTR_ERR(vd));
		return;
	}
	mutex_lock(&primary->sub_lock);
	list_add_tail(&vd->sub_node, &primary->subs);
	WRITE_ONCE(primary->nr_subs, primary->nr_subs + 1);
	mutex_unlock(&primary->sub_lock);
	wake_up_all(&primary->wq);
}

/* Same context: the host took @sub back; forget its vet_dev. */
static void vet_sub_rescind(struct vmbus_channel *sub, void *ctx)
{
	struct vet_dev *primary = ctx, *vd, *found = NULL;

	mutex_lock(&primary->sub_lock);
	list_for_each_entry(vd, &primary->subs, sub_node) {
		if (vd->chan == sub) {
			found = vd;
			list_del(&vd->sub_node);
			WRITE_ONCE(primary->nr_subs, primary->nr_subs - 1);
			break;
		}
	}
	mutex_unlock(&primary->sub_lock);
	if (found)
		vet_dev_destroy(found);
}

const struct vmbus_subchan_ops vet_subchan_ops = {
	.offer = vet_sub_offer,
	.rescind = vet_sub_rescind,
};

/* The primary's remove: the callbacks no longer run. */
void vet_subs_destroy(struct vet_dev *primary)
{
	struct vet_dev *vd, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&primary->sub_lock);
	list_splice_init(&primary->subs, &gone);
	WRITE_ONCE(primary->nr_subs, 0);
	mutex_unlock(&primary->sub_lock);
	list_for_each_entry_safe(vd, tmp, &gone, sub_node) {
		list_del(&vd->sub_node);
		vet_dev_destroy(vd);
	}
}

static bool vet_have_subs(struct vet_dev *vd, void *arg)
{
	return READ_ONCE(vd->nr_subs) >= *(u32 *)arg;
}

int vet_cmd_subchan(struct vet_dev *vd, u32 count)
{
	struct hvecho_hdr hdr, reply;
	u32 offered, max;
	int ret;

	if (!vd->open)
		return -ENOTCONN;
	vet_hdr(&hdr, HVECHO_OP_SUBCHANNELS, 0, count);
	vet_begin(vd, VET_SINGLE, 1);
	ret = vet_single(vd, &hdr, NULL, 0, &reply);
	vet_end(vd);
	if (ret)
		return ret;
	if (reply.status) {
		vet_set_result(vd, "status=%u", le32_to_cpu(reply.status));
		return -EIO;
	}
	offered = min_t(u64, le64_to_cpu(reply.arg), U32_MAX);
	max = le32_to_cpu(reply.len);
	/* The offers travel as channel messages: they may come after the answer. */
	ret = vet_wait(vd, vet_have_subs, &offered);
	vet_set_result(vd, "status=0 offered=%u max=%u have=%u", offered, max,
		       READ_ONCE(vd->nr_subs));
	return ret;
}
