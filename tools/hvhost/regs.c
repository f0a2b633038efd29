// SPDX-License-Identifier: GPL-2.0
/*
 * Register dispatch: partition-wide registers here, the SynIC, crash and
 * reference-TSC registers in their own files.
 */
#include "hyperv/hvsim.h"
#include "crash.h"
#include "log.h"
#include "reftime.h"
#include "regs.h"
#include "synic.h"

/* HYPERCALL: bit 0 enable, bit 1 locked, 11:2 reserved, 63:12 GPN. */
#define HYPERCALL_RSVD		0xffcULL

int reg_get(struct partition *p, unsigned int vp, uint32_t name, uint64_t *val,
	    uint64_t guest_tsc)
{
	int rc = HVSIM_ST_OK;

	if (vp >= p->nr_vps)
		return HVSIM_ST_BAD_REG;
	stat_inc(&p->stats, STAT_REG_READS);
	if (synic_is_reg(name))
		return synic_reg_get(&p->vp[vp], name, val);
	if (crash_is_reg(name))
		return crash_reg_get(p, name, val);

	switch (name) {
	case HV_REG_GUEST_OS_ID:
		pthread_mutex_lock(&p->lock);
		*val = p->guest_os_id;
		pthread_mutex_unlock(&p->lock);
		break;
	case HV_REG_X64_HYPERCALL:
		pthread_mutex_lock(&p->lock);
		*val = p->hypercall;
		pthread_mutex_unlock(&p->lock);
		break;
	case HV_REG_VP_INDEX:
		*val = vp;
		break;
	case HV_REG_TIME_REF_COUNT:
		*val = reftime_at(p, guest_tsc);
		break;
	case HV_REG_REFERENCE_TSC:
		rc = reftsc_reg_get(p, val);
		break;
	case HV_REG_X64_RESET:
		*val = 0;
		break;
	default:
		rc = HVSIM_ST_BAD_REG;
	}
	return rc;
}

static int hypercall_reg_set(struct partition *p, uint64_t val)
{
	int rc = HVSIM_ST_OK;

	if (val & HYPERCALL_RSVD)
		return HVSIM_ST_BAD_VALUE;
	pthread_mutex_lock(&p->lock);
	if (p->hypercall & HV_HYPERCALL_LOCKED)
		rc = HVSIM_ST_BAD_VALUE;	/* locked until reset */
	else
		p->hypercall = val;
	pthread_mutex_unlock(&p->lock);
	return rc;
}

int reg_set(struct partition *p, unsigned int vp, uint32_t name, uint64_t val,
	    uint64_t guest_tsc)
{
	if (vp >= p->nr_vps)
		return HVSIM_ST_BAD_REG;
	stat_inc(&p->stats, STAT_REG_WRITES);
	if (synic_is_reg(name))
		return synic_reg_set(&p->vp[vp], name, val);
	if (crash_is_reg(name))
		return crash_reg_set(p, vp, name, val);

	switch (name) {
	case HV_REG_GUEST_OS_ID:
		pthread_mutex_lock(&p->lock);
		p->guest_os_id = val;
		pthread_mutex_unlock(&p->lock);
		return HVSIM_ST_OK;
	case HV_REG_X64_HYPERCALL:
		return hypercall_reg_set(p, val);
	case HV_REG_REFERENCE_TSC:
		return reftsc_reg_set(p, val, guest_tsc);
	case HV_REG_X64_RESET:
		if (val == HV_RESET_VALUE) {
			hv_info("guest requested reset");
			partition_vm_event(p, VM_EVENT_RESET);
		}
		return HVSIM_ST_OK;
	default:	/* VP_INDEX, TIME_REF_COUNT are read-only; the rest unknown */
		return HVSIM_ST_BAD_REG;
	}
}
