/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real-Hyper-V x86_64 platform backend, linked into hv_common.ko.
 *
 * Files: x86.c (CPUID detection, feature words, register -> MSR mapping,
 * the platform ops, init/uninit), x86_hypercall.c (hypercall page and the
 * calls through it), x86_hcpage.S (a page of our own text for the
 * hypercall stub), x86_kernel.c (the only file that sees the kernel's own
 * Hyper-V declarations).
 */
#ifndef _HV_ARCH_X86_H
#define _HV_ARCH_X86_H

#include <linux/types.h>
#include <hyperv/tlfs.h>
#include <hv/hv_platform.h>

/* x86_hcpage.S: 4 KiB of int3, page-aligned, in this module's text. */
extern const u8 hvx86_hcpage[];

/* x86_hypercall.c */
int hvx86_hypercall_setup(void);
void hvx86_hypercall_teardown(void);
u64 hvx86_hypercall(u64 control, u64 in_gpa, u64 out_gpa);
u64 hvx86_fast_hypercall(u64 control, u64 in0, u64 in1);

#endif /* _HV_ARCH_X86_H */
