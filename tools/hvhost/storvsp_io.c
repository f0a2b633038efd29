// SPDX-License-Identifier: GPL-2.0
/*
 * storvsp: a controller's life and its I/O (see storvsp.h for the
 * threading and locking rules).  The pool threads take jobs in FIFO
 * order; an SRB job turns its GPA range into iovecs over guest memory
 * (each page checked again: nothing is trusted from the queue either),
 * runs the SCSI command (scsi_exec: preadv / pwritev / fdatasync), waits
 * out an injected delay, and sends the completion unless the job was
 * cancelled or a drop fault swallows it.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partition.h"
#include "storvsp.h"

#define POOL_STACK_SIZE	(256 * 1024)

struct storvsp_job *storvsp_job_new(uint32_t nr_pfns)
{
	struct storvsp_job *job;

	job = calloc(1, sizeof(*job) + nr_pfns * (sizeof(uint64_t) + sizeof(struct iovec)));
	if (job)
		job->iov = (struct iovec *)(job->pfn + nr_pfns);
	return job;
}

int storvsp_complete(struct hvh_chan *ch, uint64_t tid, const struct vstor_packet *resp)
{
	struct hvh_ring_seg seg = { resp, sizeof(*resp) };

	return hvh_chan_send(ch, VMBUS_PKT_COMP, 0, tid, &seg, 1);
}

/* The iovecs of @job's range over guest memory (adjacent pages merged).  Count, or -1. */
static int job_iov(struct storvsp *sp, struct storvsp_job *job, uint32_t len)
{
	uint32_t off = job->byte_offset, k, chunk;
	unsigned int n = 0;
	uint8_t *hp;

	for (k = 0; k < job->nr_pfns && len; k++) {
		chunk = HV_PAGE_SIZE - off < len ? HV_PAGE_SIZE - off : len;
		hp = gm_ptr(&sp->p->mem, (job->pfn[k] << HV_PAGE_SHIFT) + off, chunk);
		if (!hp)
			return -1;
		if (n && (uint8_t *)job->iov[n - 1].iov_base + job->iov[n - 1].iov_len == hp)
			job->iov[n - 1].iov_len += chunk;
		else
			job->iov[n++] = (struct iovec){ .iov_base = hp, .iov_len = chunk };
		len -= chunk;
		off = 0;
	}
	return len ? -1 : (int)n;
}

/* Run the SCSI command of @job; its completion into @resp. */
static void job_exec(struct storvsp *sp, struct storvsp_job *job, struct vstor_packet *resp)
{
	const struct vmscsi_request *srb = &job->pkt.srb;
	struct scsi_cmd c = { .cdb_len = srb->cdb_length, .lun = srb->lun };
	uint32_t len = le32toh(srb->data_transfer_length);
	int n = 0;

	memcpy(c.cdb, srb->cdb, sizeof(c.cdb));
	c.addr_ok = !srb->path_id && !srb->target_id;
	if (len) {
		n = job_iov(sp, job, len);
		c.dir = srb->data_in == VSTOR_DATA_READ ? SCSI_DIR_READ : SCSI_DIR_WRITE;
	}
	if (n < 0) {		/* checked when queued: cannot happen */
		c.res = SCSI_RES_CHECK;
		scsi_sense(&c, SCSI_KEY_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_CDB, 0);
	} else {
		c.iov = job->iov;
		c.niov = (unsigned int)n;
		c.len = len;
		scsi_exec(&sp->tgt, &c);
		if (c.xfer)
			hvh_chan_count(job->ch, CHAN_GPA_BYTES, c.xfer);
	}
	if (c.res == SCSI_RES_NO_LUN)
		scsi_count(&sp->tgt, SCSI_ST_ERRORS, 1);
	storvsp_srb_result(&job->pkt, &c, resp);
}

