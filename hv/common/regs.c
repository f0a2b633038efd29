// SPDX-License-Identifier: GPL-2.0
/*
 * Synthetic register access on the calling CPU's virtual processor.
 *
 * Registers are per VP: a caller that needs another CPU's value must run
 * on that CPU (an IPI, or a task bound to it).  Any context; never sleeps.
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "hv_common.h"

int hvcore_get_register(u32 name, u64 *val)
{
	const struct hv_platform *p;
	int ret = -ENODEV;

	rcu_read_lock();
	p = rcu_dereference(hvc_active);
	if (p)
		ret = p->get_register(name, val);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(hvcore_get_register);

int hvcore_set_register(u32 name, u64 val)
{
	const struct hv_platform *p;
	int ret = -ENODEV;

	rcu_read_lock();
	p = rcu_dereference(hvc_active);
	if (p)
		ret = p->set_register(name, val);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(hvcore_set_register);
