// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall validation and handlers: HvCallPostMessage, HvCallSignalEvent,
 * HvCallGet/SetVpRegisters, HvCallNotifyLongSpinWait.
 */
#include <endian.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "hypercall.h"
#include "regs.h"
#include "services.h"
#include "util.h"

struct hc_call {
	struct partition *p;
	unsigned int vp;
	uint64_t guest_tsc;
	uint32_t rep_count;
	uint32_t rep_start;
	const uint8_t *in;	/* private copy of the input */
	uint8_t *out;		/* output, written back on return */
	uint32_t reps_done;
};

struct hc_desc {
	uint16_t code;
	bool rep;
	uint32_t in_fixed;	/* bytes before the rep list */
	uint32_t in_elem;	/* bytes per input rep element */
	uint32_t out_elem;	/* bytes per output rep element */
	uint16_t (*fn)(struct hc_call *c);
};

/* Fast calls carry two qwords (RDX, R8); XMM input is not offered. */
#define HC_FAST_INPUT_MAX	16

static uint16_t hc_post_message(struct hc_call *c)
{
	const struct hv_input_post_message *in = (const void *)c->in;
	uint32_t type = le32toh(in->message_type);
	uint32_t size = le32toh(in->payload_size);

	stat_inc(&c->p->stats, STAT_POST_MESSAGE);
	if (in->reserved)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (type == HVMSG_NONE || (type & HVMSG_TYPE_HYPERVISOR_BIT))
		return HV_STATUS_INVALID_PARAMETER;
	if (size > HV_MESSAGE_PAYLOAD_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	return conn_post(c->p, c->vp, le32toh(in->connection_id), type, in->payload, size);
}

static uint16_t hc_signal_event(struct hc_call *c)
{
	const struct hv_input_signal_event *in = (const void *)c->in;

	stat_inc(&c->p->stats, STAT_SIGNAL_EVENT);
	if (in->reserved)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return conn_signal(c->p, c->vp, le32toh(in->connection_id), le16toh(in->flag_number));
}

/* The common Get/SetVpRegisters header: which VP (only VTL 0 exists). */
static uint16_t hc_vp_header(struct hc_call *c, unsigned int *vp)
{
	const struct hv_input_vp_registers_header *h = (const void *)c->in;
	uint32_t index = le32toh(h->vp_index);

	if (h->reserved[0] || h->reserved[1] || h->reserved[2])
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (le64toh(h->partition_id) != HV_PARTITION_ID_SELF)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (h->input_vtl & ~0x10)	/* bit 4 "use target VTL" with target VTL 0 */
		return HV_STATUS_INVALID_PARAMETER;
	if (index == HV_VP_INDEX_SELF)
		index = c->vp;
	if (index >= c->p->nr_vps)
		return HV_STATUS_INVALID_VP_INDEX;
	*vp = index;
	return HV_STATUS_SUCCESS;
}

static uint16_t hc_get_vp_registers(struct hc_call *c)
{
	const uint8_t *names = c->in + sizeof(struct hv_input_vp_registers_header);
	unsigned int vp;
	uint16_t status;
	uint32_t name, i;
	uint64_t val;

	status = hc_vp_header(c, &vp);
	for (i = c->rep_start; status == HV_STATUS_SUCCESS && i < c->rep_count; i++) {
		memcpy(&name, names + 4 * i, 4);
		if (reg_get(c->p, vp, le32toh(name), &val, c->guest_tsc) != HVSIM_ST_OK) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		val = htole64(val);
		memcpy(c->out + 16 * i, &val, 8);
		memset(c->out + 16 * i + 8, 0, 8);
		c->reps_done = i + 1;
	}
	return status;
}

static uint16_t hc_set_vp_registers(struct hc_call *c)
{
	const uint8_t *elems = c->in + sizeof(struct hv_input_vp_registers_header);
	uint64_t val, val_hi;
	unsigned int vp;
	uint16_t status;
	uint32_t name, i;

	status = hc_vp_header(c, &vp);
	for (i = c->rep_start; status == HV_STATUS_SUCCESS && i < c->rep_count; i++) {
		memcpy(&name, elems + 32 * i, 4);
		memcpy(&val, elems + 32 * i + 16, 8);
		memcpy(&val_hi, elems + 32 * i + 24, 8);
		if (val_hi || reg_set(c->p, vp, le32toh(name), le64toh(val), c->guest_tsc) !=
			      HVSIM_ST_OK) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		c->reps_done = i + 1;
	}
	return status;
}

static uint16_t hc_notify_long_spin_wait(struct hc_call *c)
{
	(void)c;
	return HV_STATUS_SUCCESS;	/* advisory */
}

static const struct hc_desc hc_table[] = {
	{ HVCALL_POST_MESSAGE, false, sizeof(struct hv_input_post_message), 0, 0,
	  hc_post_message },
	{ HVCALL_SIGNAL_EVENT, false, sizeof(struct hv_input_signal_event), 0, 0,
	  hc_signal_event },
	{ HVCALL_GET_VP_REGISTERS, true, sizeof(struct hv_input_vp_registers_header), 4, 16,
	  hc_get_vp_registers },
	{ HVCALL_SET_VP_REGISTERS, true, sizeof(struct hv_input_vp_registers_header), 32, 0,
	  hc_set_vp_registers },
	{ HVCALL_NOTIFY_LONG_SPIN_WAIT, false, 8, 0, 0, hc_notify_long_spin_wait },
};

static const struct hc_desc *hc_find(uint16_t code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hc_table); i++)
		if (hc_table[i].code == code)
			return &hc_table[i];
	return NULL;
}