/* @ts = @from + @ms. */
static void deadline_after(struct timespec *ts, const struct timespec *from, unsigned int ms)
{
	*ts = *from;
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/*
 * The delay fault, then the drop fault: true if the completion of @job
 * must be sent.  Cut short by a cancel, a stop of the channel or quit; a
 * delay changed meanwhile counts from the same start (0 ends it).
 */
static bool job_may_answer(struct storvsp *sp, struct storvsp_job *job)
{
	struct timespec start, until;
	bool send = false;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &start);
	pthread_mutex_lock(&sp->lock);
	while (sp->delay_ms && !job->notify && !job->cancelled && !sp->quit &&
	       !hvh_chan_stopping(job->ch) && rc != ETIMEDOUT) {
		deadline_after(&until, &start, sp->delay_ms);
		rc = pthread_cond_timedwait(&sp->work, &sp->lock, &until);
	}
	if (job->cancelled || hvh_chan_stopping(job->ch)) {
		if (!job->notify)
			__atomic_fetch_add(&sp->dropped, 1, __ATOMIC_RELAXED);
	} else if (sp->drop && !job->notify) {
		sp->drop--;
		__atomic_fetch_add(&sp->dropped, 1, __ATOMIC_RELAXED);
	} else {
		send = true;
	}
	pthread_mutex_unlock(&sp->lock);
	return send;
}

/*
 * The corrupt fault: mangle @resp (and its length *@len) if completions
 * are still to be mangled.
 */
static void job_corrupt(struct storvsp *sp, struct vstor_packet *resp, uint32_t *len)
{
	enum storvsp_corrupt kind;

	pthread_mutex_lock(&sp->lock);
	if (!sp->corrupt) {
		pthread_mutex_unlock(&sp->lock);
		return;
	}
	sp->corrupt--;
	kind = sp->corrupt_kind;
	pthread_mutex_unlock(&sp->lock);
	__atomic_fetch_add(&sp->corrupted, 1, __ATOMIC_RELAXED);
	switch (kind) {
	case STORVSP_CORRUPT_SHORT:
		*len = 8;
		break;
	case STORVSP_CORRUPT_OP:
		resp->operation = htole32(VSTOR_OP_EXECUTE_SRB);
		break;
	case STORVSP_CORRUPT_XFER:
		resp->srb.data_transfer_length = htole32(UINT32_MAX);
		break;
	case STORVSP_CORRUPT_SENSE:
		resp->srb.scsi_status = VSTOR_SCSI_CHECK_CONDITION;
		resp->srb.srb_status = SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID;
		resp->srb.sense_info_length = UINT8_MAX;
		resp->srb.data_transfer_length = 0;
		memset(resp->srb.sense_data, 0xa5, sizeof(resp->srb.sense_data));
		break;
	}
}

static void job_run(struct storvsp *sp, struct storvsp_job *job)
{
	struct vstor_packet resp;
	struct hvh_ring_seg seg = { &resp, sizeof(resp) };
	uint32_t len = sizeof(resp);

	if (job->notify) {
		memset(&resp, 0, sizeof(resp));
		resp.operation = htole32(job->notify);
		if (job_may_answer(sp, job))
			hvh_chan_send(job->ch, VMBUS_PKT_DATA_INBAND, 0, 0, &seg, 1);
		return;
	}
	job_exec(sp, job, &resp);
	if (!job_may_answer(sp, job))
		return;
	job_corrupt(sp, &resp, &len);
	seg.len = len;
	hvh_chan_send(job->ch, VMBUS_PKT_COMP, 0, job->tid, &seg, 1);
}

struct pool_arg {
	struct storvsp *sp;
	unsigned int slot;
};

static void *pool_thread(void *arg)
{
	struct storvsp *sp = ((struct pool_arg *)arg)->sp;
	unsigned int me = ((struct pool_arg *)arg)->slot;
	struct storvsp_job *job;

	free(arg);
	pthread_mutex_lock(&sp->lock);
	for (;;) {
		while (!sp->quit && !sp->head)
			pthread_cond_wait(&sp->work, &sp->lock);
		if (sp->quit)
			break;
		job = sp->head;
		sp->head = job->next;
		if (!sp->head)
			sp->tail = NULL;
		if (!job->notify) {
			sp->queued--;
			pthread_cond_signal(&sp->room);
		}
		sp->run[me] = job;
		pthread_mutex_unlock(&sp->lock);
		job_run(sp, job);
		pthread_mutex_lock(&sp->lock);
		sp->run[me] = NULL;
		pthread_cond_broadcast(&sp->idle);
		free(job);
	}
	pthread_mutex_unlock(&sp->lock);
	return NULL;
}

