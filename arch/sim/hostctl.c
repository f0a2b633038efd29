// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "hv_sim": the test-only path to hvhost's control commands and
 * the transport statistics.
 *
 *   hostctl  write a command line ("vp-state", ...): it is sent to hvhost
 *            as an HVSIM_OP_HOSTCTL transaction on the current CPU and the
 *            answer is kept with the open file; a read on the same open
 *            file returns it.  A write rewinds the file position, so
 *            "write, then read" works without a seek.  A trailing newline
 *            is dropped (echo CMD > hostctl).  The write fails with
 *            -EINVAL (empty, too long, refused by the host: transport
 *            status BAD_VALUE or ret0 != 0) or -EIO (transport failure);
 *            whatever answer the host gave is still readable then.
 *   stats    one line per VP:
 *            vp=<i> calls=<n> max_spin_ns=<n> timeouts=<n> interrupts=<n>
 *            forwarded=<n> total_spin_ns=<n>
 *            (forwarded: interrupts of the VP's vector that arrived on
 *            another CPU and were passed on by IPI, irq.c; total_spin_ns
 *            over calls is the mean wait for hvhost)
 */
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sim.h"

/* State of one open hostctl file. */
struct hvsim_hostctl {
	struct mutex lock;		/* serializes write/read on this file */
	size_t answer_len;		/* must hold lock */
	char cmd[HVSIM_TEXT_MAX];	/* must hold lock */
	char answer[HVSIM_TEXT_MAX];	/* must hold lock */
};

static int hostctl_open(struct inode *inode, struct file *file)
{
	struct hvsim_hostctl *hc;

	hc = kzalloc(sizeof(*hc), GFP_KERNEL);
	if (!hc)
		return -ENOMEM;
	mutex_init(&hc->lock);
	file->private_data = hc;
	return 0;
}

static int hostctl_release(struct inode *inode, struct file *file)
{
	struct hvsim_hostctl *hc = file->private_data;

	mutex_destroy(&hc->lock);
	kfree(hc);
	return 0;
}

static ssize_t hostctl_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct hvsim_hostctl *hc = file->private_data;
	struct hvsim_req req = { .op = HVSIM_OP_HOSTCTL };
	size_t len = count;
	ssize_t ret;

	if (count == 0 || count > HVSIM_TEXT_MAX)
		return -EINVAL;

	mutex_lock(&hc->lock);
	hc->answer_len = 0;
	if (copy_from_user(hc->cmd, ubuf, count)) {
		ret = -EFAULT;
		goto out;
	}
	if (hc->cmd[len - 1] == '\n')
		len--;
	if (len == 0) {
		ret = -EINVAL;
		goto out;
	}

	req.text = hc->cmd;
	req.text_len = len;
	req.answer = hc->answer;
	ret = hvsim_transact(&req);
	hc->answer_len = req.answer_len;
	if (ret) {
		ret = ret == -EINVAL ? -EINVAL : -EIO;
		goto out;
	}
	/* hvhost answers a command it refused with ret0 != 0. */
	if (req.ret[0]) {
		ret = -EINVAL;
		goto out;
	}
	*ppos = 0;
	ret = count;
out:
	mutex_unlock(&hc->lock);
	return ret;
}

static ssize_t hostctl_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct hvsim_hostctl *hc = file->private_data;
	ssize_t ret;

	mutex_lock(&hc->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, hc->answer,
				      hc->answer_len);
	mutex_unlock(&hc->lock);
	return ret;
}

static const struct file_operations hostctl_fops = {
	.owner = THIS_MODULE,
	.open = hostctl_open,
	.release = hostctl_release,
	.write = hostctl_write,
	.read = hostctl_read,
	.llseek = default_llseek,
};

static int stats_show(struct seq_file *m, void *unused)
{
	struct hvsim_dev *sim = m->private;
	u32 i;

	for (i = 0; i < sim->nr_vps; i++) {
		const struct hvsim_vp *vp = &sim->vps[i];

		seq_printf(m, "vp=%u calls=%llu max_spin_ns=%llu timeouts=%llu interrupts=%llu forwarded=%llu total_spin_ns=%llu\n",
			   i, READ_ONCE(vp->calls), READ_ONCE(vp->max_spin_ns),
			   READ_ONCE(vp->timeouts), READ_ONCE(vp->interrupts),
			   READ_ONCE(vp->forwarded), READ_ONCE(vp->total_spin_ns));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* Process context.  debugfs is optional: failures are not fatal. */
void hvsim_debugfs_init(struct hvsim_dev *sim)
{
	sim->debugfs = debugfs_create_dir("hv_sim", NULL);
	debugfs_create_file("hostctl", 0600, sim->debugfs, sim, &hostctl_fops);
	debugfs_create_file("stats", 0400, sim->debugfs, sim, &stats_fops);
}

/* On return no handler of ours runs; open files only fail (-EIO). */
void hvsim_debugfs_uninit(struct hvsim_dev *sim)
{
	debugfs_remove(sim->debugfs);
	sim->debugfs = NULL;
}
