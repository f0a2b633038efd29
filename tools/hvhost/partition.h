/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated partition: guest memory, virtual processors with their
 * SynIC state, partition-wide registers, connections and statistics.
 *
 * Everything here is independent of QEMU: interrupts and VM-level events
 * leave through callbacks, so the unit tests drive a partition whose RAM is
 * a malloc'd buffer.
 *
 * Locking: struct vp.lock guards the VP's SynIC registers and queues;
 * struct partition.lock guards the partition-wide registers and the crash
 * state.  The two are never held together.
 */
#ifndef HVHOST_PARTITION_H
#define HVHOST_PARTITION_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "hyperv/tlfs.h"
#include "guestmem.h"
#include "stats.h"

#define SYNIC_QUEUE_LEN		64	/* queued messages per SINT */
#define CONN_MAX		64	/* registered connection ids */

struct partition;
struct hvh_srv;

/* A message waiting for its SIMP slot. */
struct synic_msg {
	uint32_t type;
	uint32_t size;
	uint32_t wire_size;	/* payload_size written into the slot: size, but for hostile mode */
	uint64_t sender;
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX];
};

/* FIFO of one SINT; @msg is allocated on first use. */
struct synic_queue {
	struct synic_msg *msg;
	unsigned int head;
	unsigned int count;
};

struct vp {
	struct partition *part;
	unsigned int index;

	pthread_mutex_t lock;		/* guards everything below */
	uint64_t scontrol;
	uint64_t simp;
	uint64_t siefp;
	uint64_t sint[HV_SINT_COUNT];
	uint64_t synic_enables;		/* SCONTROL bit 0 transitions 0 -> 1 */
	uint64_t synic_disables;	/* SCONTROL bit 0 transitions 1 -> 0 */
	struct synic_queue queue[HV_SINT_COUNT];
};

/*
 * Connection ids the guest can post messages to and/or signal: @id, or the
 * @nr_ids ids from @id on (0 means 1; a VMBus server takes one range for
 * its channels' signal connections).  Handlers run on the thread of the
 * calling VP with the connection table read-locked: they must not register
 * or unregister connections.  They get the id actually used and return a
 * TLFS status.
 */
struct conn_handler {
	uint32_t id;
	uint32_t nr_ids;
	uint16_t (*post)(struct partition *p, void *ctx, unsigned int vp, uint32_t type,
			 const uint8_t *payload, uint32_t size);
	uint16_t (*signal)(struct partition *p, void *ctx, unsigned int vp, uint32_t id,
			   unsigned int flag);
	void *ctx;
};

struct conn_table {
	pthread_rwlock_t lock;
	unsigned int nr;
	struct conn_handler h[CONN_MAX];
};

enum vm_event {
	VM_EVENT_RESET,		/* the guest wrote the RESET register */
	VM_EVENT_CRASH,		/* the guest reported a crash */
};

struct partition_ops {
	/* Raise VP @vp's interrupt (hint: the guest scans its SynIC pages). */
	void (*raise_irq)(void *ctx, unsigned int vp);
	/* The guest asked for the VM to end. */
	void (*vm_event)(void *ctx, enum vm_event ev);
	/* Monotonic nanoseconds; NULL = CLOCK_MONOTONIC. */
	uint64_t (*clock_ns)(void *ctx);
	/* The host's TSC; NULL = RDTSC. */
	uint64_t (*host_tsc)(void *ctx);
	void *ctx;
};

struct partition {
	struct guestmem mem;
	unsigned int nr_vps;
	struct vp *vp;
	struct partition_ops ops;
	uint64_t start_ns;		/* clock at creation: reference time 0 */
	uint64_t tsc_hz;		/* host TSC rate, 0 = unknown */
	int64_t tsc_delta;		/* guest TSC - host TSC estimate (atomic, reftime.h) */
	uint64_t reftime_last;		/* largest TIME_REF_COUNT returned (atomic) */
	const char *crash_path;		/* --crash-report FILE or NULL */

	pthread_mutex_t lock;		/* guards the fields below */
	uint64_t guest_os_id;
	uint64_t hypercall;
	uint64_t ref_tsc;
	uint32_t ref_tsc_seq;
	uint64_t crash_p[HV_CRASH_PARAMS];
	uint64_t crash_ctl;
	char *crash_report;		/* the last report, or NULL */
	bool crash_file_started;

	int exit_status;		/* `exit N`, -1 = none (atomic) */
	struct conn_table conns;
	struct hv_stats stats;
	struct hvh_srv *vmbus;		/* vmbus_srv.h, or NULL */
	/*
	 * Called by synic_eom() after it has re-scanned the VP's queues, with
	 * no lock held (atomic pointer): the VMBus server refills SINT queues
	 * from its outbox here.  NULL = none.
	 */
	void (*eom_hook)(struct partition *p, unsigned int vp);
};

/*
 * Set up @p for @nr_vps VPs over guest RAM [@ram, @ram + @ram_size).
 * Returns 0 or -errno.  @ops is copied.
 */
int partition_init(struct partition *p, void *ram, uint64_t ram_size, unsigned int nr_vps,
		   const struct partition_ops *ops);
void partition_destroy(struct partition *p);

uint64_t partition_clock_ns(struct partition *p);

/* Reference time: 100 ns units since partition_init(). */
uint64_t partition_reftime(struct partition *p);

/* Deliver a VM event to the owner (reset, crash). */
void partition_vm_event(struct partition *p, enum vm_event ev);

/* `exit N` status, -1 if none was set. */
int partition_exit_status(struct partition *p);
void partition_set_exit_status(struct partition *p, int status);

#endif /* HVHOST_PARTITION_H */
