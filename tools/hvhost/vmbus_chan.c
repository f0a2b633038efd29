// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus channels: OPENCHANNEL, CLOSECHANNEL, MODIFYCHANNEL, the guest's
 * channel signals, and the worker thread that drains the inbound ring
 * into the device's VSP (see vmbus_chan.h; locking in vmbus_srv.h).
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synic.h"
#include "vmbus_srv.h"

#define CHAN_STACK_SIZE	(256 * 1024)
#define CHAN_WARN_MAX	5	/* warnings logged per channel */

const char *const hvh_chan_stat_names[CHAN_STAT_NR] = {
	[CHAN_SIGNALS_IN]	= "signals_in",
	[CHAN_INTERRUPTS_OUT]	= "interrupts_out",
	[CHAN_PKTS_IN]		= "pkts_in",
	[CHAN_PKTS_OUT]		= "pkts_out",
	[CHAN_BYTES_IN]		= "bytes_in",
	[CHAN_GPA_BYTES]	= "gpa_bytes",
	[CHAN_MALFORMED]	= "malformed",
	[CHAN_RING_FULL_WAITS]	= "ring_full_waits",
	[CHAN_OPENS]		= "opens",
	[CHAN_CLOSES]		= "closes",
	[CHAN_MODIFIES]		= "modifies",
	[CHAN_RING_ERRORS]	= "ring_errors",
	[CHAN_MNF_SIGNALS]	= "mnf_signals",
};

void hvh_chan_init(struct hvh_chan *ch, struct hvh_srv *s, uint32_t relid)
{
	memset(ch, 0, sizeof(*ch));
	ch->s = s;
	ch->p = s->p;
	ch->relid = relid;
	ch->target_vp = VMBUS_TARGET_VP_NONE;
	ch->mnf_id = VMBUS_MONITOR_ID_NONE;
	pthread_mutex_init(&ch->send_lock, NULL);
	pthread_mutex_init(&ch->lock, NULL);
	pthread_cond_init(&ch->cond, NULL);
}

void hvh_chan_fini(struct hvh_chan *ch)
{
	pthread_cond_destroy(&ch->cond);
	pthread_mutex_destroy(&ch->lock);
	pthread_mutex_destroy(&ch->send_lock);
}

void hvh_chan_new_device(struct hvh_chan *ch, const struct hvh_vsp *vsp, void *ctx)
{
	unsigned int i;

	ch->vsp = vsp;
	ch->vsp_ctx = ctx;
	__atomic_store_n(&ch->vsp_count, 0, __ATOMIC_RELAXED);
	for (i = 0; i < CHAN_STAT_NR; i++)
		__atomic_store_n(&ch->st[i], 0, __ATOMIC_RELAXED);
}

