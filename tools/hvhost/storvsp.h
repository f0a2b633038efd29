/* SPDX-License-Identifier: GPL-2.0 */
/*
 * storvsp: the host side of VMBus storage (VSTOR, include/hyperv/vstor.h)
 * for devices of class VMBUS_CLASS_SCSI.  One struct storvsp per SCSI
 * controller, shared by its primary channel and its subchannels
 * (hvh_chan.vsp_ctx), with the controller's LUNs (scsi_disk.h).
 *
 * Files: storvsp.c (the packets: checks, the init state machine,
 * CREATE_SUB_CHANNELS, resets), storvsp_io.c (the controller's life, its
 * I/O thread pool, SRB execution and completions, faults), storvsp_ctl.c
 * (configuration and control commands).
 *
 * A packet's way: the channel worker (vmbus_chan.c) hands it to
 * storvsp_vsp.packet, which copies and checks it.  Protocol operations
 * are answered at once by the worker.  A well-formed EXECUTE_SRB becomes
 * a job (the request and its PFNs copied) queued for the controller's
 * pool of STORVSP_THREADS threads: one takes it, runs the SCSI command
 * with preadv/pwritev straight between the backing file and guest memory,
 * and sends the completion itself, so the worker never waits for a disk.
 * ENUMERATE_BUS (LUN hot add/remove) is a job too: the control thread
 * never writes a ring.
 *
 * Threads and locks (the whole order: vmbus_srv.h):
 *   - struct storvsp.lock guards the job queue, the running jobs, the init
 *     state and version, the faults.  Taken by channel workers and pool
 *     threads (nothing else held), the VSP hooks and control commands
 *     (under the server lock).  Nothing is taken under it: nobody sends or
 *     does file I/O while holding it, so it is never held together with a
 *     channel's send lock.  Its conditions: work (pool threads wait for a
 *     job or quit, delayed completions for their deadline), idle (a
 *     running job ended: the stop hook and resets wait for theirs), room
 *     (an SRB left the queue or the queue limit changed).
 *   - struct scsi_target.lock: taken alone by pool threads (scsi_exec())
 *     and under the server lock by control commands; nothing under it.
 *   - refs is changed under the server lock only (slot creation and
 *     freeing); the last put joins the pool, whose threads never take the
 *     server lock.
 *   - A job holds a pointer to its channel.  The channel's stop hook
 *     (close, rescind, reset, hostile pause: server lock held, worker
 *     joined, stop flag set) drops the channel's queued jobs and waits for
 *     its running ones; a running job blocked on ring space returns at
 *     once (-ESHUTDOWN), a delayed one wakes up.  So no job touches a ring
 *     after the stop hook returned, and ring pages are unmapped only after.
 *   - A reset (RESET_LUN / RESET_BUS / RESET_ADAPTER) drops the queued
 *     jobs of its scope, marks the running ones cancelled (their I/O ends,
 *     no completion is sent) and waits for them before it is answered.
 *     Dropped and cancelled SRBs count as "dropped".
 */
#ifndef HVHOST_STORVSP_H
#define HVHOST_STORVSP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "hyperv/vstor.h"
#include "log.h"
#include "scsi_disk.h"
#include "vmbus_chan.h"

struct hvh_srv;
struct partition;

#define STORVSP_THREADS			4		/* I/O threads per controller */
#define STORVSP_MAX_TRANSFER_DEFAULT	(1024 * 1024)
#define STORVSP_MAX_TRANSFER_MIN	4096
#define STORVSP_MAX_TRANSFER_MAX	(8 * 1024 * 1024)
#define STORVSP_MAX_DISKS		64		/* disk= per controller in a config */
#define STORVSP_MAX_DELAY_MS		600000		/* scsi-fault delay */
#define STORVSP_MAX_QUEUE		65536		/* scsi-fault queue */

