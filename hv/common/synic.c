// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU pages and the SynIC of each CPU.
 *
 * SCONTROL, SIMP, SIEFP and SINTx are registers of one virtual processor,
 * so they are always written on the CPU itself: from the cpuhp callbacks
 * (which run on the CPU coming up or going down) or from an IPI.
 *
 * Bring-up order on a CPU: SIMP, SIEFP (pages in place before anything
 * can be delivered), the claimed SINTs unmasked, then SCONTROL enable.
 * Teardown is the exact reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/topology.h>

#include "hv_common.h"

/* A kernel page holds at least one Hyper-V page, and starts on one. */
static_assert(PAGE_SIZE >= HV_PAGE_SIZE);

static void *hvc_page_alloc(unsigned int cpu, phys_addr_t *gpa)
{
	struct page *page;

	page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return NULL;
	*gpa = page_to_phys(page);
	return page_address(page);
}

static void hvc_page_free(void *va)
{
	if (va)
		free_page((unsigned long)va);
}

/*
 * Hypercall input/output pages and SynIC pages for every possible CPU
 * (a CPU coming online later needs no allocation in its cpuhp callback).
 */
int hvc_percpu_pages_alloc(void)
{
	unsigned int cpu;

	lockdep_assert_held(&hvc_lock);
	for_each_possible_cpu(cpu) {
		struct hvc_cpu *hc = per_cpu_ptr(&hvc_cpu, cpu);

		hc->hc_in = hvc_page_alloc(cpu, &hc->hc_in_gpa);
		hc->hc_out = hvc_page_alloc(cpu, &hc->hc_out_gpa);
		hc->simp = hvc_page_alloc(cpu, &hc->simp_gpa);
		hc->siefp = hvc_page_alloc(cpu, &hc->siefp_gpa);
		if (!hc->hc_in || !hc->hc_out || !hc->simp || !hc->siefp) {
			hvc_percpu_pages_free();
			return -ENOMEM;
		}
	}
	return 0;
}

/* Only once the SynIC is down on every CPU: the pages are shared until then. */
void hvc_percpu_pages_free(void)
{
	unsigned int cpu;

	lockdep_assert_held(&hvc_lock);
	for_each_possible_cpu(cpu) {
		struct hvc_cpu *hc = per_cpu_ptr(&hvc_cpu, cpu);

		WARN_ON(hc->synic_up);
		hvc_page_free(hc->hc_in);
		hvc_page_free(hc->hc_out);
		hvc_page_free(hc->simp);
		hvc_page_free(hc->siefp);
		hc->hc_in = NULL;
		hc->hc_out = NULL;
		hc->simp = NULL;
		hc->siefp = NULL;
		hc->hc_in_gpa = 0;
		hc->hc_out_gpa = 0;
		hc->simp_gpa = 0;
		hc->siefp_gpa = 0;
	}
}

/*
 * SIMP, SIEFP, REFERENCE_TSC: bit 0 enable, 11:1 reserved (preserved on
 * write), 63:12 page number.
 */
int hvc_page_reg_enable(const struct hv_platform *p, u32 reg, phys_addr_t gpa)
{
	u64 val;
	int ret;

	ret = p->get_register(reg, &val);
	if (ret)
		return ret;
	val = (val & HV_PAGE_REG_RSVD) | (gpa & HV_PAGE_MASK) | HV_PAGE_REG_ENABLE;
	return p->set_register(reg, val);
}

static void hvc_page_reg_disable(const struct hv_platform *p, u32 reg)
{
	u64 val = 0;

	p->get_register(reg, &val);
	p->set_register(reg, val & HV_PAGE_REG_RSVD);
}

/* A SINTx value: our vector, unmasked, auto-EOI as recommended; or masked. */
static u64 hvc_sint_value(u64 old, bool unmask)
{
	if (!unmask)
		return old | HV_SINT_MASKED;
	old &= ~(HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI |
		 HV_SINT_POLLING);
	return old | hvc.vector | (hvc.auto_eoi ? HV_SINT_AUTO_EOI : 0);
}

/*
 * Unmask or mask one SINT on this CPU.  Runs on @hc's CPU, from a cpuhp
 * callback or an IPI.  The SINT is marked armed before it is unmasked so
 * the ISR scans it from the first interrupt on.
 */