void hvh_chan_warn(struct hvh_chan *ch, const char *fmt, ...)
{
	unsigned int n = __atomic_fetch_add(&ch->warned, 1, __ATOMIC_RELAXED);
	char text[160];
	va_list ap;

	if (n >= CHAN_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	hv_info("vmbus: relid %u: %s%s", ch->relid, text,
		n + 1 == CHAN_WARN_MAX ? " (further warnings suppressed)" : "");
}

/* ---- the worker ------------------------------------------------------- */

bool hvh_chan_stopping(struct hvh_chan *ch)
{
	return __atomic_load_n(&ch->stop, __ATOMIC_ACQUIRE);
}

/* Signal the guest: event flag relid on SINT 2 of the target VP. */
void hvh_chan_interrupt(struct hvh_chan *ch)
{
	bool newly = false;

	pthread_mutex_lock(&ch->lock);
	if (ch->target_vp != VMBUS_TARGET_VP_NONE)
		synic_signal(ch->p, ch->target_vp, VMBUS_MESSAGE_SINT, ch->relid, &newly);
	pthread_mutex_unlock(&ch->lock);
	if (newly)
		hvh_chan_count(ch, CHAN_INTERRUPTS_OUT, 1);
}

/* Sleep until the guest signals or a stop is requested.  0, or -ESHUTDOWN. */
static int chan_wait(struct hvh_chan *ch)
{
	bool stop;

	pthread_mutex_lock(&ch->lock);
	while (!ch->stop && !ch->kick)
		pthread_cond_wait(&ch->cond, &ch->lock);
	stop = ch->stop;
	ch->kick = false;
	pthread_mutex_unlock(&ch->lock);
	return stop ? -ESHUTDOWN : 0;
}

static uint64_t chan_sig_seq(struct hvh_chan *ch)
{
	uint64_t seq;

	pthread_mutex_lock(&ch->lock);
	seq = ch->sig_seq;
	pthread_mutex_unlock(&ch->lock);
	return seq;
}

/*
 * A sender waits for the guest's next signal after @seq (it read from
 * the outbound ring) or a stop, without taking the worker's kick.  0, or
 * -ESHUTDOWN.
 */
static int chan_wait_signal(struct hvh_chan *ch, uint64_t seq)
{
	bool stop;

	pthread_mutex_lock(&ch->lock);
	while (!ch->stop && ch->sig_seq == seq)
		pthread_cond_wait(&ch->cond, &ch->lock);
	stop = ch->stop;
	pthread_mutex_unlock(&ch->lock);
	return stop ? -ESHUTDOWN : 0;
}

static void chan_ring_error(struct hvh_chan *ch, const char *what)
{
	__atomic_store_n(&ch->broken, true, __ATOMIC_RELAXED);	/* worker or VSP thread */
	hvh_chan_count(ch, CHAN_RING_ERRORS, 1);
	stat_inc(&ch->p->stats, STAT_VMBUS_RING_ERRORS);
	hvh_chan_warn(ch, "%s: channel stopped", what);
}

int hvh_chan_send(struct hvh_chan *ch, uint16_t type, uint16_t flags, uint64_t trans_id,
		  const struct hvh_ring_seg *seg, unsigned int nseg)
{
	bool signal, waited = false;
	uint32_t payload = 0;
	unsigned int i;
	uint64_t seq;
	int rc;

	for (i = 0; i < nseg; i++)
		payload += seg[i].len;
	pthread_mutex_lock(&ch->send_lock);
	for (;;) {
		if (__atomic_load_n(&ch->broken, __ATOMIC_RELAXED)) {
			rc = -EIO;
			break;
		}
		rc = hvh_ring_write(&ch->out, type, flags, trans_id, seg, nseg, &signal);
		if (!rc) {
			hvh_chan_count(ch, CHAN_PKTS_OUT, 1);
			if (signal)
				hvh_chan_interrupt(ch);
			break;
		}
		if (rc == -EIO)
			chan_ring_error(ch, "outbound ring: bad read index");
		if (rc != -EAGAIN)
			break;
		if (!waited)
			hvh_chan_count(ch, CHAN_RING_FULL_WAITS, 1);
		waited = true;
		seq = chan_sig_seq(ch);		/* before the last look: no signal lost */
		if (hvh_ring_want_space(&ch->out, hvh_ring_pkt_space(payload)))
			continue;
		rc = chan_wait_signal(ch, seq);
		hvh_ring_space_done(&ch->out);
		if (rc)
			break;
	}
	pthread_mutex_unlock(&ch->send_lock);
	return rc;
}

/*
 * Read a batch (see vmbus_chan.h), free its space, then serve it.  Returns
 * the packets served, or -1 when the worker must end (stop requested or a
 * ring broken; packets read before a corrupt one are dropped with it).
 */
static int chan_batch(struct hvh_chan *ch)
{
	struct hvh_ring_pkt pkt[HVH_CHAN_BATCH_MAX];
	uint32_t off[HVH_CHAN_BATCH_MAX], used = 0;
	int n = 0, i, rc = 0;

	while (n < HVH_CHAN_BATCH_MAX && ch->buf_size - used >= ch->pkt_max) {
		rc = hvh_ring_read(&ch->in, ch->buf + used, ch->pkt_max, &pkt[n]);
		if (rc <= 0)
			break;
		hvh_chan_count(ch, CHAN_PKTS_IN, 1);
		hvh_chan_count(ch, CHAN_BYTES_IN, pkt[n].len);
		off[n] = used;
		used += pkt[n].len;	/* a multiple of 8 */
		n++;
	}
	if (rc < 0) {
		chan_ring_error(ch, "inbound ring: bad write index or descriptor");
		return -1;
	}
	/* Free the space before serving: a reply may have to wait. */
	if (n && hvh_ring_publish_read(&ch->in))
		hvh_chan_interrupt(ch);
	for (i = 0; i < n; i++) {
		ch->vsp->packet(ch, &pkt[i], ch->buf + off[i]);
		if (__atomic_load_n(&ch->broken, __ATOMIC_RELAXED) || hvh_chan_stopping(ch))
			return -1;
	}
	return n;
}

static uint64_t chan_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * The inbound ring is empty and masked: look at it again for up to
 * HVH_CHAN_POLL_NS, sleeping HVH_CHAN_POLL_STEP_NS between looks (a
 * spin would take the CPU from the guest's vCPUs on a small host).
 * Bounded: a few looks, never an endless spin.  True if the guest wrote
 * something meanwhile.
 */
static bool chan_poll(struct hvh_chan *ch)
{
	struct timespec step = { .tv_sec = 0, .tv_nsec = HVH_CHAN_POLL_STEP_NS };
	uint64_t end = chan_now_ns() + HVH_CHAN_POLL_NS;

	do {
		if (hvh_ring_readable(&ch->in))
			return true;
		if (hvh_chan_stopping(ch))
			return false;
		nanosleep(&step, NULL);
	} while (chan_now_ns() < end);
	return hvh_ring_readable(&ch->in);
}

/*
 * Serve batches with the inbound interrupt mask set while packets keep
 * coming (polling in between); unmask, look again.  Returns 0 when the
 * ring is empty, -1 when the worker must end.
 */
static int chan_drain(struct hvh_chan *ch)
{
	int n;

	hvh_ring_mask(&ch->in);
	for (;;) {
		n = chan_batch(ch);
		if (n < 0)
			return -1;
		if (n || chan_poll(ch))
			continue;
		if (hvh_chan_stopping(ch))
			return -1;
		if (!hvh_ring_unmask(&ch->in))
			return 0;
		hvh_ring_mask(&ch->in);
	}
}

static void *chan_worker(void *arg)
{
	struct hvh_chan *ch = arg;

	while (!chan_wait(ch))
		if (chan_drain(ch))
			break;
	return NULL;
}

/* ---- open / close ------------------------------------------------------ */

static void chan_unmap(struct hvh_chan *ch)
{
	free(ch->pages);
	free(ch->buf);
	ch->pages = NULL;
	ch->buf = NULL;
	memset(&ch->in, 0, sizeof(ch->in));
	memset(&ch->out, 0, sizeof(ch->out));
}

/* Host pointers for the ring pages of @g; @down pages belong to the inbound ring. */
static const char *chan_map(struct hvh_chan *ch, const struct hvh_gpadl *g, uint32_t down)
{
	uint32_t i, n = g->nr_pfns;

	ch->pages = calloc(n, sizeof(*ch->pages));
	if (!ch->pages)
		return "out of memory";
	for (i = 0; i < n; i++) {
		ch->pages[i] = gm_ptr(&ch->p->mem, g->pfn[i] << HV_PAGE_SHIFT, HV_PAGE_SIZE);
		if (!ch->pages[i])
			return "ring page outside guest RAM";
	}
	if (hvh_ring_init(&ch->in, (void *)ch->pages[0], ch->pages + 1, down - 1, true) ||
	    hvh_ring_init(&ch->out, (void *)ch->pages[down], ch->pages + down + 1, n - down - 1,
			  false))
		return "ring holds a bad index";
	ch->pkt_max = ch->in.size < VMBUS_PKT_MAX_LEN ? ch->in.size : VMBUS_PKT_MAX_LEN;
	ch->buf_size = ch->pkt_max + HVH_CHAN_BATCH_BYTES;
	ch->buf = malloc(ch->buf_size);
	if (!ch->buf)
		return "out of memory";
	return NULL;
}

static int chan_start(struct hvh_chan *ch, uint32_t target_vp)
{
	pthread_attr_t attr;
	int rc;

	ch->broken = false;
	__atomic_store_n(&ch->warned, 0, __ATOMIC_RELAXED);
	pthread_mutex_lock(&ch->lock);
	ch->stop = false;
	ch->kick = true;	/* look at the ring once: packets may be there already */
	ch->target_vp = target_vp;
	pthread_mutex_unlock(&ch->lock);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, CHAN_STACK_SIZE);
	rc = pthread_create(&ch->thread, &attr, chan_worker, ch);
	pthread_attr_destroy(&attr);
	if (rc)
		return -rc;
	ch->running = true;
	return 0;
}

/* Why OPENCHANNEL @m cannot be accepted, or NULL (then the channel is open). */
static const char *chan_open(struct hvh_srv *s, const struct vmbus_chanmsg_open *m)
{
	uint32_t relid = le32toh(m->child_relid), vp = le32toh(m->target_vp);
	uint32_t down = le32toh(m->downstream_page_offset);
	struct hvh_dev *d = hvh_dev_offered(s, relid);
	struct hvh_chan *ch;
	struct hvh_gpadl *g;
	const char *why;

	if (!d)
		return "OPENCHANNEL for a relid not offered";
	ch = &d->chan;
	if (ch->open)
		return "OPENCHANNEL of an open channel";
	g = hvh_gpadl_find(s, le32toh(m->ring_gpadl));
	if (!g || g->relid != relid)
		return "OPENCHANNEL without a created ring GPADL of that relid";
	if (g->byte_offset || (uint64_t)g->nr_pfns * HV_PAGE_SIZE != g->byte_count)
		return "ring GPADL is not whole pages from offset 0";
	if (g->nr_pfns < 2 * VMBUS_RING_MIN_PAGES || down < VMBUS_RING_MIN_PAGES ||
	    down > g->nr_pfns - VMBUS_RING_MIN_PAGES)
		return "bad downstream_page_offset";
	if (vp != VMBUS_TARGET_VP_NONE && vp >= s->p->nr_vps)
		return "OPENCHANNEL target VP out of range";
	why = chan_map(ch, g, down);
	if (!why) {
		/* Before the worker can wait: the guest must know to signal it. */
		hvh_ring_set_writer_features(&ch->out);
		if (ch->vsp->open)
			ch->vsp->open(ch);
		if (chan_start(ch, vp))
			why = "cannot start the channel worker";
	}
	if (why) {
		chan_unmap(ch);
		return why;
	}
	ch->open = true;
	ch->ring_gpadl = g->handle;
	g->pinned = true;
	if (d->monitored) {
		ch->mnf_id = d->monitor_id;
		hvh_mnf_attach(s, ch->mnf_id, ch);
	}
	hvh_chan_count(ch, CHAN_OPENS, 1);
	stat_inc(&s->p->stats, STAT_VMBUS_OPENS);
	hv_dbg("vmbus: relid %u open: rings %u + %u pages, target vp %d", relid, down,
	       g->nr_pfns - down, (int)vp);
	return NULL;
}

void hvh_chan_open_msg(struct hvh_srv *s, const uint8_t *msg)
{
	const struct vmbus_chanmsg_open *m = (const void *)msg;
	struct vmbus_chanmsg_open_result r;
	const char *why = chan_open(s, m);

	if (why) {
		hvh_proto_error(s, why, le32toh(m->child_relid));
		stat_inc(&s->p->stats, STAT_VMBUS_OPEN_FAILED);
	}
	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_OPENCHANNEL_RESULT);
	r.child_relid = m->child_relid;
	r.open_id = m->open_id;
	r.status = htole32(why ? HVH_SRV_STATUS_FAIL : 0);
	hvh_msg_send(s, &r, sizeof(r));
}

