/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A page of this module's own text for the hypercall stub, used when the
 * kernel did not set a hypercall page up (no CONFIG_HYPERV).
 *
 * Enabling the HYPERCALL MSR with this page's GPA makes the hypervisor
 * overlay the page with its call stub; the page is already mapped
 * executable, which a module could not otherwise arrange on 6.1
 * (__vmalloc_node_range and set_memory_x are not exported).  Until then
 * and after, it is int3: a call through it traps instead of running on.
 * It shares its page with nothing else.
 */
#include <linux/linkage.h>

	.pushsection .text, "ax"
	.balign 4096
SYM_DATA_START(hvx86_hcpage)
	.fill 4096, 1, 0xcc
SYM_DATA_END(hvx86_hcpage)
	.popsection
