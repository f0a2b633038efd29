// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_echo_test: module init/exit, the vmbus driver for the echo class,
 * and the debugfs files of each bound device:
 *
 *   /sys/kernel/debug/vmbus_echo_test/<relid>/cmd     write one command;
 *	the write returns when it has finished: the byte count, or a
 *	negative errno
 *   /sys/kernel/debug/vmbus_echo_test/<relid>/result  the last command's
 *	result: one line of k=v pairs (" error=<errno>" appended on failure)
 *
 * Commands: open [RING_KB] | close | echo COUNT SIZE QD [nocomp] |
 * checksum SIZE mpb|pagebuf | fill SIZE SEED | gpadl_create SIZE |
 * gpadl_teardown | badcomp ID | flood COUNT SIZE  (echo.c, gpa.c) |
 * subchan COUNT (primaries: ask for COUNT subchannels, wait for them) |
 * lowlat 0|1 (MNF channels: signal with hypercalls)  (sub.c, below).
 *
 * Subchannels get their own directory, named by their relid, with the
 * same commands (except subchan); they are opened as they arrive when
 * open_on_probe is set.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <hyperv/vmbus.h>

#include "vet.h"

static unsigned int ring_kb = 64;
module_param(ring_kb, uint, 0644);
MODULE_PARM_DESC(ring_kb, "KiB of each ring, control page included (default 64)");

static bool open_on_probe = true;
module_param(open_on_probe, bool, 0644);
MODULE_PARM_DESC(open_on_probe, "Open the channel when a device binds (default 1)");

#define VET_CMD_MAX	128	/* bytes of one command line */
#define VET_MAX_ARGS	5

u8 *vet_pattern;
static struct dentry *vet_debugfs;
static struct lock_class_key vet_sub_cmd_key;

void vet_set_result(struct vet_dev *vd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spin_lock_bh(&vd->lock);
	vscnprintf(vd->result, sizeof(vd->result), fmt, ap);
	spin_unlock_bh(&vd->lock);
	va_end(ap);
}

static void vet_result_error(struct vet_dev *vd, int err)
{
	size_t len;

	spin_lock_bh(&vd->lock);
	len = strlen(vd->result);
	scnprintf(vd->result + len, sizeof(vd->result) - len, "%serror=%d",
		  len ? " " : "", err);
	spin_unlock_bh(&vd->lock);
}

/* ---- commands: argv[0] is the name, argc already checked ---------------- */

static int vet_do_open(struct vet_dev *vd, int argc, char **argv)
{
	u32 kb = READ_ONCE(ring_kb);
	int ret;

	if (argc > 1 && kstrtou32(argv[1], 0, &kb))
		return -EINVAL;
	ret = vet_open(vd, kb);
	if (ret)
		return ret;
	vet_set_result(vd, "open=1 ring_kb=%u cpu=%u", kb,
		       vmbus_chan_target_cpu(vd->chan));
	return 0;
}

static int vet_do_close(struct vet_dev *vd, int argc, char **argv)
{
	vet_close(vd);
	vet_set_result(vd, "open=0");
	return 0;
}

static int vet_do_echo(struct vet_dev *vd, int argc, char **argv)
{
	u32 count, size, qd;
	bool nocomp = false;

	if (kstrtou32(argv[1], 0, &count) || kstrtou32(argv[2], 0, &size) ||
	    kstrtou32(argv[3], 0, &qd))
		return -EINVAL;
	if (argc > 4) {
		if (strcmp(argv[4], "nocomp"))
			return -EINVAL;
		nocomp = true;
	}
	return vet_cmd_echo(vd, count, size, qd, nocomp);
}

static int vet_do_checksum(struct vet_dev *vd, int argc, char **argv)
{
	u32 size;

	if (kstrtou32(argv[1], 0, &size))
		return -EINVAL;
	if (!strcmp(argv[2], "mpb"))
		return vet_cmd_checksum(vd, size, false);
	if (!strcmp(argv[2], "pagebuf"))
		return vet_cmd_checksum(vd, size, true);
	return -EINVAL;
}

static int vet_do_fill(struct vet_dev *vd, int argc, char **argv)
{
	u32 size;
	u8 seed;

	if (kstrtou32(argv[1], 0, &size) || kstrtou8(argv[2], 0, &seed))
		return -EINVAL;
	return vet_cmd_fill(vd, size, seed);
}

static int vet_do_gpadl_create(struct vet_dev *vd, int argc, char **argv)
{
	u32 size;

	if (kstrtou32(argv[1], 0, &size))
		return -EINVAL;
	return vet_cmd_gpadl_create(vd, size);
}

static int vet_do_gpadl_teardown(struct vet_dev *vd, int argc, char **argv)
{
	return vet_cmd_gpadl_teardown(vd);
}

