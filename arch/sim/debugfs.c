// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "hv_sim": the transport statistics, and in test builds the
 * hostctl file (hostctl.c).
 *
 *   stats    one line per VP:
 *            vp=<i> calls=<n> max_spin_ns=<n> timeouts=<n> interrupts=<n>
 *            forwarded=<n> total_spin_ns=<n>
 *            (forwarded: interrupts of the VP's vector that arrived on
 *            another CPU and were passed on by IPI, irq.c; total_spin_ns
 *            over calls is the mean wait for hvhost)
 */
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "sim.h"

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
	hvsim_hostctl_debugfs(sim);
	debugfs_create_file("stats", 0400, sim->debugfs, sim, &stats_fops);
}

/* On return no handler of ours runs; open files only fail (-EIO). */
void hvsim_debugfs_uninit(struct hvsim_dev *sim)
{
	debugfs_remove(sim->debugfs);
	sim->debugfs = NULL;
}