/* How scsi-fault corrupt mangles an SRB completion (hostile-host testing). */
enum storvsp_corrupt {
	STORVSP_CORRUPT_SHORT,		/* payload cut to 8 bytes */
	STORVSP_CORRUPT_OP,		/* operation not COMPLETE_IO */
	STORVSP_CORRUPT_XFER,		/* success claiming 4 GiB - 1 transferred */
	STORVSP_CORRUPT_SENSE,		/* CHECK CONDITION, sense length 255, junk sense */
};

/* One controller's configuration (--scsi, the config file's scsi statement). */
struct storvsp_disk {
	char *path;			/* malloc'd */
	uint64_t size;			/* bytes */
};

struct storvsp_config {
	unsigned int max_sub;		/* 0..HVH_SRV_MAX_SUB */
	uint32_t max_transfer;		/* bytes */
	unsigned int nr_disks;		/* LUNs 0..nr_disks - 1 */
	struct storvsp_disk disk[STORVSP_MAX_DISKS];
};

/*
 * The primary's VSTOR state, in the order Linux drivers/scsi/storvsc_drv.c,
 * storvsc_channel_init(), goes through it.
 */
enum storvsp_state {
	STORVSP_CLOSED,			/* nothing yet on this open */
	STORVSP_BEGUN,			/* BEGIN_INITIALIZATION done: versions */
	STORVSP_VERSIONED,		/* a version agreed: QUERY_PROPERTIES */
	STORVSP_PROPS,			/* END_INITIALIZATION (or CREATE_SUB_CHANNELS) */
	STORVSP_READY,			/* I/O */
};

/* Queued work: an SRB to run, or an ENUMERATE_BUS to send. */
struct storvsp_job {
	struct storvsp_job *next;
	struct hvh_chan *ch;		/* where the answer goes */
	uint64_t tid;
	uint32_t notify;		/* non-zero: a host message of this operation, no SRB */
	bool cancelled;			/* reset or stop: no completion (under lock) */
	struct vstor_packet pkt;	/* the request, answered in place */
	uint32_t byte_offset;		/* the GPA range: into the first page */
	uint32_t nr_pfns;
	struct iovec *iov;		/* room for nr_pfns pieces, after pfn[] */
	uint64_t pfn[];
};

struct storvsp {
	unsigned int refs;		/* slots holding it; server lock */
	uint32_t relid;			/* the primary's, fixed once added */
	uint32_t index;			/* controller number: instance GUID, serials */
	unsigned int max_sub;
	uint32_t max_transfer;
	uint16_t max_version;		/* newest VSTOR version accepted; 0: none (lock) */
	struct partition *p;		/* guest memory */
	struct scsi_target tgt;

	pthread_mutex_t lock;		/* guards the rest; see above */
	pthread_cond_t work;		/* pool threads: a job, quit, a delay cut short */
	pthread_cond_t idle;		/* a running job ended */
	pthread_cond_t room;		/* a queued SRB left the queue, or no limit now */
	enum storvsp_state state;
	uint16_t version;
	struct storvsp_job *head, *tail;
	struct storvsp_job *run[STORVSP_THREADS];
	pthread_t thread[STORVSP_THREADS];
	unsigned int nr_threads;
	bool quit;
	unsigned int delay_ms;		/* every SRB completion waits this long */
	uint64_t drop;			/* SRB completions still to swallow */
	unsigned int queue_max;		/* queued SRBs before intake stops; 0: no limit */
	unsigned int queued;		/* SRB jobs queued, not yet taken by a thread */
	uint64_t corrupt;		/* SRB completions still to mangle */
	enum storvsp_corrupt corrupt_kind;

	uint64_t dropped;		/* SRB completions never sent (atomic) */
	uint64_t malformed;		/* packets failing the checks (atomic) */
	uint64_t corrupted;		/* SRB completions sent mangled (atomic) */
};

/* ---- configuration (storvsp_ctl.c) ---- */