void hvh_chan_stop(struct hvh_chan *ch)
{
	if (!ch->running)
		return;
	pthread_mutex_lock(&ch->lock);
	__atomic_store_n(&ch->stop, true, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&ch->cond);
	pthread_mutex_unlock(&ch->lock);
	pthread_join(ch->thread, NULL);	/* the worker never takes the server lock */
	ch->running = false;
	if (ch->vsp && ch->vsp->stop)
		ch->vsp->stop(ch);	/* its threads let go of the channel */
}

void hvh_chan_close(struct hvh_chan *ch)
{
	struct hvh_gpadl *g;

	if (!ch->open)
		return;
	if (ch->mnf_id != VMBUS_MONITOR_ID_NONE) {
		hvh_mnf_detach(ch->s, ch->mnf_id);
		ch->mnf_id = VMBUS_MONITOR_ID_NONE;
	}
	hvh_chan_stop(ch);
	g = hvh_gpadl_find(ch->s, ch->ring_gpadl);
	if (g)
		g->pinned = false;
	chan_unmap(ch);
	pthread_mutex_lock(&ch->lock);
	ch->target_vp = VMBUS_TARGET_VP_NONE;
	pthread_mutex_unlock(&ch->lock);
	ch->open = false;
	ch->ring_gpadl = 0;
	hvh_chan_count(ch, CHAN_CLOSES, 1);
	stat_inc(&ch->p->stats, STAT_VMBUS_CLOSES);
}

