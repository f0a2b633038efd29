// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: the kernel was built with CONFIG_HYPERV and lets a module hook the
 * Hyper-V callback vector (hv_setup_vmbus_handler) and adopt its hypercall
 * page (hv_hypercall_pg).  Defines HVSTACK_HAVE_HV_VMBUS_HANDLER.
 */
#include <linux/module.h>
#include <asm/mshyperv.h>

#if !IS_ENABLED(CONFIG_HYPERV)
#error "CONFIG_HYPERV is not set"
#endif

static void probe_isr(void)
{
}

void *probe_fn(void);
void *probe_fn(void)
{
	hv_setup_vmbus_handler(probe_isr);
	hv_remove_vmbus_handler();
	return hv_hypercall_pg;
}

MODULE_LICENSE("GPL");
