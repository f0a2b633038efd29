// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/hv_common/{info,stats,synic}.  One key=value
 * per line (info) or one line per online CPU (stats, synic); the selftests
 * parse these formats.
 */
#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/smp.h>

#include "hv_common.h"

static struct dentry *hvc_debugfs_dir;

static int hvc_info_show(struct seq_file *m, void *unused)
{
	const struct hv_platform_features *f = &hvc.features;

	mutex_lock(&hvc_lock);
	seq_printf(m, "platform=%s\n", hvc.plat ? hvc.name : "none");
	seq_printf(m, "privileges=0x%llx\n", f->privileges);
	seq_printf(m, "misc=0x%x\n", f->misc);
	seq_printf(m, "recommendations=0x%x\n", f->recommendations);
	seq_printf(m, "max_vps=%u\n", f->max_vps);
	seq_printf(m, "vector=%u\n", hvc.vector);
	seq_printf(m, "guest_os_id=0x%llx\n", hvc.guest_os_id);
	seq_printf(m, "crash_ctl=0x%llx\n", hvc.crash_ctl);
	seq_printf(m, "ref_tsc=%s\n", hvc.tsc_page ? "on" : "off");
	mutex_unlock(&hvc_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvc_info);

/* Counters of other CPUs, read without locking: a torn line is harmless. */
static int hvc_stats_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		const struct hvc_stats *s = per_cpu_ptr(&hvc_stats, cpu);

		seq_printf(m, "cpu=%u vp=%u interrupts=%llu messages=%llu eoms=%llu event_bits=%llu malformed=%llu unclaimed=%llu\n",
			   cpu, hvcore_vp_index(cpu), READ_ONCE(s->interrupts),
			   READ_ONCE(s->messages), READ_ONCE(s->eoms),
			   READ_ONCE(s->event_bits), READ_ONCE(s->malformed),
			   READ_ONCE(s->unclaimed));
	}
	cpus_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvc_stats);

/* Registers of one VP, read on its CPU.  All ones: the read failed. */
struct hvc_synic_regs {
	u64 vp, scontrol, simp, siefp, sint2, sint5;
};

static u64 hvc_reg_or_ones(u32 name)
{
	u64 val;

	return hvc.plat->get_register(name, &val) ? U64_MAX : val;
}

static void hvc_synic_read_ipi(void *arg)
{
	struct hvc_synic_regs *r = arg;

	r->vp = hvc_reg_or_ones(HV_REG_VP_INDEX);
	r->scontrol = hvc_reg_or_ones(HV_REG_SCONTROL);
	r->simp = hvc_reg_or_ones(HV_REG_SIMP);
	r->siefp = hvc_reg_or_ones(HV_REG_SIEFP);
	r->sint2 = hvc_reg_or_ones(HV_REG_SINT(HV_SINT_VMBUS));
	r->sint5 = hvc_reg_or_ones(HV_REG_SINT(HV_SINT_FIRST_FREE));
}

/* Nothing without a platform.  hvc_lock keeps the platform in place. */
static int hvc_synic_show(struct seq_file *m, void *unused)
{
	struct hvc_synic_regs r;
	unsigned int cpu;

	mutex_lock(&hvc_lock);
	if (!hvc.plat)
		goto out_unlock;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (smp_call_function_single(cpu, hvc_synic_read_ipi, &r, 1))
			continue;
		seq_printf(m, "cpu=%u vp=%llu scontrol=0x%llx simp=0x%llx siefp=0x%llx sint2=0x%llx sint5=0x%llx\n",
			   cpu, r.vp, r.scontrol, r.simp, r.siefp, r.sint2, r.sint5);
	}
	cpus_read_unlock();
out_unlock:
	mutex_unlock(&hvc_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvc_synic);

void hvc_debugfs_init(void)
{
	hvc_debugfs_dir = debugfs_create_dir("hv_common", NULL);
	debugfs_create_file("info", 0444, hvc_debugfs_dir, NULL, &hvc_info_fops);
	debugfs_create_file("stats", 0444, hvc_debugfs_dir, NULL, &hvc_stats_fops);
	debugfs_create_file("synic", 0444, hvc_debugfs_dir, NULL, &hvc_synic_fops);
}

void hvc_debugfs_uninit(void)
{
	debugfs_remove_recursive(hvc_debugfs_dir);
	hvc_debugfs_dir = NULL;
}
