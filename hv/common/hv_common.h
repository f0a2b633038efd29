/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv_common private state.  The public API is include/hv/hv_core.h, the
 * platform interface include/hv/hv_platform.h, the wire formats
 * include/hyperv/tlfs.h.
 *
 * Files: main.c (module init/exit, platform registration), hypercall.c
 * (hypercalls, post message, signal event, status mapping), regs.c
 * (synthetic registers), synic.c (per-CPU pages and SynIC enable/disable),
 * sint.c (SINT clients), isr.c (message slots and event flags), crash.c
 * (crash MSRs), reftime.c (reference time), debugfs.c.  arch/x86/ is the
 * real-Hyper-V backend, linked into this module.
 *
 * Locking, in one place:
 *
 * - hvc_lock (mutex) serialises platform register/unregister, SINT client
 *   register/unregister and the debugfs readers.  Lock order:
 *   hvc_lock -> cpu_hotplug_lock (cpus_read_lock(), cpuhp_setup_state()).
 *   The cpuhp callbacks run with cpu_hotplug_lock held, so they never take
 *   hvc_lock; they read only what was set up before the cpuhp state was
 *   installed, and the client table under RCU.
 *
 * - hvc_active (RCU) is the gate for the exported API used by other
 *   modules (hypercalls, registers, reference time, clients): published
 *   last when a platform registers, withdrawn first (then
 *   synchronize_rcu()) when it unregisters.
 *
 * - hvc_clients[] (RCU) is read by the ISR and the cpuhp callbacks, written
 *   under hvc_lock.
 *
 * - struct hvc_cpu is per CPU and written only on its own CPU (cpuhp
 *   callbacks, IPIs), except the page pointers and vp_index, which main.c
 *   and synic.c set under hvc_lock while that CPU's SynIC is down.
 */
#ifndef _HV_COMMON_H
#define _HV_COMMON_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>

#include <hv/hv_core.h>
#include <hv/hv_platform.h>

/* hvcore_vp_index() of a CPU whose VP index is not known. */
#define HVC_VP_UNKNOWN		U32_MAX

/* Messages taken from one slot in one interrupt before moving on. */
#define HVC_SLOT_BUDGET		16

/* Per-CPU state.  See the locking notes above. */
struct hvc_cpu {
	/* Hypercall input/output pages: used only with local interrupts off. */
	void *hc_in;
	void *hc_out;
	phys_addr_t hc_in_gpa;
	phys_addr_t hc_out_gpa;
	/* SynIC pages, shared with the hypervisor while enabled. */
	struct hv_message_page *simp;
	struct hv_event_flags_page *siefp;
	phys_addr_t simp_gpa;
	phys_addr_t siefp_gpa;
	u32 vp_index;		/* HV_REG_VP_INDEX, read when the CPU came online */
	bool synic_up;		/* pages enabled: the ISR may scan them */
	/*
	 * SINTs unmasked on this CPU since its SynIC came up (bit n = SINT n).
	 * The ISR drains those even after their client left, so a late
	 * message cannot block the slot.
	 */
	unsigned long armed;
};
DECLARE_PER_CPU(struct hvc_cpu, hvc_cpu);

/* Per-CPU counters, incremented only on their own CPU (this_cpu_inc). */
struct hvc_stats {
	u64 interrupts;
	u64 messages;
	u64 eoms;
	u64 event_bits;
	u64 malformed;
	u64 unclaimed;
};
DECLARE_PER_CPU(struct hvc_stats, hvc_stats);

/*
 * Platform-wide state.  Every field is written under hvc_lock while the
 * platform registers or unregisters, and is stable in between; the ISR,
 * cpuhp and crash callbacks only run in between.
 */
struct hvc_state {
	const struct hv_platform *plat;	/* NULL when none */
	struct hv_platform_features features;
	char name[32];
	u8 vector;			/* from irq_enable() */
	bool auto_eoi;			/* !HV_RECOMMEND_NO_AUTO_EOI */
	int cpuhp_state;		/* dynamic state, 0 = none */
	u64 guest_os_id;		/* value in HV_REG_GUEST_OS_ID */
	bool wrote_guest_os_id;		/* we wrote it: write 0 on unregister */
	/* crash.c */
	u64 crash_ctl;			/* supported HV_CRASH_CTL_* bits */
	/* reftime.c */
	struct hv_ref_tsc_page *tsc_page; /* NULL: not ours / not enabled */
	u64 tsc_reg_saved;		/* HV_REG_REFERENCE_TSC before we enabled */
};

extern struct mutex hvc_lock;
extern struct hvc_state hvc;
extern const struct hv_platform __rcu *hvc_active;
extern const struct hvcore_sint_client __rcu *hvc_clients[HV_SINT_COUNT];

/* synic.c */
int hvc_percpu_pages_alloc(void);
void hvc_percpu_pages_free(void);
int hvc_synic_init(void);
void hvc_synic_uninit(void);
void hvc_synic_shutdown(void);
int hvc_sint_program_local(struct hvc_cpu *hc, unsigned int sint, bool unmask);
int hvc_page_reg_enable(const struct hv_platform *p, u32 reg, phys_addr_t gpa);

/* sint.c */
void hvc_sint_detach_all(void);

/* isr.c */
void hvc_isr(void);

/* crash.c */
int hvc_crash_init(void);
void hvc_crash_uninit(void);

/* reftime.c */
void hvc_reftime_init(void);
void hvc_reftime_uninit(void);
void hvc_reftime_shutdown(void);

/* debugfs.c */
void hvc_debugfs_init(void);
void hvc_debugfs_uninit(void);

/* arch/x86: the real-Hyper-V platform, linked into this module. */
#ifdef CONFIG_X86_64
bool hvx86_detect(void);
int hvx86_init(void);
void hvx86_uninit(void);
#else
static inline bool hvx86_detect(void)
{
	return false;
}

static inline int hvx86_init(void)
{
	return -ENODEV;
}

static inline void hvx86_uninit(void)
{
}
#endif

#endif /* _HV_COMMON_H */
