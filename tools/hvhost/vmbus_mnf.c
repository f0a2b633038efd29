// SPDX-License-Identifier: GPL-2.0
/*
 * Monitored notification (MNF; struct vmbus_monitor_page in
 * include/hyperv/vmbus.h; the guest's side: Linux drivers/hv/channel.c,
 * vmbus_setevent()).
 *
 * A slot of a monitored device holds a monitor id from the pool (0..127)
 * until it is freed.  When such a channel is offered on a connection whose
 * INITIATE_CONTACT gave both monitor pages, hvhost fills the id's entries
 * of the guest -> host page (latency in 100 ns units, parameter = the
 * channel's signal connection, flag 0), enables its trigger group and
 * offers it with monitor_id and VMBUS_OFFER_MONITOR_ALLOCATED.  The guest
 * then signals it by setting bit id % 32 of trigger_group[id / 32].pending
 * instead of calling HvCallSignalEvent (which keeps working).
 *
 * The poller thread: while at least one monitored channel is open it
 * sleeps one latency interval, then exchanges every non-zero pending word
 * with 0 (atomically: the guest sets bits concurrently) and treats each
 * set bit as a signal of the channel open under that id (mnf_signals,
 * vmbus_mnf_signals; not signals_in, which counts hypercalls).  A bit of
 * an id no open channel holds is cleared and counted in
 * vmbus_mnf_spurious.  With nothing open it sleeps on a condition.
 *
 * Locking (vmbus_srv.h): the pool is the server's (server lock); the
 * poller's state is guarded by struct hvh_mnf.lock, taken under the
 * server lock by the server and alone by the poller, which takes channel
 * locks under it to wake workers and never takes the server lock.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "vmbus_srv.h"

#define MNF_STACK_SIZE		(128 * 1024)
#define MNF_WARN_MAX		5	/* spurious bits logged per server */

/* ---- the poller ---------------------------------------------------------- */

/* Monitor id @id was signalled.  Must hold m->lock. */
static void mnf_signal(struct hvh_srv *s, unsigned int id)
{
	struct hvh_mnf *m = &s->mnf;
	struct hvh_chan *ch = m->chan[id];

	if (!ch) {
		stat_inc(&s->p->stats, STAT_VMBUS_MNF_SPURIOUS);
		if (m->warned < MNF_WARN_MAX) {
			m->warned++;
			hv_info("vmbus: monitor id %u signalled without an open channel%s", id,
				m->warned == MNF_WARN_MAX ? " (further ones not logged)" : "");
		}
		return;
	}
	hvh_chan_count(ch, CHAN_MNF_SIGNALS, 1);
	stat_inc(&s->p->stats, STAT_VMBUS_MNF_SIGNALS);
	hvh_chan_kick(ch);
}

/* One look at the pending words.  Must hold m->lock, m->page set. */
static void mnf_scan(struct hvh_srv *s)
{
	struct vmbus_monitor_page *pg = s->mnf.page;
	unsigned int g, b;
	uint32_t bits;

	for (g = 0; g < VMBUS_MONITOR_GROUPS; g++) {
		__le32 *pending = &pg->trigger_group[g].pending;

		if (!__atomic_load_n(pending, __ATOMIC_RELAXED))
			continue;
		bits = le32toh(__atomic_exchange_n(pending, 0, __ATOMIC_ACQ_REL));
		while (bits) {
			b = (unsigned int)__builtin_ctz(bits);
			bits &= bits - 1;
			mnf_signal(s, g * VMBUS_MONITOR_PER_GROUP + b);
		}
	}
}

static void *mnf_poller(void *arg)
{
	struct hvh_srv *s = arg;
	struct hvh_mnf *m = &s->mnf;
	struct timespec step = {
		.tv_sec = (time_t)(m->latency_ns / 1000000000ULL),
		.tv_nsec = (long)(m->latency_ns % 1000000000ULL),
	};

	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		if (!m->nr_open || !m->page) {
			pthread_cond_wait(&m->cond, &m->lock);
			continue;
		}
		pthread_mutex_unlock(&m->lock);
		clock_nanosleep(CLOCK_MONOTONIC, 0, &step, NULL);
		pthread_mutex_lock(&m->lock);
		if (!m->stop && m->page && m->nr_open)	/* may have changed meanwhile */
			mnf_scan(s);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int hvh_mnf_init(struct hvh_srv *s, unsigned int latency_us)
{
	struct hvh_mnf *m = &s->mnf;
	uint64_t units = (uint64_t)latency_us * 10;
	pthread_attr_t attr;
	int rc;

	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	m->latency_ns = (uint64_t)latency_us * 1000;
	s->mon_latency = units > 0xffff ? 0xffff : (uint16_t)units;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, MNF_STACK_SIZE);
	rc = pthread_create(&m->thread, &attr, mnf_poller, s);
	pthread_attr_destroy(&attr);
	if (rc)
		return -rc;
	m->started = true;
	return 0;
}

