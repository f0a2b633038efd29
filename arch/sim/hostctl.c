// SPDX-License-Identifier: GPL-2.0
/*
 * Test builds only (CONFIG_HVSTACK_TESTING; sim.h has the empty production
 * hook).  debugfs hv_sim/hostctl, the test-only path to hvhost's control
 * commands (the guest selftests' hostctl tool):
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
 */
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
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

/* Under hv_sim/ (debugfs.c).  Process context. */
void hvsim_hostctl_debugfs(struct hvsim_dev *sim)
{
	debugfs_create_file("hostctl", 0600, sim->debugfs, sim, &hostctl_fops);
}