void storvsp_submit(struct storvsp *sp, struct storvsp_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&sp->lock);
	if (sp->tail)
		sp->tail->next = job;
	else
		sp->head = job;
	sp->tail = job;
	if (!job->notify)
		sp->queued++;
	/*
	 * Broadcast: delayed jobs wait on the same condition (job_may_answer),
	 * and a signal that woke one of them would leave idle threads asleep.
	 */
	pthread_cond_broadcast(&sp->work);
	pthread_mutex_unlock(&sp->lock);
}

void storvsp_wait_room(struct storvsp *sp, struct hvh_chan *ch)
{
	struct timespec now, until;

	pthread_mutex_lock(&sp->lock);
	while (sp->queue_max && sp->queued >= sp->queue_max && !sp->quit &&
	       !hvh_chan_stopping(ch)) {
		clock_gettime(CLOCK_REALTIME, &now);
		deadline_after(&until, &now, 10);
		pthread_cond_timedwait(&sp->room, &sp->lock, &until);
	}
	pthread_mutex_unlock(&sp->lock);
}

/* Drop the queued jobs @match says and cancel such running ones.  Must hold the lock. */
static void jobs_cancel(struct storvsp *sp, bool (*match)(const struct storvsp_job *, const void *),
			const void *arg)
{
	struct storvsp_job **pp = &sp->head, *job;
	unsigned int i;

	sp->tail = NULL;
	while ((job = *pp)) {
		if (!match(job, arg)) {
			sp->tail = job;
			pp = &job->next;
			continue;
		}
		*pp = job->next;
		if (!job->notify) {
			sp->queued--;
			__atomic_fetch_add(&sp->dropped, 1, __ATOMIC_RELAXED);
		}
		free(job);
	}
	pthread_cond_broadcast(&sp->room);
	for (i = 0; i < STORVSP_THREADS; i++)
		if (sp->run[i] && match(sp->run[i], arg))
			sp->run[i]->cancelled = true;
	pthread_cond_broadcast(&sp->work);	/* delayed ones look again */
}

/* Wait until no running job matches.  Must hold the lock. */
static void jobs_wait(struct storvsp *sp, bool (*match)(const struct storvsp_job *, const void *),
		      const void *arg)
{
	unsigned int i;
	bool busy;

	do {
		busy = false;
		for (i = 0; i < STORVSP_THREADS; i++)
			busy |= sp->run[i] && match(sp->run[i], arg);
		if (busy)
			pthread_cond_wait(&sp->idle, &sp->lock);
	} while (busy);
}

static bool match_chan(const struct storvsp_job *job, const void *ch)
{
	return job->ch == ch;
}

void storvsp_stop_chan(struct hvh_chan *ch)
{
	struct storvsp *sp = ch->vsp_ctx;

	pthread_mutex_lock(&sp->lock);
	jobs_cancel(sp, match_chan, ch);
	jobs_wait(sp, match_chan, ch);
	pthread_mutex_unlock(&sp->lock);
}

struct reset_scope {
	uint32_t op;
	uint8_t path, target, lun;
};

static bool match_scope(const struct storvsp_job *job, const void *arg)
{
	const struct reset_scope *r = arg;
	const struct vmscsi_request *srb = &job->pkt.srb;

	if (job->notify)
		return false;
	switch (r->op) {
	case VSTOR_OP_RESET_LUN:
		return srb->path_id == r->path && srb->target_id == r->target && srb->lun == r->lun;
	case VSTOR_OP_RESET_BUS:
		return srb->path_id == r->path;
	default:
		return true;
	}
}