/* A memory operand: aligned, within one page, inside guest RAM. */
static uint16_t hc_check_gpa(struct partition *p, uint64_t gpa, uint64_t size)
{
	uint16_t status = HV_STATUS_SUCCESS;

	if (gpa % HV_HYPERCALL_ALIGN)
		status = HV_STATUS_INVALID_ALIGNMENT;
	else if ((gpa & (HV_PAGE_SIZE - 1)) + size > HV_PAGE_SIZE)
		status = HV_STATUS_INVALID_ALIGNMENT;
	else if (!gm_range_ok(&p->mem, gpa, size))
		status = HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (status != HV_STATUS_SUCCESS)
		stat_inc(&p->stats, STAT_BAD_GPA);
	return status;
}

/* Checks of the control value that do not depend on the operands. */
static uint16_t hc_check_control(const struct hc_desc *d, uint64_t control)
{
	uint32_t count = hv_hc_rep_count(control), start = hv_hc_rep_start(control);

	if (!d->rep && (count || start))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (d->rep && (!count || start >= count))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (hv_hc_varhead(control))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return HV_STATUS_SUCCESS;
}

static uint16_t hc_run(const struct hc_desc *d, struct hc_call *c, uint64_t arg1,
		       uint64_t arg2, bool fast)
{
	uint8_t in[HV_PAGE_SIZE], out[HV_PAGE_SIZE];
	uint64_t in_size, out_size, q;
	uint16_t status;

	in_size = d->in_fixed + (uint64_t)d->in_elem * c->rep_count;
	out_size = (uint64_t)d->out_elem * c->rep_count;
	if (fast) {
		if (in_size > HC_FAST_INPUT_MAX || out_size)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		q = htole64(arg1);
		memcpy(in, &q, 8);
		q = htole64(arg2);
		memcpy(in + 8, &q, 8);
	} else {
		status = hc_check_gpa(c->p, arg1, in_size);
		if (status == HV_STATUS_SUCCESS && out_size)
			status = hc_check_gpa(c->p, arg2, out_size);
		if (status != HV_STATUS_SUCCESS)
			return status;
		gm_read(&c->p->mem, arg1, in, in_size);
	}
	memset(out, 0, out_size);
	c->reps_done = c->rep_start;	/* absolute, like the TLFS result */
	c->in = in;
	c->out = out;
	status = d->fn(c);
	/* Output of the elements completed by this call only. */
	if (out_size && c->reps_done > c->rep_start)
		gm_write(&c->p->mem, arg2 + (uint64_t)d->out_elem * c->rep_start,
			 out + d->out_elem * c->rep_start,
			 (size_t)d->out_elem * (c->reps_done - c->rep_start));
	return status;
}

uint64_t hypercall_exec(struct partition *p, unsigned int vp, uint64_t guest_tsc,
			uint64_t control, uint64_t arg1, uint64_t arg2, bool force_fast)
{
	struct hc_call c = {
		.p = p,
		.vp = vp,
		.guest_tsc = guest_tsc,
		.rep_count = hv_hc_rep_count(control),
		.rep_start = hv_hc_rep_start(control),
	};
	uint16_t code = hv_hc_code(control);
	const struct hc_desc *d = NULL;
	uint16_t status;

	stat_inc(&p->stats, STAT_HYPERCALLS);
	if (control & HV_HC_RSVD_MASK) {
		status = HV_STATUS_INVALID_HYPERCALL_INPUT;
		goto out;
	}
	d = hc_find(code);
	if (!d) {
		status = HV_STATUS_INVALID_HYPERCALL_CODE;
		goto out;
	}
	status = hc_check_control(d, control);
	if (status == HV_STATUS_SUCCESS)
		status = hc_run(d, &c, arg1, arg2, force_fast || hv_hc_is_fast(control));
out:
	stat_hc_status(&p->stats, code, status);
	return hv_hc_result(status, d && d->rep ? c.reps_done : 0);
}
