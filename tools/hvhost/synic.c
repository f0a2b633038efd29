// SPDX-License-Identifier: GPL-2.0
/*
 * SynIC emulation: registers, message queues and slots, event flags.
 * The protocol and its invariants are described in synic.h.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "hyperv/hvsim.h"
#include "synic.h"

#define SINT_VALID_BITS	(HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI | \
			 HV_SINT_POLLING)

void synic_reset(struct vp *v)
{
	unsigned int i;

	v->scontrol = 0;
	v->simp = 0;
	v->siefp = 0;
	for (i = 0; i < HV_SINT_COUNT; i++)
		v->sint[i] = HV_SINT_RESET_VALUE;
}

bool synic_is_reg(uint32_t name)
{
	return (name >= HV_REG_SINT0 && name < HV_REG_SINT(HV_SINT_COUNT)) ||
	       (name >= HV_REG_SCONTROL && name <= HV_REG_EOM);
}

static bool synic_on(const struct vp *v)
{
	return v->scontrol & HV_SCONTROL_ENABLE;
}

static bool simp_on(const struct vp *v)
{
	return synic_on(v) && (v->simp & HV_PAGE_REG_ENABLE);
}

static bool siefp_on(const struct vp *v)
{
	return synic_on(v) && (v->siefp & HV_PAGE_REG_ENABLE);
}

/* Must hold v->lock; NULL unless the SIMP is enabled. */
static struct hv_message *simp_slot(struct vp *v, unsigned int sint)
{
	if (!simp_on(v))
		return NULL;
	return gm_ptr(&v->part->mem, (v->simp & HV_PAGE_MASK) + sint * sizeof(struct hv_message),
		      sizeof(struct hv_message));
}

/* Must hold v->lock; NULL unless the SIEFP is enabled. */
static struct hv_event_flags *siefp_area(struct vp *v, unsigned int sint)
{
	if (!siefp_on(v))
		return NULL;
	return gm_ptr(&v->part->mem,
		      (v->siefp & HV_PAGE_MASK) + sint * sizeof(struct hv_event_flags),
		      sizeof(struct hv_event_flags));
}

/* Must hold v->lock.  Raise the VP's interrupt on behalf of @sint. */
static void synic_raise(struct vp *v, unsigned int sint)
{
	struct partition *p = v->part;

	if (v->sint[sint] & (HV_SINT_MASKED | HV_SINT_POLLING))
		return;
	stat_inc(&p->stats, STAT_INTERRUPTS);
	if (p->ops.raise_irq)
		p->ops.raise_irq(p->ops.ctx, v->index);
}

static void queue_drop(struct partition *p, struct synic_queue *q)
{
	while (q->count) {
		q->head = (q->head + 1) % SYNIC_QUEUE_LEN;
		q->count--;
		stat_inc(&p->stats, STAT_MESSAGES_DROPPED);
	}
}

/* Must hold v->lock. */
static void synic_drop_all(struct vp *v)
{
	unsigned int i;

	for (i = 0; i < HV_SINT_COUNT; i++)
		queue_drop(v->part, &v->queue[i]);
}

/* Copy @m into the free slot @slot and publish it (type last, release). */
static void slot_fill(struct hv_message *slot, const struct synic_msg *m, bool more)
{
	memcpy(slot->payload, m->payload, sizeof(slot->payload));
	slot->header.payload_size = (uint8_t)m->wire_size;
	__atomic_store_n(&slot->header.message_flags, more ? HV_MESSAGE_FLAG_PENDING : 0,
			 __ATOMIC_RELAXED);
	slot->header.reserved[0] = 0;
	slot->header.reserved[1] = 0;
	slot->header.sender = htole64(m->sender);
	__atomic_store_n(&slot->header.message_type, htole32(m->type), __ATOMIC_RELEASE);
}

/*
 * True if the slot is free.  If it is busy, leave MessagePending in it and
 * look once more after a full fence (the Dekker half of the protocol).
 */
static bool slot_claim(struct hv_message *slot)
{
	if (__atomic_load_n(&slot->header.message_type, __ATOMIC_ACQUIRE) == HVMSG_NONE)
		return true;
	__atomic_fetch_or(&slot->header.message_flags, HV_MESSAGE_FLAG_PENDING, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&slot->header.message_type, __ATOMIC_ACQUIRE) == HVMSG_NONE;
}

/* Must hold v->lock.  Deliver queued messages of @sint while its slot is free. */
static void synic_flush(struct vp *v, unsigned int sint)
{
	struct synic_queue *q = &v->queue[sint];
	struct hv_message *slot;
	bool delivered = false;

	while (q->count) {
		slot = simp_slot(v, sint);
		if (!slot || !slot_claim(slot))
			break;
		slot_fill(slot, &q->msg[q->head], q->count > 1);
		q->head = (q->head + 1) % SYNIC_QUEUE_LEN;
		q->count--;
		stat_inc(&v->part->stats, STAT_MESSAGES_DELIVERED);
		delivered = true;
	}
	if (delivered)
		synic_raise(v, sint);
}