void storvsp_reset(struct storvsp *sp, uint32_t op, uint8_t path, uint8_t target, uint8_t lun)
{
	struct reset_scope r = { .op = op, .path = path, .target = target, .lun = lun };

	pthread_mutex_lock(&sp->lock);
	jobs_cancel(sp, match_scope, &r);
	jobs_wait(sp, match_scope, &r);
	pthread_mutex_unlock(&sp->lock);
}

bool storvsp_notify(struct storvsp *sp, struct hvh_chan *ch, uint32_t op)
{
	struct storvsp_job *job;
	bool ready;

	pthread_mutex_lock(&sp->lock);
	ready = sp->state == STORVSP_READY;
	pthread_mutex_unlock(&sp->lock);
	if (!ready || !ch->running)
		return false;
	job = storvsp_job_new(0);
	if (!job)
		return false;
	job->ch = ch;
	job->notify = op;
	storvsp_submit(sp, job);
	return true;
}

/* ---- life ---------------------------------------------------------------- */

static int pool_start(struct storvsp *sp)
{
	struct pool_arg *a;
	pthread_attr_t attr;
	int rc = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POOL_STACK_SIZE);
	for (; sp->nr_threads < STORVSP_THREADS; sp->nr_threads++) {
		a = malloc(sizeof(*a));
		if (!a) {
			rc = -ENOMEM;
			break;
		}
		a->sp = sp;
		a->slot = sp->nr_threads;
		rc = -pthread_create(&sp->thread[sp->nr_threads], &attr, pool_thread, a);
		if (rc) {
			free(a);
			break;
		}
	}
	pthread_attr_destroy(&attr);
	return rc;
}

static void pool_stop(struct storvsp *sp)
{
	struct storvsp_job *job;
	unsigned int i;

	pthread_mutex_lock(&sp->lock);
	sp->quit = true;
	pthread_cond_broadcast(&sp->work);
	pthread_mutex_unlock(&sp->lock);
	for (i = 0; i < sp->nr_threads; i++)
		pthread_join(sp->thread[i], NULL);
	sp->nr_threads = 0;
	while ((job = sp->head)) {	/* none: every channel was stopped */
		sp->head = job->next;
		free(job);
	}
	sp->tail = NULL;
}

static void sp_free(struct storvsp *sp)
{
	pool_stop(sp);
	scsi_target_fini(&sp->tgt);
	pthread_cond_destroy(&sp->idle);
	pthread_cond_destroy(&sp->room);
	pthread_cond_destroy(&sp->work);
	pthread_mutex_destroy(&sp->lock);
	free(sp);
}

int storvsp_create(struct partition *p, const struct storvsp_config *c, uint32_t index,
		   struct storvsp **out, char *err, size_t errsz)
{
	struct storvsp *sp = calloc(1, sizeof(*sp));
	unsigned int i;
	int rc;

	if (!sp) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	sp->refs = 1;
	sp->index = index;
	sp->max_sub = c->max_sub;
	sp->max_transfer = c->max_transfer;
	sp->max_version = VSTOR_VERSION_WIN10;
	sp->p = p;
	scsi_target_init(&sp->tgt, index, c->max_transfer);
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->work, NULL);
	pthread_cond_init(&sp->idle, NULL);
	pthread_cond_init(&sp->room, NULL);
	for (i = 0; i < c->nr_disks; i++) {
		rc = scsi_lun_add(&sp->tgt, i, c->disk[i].path, c->disk[i].size, err, errsz);
		if (rc)
			goto err_free;
	}
	rc = pool_start(sp);
	if (rc) {
		snprintf(err, errsz, "cannot start the I/O threads: %s", strerror(-rc));
		goto err_free;
	}
	*out = sp;
	return 0;

err_free:
	sp_free(sp);
	return rc;
}

void storvsp_get(void *ctx)
{
	struct storvsp *sp = ctx;

	sp->refs++;
}

void storvsp_put(void *ctx)
{
	struct storvsp *sp = ctx;

	if (!--sp->refs)
		sp_free(sp);
}
