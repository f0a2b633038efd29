// SPDX-License-Identifier: GPL-2.0
/*
 * hv_common: module init/exit and platform registration.
 *
 * One platform at a time: the real-Hyper-V x86 backend (arch/x86, linked
 * into this module and registered at load when CPUID says Hyper-V), or a
 * platform module such as hv_sim that registers itself later.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/cpumask.h>
#include <linux/syscore_ops.h>

#include "hv_common.h"

static bool probe_x86 = true;
module_param(probe_x86, bool, 0444);
MODULE_PARM_DESC(probe_x86,
		 "Use real Hyper-V when CPUID reports it (default 1; 0 leaves the place to a platform module)");

DEFINE_MUTEX(hvc_lock);

/* Must hold hvc_lock to write; see hv_common.h. */
struct hvc_state hvc;

/* The gate of the exported API; see hv_common.h. */
const struct hv_platform __rcu *hvc_active;

DEFINE_PER_CPU(struct hvc_cpu, hvc_cpu);
DEFINE_PER_CPU(struct hvc_stats, hvc_stats);

bool hvcore_platform_ready(void)
{
	return rcu_access_pointer(hvc_active) != NULL;
}
EXPORT_SYMBOL_GPL(hvcore_platform_ready);

/* HVC_VP_UNKNOWN (U32_MAX) when @cpu never came online under a platform. */
u32 hvcore_vp_index(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids)
		return HVC_VP_UNKNOWN;
	return READ_ONCE(per_cpu(hvc_cpu, cpu).vp_index);
}
EXPORT_SYMBOL_GPL(hvcore_vp_index);

/*
 * System shutdown and kexec, after device shutdown: the hypervisor must
 * stop writing into our pages before the next kernel reuses the memory.
 */
static void hvc_shutdown(void)
{
	hvc_synic_shutdown();
	hvc_reftime_shutdown();
}

static struct syscore_ops hvc_syscore_ops = {
	.shutdown = hvc_shutdown,
};

static void hvc_vp_index_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(per_cpu(hvc_cpu, cpu).vp_index, HVC_VP_UNKNOWN);
}

/* The counters start at 0 with each platform and outlive it (debugfs). */
static void hvc_stats_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&hvc_stats, cpu), 0, sizeof(struct hvc_stats));
}

/*
 * Hypercalls need a non-zero guest OS id.  On real Hyper-V the kernel or
 * the x86 backend has written it already; a fresh platform (hv_sim) reads
 * 0 and gets ours, which unregister takes back.
 */
static int hvc_guest_os_id_init(const struct hv_platform *p)
{
	u64 id;
	int ret;

	lockdep_assert_held(&hvc_lock);
	ret = p->get_register(HV_REG_GUEST_OS_ID, &id);
	if (ret)
		return ret;
	if (!id) {
		id = hv_guest_os_id_linux(LINUX_VERSION_CODE);
		ret = p->set_register(HV_REG_GUEST_OS_ID, id);
		if (ret)
			return ret;
		hvc.wrote_guest_os_id = true;
	}
	hvc.guest_os_id = id;
	return 0;
}

static void hvc_guest_os_id_uninit(const struct hv_platform *p)
{
	lockdep_assert_held(&hvc_lock);
	if (hvc.wrote_guest_os_id)
		p->set_register(HV_REG_GUEST_OS_ID, 0);
	hvc.wrote_guest_os_id = false;
	hvc.guest_os_id = 0;
}

static bool hvc_platform_valid(const struct hv_platform *p)
{
	return p && p->name && p->hypercall && p->fast_hypercall &&
	       p->get_register && p->set_register && p->irq_enable &&
	       p->irq_disable;
}