static int vet_do_badcomp(struct vet_dev *vd, int argc, char **argv)
{
	u64 id;

	if (kstrtou64(argv[1], 0, &id))
		return -EINVAL;
	return vet_cmd_badcomp(vd, id);
}

static int vet_do_flood(struct vet_dev *vd, int argc, char **argv)
{
	u32 count, size;

	if (kstrtou32(argv[1], 0, &count) || kstrtou32(argv[2], 0, &size))
		return -EINVAL;
	return vet_cmd_flood(vd, count, size);
}

static int vet_do_subchan(struct vet_dev *vd, int argc, char **argv)
{
	u32 count;

	if (kstrtou32(argv[1], 0, &count))
		return -EINVAL;
	return vet_cmd_subchan(vd, count);
}

static int vet_do_lowlat(struct vet_dev *vd, int argc, char **argv)
{
	bool on;

	if (kstrtobool(argv[1], &on))
		return -EINVAL;
	vmbus_chan_set_low_latency(vd->chan, on);
	vet_set_result(vd, "mnf=%d", vmbus_chan_uses_mnf(vd->chan));
	return 0;
}

static const struct vet_cmd {
	const char *name;
	int min_args, max_args;		/* argc, the name included */
	int (*run)(struct vet_dev *vd, int argc, char **argv);
} vet_cmds[] = {
	{ "open", 1, 2, vet_do_open },
	{ "close", 1, 1, vet_do_close },
	{ "echo", 4, 5, vet_do_echo },
	{ "checksum", 3, 3, vet_do_checksum },
	{ "fill", 3, 3, vet_do_fill },
	{ "gpadl_create", 2, 2, vet_do_gpadl_create },
	{ "gpadl_teardown", 1, 1, vet_do_gpadl_teardown },
	{ "badcomp", 2, 2, vet_do_badcomp },
	{ "flood", 3, 3, vet_do_flood },
	{ "subchan", 2, 2, vet_do_subchan },
	{ "lowlat", 2, 2, vet_do_lowlat },
};

/* Split @line into words and run the command.  Must hold cmd_lock. */
static int vet_run(struct vet_dev *vd, char *line)
{
	char *argv[VET_MAX_ARGS + 1], *tok;
	unsigned int i;
	int argc = 0;

	while ((tok = strsep(&line, " \t\n"))) {
		if (!*tok)
			continue;
		if (argc == ARRAY_SIZE(argv))
			return -E2BIG;
		argv[argc++] = tok;
	}
	if (!argc)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(vet_cmds); i++) {
		if (strcmp(argv[0], vet_cmds[i].name))
			continue;
		if (argc < vet_cmds[i].min_args || argc > vet_cmds[i].max_args)
			return -EINVAL;
		return vet_cmds[i].run(vd, argc, argv);
	}
	return -EINVAL;
}

static ssize_t vet_cmd_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct vet_dev *vd = file->private_data;
	char *line;
	int ret;

	if (count > VET_CMD_MAX)
		return -EINVAL;
	line = memdup_user_nul(ubuf, count);
	if (IS_ERR(line))
		return PTR_ERR(line);
	if (mutex_lock_interruptible(&vd->cmd_lock)) {
		kfree(line);
		return -EINTR;
	}
	if (READ_ONCE(vd->dying)) {
		ret = -ENODEV;
	} else {
		vet_set_result(vd, "%s", "");
		ret = vet_run(vd, line);
		if (ret)
			vet_result_error(vd, ret);
	}
	mutex_unlock(&vd->cmd_lock);
	kfree(line);
	return ret ? ret : count;
}

static ssize_t vet_result_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct vet_dev *vd = file->private_data;
	char buf[VET_RESULT_LEN + 1];
	int len;

	spin_lock_bh(&vd->lock);
	len = scnprintf(buf, sizeof(buf), "%s\n", vd->result);
	spin_unlock_bh(&vd->lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations vet_cmd_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vet_cmd_write,
	.llseek = noop_llseek,
};

static const struct file_operations vet_result_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vet_result_read,
	.llseek = default_llseek,
};

/* ---- devices and channels ------------------------------------------------ */

/*
 * A vet_dev for @chan (the primary of @vdev, or one of its subchannels),
 * opened if open_on_probe, with its debugfs directory.  Process context.
 */
struct vet_dev *vet_dev_create(struct vmbus_device *vdev, struct vmbus_channel *chan)
{
	struct vet_dev *vd;
	char name[16];
	int ret;

	vd = kvzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return ERR_PTR(-ENOMEM);
	vd->vdev = vdev;
	vd->chan = chan;
	mutex_init(&vd->cmd_lock);
	/*
	 * Lock order: a primary's cmd_lock -> hv_vmbus's subchannel lock
	 * (closing the primary closes its subchannels) -> a subchannel's
	 * cmd_lock (the offer and rescind callbacks): two lock classes.
	 */
	if (vmbus_chan_subchan_index(chan))
		lockdep_set_class(&vd->cmd_lock, &vet_sub_cmd_key);
	spin_lock_init(&vd->lock);
	init_waitqueue_head(&vd->wq);
	mutex_init(&vd->sub_lock);
	INIT_LIST_HEAD(&vd->subs);

