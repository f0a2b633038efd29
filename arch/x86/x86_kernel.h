/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the x86 backend takes from a kernel built with CONFIG_HYPERV (the
 * hypercall page and the callback vector it set up at boot).
 *
 * Deliberately free of our tlfs.h and of the kernel's <asm/mshyperv.h>:
 * the two define the same names.  x86_kernel.c is the only file that
 * includes the kernel's.
 */
#ifndef _HV_ARCH_X86_KERNEL_H
#define _HV_ARCH_X86_KERNEL_H

#include <linux/types.h>

/* The kernel's hypercall page, or NULL (none, or not a CONFIG_HYPERV kernel). */
void *hvx86_kernel_hypercall_page(void);

/*
 * Route the kernel's Hyper-V callback vector to @isr; *@vector is that
 * vector.  -EOPNOTSUPP on a kernel without CONFIG_HYPERV: a module cannot
 * install an IDT vector of its own.
 */
int hvx86_kernel_irq_hook(void (*isr)(void), u8 *vector);

/* Undo hvx86_kernel_irq_hook(); a handler already running may finish. */
void hvx86_kernel_irq_unhook(void);

#endif /* _HV_ARCH_X86_KERNEL_H */
