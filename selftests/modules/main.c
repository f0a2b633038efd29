// SPDX-License-Identifier: GPL-2.0
/*
 * hv_common_test: module init/exit, the SINT client and the debugfs files.
 *
 *   echo      write "<count>": echo round trips on every online CPU; read:
 *             one result line per online CPU (echo.c)
 *   events    write "<count>": signal-event round trips on every online
 *             CPU; read: one result line per online CPU (events.c)
 *   badinput  read: run the malformed-hypercall cases (badinput.c)
 *   regs      read: synthetic registers of the current CPU (regs.c)
 *   reset     write "1": HV_REG_X64_RESET, hvhost ends the VM
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <hyperv/hvsim.h>

#include "test.h"

DEFINE_MUTEX(hct_lock);

static struct dentry *hct_debugfs;
static bool hct_sint_claimed;	/* must hold hct_lock */

/* Hard interrupt context, on the CPU the message arrived at. */
static void hct_on_message(unsigned int sint, const struct hv_message *msg,
			   void *ctx)
{
	switch (le32_to_cpu(msg->header.message_type)) {
	case HCT_ECHO_TYPE:
		hct_echo_on_message(msg);
		break;
	case HCT_BADINPUT_TYPE:
		break;	/* badinput's post_good echo: nothing to check */
	case HCT_BURST_TYPE:
		hct_burst_on_message(msg);
		break;
	default:
		pr_warn_ratelimited("hv_common_test: unexpected message type %#x on SINT %u\n",
				    le32_to_cpu(msg->header.message_type), sint);
		break;
	}
}

/* Hard interrupt context, on the CPU whose event flags were set. */
static void hct_on_events(unsigned int sint, const unsigned long *flags,
			  void *ctx)
{
	hct_events_on_flags(flags);
}

static const struct hvcore_sint_client hct_client = {
	.message = hct_on_message,
	.events = hct_on_events,
};

int hct_sint_claim(void)
{
	int ret;

	lockdep_assert_held(&hct_lock);
	if (hct_sint_claimed)
		return 0;
	ret = hvcore_sint_register(HVSIM_ECHO_SINT, &hct_client);
	if (ret)
		return ret;
	hct_sint_claimed = true;
	return 0;
}

void hct_sint_release(void)
{
	lockdep_assert_held(&hct_lock);
	if (!hct_sint_claimed)
		return;
	hvcore_sint_unregister(HVSIM_ECHO_SINT);
	hct_sint_claimed = false;
}

/*
 * The test files: reading shows a test's results, writing a number n
 * (min..max) runs it (echo, events) or resets it (burst, n = 0); the write
 * returns when the run ends.  Both under hct_lock, one test at a time.
 */
struct hct_file {
	const char *name;
	void (*show)(struct seq_file *m);
	int (*run)(unsigned int n);	/* NULL: read-only */
	unsigned int min, max;
};

static const struct hct_file hct_files[] = {
	{ "echo", hct_echo_show, hct_echo_run, 1, HCT_MAX_COUNT },
	{ "events", hct_events_show, hct_events_run, 1, HCT_MAX_COUNT },
	{ "burst", hct_burst_show, hct_burst_reset, 0, 0 },
	{ "badinput", hct_badinput_show, NULL },
	{ "regs", hct_regs_show, NULL },
};

static int hct_file_show(struct seq_file *m, void *unused)
{
	const struct hct_file *f = m->private;

	mutex_lock(&hct_lock);
	f->show(m);
	mutex_unlock(&hct_lock);
	return 0;
}

static int hct_file_open(struct inode *inode, struct file *file)
{
	return single_open(file, hct_file_show, inode->i_private);
}

static ssize_t hct_file_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const struct hct_file *f = ((struct seq_file *)file->private_data)->private;
	unsigned int n;
	int ret;

	if (!f->run)
		return -EPERM;
	ret = kstrtouint_from_user(ubuf, count, 0, &n);
	if (ret)
		return ret;
	if (n < f->min || n > f->max)
		return -EINVAL;
	mutex_lock(&hct_lock);
	ret = f->run(n);
	mutex_unlock(&hct_lock);
	return ret ? ret : count;
}

static const struct file_operations hct_file_fops = {
	.owner = THIS_MODULE,
	.open = hct_file_open,
	.read = seq_read,
	.write = hct_file_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	unsigned int v;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &v);
	if (ret)
		return ret;
	if (v != 1)
		return -EINVAL;
	pr_info("hv_common_test: asking the host to reset the VM\n");
	ret = hvcore_set_register(HV_REG_X64_RESET, HV_RESET_VALUE);
	return ret ? ret : count;
}

static const struct file_operations reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = reset_write,
	.llseek = noop_llseek,
};

static int __init hct_init(void)
{
	unsigned int i;
	int ret;

	ret = hct_echo_init();
	if (ret)
		return ret;
	ret = hct_events_init();
	if (ret)
		goto err_echo;

	mutex_lock(&hct_lock);
	ret = hct_sint_claim();
	mutex_unlock(&hct_lock);
	if (ret) {
		pr_err("hv_common_test: cannot claim SINT %u: %d (is a platform registered?)\n",
		       HVSIM_ECHO_SINT, ret);
		goto err_events;
	}

	hct_debugfs = debugfs_create_dir("hv_common_test", NULL);
	for (i = 0; i < ARRAY_SIZE(hct_files); i++)
		debugfs_create_file(hct_files[i].name, hct_files[i].run ? 0600 : 0400,
				    hct_debugfs, (void *)&hct_files[i], &hct_file_fops);
	debugfs_create_file("reset", 0200, hct_debugfs, NULL, &reset_fops);
	return 0;

err_events:
	hct_events_uninit();
err_echo:
	hct_echo_uninit();
	return ret;
}

static void __exit hct_exit(void)
{
	/* No file operation runs after this; then no callback. */
	debugfs_remove(hct_debugfs);
	mutex_lock(&hct_lock);
	hct_sint_release();
	mutex_unlock(&hct_lock);
	hct_events_uninit();
	hct_echo_uninit();
}

module_init(hct_init);
module_exit(hct_exit);

MODULE_DESCRIPTION("hv_common test client: echo, events, bad input, registers");
MODULE_LICENSE("GPL");
