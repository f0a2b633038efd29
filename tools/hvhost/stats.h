/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters for `hvhost ctl stats`.  Updated with relaxed atomics from any
 * thread; read without locking (each value is exact, the set is not a
 * snapshot).
 */
#ifndef HVHOST_STATS_H
#define HVHOST_STATS_H

#include <stdint.h>

#include "log.h"

enum stat_id {
	STAT_HYPERCALLS,
	STAT_POST_MESSAGE,
	STAT_SIGNAL_EVENT,
	STAT_ECHO_REPLIES,
	STAT_EVENTS_SIGNALED,
	STAT_MESSAGES_QUEUED,
	STAT_MESSAGES_DELIVERED,
	STAT_MESSAGES_DROPPED,
	STAT_INTERRUPTS,
	STAT_EOM,
	STAT_REG_READS,
	STAT_REG_WRITES,
	STAT_HOSTCTL,
	STAT_BAD_GPA,
	STAT_MAILBOX_REQUESTS,
	STAT_CRASHES,
	STAT_VMBUS_RECEIVED,
	STAT_VMBUS_SENT,
	STAT_VMBUS_SEND_FAILED,
	STAT_VMBUS_MALFORMED,
	STAT_VMBUS_PROTOCOL_ERRORS,
	STAT_VMBUS_RELIDS_RELEASED,
	STAT_VMBUS_UNLOADS,
	STAT_VMBUS_OUTBOX_DEFERRED,
	STAT_VMBUS_OPENS,
	STAT_VMBUS_OPEN_FAILED,
	STAT_VMBUS_CLOSES,
	STAT_VMBUS_MODIFIES,
	STAT_VMBUS_RING_ERRORS,
	STAT_VMBUS_MNF_SIGNALS,		/* monitor page bits of open channels */
	STAT_VMBUS_MNF_SPURIOUS,	/* monitor page bits of nothing open */
	/* Hostile mode (vmbus_hostile.c): bad things sent on purpose, per class. */
	STAT_HOSTILE_TRUNCATED,
	STAT_HOSTILE_OVERSIZE,
	STAT_HOSTILE_UNKNOWN,
	STAT_HOSTILE_BADRELID,
	STAT_HOSTILE_OUTOFORDER,
	STAT_HOSTILE_RING_INDEX,
	STAT_HOSTILE_RING_DESC,
	STAT_HOSTILE_RING_GPA,
	STAT_NR
};

/* Per hypercall code (a few known ones plus "other") and status (0..255). */
#define STAT_HC_SLOTS		6
#define STAT_HC_STATUSES	256

struct hv_stats {
	uint64_t v[STAT_NR];
	uint64_t hc[STAT_HC_SLOTS][STAT_HC_STATUSES];
};

static inline void stat_inc(struct hv_stats *s, enum stat_id id)
{
	__atomic_fetch_add(&s->v[id], 1, __ATOMIC_RELAXED);
}

static inline uint64_t stat_get(struct hv_stats *s, enum stat_id id)
{
	return __atomic_load_n(&s->v[id], __ATOMIC_RELAXED);
}

/* Count one hypercall completion with @status. */
void stat_hc_status(struct hv_stats *s, uint16_t code, uint16_t status);
/* Completions of call @code with @status so far. */
uint64_t stat_hc_get(struct hv_stats *s, uint16_t code, uint16_t status);
/* Completions with @status, all codes together. */
uint64_t stat_status_get(struct hv_stats *s, uint16_t status);

/* name=value lines, '\n'-separated, no trailing newline. */
void stats_format(struct hv_stats *s, struct strbuf *sb);

#endif /* HVHOST_STATS_H */
