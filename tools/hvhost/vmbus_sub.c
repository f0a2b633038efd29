// SPDX-License-Identifier: GPL-2.0
/*
 * Subchannels: the echo device's SUBCHANNELS request (include/hyperv/
 * hvecho.h), served from the primary channel's worker, and host-initiated
 * subchannel offers (`vmbus-offer-sub`).  A new subchannel takes the
 * lowest free relid and the index after its primary's highest, repeats
 * the primary's interface type and instance, and is offered at once (the
 * guest has requested offers: its primary is offered).
 *
 * The worker must not block on the server lock (the server joins workers
 * while holding it): hvh_srv_lock_worker() tries, and gives up once the
 * worker is asked to stop.
 */
#include <errno.h>
#include <time.h>

#include "vmbus_srv.h"

#define SUB_LOCK_STEP_NS	20000	/* between two tries of the server lock */

int hvh_srv_lock_worker(struct hvh_chan *ch)
{
	struct timespec step = { .tv_sec = 0, .tv_nsec = SUB_LOCK_STEP_NS };

	for (;;) {
		if (hvh_chan_stopping(ch))
			return -ESHUTDOWN;
		if (!pthread_mutex_trylock(&ch->s->lock))
			break;
		nanosleep(&step, NULL);
	}
	/* Whoever stops us holds the lock until we are joined: cannot be set now. */
	if (hvh_chan_stopping(ch)) {
		pthread_mutex_unlock(&ch->s->lock);
		return -ESHUTDOWN;
	}
	return 0;
}

/* Live (not rescinded) subchannels of @primary.  Must hold the server lock. */
static unsigned int sub_count(struct hvh_srv *s, uint32_t primary)
{
	unsigned int i, n = 0;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		n += s->dev[i].state == HVH_DEV_ACTIVE && s->dev[i].sub_index &&
		     s->dev[i].primary == primary;
	return n;
}

static unsigned int free_slots(struct hvh_srv *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < HVH_SRV_MAX_CHANNELS; i++)
		n += s->dev[i].state == HVH_DEV_FREE;
	return n;
}

/*
 * Make and offer up to @n subchannels of @primary; their relids into
 * @relids (if not NULL).  Returns how many were made.  Must hold the lock.
 */
static unsigned int sub_offer(struct hvh_srv *s, uint32_t primary, unsigned int n,
			      uint32_t *relids)
{
	unsigned int i;
	uint32_t relid;

	for (i = 0; i < n; i++) {
		relid = hvh_add_sub(s, primary);
		if (!relid)
			break;
		if (s->connected && s->requested)
			hvh_offer_send(s, relid);
		if (relids)
			relids[i] = relid;
	}
	if (i)
		hv_dbg("vmbus: relid %u: %u subchannels offered", primary, i);
	return i;
}

int hvh_sub_request(struct hvh_chan *ch, uint64_t want, uint32_t *have, uint32_t *max)
{
	struct hvh_srv *s = ch->s;
	struct hvh_dev *d;
	unsigned int n;
	int rc = 0;

	if (hvh_srv_lock_worker(ch))
		return -ESHUTDOWN;
	d = hvh_dev_offered(s, ch->relid);
	if (!d) {
		rc = -ESHUTDOWN;	/* cannot happen: the worker of a live channel */
	} else if (d->sub_index || !d->max_sub) {
		rc = -EOPNOTSUPP;
	} else {
		n = sub_count(s, ch->relid);
		if (want > d->max_sub)
			want = d->max_sub;
		if (want > n)
			sub_offer(s, ch->relid, (unsigned int)want - n, NULL);
		*have = sub_count(s, ch->relid);
		*max = d->max_sub;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/*
 * `vmbus-offer-sub RELID [N]`: @n more subchannels of primary @primary,
 * their relids into @relids.  Returns 0, -ENOENT (not an offered
 * primary), -ERANGE (the maximum would be exceeded; *@have, *@max say
 * why) or -ENOSPC (not enough free relids).  Must hold the server lock.
 */
int hvh_sub_host_offer(struct hvh_srv *s, uint32_t primary, unsigned int n,
		       uint32_t *relids, unsigned int *have, unsigned int *max)
{
	struct hvh_dev *d = hvh_dev_offered(s, primary);

	if (!d || d->sub_index)
		return -ENOENT;
	*have = sub_count(s, primary);
	*max = d->max_sub;
	if (n > d->max_sub - *have)
		return -ERANGE;
	if (n > free_slots(s))
		return -ENOSPC;
	sub_offer(s, primary, n, relids);
	return 0;
}