void hvh_chan_pause(struct hvh_chan *ch)
{
	hvh_chan_stop(ch);
}

int hvh_chan_resume(struct hvh_chan *ch)
{
	uint32_t vp;

	if (!ch->open || ch->running)
		return -EINVAL;
	pthread_mutex_lock(&ch->lock);
	vp = ch->target_vp;
	pthread_mutex_unlock(&ch->lock);
	return chan_start(ch, vp);
}

void hvh_chan_close_msg(struct hvh_srv *s, const uint8_t *msg)
{
	const struct vmbus_chanmsg_relid *m = (const void *)msg;
	uint32_t relid = le32toh(m->child_relid);
	struct hvh_dev *d = hvh_dev_get(s, relid);

	if (!d || !d->chan.open) {
		hvh_proto_error(s, "CLOSECHANNEL of a channel not open", relid);
		return;
	}
	hvh_chan_close(&d->chan);
	hv_dbg("vmbus: relid %u closed", relid);
}

/* Why MODIFYCHANNEL @m cannot be applied, or NULL (then it is). */
static const char *chan_modify(struct hvh_srv *s, const struct vmbus_chanmsg_modifychannel *m)
{
	struct hvh_dev *d = hvh_dev_get(s, le32toh(m->child_relid));
	uint32_t vp = le32toh(m->target_vp);

	if (!d || d->state != HVH_DEV_ACTIVE || !d->chan.open)
		return "MODIFYCHANNEL of a channel not open";
	if (vp >= s->p->nr_vps)
		return "MODIFYCHANNEL to a VP that does not exist";
	pthread_mutex_lock(&d->chan.lock);
	d->chan.target_vp = vp;
	pthread_mutex_unlock(&d->chan.lock);
	hvh_chan_count(&d->chan, CHAN_MODIFIES, 1);
	stat_inc(&s->p->stats, STAT_VMBUS_MODIFIES);
	return NULL;
}