	if (open_on_probe) {
		mutex_lock(&vd->cmd_lock);
		ret = vet_open(vd, READ_ONCE(ring_kb));
		mutex_unlock(&vd->cmd_lock);
		if (ret) {
			dev_err(&vdev->dev, "cannot open relid %u: %d\n",
				vmbus_chan_relid(chan), ret);
			goto err_free;
		}
	}
	snprintf(name, sizeof(name), "%u", vmbus_chan_relid(chan));
	vd->dir = debugfs_create_dir(name, vet_debugfs);
	if (IS_ERR(vd->dir)) {
		ret = PTR_ERR(vd->dir);
		goto err_close;
	}
	debugfs_create_file("cmd", 0200, vd->dir, vd, &vet_cmd_fops);
	debugfs_create_file("result", 0400, vd->dir, vd, &vet_result_fops);
	return vd;

err_close:
	mutex_lock(&vd->cmd_lock);
	vet_close(vd);
	mutex_unlock(&vd->cmd_lock);
err_free:
	kvfree(vd);
	return ERR_PTR(ret);
}

/*
 * Tear @vd down.  A running command is told to stop and waited for BEFORE
 * the debugfs files go: removing them waits for writers in flight, which
 * would otherwise wait for us.
 */
void vet_dev_destroy(struct vet_dev *vd)
{
	unsigned int torn;

	WRITE_ONCE(vd->dying, true);
	wake_up_all(&vd->wq);
	mutex_lock(&vd->cmd_lock);	/* the running command has ended */
	mutex_unlock(&vd->cmd_lock);
	debugfs_remove_recursive(vd->dir);	/* later writers saw dying */

	mutex_lock(&vd->cmd_lock);
	vet_gpadls_teardown(vd, &torn);
	vet_close(vd);
	mutex_unlock(&vd->cmd_lock);
	kvfree(vd);
}

/* ---- the driver ---------------------------------------------------------- */

static int vet_probe(struct vmbus_device *vdev, const struct hv_vmbus_device_id *id)
{
	struct vet_dev *vd;
	int ret;

	vd = vet_dev_create(vdev, vdev->channel);
	if (IS_ERR(vd))
		return PTR_ERR(vd);
	dev_set_drvdata(&vdev->dev, vd);
	/* Subchannels the host already offers are reported right here. */
	ret = vmbus_subchan_set_ops(vdev, &vet_subchan_ops, vd);
	if (ret) {
		dev_set_drvdata(&vdev->dev, NULL);
		vet_dev_destroy(vd);
	}
	return ret;
}

/*
 * Unbind (driver unregister, rescind, hv_vmbus unload).  hv_vmbus stopped
 * the subchannel callbacks before this runs: the subchannels go first,
 * then the primary.
 */
static void vet_remove(struct vmbus_device *vdev)
{
	struct vet_dev *vd = dev_get_drvdata(&vdev->dev);

	WRITE_ONCE(vd->dying, true);
	wake_up_all(&vd->wq);
	vet_subs_destroy(vd);
	dev_set_drvdata(&vdev->dev, NULL);
	vet_dev_destroy(vd);
}

static const struct hv_vmbus_device_id vet_ids[] = {
	{ .guid = VMBUS_CLASS_HVSTACK_ECHO },
	{ }
};
MODULE_DEVICE_TABLE(vmbus, vet_ids);

static struct vmbus_driver vet_driver = {
	.name = "vmbus_echo_test",
	.id_table = vet_ids,
	.probe = vet_probe,
	.remove = vet_remove,
};

static int __init vet_init(void)
{
	u32 i;
	int ret;

	vet_pattern = vmalloc(HVECHO_MAX_INBAND_DATA + 256);
	if (!vet_pattern)
		return -ENOMEM;
	for (i = 0; i < HVECHO_MAX_INBAND_DATA + 256; i++)
		vet_pattern[i] = i;
	vet_debugfs = debugfs_create_dir("vmbus_echo_test", NULL);
	ret = vmbus_driver_register(&vet_driver);
	if (ret)
		goto err_debugfs;
	return 0;

err_debugfs:
	debugfs_remove_recursive(vet_debugfs);
	vfree(vet_pattern);
	return ret;
}

static void __exit vet_exit(void)
{
	vmbus_driver_unregister(&vet_driver);
	debugfs_remove_recursive(vet_debugfs);
	vfree(vet_pattern);
}

module_init(vet_init);
module_exit(vet_exit);

MODULE_DESCRIPTION("Test driver for hvhost's VMBus echo device (hvstack selftests)");
MODULE_LICENSE("GPL");
