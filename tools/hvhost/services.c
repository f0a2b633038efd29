// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table and hvhost's test services (hvsim.h):
 *   echo  - a message posted to HVSIM_ECHO_CONNECTION_ID comes back with
 *           the same type and payload on SINT HVSIM_ECHO_SINT of the sender;
 *   event - signalling HVSIM_EVENT_CONNECTION_ID with flag f sets flag f in
 *           SINT HVSIM_ECHO_SINT's area of the sender's event flags page.
 */
#include <errno.h>
#include <stdbool.h>

#include "hyperv/hvsim.h"
#include "services.h"
#include "synic.h"

static uint32_t conn_nr_ids(const struct conn_handler *h)
{
	return h->nr_ids ? h->nr_ids : 1;
}

/* Must hold the table lock. */
static struct conn_handler *conn_find(struct conn_table *t, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (id - t->h[i].id < conn_nr_ids(&t->h[i]))
			return &t->h[i];
	return NULL;
}

/* Must hold the table lock.  True if any id of @h is registered already. */
static bool conn_overlaps(struct conn_table *t, const struct conn_handler *h)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (h->id - t->h[i].id < conn_nr_ids(&t->h[i]) ||
		    t->h[i].id - h->id < conn_nr_ids(h))
			return true;
	return false;
}

int conn_register(struct partition *p, const struct conn_handler *h)
{
	struct conn_table *t = &p->conns;
	int rc = 0;

	if ((!h->post && !h->signal) || h->id + (uint64_t)conn_nr_ids(h) > 1ULL << 32)
		return -EINVAL;
	pthread_rwlock_wrlock(&t->lock);
	if (conn_overlaps(t, h))
		rc = -EEXIST;
	else if (t->nr == CONN_MAX)
		rc = -ENOSPC;
	else
		t->h[t->nr++] = *h;
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

int conn_unregister(struct partition *p, uint32_t id)
{
	struct conn_table *t = &p->conns;
	struct conn_handler *h;
	int rc = 0;

	pthread_rwlock_wrlock(&t->lock);
	h = conn_find(t, id);
	if (h)
		*h = t->h[--t->nr];
	else
		rc = -ENOENT;
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

uint16_t conn_post(struct partition *p, unsigned int vp, uint32_t id, uint32_t type,
		   const uint8_t *payload, uint32_t size)
{
	struct conn_table *t = &p->conns;
	struct conn_handler *h;
	uint16_t status;

	pthread_rwlock_rdlock(&t->lock);
	h = conn_find(t, id);
	if (!h)
		status = HV_STATUS_INVALID_CONNECTION_ID;
	else if (!h->post)
		status = HV_STATUS_INVALID_PORT_ID;
	else
		status = h->post(p, h->ctx, vp, type, payload, size);
	pthread_rwlock_unlock(&t->lock);
	return status;
}

uint16_t conn_signal(struct partition *p, unsigned int vp, uint32_t id, unsigned int flag)
{
	struct conn_table *t = &p->conns;
	struct conn_handler *h;
	uint16_t status;

	pthread_rwlock_rdlock(&t->lock);
	h = conn_find(t, id);
	if (!h)
		status = HV_STATUS_INVALID_CONNECTION_ID;
	else if (!h->signal)
		status = HV_STATUS_INVALID_PORT_ID;
	else
		status = h->signal(p, h->ctx, vp, id, flag);
	pthread_rwlock_unlock(&t->lock);
	return status;
}

static uint16_t echo_post(struct partition *p, void *ctx, unsigned int vp, uint32_t type,
			  const uint8_t *payload, uint32_t size)
{
	uint16_t status;

	(void)ctx;
	status = synic_post(p, vp, HVSIM_ECHO_SINT, type, HVSIM_ECHO_CONNECTION_ID, payload,
			    size);
	if (status == HV_STATUS_SUCCESS)
		stat_inc(&p->stats, STAT_ECHO_REPLIES);
	return status;
}

static uint16_t event_signal(struct partition *p, void *ctx, unsigned int vp, uint32_t id,
			     unsigned int flag)
{
	uint16_t status;

	(void)ctx;
	(void)id;
	if (flag >= HV_EVENT_FLAGS_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	status = synic_signal(p, vp, HVSIM_ECHO_SINT, flag, NULL);
	if (status == HV_STATUS_SUCCESS)
		stat_inc(&p->stats, STAT_EVENTS_SIGNALED);
	return status;
}

int services_register_test(struct partition *p)
{
	static const struct conn_handler echo = {
		.id = HVSIM_ECHO_CONNECTION_ID,
		.post = echo_post,
	};
	static const struct conn_handler event = {
		.id = HVSIM_EVENT_CONNECTION_ID,
		.signal = event_signal,
	};
	int rc;

	rc = conn_register(p, &echo);
	if (!rc)
		rc = conn_register(p, &event);
	return rc;
}