void hvh_mnf_fini(struct hvh_srv *s)
{
	struct hvh_mnf *m = &s->mnf;

	if (m->started) {
		pthread_mutex_lock(&m->lock);
		m->stop = true;
		pthread_cond_broadcast(&m->cond);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
		m->started = false;
	}
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
}

/* ---- server side (must hold the server lock) ------------------------------ */

uint8_t hvh_mnf_id_get(struct hvh_srv *s)
{
	unsigned int id;

	for (id = 0; id < VMBUS_MONITOR_IDS; id++) {
		uint32_t bit = 1U << (id % VMBUS_MONITOR_PER_GROUP);

		if (s->mon_used[id / VMBUS_MONITOR_PER_GROUP] & bit)
			continue;
		s->mon_used[id / VMBUS_MONITOR_PER_GROUP] |= bit;
		return (uint8_t)id;
	}
	if (!s->mon_exhausted_logged)
		hv_info("vmbus: no monitor id left: further channels are offered unmonitored");
	s->mon_exhausted_logged = true;
	return VMBUS_MONITOR_ID_NONE;
}

void hvh_mnf_id_put(struct hvh_srv *s, uint8_t id)
{
	if (id < VMBUS_MONITOR_IDS)
		s->mon_used[id / VMBUS_MONITOR_PER_GROUP] &= ~(1U << (id % VMBUS_MONITOR_PER_GROUP));
}

/* The guest -> host monitor page of this connection, or NULL. */
static struct vmbus_monitor_page *mnf_page(struct hvh_srv *s)
{
	if (!s->monitor_page[0] || !s->monitor_page[1])
		return NULL;
	return gm_ptr(&s->p->mem, s->monitor_page[1], HV_PAGE_SIZE);	/* checked at contact */
}

void hvh_mnf_connect(struct hvh_srv *s)
{
	struct vmbus_monitor_page *pg = mnf_page(s);

	pthread_mutex_lock(&s->mnf.lock);
	s->mnf.page = pg;
	pthread_cond_broadcast(&s->mnf.cond);
	pthread_mutex_unlock(&s->mnf.lock);
}

void hvh_mnf_reset(struct hvh_srv *s)
{
	struct hvh_mnf *m = &s->mnf;

	pthread_mutex_lock(&m->lock);
	m->page = NULL;
	memset(m->chan, 0, sizeof(m->chan));
	m->nr_open = 0;
	pthread_mutex_unlock(&m->lock);
}

void hvh_mnf_offer(struct hvh_srv *s, struct hvh_dev *d, uint32_t relid,
		   struct vmbus_chanmsg_offer *o)
{
	struct vmbus_monitor_page *pg = mnf_page(s);
	unsigned int g = d->monitor_id / VMBUS_MONITOR_PER_GROUP;
	unsigned int b = d->monitor_id % VMBUS_MONITOR_PER_GROUP;
	struct vmbus_monitor_param *par;

	d->monitored = false;
	if (d->monitor_id >= VMBUS_MONITOR_IDS || !pg)
		return;
	/* The guest only reads these; it may be reading other entries right now. */
	par = &pg->parameter[g][b];
	__atomic_store_n(&pg->latency[g][b], htole16(s->mon_latency), __ATOMIC_RELAXED);
	__atomic_store_n(&par->connection_id, htole32(HVH_SRV_CHANNEL_CONN(relid)),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&par->flag_number, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&par->reserved, 0, __ATOMIC_RELAXED);
	__atomic_fetch_or(&pg->trigger_state, htole32(1U << g), __ATOMIC_SEQ_CST);
	o->monitor_id = d->monitor_id;
	o->monitor_flags = VMBUS_OFFER_MONITOR_ALLOCATED;
	d->monitored = true;
}

void hvh_mnf_attach(struct hvh_srv *s, uint8_t id, struct hvh_chan *ch)
{
	struct hvh_mnf *m = &s->mnf;

	if (id >= VMBUS_MONITOR_IDS)
		return;
	pthread_mutex_lock(&m->lock);
	if (!m->chan[id])
		m->nr_open++;
	m->chan[id] = ch;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

void hvh_mnf_detach(struct hvh_srv *s, uint8_t id)
{
	struct hvh_mnf *m = &s->mnf;

	if (id >= VMBUS_MONITOR_IDS)
		return;
	pthread_mutex_lock(&m->lock);
	if (m->chan[id]) {
		m->chan[id] = NULL;
		m->nr_open--;
	}
	pthread_mutex_unlock(&m->lock);
}
