// SPDX-License-Identifier: GPL-2.0
/*
 * SINT clients: a module above (hv_vmbus, a test) claims one SINT and gets
 * its messages and event flags from the ISR.
 *
 * Locking: register/unregister hold hvc_lock and, while they publish the
 * client and program the SINT on every CPU, cpus_read_lock() (no CPU comes
 * or goes meanwhile; a CPU that comes online afterwards programs the
 * published set itself, synic.c).
 * The ISR reads hvc_clients[] under RCU; unregister waits for it with
 * synchronize_rcu().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/cpu.h>
#include <linux/smp.h>

#include "hv_common.h"

/* Published client of each SINT, NULL when free.  Written under hvc_lock. */
const struct hvcore_sint_client __rcu *hvc_clients[HV_SINT_COUNT];

/*
 * Our copies of the clients' structures (the caller's may live on its
 * stack).  A slot is written only while unpublished and after a grace
 * period since it was last withdrawn.  Must hold hvc_lock.
 */
static struct hvcore_sint_client hvc_client_store[HV_SINT_COUNT];

struct hvc_sint_req {
	unsigned int sint;
	bool unmask;
	int err;		/* first error; the IPIs run one after another */
};

static void hvc_sint_ipi(void *arg)
{
	struct hvc_sint_req *req = arg;
	struct hvc_cpu *hc = this_cpu_ptr(&hvc_cpu);
	int ret;

	/* Not up yet: its online callback will program the SINT. */
	if (!READ_ONCE(hc->synic_up))
		return;
	ret = hvc_sint_program_local(hc, req->sint, req->unmask);
	if (ret && !req->err)
		req->err = ret;
}

/*
 * Registers are per VP: write the SINT on each online CPU, waiting for
 * each.  The caller holds cpus_read_lock() across this and the change of
 * hvc_clients[sint], so the online callback of a CPU sees either both or
 * neither.
 */
static int hvc_sint_program_all(unsigned int sint, bool unmask)
{
	struct hvc_sint_req req = { .sint = sint, .unmask = unmask };
	unsigned int cpu;
	int ret;

	/* Must hold cpus_read_lock() (lockdep_assert_cpus_held() is not exported). */
	lockdep_assert_held(&hvc_lock);
	for_each_online_cpu(cpu) {
		ret = smp_call_function_single(cpu, hvc_sint_ipi, &req, 1);
		if (ret && !req.err)
			req.err = ret;
	}
	return req.err;
}

int hvcore_sint_register(unsigned int sint, const struct hvcore_sint_client *client)
{
	const struct hv_platform *p;
	int ret;

	if (sint < HV_SINT_VMBUS || sint >= HV_SINT_COUNT || !client ||
	    (!client->message && !client->events))
		return -EINVAL;
	might_sleep();

	mutex_lock(&hvc_lock);
	p = rcu_dereference_protected(hvc_active, lockdep_is_held(&hvc_lock));
	if (!p) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (rcu_access_pointer(hvc_clients[sint])) {
		ret = -EBUSY;
		goto out_unlock;
	}
	/* The platform module stays loaded while it has clients. */
	if (!try_module_get(p->owner)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	hvc_client_store[sint] = *client;
	cpus_read_lock();
	rcu_assign_pointer(hvc_clients[sint], &hvc_client_store[sint]);
	ret = hvc_sint_program_all(sint, true);
	if (ret) {
		pr_err("SINT %u: cannot unmask it on every CPU: %d\n", sint, ret);
		goto err_unpublish;
	}
	cpus_read_unlock();
	mutex_unlock(&hvc_lock);
	return 0;

err_unpublish:
	hvc_sint_program_all(sint, false);
	RCU_INIT_POINTER(hvc_clients[sint], NULL);
	cpus_read_unlock();
	synchronize_rcu();
	module_put(p->owner);
out_unlock:
	mutex_unlock(&hvc_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(hvcore_sint_register);

/*
 * A no-op when @sint is not claimed, which is also the case after the
 * platform went away (hvc_sint_detach_all()).
 */
void hvcore_sint_unregister(unsigned int sint)
{
	if (sint >= HV_SINT_COUNT)
		return;
	might_sleep();

	mutex_lock(&hvc_lock);
	if (!rcu_access_pointer(hvc_clients[sint]))
		goto out_unlock;
	cpus_read_lock();
	hvc_sint_program_all(sint, false);
	RCU_INIT_POINTER(hvc_clients[sint], NULL);
	cpus_read_unlock();
	/* The ISR runs under RCU: after this no callback is running. */
	synchronize_rcu();
	module_put(hvc.plat->owner);
out_unlock:
	mutex_unlock(&hvc_lock);
}
EXPORT_SYMBOL_GPL(hvcore_sint_unregister);

/*
 * The platform is going away with clients still registered: they stop
 * receiving callbacks and their claims end here.  The grace period also
 * retires every reader of hvc_active, which the caller already withdrew.
 */
void hvc_sint_detach_all(void)
{
	unsigned long detached = 0;
	unsigned int sint;

	lockdep_assert_held(&hvc_lock);
	for (sint = 0; sint < HV_SINT_COUNT; sint++) {
		if (!rcu_access_pointer(hvc_clients[sint]))
			continue;
		pr_warn("SINT %u: client still registered when the platform left; detached\n",
			sint);
		RCU_INIT_POINTER(hvc_clients[sint], NULL);
		detached |= BIT(sint);
	}
	synchronize_rcu();
	for_each_set_bit(sint, &detached, HV_SINT_COUNT)
		module_put(hvc.plat->owner);
}