int hvc_sint_program_local(struct hvc_cpu *hc, unsigned int sint, bool unmask)
{
	const struct hv_platform *p = hvc.plat;
	u64 val;
	int ret;

	ret = p->get_register(HV_REG_SINT(sint), &val);
	if (ret)
		return ret;
	if (unmask)
		WRITE_ONCE(hc->armed, hc->armed | BIT(sint));
	return p->set_register(HV_REG_SINT(sint), hvc_sint_value(val, unmask));
}

/* Teardown on this CPU; also the unwind of a partial bring-up. */
static void hvc_synic_down_local(struct hvc_cpu *hc)
{
	const struct hv_platform *p = hvc.plat;
	unsigned long armed = READ_ONCE(hc->armed);
	unsigned int sint;
	u64 val;

	for_each_set_bit(sint, &armed, HV_SINT_COUNT)
		hvc_sint_program_local(hc, sint, false);
	if (!p->get_register(HV_REG_SCONTROL, &val))
		p->set_register(HV_REG_SCONTROL, val & ~HV_SCONTROL_ENABLE);
	/*
	 * No interrupt can come any more; one that is already running
	 * interrupted us and has finished.  From here on the ISR on this CPU
	 * leaves the pages alone.
	 */
	WRITE_ONCE(hc->synic_up, false);
	barrier();
	WRITE_ONCE(hc->armed, 0);
	hvc_page_reg_disable(p, HV_REG_SIEFP);
	hvc_page_reg_disable(p, HV_REG_SIMP);
}

/* cpuhp online: runs on @cpu, with cpu_hotplug_lock held (no hvc_lock). */
static int hvc_cpu_online(unsigned int cpu)
{
	const struct hv_platform *p = hvc.plat;
	struct hvc_cpu *hc = per_cpu_ptr(&hvc_cpu, cpu);
	unsigned int sint;
	u64 val;
	int ret;

	ret = p->get_register(HV_REG_VP_INDEX, &val);
	if (ret)
		goto err;
	WRITE_ONCE(hc->vp_index, (u32)val);

	ret = hvc_page_reg_enable(p, HV_REG_SIMP, hc->simp_gpa);
	if (ret)
		goto err;
	ret = hvc_page_reg_enable(p, HV_REG_SIEFP, hc->siefp_gpa);
	if (ret)
		goto err;
	WRITE_ONCE(hc->synic_up, true);

	/*
	 * Clients change only under cpus_read_lock() (sint.c), which excludes
	 * us: the set seen here is the set to program.
	 */
	rcu_read_lock();
	for (sint = 0; sint < HV_SINT_COUNT && !ret; sint++)
		if (rcu_access_pointer(hvc_clients[sint]))
			ret = hvc_sint_program_local(hc, sint, true);
	rcu_read_unlock();
	if (ret)
		goto err;

	ret = p->get_register(HV_REG_SCONTROL, &val);
	if (!ret)
		ret = p->set_register(HV_REG_SCONTROL, val | HV_SCONTROL_ENABLE);
	if (ret)
		goto err;
	return 0;

err:
	pr_err("CPU %u: SynIC bring-up failed: %d\n", cpu, ret);
	hvc_synic_down_local(hc);
	return ret;
}

/* cpuhp offline: runs on @cpu, with cpu_hotplug_lock held. */
static int hvc_cpu_offline(unsigned int cpu)
{
	hvc_synic_down_local(per_cpu_ptr(&hvc_cpu, cpu));
	return 0;
}

/* Bring the SynIC up on every online CPU and on CPUs coming online. */
int hvc_synic_init(void)
{
	int ret;

	lockdep_assert_held(&hvc_lock);
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hv_common:online",
				hvc_cpu_online, hvc_cpu_offline);
	if (ret < 0)
		return ret;
	hvc.cpuhp_state = ret;
	return 0;
}

/* SynIC down on every CPU (the offline callback runs on each). */
void hvc_synic_uninit(void)
{
	lockdep_assert_held(&hvc_lock);
	if (hvc.cpuhp_state > 0)
		cpuhp_remove_state(hvc.cpuhp_state);
	hvc.cpuhp_state = 0;
}

static void hvc_synic_down_ipi(void *unused)
{
	struct hvc_cpu *hc = this_cpu_ptr(&hvc_cpu);

	if (READ_ONCE(hc->synic_up))
		hvc_synic_down_local(hc);
}

/*
 * System shutdown and kexec (syscore, after device shutdown): the
 * hypervisor must stop writing into pages the next kernel will reuse.
 */
void hvc_synic_shutdown(void)
{
	on_each_cpu(hvc_synic_down_ipi, NULL, 1);
}
