// SPDX-License-Identifier: GPL-2.0
/*
 * Real Hyper-V on x86_64: detection from CPUID, feature words, synthetic
 * registers as MSRs, and the platform registered with hv_common.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": x86: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "hv_common.h"
#include "x86.h"
#include "x86_kernel.h"

#define HVX86_CPUID1_ECX_HYPERVISOR	BIT(31)

/* Register name -> MSR; false for a register x86 does not have. */
static bool hvx86_reg_to_msr(u32 name, u32 *msr)
{
	switch (name) {
	case HV_REG_GUEST_OS_ID:
		*msr = HV_X64_MSR_GUEST_OS_ID;
		return true;
	case HV_REG_X64_HYPERCALL:
		*msr = HV_X64_MSR_HYPERCALL;
		return true;
	case HV_REG_VP_INDEX:
		*msr = HV_X64_MSR_VP_INDEX;
		return true;
	case HV_REG_X64_RESET:
		*msr = HV_X64_MSR_RESET;
		return true;
	case HV_REG_VP_RUNTIME:
		*msr = HV_X64_MSR_VP_RUNTIME;
		return true;
	case HV_REG_TIME_REF_COUNT:
		*msr = HV_X64_MSR_TIME_REF_COUNT;
		return true;
	case HV_REG_REFERENCE_TSC:
		*msr = HV_X64_MSR_REFERENCE_TSC;
		return true;
	case HV_REG_VP_ASSIST_PAGE:
		*msr = HV_X64_MSR_VP_ASSIST_PAGE;
		return true;
	case HV_REG_SCONTROL:
		*msr = HV_X64_MSR_SCONTROL;
		return true;
	case HV_REG_SVERSION:
		*msr = HV_X64_MSR_SVERSION;
		return true;
	case HV_REG_SIEFP:
		*msr = HV_X64_MSR_SIEFP;
		return true;
	case HV_REG_SIMP:
		*msr = HV_X64_MSR_SIMP;
		return true;
	case HV_REG_EOM:
		*msr = HV_X64_MSR_EOM;
		return true;
	case HV_REG_GUEST_CRASH_CTL:
		*msr = HV_X64_MSR_CRASH_CTL;
		return true;
	}
	/* The ranges: SINT0..15, STIMER0..3 config/count, CRASH_P0..4. */
	if (name >= HV_REG_SINT0 && name < HV_REG_SINT(HV_SINT_COUNT)) {
		*msr = HV_X64_MSR_SINT0 + (name - HV_REG_SINT0);
		return true;
	}
	if (name >= HV_REG_STIMER0_CONFIG &&
	    name < HV_REG_STIMER_CONFIG(HV_STIMER_COUNT)) {
		*msr = HV_X64_MSR_STIMER0_CONFIG + (name - HV_REG_STIMER0_CONFIG);
		return true;
	}
	if (name >= HV_REG_GUEST_CRASH_P0 &&
	    name < HV_REG_CRASH_P(HV_CRASH_PARAMS)) {
		*msr = HV_X64_MSR_CRASH_P0 + (name - HV_REG_GUEST_CRASH_P0);
		return true;
	}
	return false;
}

/* A faulting MSR access (#GP, handled by the _safe accessors) is -EINVAL. */
static int hvx86_get_register(u32 name, u64 *val)
{
	u32 msr;

	if (!hvx86_reg_to_msr(name, &msr) || rdmsrl_safe(msr, val))
		return -EINVAL;
	return 0;
}

static int hvx86_set_register(u32 name, u64 val)
{
	u32 msr;

	if (!hvx86_reg_to_msr(name, &msr) || wrmsrl_safe(msr, val))
		return -EINVAL;
	return 0;
}

static int hvx86_irq_enable(void (*isr)(void), u8 *vector)
{
	int ret = hvx86_kernel_irq_hook(isr, vector);

	if (ret == -EOPNOTSUPP)
		pr_err("this kernel has no Hyper-V callback vector (built without CONFIG_HYPERV), and a module cannot install one\n");
	return ret;
}

static void hvx86_irq_disable(void)
{
	hvx86_kernel_irq_unhook();
}

static struct hv_platform hvx86_platform = {
	.name = "x86",
	.owner = THIS_MODULE,
	.hypercall = hvx86_hypercall,
	.fast_hypercall = hvx86_fast_hypercall,
	.get_register = hvx86_get_register,
	.set_register = hvx86_set_register,
	.irq_enable = hvx86_irq_enable,
	.irq_disable = hvx86_irq_disable,
};

/*
 * Hyper-V, and usable: the hypervisor bit, the "Microsoft Hv" vendor with
 * a sane max leaf, and the two privileges every guest needs (hypercall
 * MSRs, VP index).  Fills in the platform's feature words.
 */
bool hvx86_detect(void)
{
	struct hv_platform_features *f = &hvx86_platform.features;
	u32 eax, ebx, ecx, edx;

	if (!(cpuid_ecx(1) & HVX86_CPUID1_ECX_HYPERVISOR))
		return false;
	cpuid(HV_CPUID_VENDOR_MAX, &eax, &ebx, &ecx, &edx);
	if (ebx != HV_CPUID_VENDOR_EBX || ecx != HV_CPUID_VENDOR_ECX ||
	    edx != HV_CPUID_VENDOR_EDX)
		return false;
	if (eax < HV_CPUID_MIN_MAX_LEAF || eax > HV_CPUID_MAX_MAX_LEAF)
		return false;

	cpuid(HV_CPUID_FEATURES, &eax, &ebx, &ecx, &edx);
	f->privileges = (u64)ebx << 32 | eax;
	f->misc = edx;
	if (!(f->privileges & HV_PRIV_HYPERCALL) ||
	    !(f->privileges & HV_PRIV_VP_INDEX)) {
		pr_info("Hyper-V without hypercall or VP index MSRs (privileges 0x%llx): not used\n",
			f->privileges);
		return false;
	}
	f->recommendations = cpuid_eax(HV_CPUID_RECOMMENDATIONS);
	f->max_vps = cpuid_eax(HV_CPUID_LIMITS);
	cpuid(HV_CPUID_VERSION, &eax, &ebx, &ecx, &edx);
	f->version_build = eax;
	f->version_major_minor = ebx;
	pr_info("Hyper-V %u.%u build %u detected\n", ebx >> 16, ebx & 0xffff, eax);
	return true;
}

/* After hvx86_detect(): the hypercall page, then the platform. */
int hvx86_init(void)
{
	int ret;

	ret = hvx86_hypercall_setup();
	if (ret)
		return ret;
	ret = hvcore_register_platform(&hvx86_platform);
	if (ret)
		goto err_hypercall;
	return 0;

err_hypercall:
	hvx86_hypercall_teardown();
	return ret;
}

void hvx86_uninit(void)
{
	hvcore_unregister_platform(&hvx86_platform);
	hvx86_hypercall_teardown();
}