static void synic_flush_all(struct vp *v)
{
	unsigned int i;

	for (i = 0; i < HV_SINT_COUNT; i++)
		synic_flush(v, i);
}

/* Must hold v->lock.  After unmasking: raise if anything waits for the guest. */
static void synic_kick(struct vp *v, unsigned int sint)
{
	struct hv_message *slot = simp_slot(v, sint);
	struct hv_event_flags *area = siefp_area(v, sint);
	bool pending = false;
	unsigned int i;

	if (slot && __atomic_load_n(&slot->header.message_type, __ATOMIC_ACQUIRE) != HVMSG_NONE)
		pending = true;
	for (i = 0; area && !pending && i < sizeof(area->flags); i++)
		pending = __atomic_load_n(&area->flags[i], __ATOMIC_RELAXED) != 0;
	if (pending)
		synic_raise(v, sint);
}

/* SIMP/SIEFP value check: reserved bits clear, an enabled page inside RAM. */
static int page_reg_check(struct vp *v, uint64_t val)
{
	if (val & HV_PAGE_REG_RSVD)
		return HVSIM_ST_BAD_VALUE;
	if ((val & HV_PAGE_REG_ENABLE) &&
	    !gm_range_ok(&v->part->mem, val & HV_PAGE_MASK, HV_PAGE_SIZE))
		return HVSIM_ST_BAD_VALUE;
	return HVSIM_ST_OK;
}

int synic_reg_get(struct vp *v, uint32_t name, uint64_t *val)
{
	int rc = HVSIM_ST_OK;

	pthread_mutex_lock(&v->lock);
	if (name >= HV_REG_SINT0 && name < HV_REG_SINT(HV_SINT_COUNT)) {
		*val = v->sint[name - HV_REG_SINT0];
	} else {
		switch (name) {
		case HV_REG_SCONTROL:
			*val = v->scontrol;
			break;
		case HV_REG_SVERSION:
			*val = HV_SVERSION_VALUE;
			break;
		case HV_REG_SIMP:
			*val = v->simp;
			break;
		case HV_REG_SIEFP:
			*val = v->siefp;
			break;
		case HV_REG_EOM:
			*val = 0;	/* write-only */
			break;
		default:
			rc = HVSIM_ST_BAD_REG;
		}
	}
	pthread_mutex_unlock(&v->lock);
	return rc;
}

static int sint_set(struct vp *v, unsigned int n, uint64_t val)
{
	bool was_masked = v->sint[n] & HV_SINT_MASKED;

	if (val & ~SINT_VALID_BITS)
		return HVSIM_ST_BAD_VALUE;
	if (!(val & HV_SINT_MASKED) && (val & HV_SINT_VECTOR_MASK) < HV_SINT_VECTOR_MIN)
		return HVSIM_ST_BAD_VALUE;
	v->sint[n] = val;
	if (was_masked && !(val & HV_SINT_MASKED)) {
		synic_flush(v, n);
		synic_kick(v, n);
	}
	return HVSIM_ST_OK;
}

static void scontrol_set(struct vp *v, uint64_t val)
{
	bool was_on = synic_on(v);

	v->scontrol = val;	/* bits 63:1 are preserved */
	if (!was_on && synic_on(v)) {
		v->synic_enables++;
		synic_flush_all(v);
	} else if (was_on && !synic_on(v)) {
		v->synic_disables++;
		synic_drop_all(v);
	}
}

/* SIMP or SIEFP: validated by the caller; an enabled page is zeroed (as KVM does). */
static void page_reg_set(struct vp *v, uint64_t *reg, uint64_t val, bool is_simp)
{
	*reg = val;
	if (val & HV_PAGE_REG_ENABLE)
		gm_zero(&v->part->mem, val & HV_PAGE_MASK, HV_PAGE_SIZE);
	if (!is_simp)
		return;
	if (val & HV_PAGE_REG_ENABLE)
		synic_flush_all(v);
	else
		synic_drop_all(v);
}

int synic_reg_set(struct vp *v, uint32_t name, uint64_t val)
{
	int rc = HVSIM_ST_OK;

	if (name == HV_REG_EOM) {
		synic_eom(v);
		return HVSIM_ST_OK;
	}
	pthread_mutex_lock(&v->lock);
	if (name >= HV_REG_SINT0 && name < HV_REG_SINT(HV_SINT_COUNT)) {
		rc = sint_set(v, name - HV_REG_SINT0, val);
	} else {
		switch (name) {
		case HV_REG_SCONTROL:
			scontrol_set(v, val);
			break;
		case HV_REG_SIMP:
		case HV_REG_SIEFP:
			rc = page_reg_check(v, val);
			if (rc == HVSIM_ST_OK)
				page_reg_set(v, name == HV_REG_SIMP ? &v->simp : &v->siefp, val,
					     name == HV_REG_SIMP);
			break;
		default:	/* SVERSION is read-only */
			rc = HVSIM_ST_BAD_REG;
		}
	}
	pthread_mutex_unlock(&v->lock);
	return rc;
}