void storvsp_config_init(struct storvsp_config *c);
void storvsp_config_free(struct storvsp_config *c);
/* Append the disk of "PATH:SIZE".  0, or -1 with a reason in @err. */
int storvsp_config_add_disk(struct storvsp_config *c, const char *spec, char *err,
			    size_t errsz);
/* Append every disk of "PATH:SIZE[,PATH:SIZE...]". */
int storvsp_config_add_list(struct storvsp_config *c, const char *list, char *err,
			    size_t errsz);
/* "BYTES" with an optional K or M suffix, in range.  0 or -1. */
int storvsp_parse_transfer(const char *s, uint32_t *out);

/* ---- the controller (storvsp_io.c) ---- */

/*
 * A controller numbered @index over partition @p as @c says (its LUN
 * files opened or created), its pool started, one reference.  Returns 0
 * or -errno (said on stderr / in @err).
 */
int storvsp_create(struct partition *p, const struct storvsp_config *c, uint32_t index,
		   struct storvsp **out, char *err, size_t errsz);
/* Slot references (hvh_vsp get / put); the last put frees it.  Server lock. */
void storvsp_get(void *ctx);
void storvsp_put(void *ctx);
/* Queue @job (ownership passes). */
void storvsp_submit(struct storvsp *sp, struct storvsp_job *job);
/*
 * The queue fault (`scsi-fault RELID queue N`): the channel worker of @ch
 * waits here, before taking an SRB, while N SRBs are queued: it reads no
 * more packets, so the guest's ring fills as on a host that is saturated.
 * Returns when there is room, the limit is lifted, the channel is being
 * stopped or the controller quits (polled every 10 ms: the stop path sets
 * the channel's flag and then joins the worker).
 */
void storvsp_wait_room(struct storvsp *sp, struct hvh_chan *ch);
/* A job for @nr_pfns PFNs, zeroed; NULL when out of memory. */
struct storvsp_job *storvsp_job_new(uint32_t nr_pfns);
/* hvh_vsp.stop. */
void storvsp_stop_chan(struct hvh_chan *ch);
/*
 * Reset: drop / cancel the jobs of @op's scope (RESET_LUN: @path, @target,
 * @lun; RESET_BUS: @path; RESET_ADAPTER: all) and wait for the running
 * ones.  Worker thread, no lock held.
 */
void storvsp_reset(struct storvsp *sp, uint32_t op, uint8_t path, uint8_t target, uint8_t lun);
/*
 * Queue a host message of operation @op (ENUMERATE_BUS, REMOVE_DEVICE, or
 * anything for hostile testing) on the primary @ch if it is running and
 * the controller initialised.  Server lock held.  True if queued.
 */
bool storvsp_notify(struct storvsp *sp, struct hvh_chan *ch, uint32_t op);
/* Send @resp as the completion of @tid on @ch.  0 or -errno (hvh_chan_send). */
int storvsp_complete(struct hvh_chan *ch, uint64_t tid, const struct vstor_packet *resp);

/* ---- packets (storvsp.c) ---- */

/* The VSTOR completion of a SCSI command @c for request @req into @resp. */
void storvsp_srb_result(const struct vstor_packet *req, const struct scsi_cmd *c,
			struct vstor_packet *resp);

/* ---- control commands (storvsp_ctl.c), answers in Documentation/hvhost.md ---- */

int storvsp_ctl_luns(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_lun_add(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_lun_remove(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_stats(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_lun_crc32(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_lun_allocated(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_max_version(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_fault(struct partition *p, char **argv, struct strbuf *sb);
int storvsp_ctl_notify(struct partition *p, char **argv, struct strbuf *sb);
/* `vmbus-offer scsi PATH:SIZE[,...]` (called by hvh_ctl_offer). */
int storvsp_ctl_offer(struct partition *p, const char *list, struct strbuf *sb);

#endif /* HVHOST_STORVSP_H */
