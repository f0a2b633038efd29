/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform interface: what hv_common needs from the machine it runs on.
 * One implementation per platform: arch/x86 (real Hyper-V, built into
 * hv_common), arch/arm64, arch/sim (hv_sim.ko, hvhost under QEMU).
 *
 * Everything above this interface is the same on every platform.  Keep it
 * small: if a layer above needs to know which platform it runs on, this
 * interface is wrong.
 */
#ifndef _HV_HV_PLATFORM_H
#define _HV_HV_PLATFORM_H

#include <linux/types.h>

struct module;

/*
 * Feature words, in the x86 CPUID layout whatever the platform (a backend
 * for another architecture translates): see include/hyperv/tlfs.h.
 */
struct hv_platform_features {
	u64 privileges;		/* HV_PRIV_* */
	u32 misc;		/* HV_MISC_* (x86 bit numbers) */
	u32 recommendations;	/* HV_RECOMMEND_* */
	u32 max_vps;		/* 0 = not reported */
	u32 version_build;	/* hypervisor build number */
	u32 version_major_minor;/* major << 16 | minor */
};

/*
 * struct hv_platform - operations of one platform backend.
 *
 * All operations act on the calling CPU's virtual processor (registers are
 * per VP, like MSRs): callers that need another VP's register run on that
 * CPU.  They may be called from any context, including hard interrupt and
 * panic context, and never sleep.
 *
 * @hypercall: memory-based hypercall.  @in_gpa and @out_gpa are guest
 *	physical addresses (0 when unused).  Returns the TLFS result value
 *	(status in bits 15:0, hv_hc_result_status()).  A transport failure is
 *	reported as HV_STATUS_TIME_OUT.
 * @fast_hypercall: register-based hypercall with up to two input qwords.
 * @get_register, @set_register: HV_REG_* synthetic registers.  Return 0, or
 *	-EINVAL for an unknown register / refused value (x86: the MSR access
 *	faulted), -EIO when the platform cannot be reached.
 * @irq_enable: hook @isr to the interrupt the hypervisor raises for SynIC
 *	SINTs.  @isr runs in hard interrupt context on the CPU whose SINT
 *	fired.  On success returns 0 and stores in *@vector the vector to
 *	program into SINTx registers.
 * @irq_disable: undo @irq_enable: @isr will not be called again.  It need
 *	not wait for a call already running on another CPU; hv_common waits
 *	for those itself (hard interrupt handlers are RCU readers).
 */
struct hv_platform {
	const char *name;
	struct module *owner;
	struct hv_platform_features features;

	u64 (*hypercall)(u64 control, u64 in_gpa, u64 out_gpa);
	u64 (*fast_hypercall)(u64 control, u64 in0, u64 in1);
	int (*get_register)(u32 name, u64 *val);
	int (*set_register)(u32 name, u64 val);
	int (*irq_enable)(void (*isr)(void), u8 *vector);
	void (*irq_disable)(void);
};

/*
 * Register a platform with hv_common.  Only one platform at a time; returns
 * -EBUSY if one is registered, or a negative errno if bringing up the SynIC
 * failed (nothing is left registered then).  hv_common takes a reference on
 * @p->owner while clients (hvcore_sint_register()) use it.
 */
int hvcore_register_platform(const struct hv_platform *p);

/*
 * Unregister: SynIC off on every CPU, pages freed, interrupt unhooked.
 * Registered SINT clients stop receiving callbacks.
 */
void hvcore_unregister_platform(const struct hv_platform *p);

#endif /* _HV_HV_PLATFORM_H */