static uint16_t synic_queue_msg(struct partition *p, unsigned int vp, unsigned int sint,
				uint32_t type, uint64_t sender, const void *payload, uint32_t size,
				uint32_t wire_size)
{
	struct synic_queue *q;
	struct synic_msg *m;
	uint16_t status = HV_STATUS_SUCCESS;
	struct vp *v;

	if (vp >= p->nr_vps || sint >= HV_SINT_COUNT || size > HV_MESSAGE_PAYLOAD_MAX ||
	    type == HVMSG_NONE)
		return HV_STATUS_INVALID_PARAMETER;
	v = &p->vp[vp];
	q = &v->queue[sint];
	pthread_mutex_lock(&v->lock);
	if (!simp_on(v) || (v->sint[sint] & HV_SINT_MASKED)) {
		status = HV_STATUS_INVALID_SYNIC_STATE;
		goto out;
	}
	if (!q->msg) {
		q->msg = calloc(SYNIC_QUEUE_LEN, sizeof(*q->msg));
		if (!q->msg) {
			status = HV_STATUS_INSUFFICIENT_MEMORY;
			goto out;
		}
	}
	if (q->count == SYNIC_QUEUE_LEN) {
		status = HV_STATUS_INSUFFICIENT_BUFFERS;
		goto out;
	}
	m = &q->msg[(q->head + q->count) % SYNIC_QUEUE_LEN];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->size = size;
	m->wire_size = wire_size;
	m->sender = sender;
	if (size)
		memcpy(m->payload, payload, size);
	q->count++;
	stat_inc(&p->stats, STAT_MESSAGES_QUEUED);
	synic_flush(v, sint);
out:
	pthread_mutex_unlock(&v->lock);
	return status;
}

uint16_t synic_post(struct partition *p, unsigned int vp, unsigned int sint, uint32_t type,
		    uint64_t sender, const void *payload, uint32_t size)
{
	return synic_queue_msg(p, vp, sint, type, sender, payload, size, size);
}

uint16_t synic_post_bad_size(struct partition *p, unsigned int vp, unsigned int sint,
			     uint32_t type, const void *payload, uint8_t wire_size)
{
	return synic_queue_msg(p, vp, sint, type, 0, payload, HV_MESSAGE_PAYLOAD_MAX, wire_size);
}

uint16_t synic_signal(struct partition *p, unsigned int vp, unsigned int sint,
		      unsigned int flag, bool *newly)
{
	struct hv_event_flags *area;
	uint16_t status = HV_STATUS_SUCCESS;
	uint64_t *word, bit, old;
	struct vp *v;

	if (newly)
		*newly = false;
	if (vp >= p->nr_vps || sint >= HV_SINT_COUNT || flag >= HV_EVENT_FLAGS_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	v = &p->vp[vp];
	pthread_mutex_lock(&v->lock);
	area = siefp_area(v, sint);
	if (!area || (v->sint[sint] & HV_SINT_MASKED)) {
		status = HV_STATUS_INVALID_SYNIC_STATE;
		goto out;
	}
	/* The guest scans with atomic test-and-clear on 64-bit words: match it. */
	word = (uint64_t *)(void *)area->flags + flag / 64;
	bit = htole64(1ULL << (flag % 64));
	old = __atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST);
	if (!(old & bit)) {
		if (newly)
			*newly = true;
		synic_raise(v, sint);
	}
out:
	pthread_mutex_unlock(&v->lock);
	return status;
}

void synic_eom(struct vp *v)
{
	struct partition *p = v->part;
	void (*hook)(struct partition *p, unsigned int vp);

	stat_inc(&p->stats, STAT_EOM);
	pthread_mutex_lock(&v->lock);
	synic_flush_all(v);
	pthread_mutex_unlock(&v->lock);
	/* Outside the VP lock: the hook takes locks that rank above it. */
	hook = __atomic_load_n(&p->eom_hook, __ATOMIC_ACQUIRE);
	if (hook)
		hook(p, v->index);
}

unsigned int synic_queued(struct partition *p, unsigned int vp, unsigned int sint)
{
	unsigned int n;

	if (vp >= p->nr_vps || sint >= HV_SINT_COUNT)
		return 0;
	pthread_mutex_lock(&p->vp[vp].lock);
	n = p->vp[vp].queue[sint].count;
	pthread_mutex_unlock(&p->vp[vp].lock);
	return n;
}