int hvcore_register_platform(const struct hv_platform *p)
{
	int ret;

	if (!hvc_platform_valid(p))
		return -EINVAL;
	if (!(p->features.privileges & HV_PRIV_SYNIC)) {
		pr_err("platform %s does not grant the SynIC registers\n", p->name);
		return -EOPNOTSUPP;
	}

	mutex_lock(&hvc_lock);
	if (hvc.plat) {
		pr_err("platform %s: %s is already registered\n", p->name, hvc.name);
		ret = -EBUSY;
		goto out_unlock;
	}

	hvc.plat = p;
	hvc.features = p->features;
	strscpy(hvc.name, p->name, sizeof(hvc.name));
	hvc.auto_eoi = !(p->features.recommendations & HV_RECOMMEND_NO_AUTO_EOI);
	hvc_stats_reset();
	hvc_vp_index_reset();

	ret = hvc_percpu_pages_alloc();
	if (ret)
		goto err_plat;

	ret = hvc_guest_os_id_init(p);
	if (ret) {
		pr_err("platform %s: cannot set the guest OS id: %d\n", p->name, ret);
		goto err_pages;
	}

	hvc_reftime_init();

	ret = p->irq_enable(hvc_isr, &hvc.vector);
	if (ret) {
		pr_err("platform %s: cannot hook the SynIC interrupt: %d\n", p->name, ret);
		goto err_reftime;
	}
	if (hvc.vector < HV_SINT_VECTOR_MIN) {
		pr_err("platform %s: invalid SINT vector %u\n", p->name, hvc.vector);
		ret = -EINVAL;
		goto err_irq;
	}

	ret = hvc_synic_init();
	if (ret) {
		pr_err("platform %s: cannot enable the SynIC: %d\n", p->name, ret);
		goto err_irq;
	}

	ret = hvc_crash_init();
	if (ret)
		goto err_synic;
	register_syscore_ops(&hvc_syscore_ops);

	rcu_assign_pointer(hvc_active, p);
	pr_info("platform %s registered (privileges 0x%llx, vector %u, %s)\n",
		p->name, hvc.features.privileges, hvc.vector,
		hvc.auto_eoi ? "auto-EOI" : "no auto-EOI");
	mutex_unlock(&hvc_lock);
	return 0;

err_synic:
	hvc_synic_uninit();
err_irq:
	p->irq_disable();
	synchronize_rcu();	/* an ISR that already started has finished */
err_reftime:
	hvc_reftime_uninit();
	hvc_guest_os_id_uninit(p);
err_pages:
	hvc_percpu_pages_free();
err_plat:
	hvc_vp_index_reset();
	memset(&hvc, 0, sizeof(hvc));
out_unlock:
	mutex_unlock(&hvc_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(hvcore_register_platform);

void hvcore_unregister_platform(const struct hv_platform *p)
{
	mutex_lock(&hvc_lock);
	if (!p || hvc.plat != p) {
		pr_warn("unregister of platform %s that is not registered\n",
			p && p->name ? p->name : "(null)");
		goto out_unlock;
	}

	/* Exported API first: after this, hvcore_* see no platform. */
	RCU_INIT_POINTER(hvc_active, NULL);
	hvc_sint_detach_all();		/* includes synchronize_rcu() */
	unregister_syscore_ops(&hvc_syscore_ops);
	hvc_crash_uninit();
	hvc_synic_uninit();		/* SynIC off on every CPU */
	p->irq_disable();
	/*
	 * The platform may withdraw the callback without waiting for a
	 * running one; hard interrupt handlers are RCU readers, so this
	 * waits for them.
	 */
	synchronize_rcu();
	hvc_reftime_uninit();
	hvc_guest_os_id_uninit(p);
	hvc_percpu_pages_free();
	hvc_vp_index_reset();
	pr_info("platform %s unregistered\n", hvc.name);
	memset(&hvc, 0, sizeof(hvc));
out_unlock:
	mutex_unlock(&hvc_lock);
}
EXPORT_SYMBOL_GPL(hvcore_unregister_platform);

static bool hvc_x86_registered;

static int __init hvc_init(void)
{
	int ret;

	hvc_vp_index_reset();
	hvc_debugfs_init();

	if (!probe_x86 || !hvx86_detect()) {
		pr_info("no Hyper-V platform detected; waiting for a platform module (hv_sim)\n");
		return 0;
	}

	ret = hvx86_init();
	if (ret) {
		pr_err("Hyper-V detected but the x86 platform failed: %d\n", ret);
		hvc_debugfs_uninit();
		return ret;
	}
	hvc_x86_registered = true;
	return 0;
}

static void __exit hvc_exit(void)
{
	if (hvc_x86_registered)
		hvx86_uninit();
	/* A platform module holds a reference on us while registered. */
	WARN_ON(hvc.plat);
	hvc_debugfs_uninit();
}

module_init(hvc_init);
module_exit(hvc_exit);

MODULE_DESCRIPTION("Hyper-V core: hypercalls, synthetic registers, SynIC, crash reporting");
MODULE_LICENSE("GPL");