void hvh_chan_modify_msg(struct hvh_srv *s, const uint8_t *msg)
{
	const struct vmbus_chanmsg_modifychannel *m = (const void *)msg;
	struct vmbus_chanmsg_modifychannel_response r;
	const char *why;

	if (s->version < VMBUS_VERSION_WIN10_RS3) {
		hvh_proto_error(s, "MODIFYCHANNEL before version 4.1", s->version);
		return;
	}
	why = chan_modify(s, m);
	if (why)
		hvh_proto_error(s, why, le32toh(m->child_relid));
	if (s->version < VMBUS_VERSION_IRON)
		return;		/* 4.1 .. 5.2: no answer */
	memset(&r, 0, sizeof(r));
	r.hdr.msgtype = htole32(VMBUS_CHANMSG_MODIFYCHANNEL_RESPONSE);
	r.child_relid = m->child_relid;
	r.status = htole32(why ? HVH_SRV_STATUS_FAIL : 0);
	hvh_msg_send(s, &r, sizeof(r));
}

void hvh_chan_kick(struct hvh_chan *ch)
{
	pthread_mutex_lock(&ch->lock);
	ch->kick = true;
	ch->sig_seq++;
	pthread_cond_broadcast(&ch->cond);	/* the worker and waiting senders */
	pthread_mutex_unlock(&ch->lock);
}

uint16_t hvh_chan_signal(struct partition *p, void *ctx, unsigned int vp, uint32_t id,
			 unsigned int flag)
{
	struct hvh_srv *s = ctx;
	uint32_t relid = id - HVH_SRV_CHANNEL_CONN(0);
	struct hvh_chan *ch;

	(void)p;
	(void)vp;
	if (flag >= HV_EVENT_FLAGS_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	if (relid < 1 || relid > HVH_SRV_MAX_CHANNELS)
		return HV_STATUS_INVALID_CONNECTION_ID;	/* not registered: cannot happen */
	ch = &s->dev[relid - 1].chan;
	hvh_chan_count(ch, CHAN_SIGNALS_IN, 1);
	hvh_chan_kick(ch);
	return HV_STATUS_SUCCESS;
}
