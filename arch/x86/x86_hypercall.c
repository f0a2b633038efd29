// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall page and the calls through it.
 *
 * x86_64 calling convention (TLFS): RCX = control value; memory form
 * RDX = input GPA, R8 = output GPA; fast form RDX, R8 = the two input
 * qwords; the result value comes back in RAX.  The stub is a call target
 * inside a page the hypervisor provides (vmcall or vmmcall, then ret).
 *
 * The page: the kernel's when it set one up at boot (a CONFIG_HYPERV
 * kernel on Hyper-V), otherwise a page of our own text (x86_hcpage.S)
 * that we hand to the hypervisor with the HYPERCALL MSR, and take back on
 * teardown and at system shutdown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": x86: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/syscore_ops.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>

#include "x86.h"
#include "x86_kernel.h"

/* HYPERCALL MSR bits 11:2: reserved, preserved on write. */
#define HVX86_HYPERCALL_RSVD	(HV_PAGE_REG_RSVD & ~HV_HYPERCALL_LOCKED)
#define HVX86_INT3		0xcc
#define HVX86_ENDBR64		0xfa1e0ff3U	/* f3 0f 1e fa */

/*
 * The page every call goes through; NULL outside setup..teardown.  Set
 * before the platform is registered and cleared after it is gone.
 */
static void *hvx86_hc_page;

/* Our own page only (must be in setup/teardown, single-threaded). */
static bool hvx86_hc_own;
static bool hvx86_wrote_os_id;
static u64 hvx86_hc_saved;		/* HYPERCALL MSR before we enabled ours */

u64 hvx86_hypercall(u64 control, u64 in_gpa, u64 out_gpa)
{
	void *page = READ_ONCE(hvx86_hc_page);
	u64 result;

	if (unlikely(!page))
		return hv_hc_result(HV_STATUS_INACTIVE, 0);
	asm volatile("mov %[out], %%r8\n\t"
		     CALL_NOSPEC
		     : "=a" (result), "+c" (control), "+d" (in_gpa),
		       ASM_CALL_CONSTRAINT
		     : [out] "r" (out_gpa), THUNK_TARGET(page)
		     : "cc", "memory", "r8", "r9", "r10", "r11");
	return result;
}

u64 hvx86_fast_hypercall(u64 control, u64 in0, u64 in1)
{
	void *page = READ_ONCE(hvx86_hc_page);
	u64 result;

	if (unlikely(!page))
		return hv_hc_result(HV_STATUS_INACTIVE, 0);
	asm volatile("mov %[in1], %%r8\n\t"
		     CALL_NOSPEC
		     : "=a" (result), "+c" (control), "+d" (in0),
		       ASM_CALL_CONSTRAINT
		     : [in1] "r" (in1), THUNK_TARGET(page)
		     : "cc", "memory", "r8", "r9", "r10", "r11");
	return result;
}

/* Give the page back: the overlay goes, our int3 page is visible again. */
static void hvx86_own_page_off(void)
{
	WRITE_ONCE(hvx86_hc_page, NULL);
	wrmsrl_safe(HV_X64_MSR_HYPERCALL, hvx86_hc_saved & HVX86_HYPERCALL_RSVD);
}

static void hvx86_syscore_shutdown(void)
{
	hvx86_own_page_off();
}

static struct syscore_ops hvx86_syscore_ops = {
	.shutdown = hvx86_syscore_shutdown,
};

/* The guest OS id must be non-zero before the hypervisor enables the page. */
static int hvx86_own_page_on(void)
{
	const u8 *page = hvx86_hcpage;
	u64 gpa, val;
	int ret;

	if (rdmsrl_safe(HV_X64_MSR_GUEST_OS_ID, &val))
		return -EIO;
	if (!val) {
		if (wrmsrl_safe(HV_X64_MSR_GUEST_OS_ID,
				hv_guest_os_id_linux(LINUX_VERSION_CODE)))
			return -EIO;
		hvx86_wrote_os_id = true;
	}

	if (rdmsrl_safe(HV_X64_MSR_HYPERCALL, &val)) {
		ret = -EIO;
		goto err_os_id;
	}
	if (val & HV_HYPERCALL_LOCKED) {
		pr_err("the HYPERCALL MSR is locked (0x%llx)\n", val);
		ret = -EBUSY;
		goto err_os_id;
	}
	hvx86_hc_saved = val;

	gpa = PFN_PHYS(vmalloc_to_pfn(page));
	val = gpa | (val & HVX86_HYPERCALL_RSVD) | HV_HYPERCALL_ENABLE;
	if (wrmsrl_safe(HV_X64_MSR_HYPERCALL, val) ||
	    rdmsrl_safe(HV_X64_MSR_HYPERCALL, &val) ||
	    !(val & HV_HYPERCALL_ENABLE)) {
		pr_err("the hypervisor did not enable the hypercall page\n");
		ret = -EIO;
		goto err_msr;
	}
	/* WRMSR serialises: the overlay is what we fetch from now on. */
	if (READ_ONCE(page[0]) == HVX86_INT3) {
		pr_err("no hypercall stub appeared in the hypercall page\n");
		ret = -EIO;
		goto err_msr;
	}
	/* With IBT, an indirect call must land on an ENDBR64. */
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) && cpu_feature_enabled(X86_FEATURE_IBT) &&
	    READ_ONCE(*(const u32 *)page) != HVX86_ENDBR64) {
		pr_err("the hypercall stub has no ENDBR64 and IBT is on\n");
		ret = -EOPNOTSUPP;
		goto err_msr;
	}

	hvx86_hc_own = true;
	WRITE_ONCE(hvx86_hc_page, (void *)page);
	register_syscore_ops(&hvx86_syscore_ops);
	pr_info("hypercall page at GPA 0x%llx\n", gpa);
	return 0;

err_msr:
	wrmsrl_safe(HV_X64_MSR_HYPERCALL, hvx86_hc_saved & HVX86_HYPERCALL_RSVD);
err_os_id:
	if (hvx86_wrote_os_id)
		wrmsrl_safe(HV_X64_MSR_GUEST_OS_ID, 0);
	hvx86_wrote_os_id = false;
	return ret;
}

int hvx86_hypercall_setup(void)
{
	void *page = hvx86_kernel_hypercall_page();

	if (page) {
		/* The kernel's: it also set the guest OS id. */
		hvx86_hc_own = false;
		WRITE_ONCE(hvx86_hc_page, page);
		return 0;
	}
	return hvx86_own_page_on();
}

/* After the platform is unregistered: nobody calls any more. */
void hvx86_hypercall_teardown(void)
{
	if (!hvx86_hc_own) {
		WRITE_ONCE(hvx86_hc_page, NULL);
		return;
	}
	unregister_syscore_ops(&hvx86_syscore_ops);
	hvx86_own_page_off();
	if (hvx86_wrote_os_id)
		wrmsrl_safe(HV_X64_MSR_GUEST_OS_ID, 0);
	hvx86_wrote_os_id = false;
	hvx86_hc_own = false;
}
