// SPDX-License-Identifier: GPL-2.0
/*
 * hv_storvsc: debugfs counters for tests and humans.
 *
 *   /sys/kernel/debug/storvsc/<host_no>/stats
 *
 * One "name value" line per counter (struct storvsc_stats), then one line
 * per channel: "chan relid=<relid> sub=<index> cpu=<target cpu> ios=<n>
 * gone=<0|1>".  The format is an ABI for selftests/hv_storvsc.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <scsi/scsi_host.h>

#include "storvsc.h"

static struct dentry *storvsc_debugfs;

static int storvsc_stats_show(struct seq_file *m, void *unused)
{
	struct storvsc_dev *dev = m->private;
	struct storvsc_stats *st = &dev->stats;
	struct storvsc_chan *sc;

	seq_printf(m, "version %u.%u\n", dev->version >> 8, dev->version & 0xff);
	seq_printf(m, "ios %lld\n", atomic64_read(&st->ios));
	seq_printf(m, "completions %lld\n", atomic64_read(&st->completions));
	seq_printf(m, "busy_returns %lld\n", atomic64_read(&st->busy_returns));
	seq_printf(m, "timeouts %lld\n", atomic64_read(&st->timeouts));
	seq_printf(m, "resets %lld\n", atomic64_read(&st->resets));
	seq_printf(m, "cancelled %lld\n", atomic64_read(&st->cancelled));
	seq_printf(m, "rescans %lld\n", atomic64_read(&st->rescans));
	seq_printf(m, "luns_removed %lld\n", atomic64_read(&st->luns_removed));
	seq_printf(m, "bad_packets %lld\n", atomic64_read(&st->bad_packets));
	mutex_lock(&dev->chan_lock);
	list_for_each_entry(sc, &dev->chans, node)
		seq_printf(m, "chan relid=%u sub=%u cpu=%u ios=%lld gone=%d\n", sc->relid,
			   vmbus_chan_subchan_index(sc->chan), vmbus_chan_target_cpu(sc->chan),
			   atomic64_read(&sc->ios), sc->gone);
	mutex_unlock(&dev->chan_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(storvsc_stats);

/* After scsi_add_host() (the directory is named by host_no). */
void storvsc_debugfs_add(struct storvsc_dev *dev)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", dev->shost->host_no);
	dev->dbg = debugfs_create_dir(name, storvsc_debugfs);
	debugfs_create_file("stats", 0444, dev->dbg, dev, &storvsc_stats_fops);
}

/* Waits for readers in flight. */
void storvsc_debugfs_remove(struct storvsc_dev *dev)
{
	debugfs_remove_recursive(dev->dbg);
	dev->dbg = NULL;
}

void storvsc_debugfs_init(void)
{
	storvsc_debugfs = debugfs_create_dir("storvsc", NULL);
}

void storvsc_debugfs_uninit(void)
{
	debugfs_remove_recursive(storvsc_debugfs);
}
