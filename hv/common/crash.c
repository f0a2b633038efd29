// SPDX-License-Identifier: GPL-2.0
/*
 * Crash reporting through the guest crash registers.
 *
 * On a panic the host is told what happened: P0 = 1 (a panic), P1 = the
 * guest OS id, P2 = the VP index of the panicking CPU, and either the tail
 * of the kernel log (P3 = GPA of a page holding it, P4 = its length,
 * CTL = NOTIFY | MESSAGE) or nothing more (P3 = P4 = 0, CTL = NOTIFY).
 * Writing CTL last tells the host P0..P4 are complete.
 *
 * Both handlers run in panic context: no sleeping, no locks, no allocation
 * (the page is allocated at registration).  The platform's register ops
 * are usable from any context by contract.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kmsg_dump.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/smp.h>

#include "hv_common.h"

#define HVC_CRASH_CODE_PANIC	1ULL	/* P0 */

static bool record_panic_msg = true;
module_param(record_panic_msg, bool, 0644);
MODULE_PARM_DESC(record_panic_msg,
		 "Send the tail of the kernel log to the host on panic, when it accepts one (default 1)");

/* State below: written under hvc_lock at platform (un)registration. */
static void *hvc_crash_text;		/* zeroed page for the log tail */
static bool hvc_crash_dumper_on;
static bool hvc_crash_notifier_on;
/* One report per panic, whichever CPU and path gets there first. */
static atomic_t hvc_crash_reported;

static void hvc_crash_report(u64 text_gpa, u64 text_len, u64 ctl)
{
	const struct hv_platform *p = hvc.plat;

	p->set_register(HV_REG_CRASH_P(0), HVC_CRASH_CODE_PANIC);
	p->set_register(HV_REG_CRASH_P(1), hvc.guest_os_id);
	p->set_register(HV_REG_CRASH_P(2), hvcore_vp_index(raw_smp_processor_id()));
	p->set_register(HV_REG_CRASH_P(3), text_gpa);
	p->set_register(HV_REG_CRASH_P(4), text_len);
	p->set_register(HV_REG_GUEST_CRASH_CTL, ctl);
}

static void hvc_crash_dump(struct kmsg_dumper *dumper, enum kmsg_dump_reason reason)
{
	struct kmsg_dump_iter iter;
	size_t len = 0;

	if (reason != KMSG_DUMP_PANIC)
		return;
	if (atomic_xchg(&hvc_crash_reported, 1))
		return;
	kmsg_dump_rewind(&iter);
	/* The newest records that fit: the end of the log. */
	kmsg_dump_get_buffer(&iter, false, hvc_crash_text, HV_CRASH_MESSAGE_MAX, &len);
	hvc_crash_report(virt_to_phys(hvc_crash_text), len,
			 HV_CRASH_CTL_NOTIFY | HV_CRASH_CTL_MESSAGE);
}

static struct kmsg_dumper hvc_crash_dumper = {
	.dump = hvc_crash_dump,
	.max_reason = KMSG_DUMP_PANIC,
};

static int hvc_crash_panic(struct notifier_block *nb, unsigned long event, void *msg)
{
	if (!atomic_xchg(&hvc_crash_reported, 1))
		hvc_crash_report(0, 0, HV_CRASH_CTL_NOTIFY);
	return NOTIFY_DONE;
}

static struct notifier_block hvc_crash_nb = {
	.notifier_call = hvc_crash_panic,
};

int hvc_crash_init(void)
{
	const struct hv_platform *p = hvc.plat;
	u64 ctl;
	int ret;

	lockdep_assert_held(&hvc_lock);
	atomic_set(&hvc_crash_reported, 0);
	hvc.crash_ctl = 0;
	if (!(hvc.features.misc & HV_MISC_CRASH_MSRS))
		return 0;
	/* Reading CRASH_CTL gives the bits the host supports. */
	ret = p->get_register(HV_REG_GUEST_CRASH_CTL, &ctl);
	if (ret) {
		pr_warn("crash registers advertised but CRASH_CTL unreadable (%d): no crash reporting\n",
			ret);
		return 0;
	}
	hvc.crash_ctl = ctl;

	if ((ctl & HV_CRASH_CTL_MESSAGE) && record_panic_msg) {
		static_assert(PAGE_SIZE >= HV_CRASH_MESSAGE_MAX);
		hvc_crash_text = (void *)get_zeroed_page(GFP_KERNEL);
		if (!hvc_crash_text)
			return -ENOMEM;
		ret = kmsg_dump_register(&hvc_crash_dumper);
		if (ret) {
			free_page((unsigned long)hvc_crash_text);
			hvc_crash_text = NULL;
			return ret;
		}
		hvc_crash_dumper_on = true;
		return 0;
	}

	atomic_notifier_chain_register(&panic_notifier_list, &hvc_crash_nb);
	hvc_crash_notifier_on = true;
	return 0;
}

void hvc_crash_uninit(void)
{
	lockdep_assert_held(&hvc_lock);
	if (hvc_crash_notifier_on)
		atomic_notifier_chain_unregister(&panic_notifier_list, &hvc_crash_nb);
	hvc_crash_notifier_on = false;
	if (hvc_crash_dumper_on) {
		/* Waits for a running dump: the page is free to go after. */
		kmsg_dump_unregister(&hvc_crash_dumper);
		free_page((unsigned long)hvc_crash_text);
		hvc_crash_text = NULL;
	}
	hvc_crash_dumper_on = false;
}
