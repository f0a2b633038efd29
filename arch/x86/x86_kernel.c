// SPDX-License-Identifier: GPL-2.0
/*
 * The one place that uses the kernel's own Hyper-V support (<asm/mshyperv.h>),
 * present when the kbuild probe found a CONFIG_HYPERV kernel that exports
 * hv_setup_vmbus_handler() and hv_hypercall_pg (HVSTACK_HAVE_HV_VMBUS_HANDLER).
 * Such a kernel has set up the guest OS id, the hypercall page and the
 * callback vector at boot when it found Hyper-V; we adopt them.
 *
 * Must not include our tlfs.h: <asm/mshyperv.h> defines the same names.
 */
#include <linux/kernel.h>
#include <linux/errno.h>

#include "x86_kernel.h"

#ifdef HVSTACK_HAVE_HV_VMBUS_HANDLER
#include <asm/irq_vectors.h>
#include <asm/mshyperv.h>

void *hvx86_kernel_hypercall_page(void)
{
	return READ_ONCE(hv_hypercall_pg);
}

/*
 * The kernel's callback handler calls the hook, and acknowledges the
 * local APIC itself when the hypervisor recommends against auto-EOI (the
 * same CPUID bit hv_common uses to program the SINTs).
 */
int hvx86_kernel_irq_hook(void (*isr)(void), u8 *vector)
{
	hv_setup_vmbus_handler(isr);
	*vector = HYPERVISOR_CALLBACK_VECTOR;
	return 0;
}

void hvx86_kernel_irq_unhook(void)
{
	hv_remove_vmbus_handler();
}

#else /* !HVSTACK_HAVE_HV_VMBUS_HANDLER */

void *hvx86_kernel_hypercall_page(void)
{
	return NULL;
}

int hvx86_kernel_irq_hook(void (*isr)(void), u8 *vector)
{
	return -EOPNOTSUPP;
}

void hvx86_kernel_irq_unhook(void)
{
}

#endif /* HVSTACK_HAVE_HV_VMBUS_HANDLER */
