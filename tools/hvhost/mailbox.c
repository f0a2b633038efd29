// SPDX-License-Identifier: GPL-2.0
/*
 * Mailbox request processing and the shared-memory header.
 *
 * The guest owns req_seq, op, arg[], guest_tsc and the command text; the
 * host owns done_seq, status, ret[] and the answer.  Every guest-owned
 * field is read exactly once, after the acquire load of req_seq, into a
 * private copy: a misbehaving guest can change them at any time.
 */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "hypercall.h"
#include "log.h"
#include "mailbox.h"
#include "reftime.h"
#include "regs.h"

#define LOAD32(x)	le32toh(__atomic_load_n(&(x), __ATOMIC_RELAXED))
#define LOAD64(x)	le64toh(__atomic_load_n(&(x), __ATOMIC_RELAXED))
#define STORE32(x, v)	__atomic_store_n(&(x), htole32(v), __ATOMIC_RELAXED)
#define STORE64(x, v)	__atomic_store_n(&(x), htole64(v), __ATOMIC_RELAXED)

/* HOSTCTL: run the command, answer in text; ret0 = 0 ok, 1 error. */
static uint32_t mailbox_hostctl(struct partition *p, struct hvsim_mailbox *mb, uint64_t *ret0)
{
	char cmd[HVSIM_TEXT_MAX + 1], answer[HVSIM_TEXT_MAX + 1];
	uint32_t len = LOAD32(mb->text_len);
	int rc;

	stat_inc(&p->stats, STAT_HOSTCTL);
	if (len > HVSIM_TEXT_MAX) {
		STORE32(mb->text_len, 0);
		return HVSIM_ST_BAD_TEXT;
	}
	memcpy(cmd, mb->text, len);
	cmd[len] = '\0';
	rc = ctl_exec(p, cmd, answer, sizeof(answer));
	len = strlen(answer);
	memcpy(mb->text, answer, len);
	STORE32(mb->text_len, len);
	*ret0 = rc ? 1 : 0;
	return HVSIM_ST_OK;
}

bool mailbox_process(struct partition *p, unsigned int vp, struct hvsim_mailbox *mb)
{
	uint32_t req = le32toh(__atomic_load_n(&mb->req_seq, __ATOMIC_ACQUIRE));
	uint32_t done = LOAD32(mb->done_seq);
	uint64_t arg0, arg1, arg2, tsc, host_tsc, ret0 = 0, ret1 = 0;
	uint32_t op, status = HVSIM_ST_OK;

	if (req == done)
		return false;
	host_tsc = reftsc_host_tsc(p);		/* as close to the pick-up as possible */
	stat_inc(&p->stats, STAT_MAILBOX_REQUESTS);
	op = LOAD32(mb->op);
	arg0 = LOAD64(mb->arg[0]);
	arg1 = LOAD64(mb->arg[1]);
	arg2 = LOAD64(mb->arg[2]);
	tsc = LOAD64(mb->guest_tsc);
	if (tsc)
		reftsc_sample(p, tsc, host_tsc);

	switch (op) {
	case HVSIM_OP_HYPERCALL:
	case HVSIM_OP_FAST_HYPERCALL:
		ret0 = hypercall_exec(p, vp, tsc, arg0, arg1, arg2, op == HVSIM_OP_FAST_HYPERCALL);
		break;
	case HVSIM_OP_GET_REG:
		status = reg_get(p, vp, (uint32_t)arg0, &ret1, tsc);
		break;
	case HVSIM_OP_SET_REG:
		status = reg_set(p, vp, (uint32_t)arg0, arg1, tsc);
		break;
	case HVSIM_OP_HOSTCTL:
		status = mailbox_hostctl(p, mb, &ret0);
		break;
	default:
		status = HVSIM_ST_BAD_OP;
	}
	if (status != HVSIM_ST_OK)
		hv_dbg("vp %u: op %u arg0 0x%llx -> transport status %u", vp, op,
		       (unsigned long long)arg0, status);

	STORE32(mb->status, status);
	STORE64(mb->ret[0], ret0);
	STORE64(mb->ret[1], ret1);
	__atomic_store_n(&mb->done_seq, htole32(req), __ATOMIC_RELEASE);
	return true;
}

void mailbox_fill_header(struct hvsim_shm_header *h, unsigned int nr_vps, uint64_t ram_size)
{
	memset(h, 0, sizeof(*h));
	h->magic = htole32(HVSIM_MAGIC);
	h->abi_version = htole32(HVSIM_ABI_VERSION);
	h->nr_vps = htole32(nr_vps);
	h->mailbox_offset = htole32(HVSIM_MAILBOX_OFFSET);
	h->mailbox_size = htole32(HVSIM_MAILBOX_SIZE);
	h->ram_size = htole64(ram_size);
	h->privileges = htole64(HV_PRIV_TIME_REF_COUNT | HV_PRIV_SYNIC | HV_PRIV_HYPERCALL |
				HV_PRIV_VP_INDEX | HV_PRIV_RESET | HV_PRIV_REFERENCE_TSC |
				HV_PRIV_POST_MESSAGES | HV_PRIV_SIGNAL_EVENTS);
	h->misc_features = htole32(HV_MISC_CRASH_MSRS);
	h->recommendations = htole32(HV_RECOMMEND_NO_AUTO_EOI);
	h->max_vps = htole32(HVSIM_MAX_VPS);
	h->hv_version_build = htole32(HVHOST_VERSION_BUILD);
	h->hv_version_major_minor = htole32(HVHOST_VERSION_MAJOR << 16 | HVHOST_VERSION_MINOR);
	snprintf((char *)h->host_name, sizeof(h->host_name), "hvhost %s", HVHOST_VERSION);
}
