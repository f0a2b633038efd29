// SPDX-License-Identifier: GPL-2.0
/*
 * Partition reference time (100 ns units).
 *
 * Preferred source: a reference TSC page of our own, enabled when the
 * platform grants HV_PRIV_REFERENCE_TSC and nobody else (the kernel's own
 * Hyper-V clocksource on a CONFIG_HYPERV kernel) has one enabled: there is
 * only one REFERENCE_TSC register per partition, and moving it would leave
 * the other user reading a page that is no longer updated.  Otherwise
 * HV_REG_TIME_REF_COUNT, a register read per call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/math64.h>
#ifdef CONFIG_X86
#include <asm/msr.h>
#endif

#include "hv_common.h"

/* Tries before a reader gives the page up for this call. */
#define HVC_TSC_PAGE_RETRIES	100

/* The counter the page's scale applies to.  Only x86 enables the page. */
static u64 hvc_counter(void)
{
#ifdef CONFIG_X86
	return rdtsc_ordered();
#else
	return 0;
#endif
}

/*
 * The host changes the page while the sequence reads 0, and bumps the
 * sequence afterwards: a read is good if the sequence was non-zero and
 * the same before and after.
 */
static bool hvc_tsc_page_read(const struct hv_ref_tsc_page *pg, u64 *now)
{
	unsigned int tries;
	u64 scale, offset, tsc;
	u32 seq;

	for (tries = 0; tries < HVC_TSC_PAGE_RETRIES; tries++) {
		seq = le32_to_cpu(READ_ONCE(pg->tsc_sequence));
		if (!seq)
			return false;
		virt_rmb();	/* the sequence before the fields */
		scale = le64_to_cpu(READ_ONCE(pg->tsc_scale));
		offset = le64_to_cpu(READ_ONCE(pg->tsc_offset));
		tsc = hvc_counter();
		virt_rmb();	/* the fields before the sequence again */
		if (le32_to_cpu(READ_ONCE(pg->tsc_sequence)) == seq) {
			/* The offset is signed: modular addition is the same. */
			*now = mul_u64_u64_shr(tsc, scale, 64) + offset;
			return true;
		}
	}
	return false;
}

u64 hvcore_read_ref_time(void)
{
	const struct hv_ref_tsc_page *pg;
	const struct hv_platform *p;
	u64 now = 0;

	rcu_read_lock();
	p = rcu_dereference(hvc_active);
	if (!p)
		goto out;
	pg = READ_ONCE(hvc.tsc_page);
	if (pg && hvc_tsc_page_read(pg, &now))
		goto out;
	if (hvc.features.privileges & HV_PRIV_TIME_REF_COUNT) {
		if (p->get_register(HV_REG_TIME_REF_COUNT, &now))
			now = 0;
	}
out:
	rcu_read_unlock();
	return now;
}
EXPORT_SYMBOL_GPL(hvcore_read_ref_time);

/* At platform registration; failures only mean the register fallback. */
void hvc_reftime_init(void)
{
	const struct hv_platform *p = hvc.plat;
	struct hv_ref_tsc_page *pg;
	u64 old;
	int ret;

	lockdep_assert_held(&hvc_lock);
	if (!IS_ENABLED(CONFIG_X86) ||
	    !(hvc.features.privileges & HV_PRIV_REFERENCE_TSC))
		return;
	if (p->get_register(HV_REG_REFERENCE_TSC, &old))
		return;
	if (old & HV_PAGE_REG_ENABLE) {
		pr_info("the reference TSC page is already in use (kernel clocksource); using TIME_REF_COUNT\n");
		return;
	}

	static_assert(sizeof(*pg) <= PAGE_SIZE);
	pg = (void *)get_zeroed_page(GFP_KERNEL);
	if (!pg)
		return;
	ret = hvc_page_reg_enable(p, HV_REG_REFERENCE_TSC, virt_to_phys(pg));
	if (ret) {
		pr_warn("cannot enable the reference TSC page: %d\n", ret);
		free_page((unsigned long)pg);
		return;
	}
	hvc.tsc_reg_saved = old;
	hvc.tsc_page = pg;
}

/*
 * Turn the page off: the host stops updating it.  Readers that still look
 * at it see sequence 0 and fall back to the register.
 */
static void hvc_reftime_stop(void)
{
	struct hv_ref_tsc_page *pg = hvc.tsc_page;

	hvc.plat->set_register(HV_REG_REFERENCE_TSC, hvc.tsc_reg_saved);
	WRITE_ONCE(pg->tsc_sequence, 0);
}

/* At unregistration, after the last reader (hvc_active is withdrawn). */
void hvc_reftime_uninit(void)
{
	lockdep_assert_held(&hvc_lock);
	if (!hvc.tsc_page)
		return;
	hvc_reftime_stop();
	free_page((unsigned long)hvc.tsc_page);
	hvc.tsc_page = NULL;
}

/* System shutdown and kexec: stop the host writing, keep the page. */
void hvc_reftime_shutdown(void)
{
	if (hvc.tsc_page)
		hvc_reftime_stop();
}
