// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics counters and their text form.
 */
#include "hyperv/tlfs.h"
#include "stats.h"

static const char *const stat_names[STAT_NR] = {
	[STAT_HYPERCALLS]		= "hypercalls",
	[STAT_POST_MESSAGE]		= "post_message",
	[STAT_SIGNAL_EVENT]		= "signal_event",
	[STAT_ECHO_REPLIES]		= "echo_replies",
	[STAT_EVENTS_SIGNALED]		= "events_signaled",
	[STAT_MESSAGES_QUEUED]		= "messages_queued",
	[STAT_MESSAGES_DELIVERED]	= "messages_delivered",
	[STAT_MESSAGES_DROPPED]		= "messages_dropped",
	[STAT_INTERRUPTS]		= "interrupts",
	[STAT_EOM]			= "eom",
	[STAT_REG_READS]		= "reg_reads",
	[STAT_REG_WRITES]		= "reg_writes",
	[STAT_HOSTCTL]			= "hostctl",
	[STAT_BAD_GPA]			= "bad_gpa",
	[STAT_MAILBOX_REQUESTS]		= "mailbox_requests",
	[STAT_CRASHES]			= "crashes",
	[STAT_VMBUS_RECEIVED]		= "vmbus_received",
	[STAT_VMBUS_SENT]		= "vmbus_sent",
	[STAT_VMBUS_SEND_FAILED]	= "vmbus_send_failed",
	[STAT_VMBUS_MALFORMED]		= "vmbus_malformed",
	[STAT_VMBUS_PROTOCOL_ERRORS]	= "vmbus_protocol_errors",
	[STAT_VMBUS_RELIDS_RELEASED]	= "vmbus_relids_released",
	[STAT_VMBUS_UNLOADS]		= "vmbus_unloads",
	[STAT_VMBUS_OUTBOX_DEFERRED]	= "vmbus_outbox_deferred",
	[STAT_VMBUS_OPENS]		= "vmbus_opens",
	[STAT_VMBUS_OPEN_FAILED]	= "vmbus_open_failed",
	[STAT_VMBUS_CLOSES]		= "vmbus_closes",
	[STAT_VMBUS_MODIFIES]		= "vmbus_modifies",
	[STAT_VMBUS_RING_ERRORS]	= "vmbus_ring_errors",
	[STAT_VMBUS_MNF_SIGNALS]	= "vmbus_mnf_signals",
	[STAT_VMBUS_MNF_SPURIOUS]	= "vmbus_mnf_spurious",
	[STAT_HOSTILE_TRUNCATED]	= "hostile_sent_truncated",
	[STAT_HOSTILE_OVERSIZE]		= "hostile_sent_oversize",
	[STAT_HOSTILE_UNKNOWN]		= "hostile_sent_unknown",
	[STAT_HOSTILE_BADRELID]		= "hostile_sent_badrelid",
	[STAT_HOSTILE_OUTOFORDER]	= "hostile_sent_outoforder",
	[STAT_HOSTILE_RING_INDEX]	= "hostile_sent_ring_index",
	[STAT_HOSTILE_RING_DESC]	= "hostile_sent_ring_desc",
	[STAT_HOSTILE_RING_GPA]		= "hostile_sent_ring_gpa",
};

/* Hypercall codes with their own row; everything else shares the last. */
static const uint16_t stat_hc_codes[STAT_HC_SLOTS - 1] = {
	HVCALL_POST_MESSAGE,
	HVCALL_SIGNAL_EVENT,
	HVCALL_GET_VP_REGISTERS,
	HVCALL_SET_VP_REGISTERS,
	HVCALL_NOTIFY_LONG_SPIN_WAIT,
};

static unsigned int stat_hc_slot(uint16_t code)
{
	unsigned int i;

	for (i = 0; i < STAT_HC_SLOTS - 1; i++)
		if (stat_hc_codes[i] == code)
			return i;
	return STAT_HC_SLOTS - 1;
}

static unsigned int stat_status_idx(uint16_t status)
{
	return status < STAT_HC_STATUSES ? status : STAT_HC_STATUSES - 1;
}

void stat_hc_status(struct hv_stats *s, uint16_t code, uint16_t status)
{
	__atomic_fetch_add(&s->hc[stat_hc_slot(code)][stat_status_idx(status)], 1,
			   __ATOMIC_RELAXED);
}

uint64_t stat_hc_get(struct hv_stats *s, uint16_t code, uint16_t status)
{
	return __atomic_load_n(&s->hc[stat_hc_slot(code)][stat_status_idx(status)],
			       __ATOMIC_RELAXED);
}

uint64_t stat_status_get(struct hv_stats *s, uint16_t status)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < STAT_HC_SLOTS; i++)
		sum += __atomic_load_n(&s->hc[i][stat_status_idx(status)], __ATOMIC_RELAXED);
	return sum;
}

void stats_format(struct hv_stats *s, struct strbuf *sb)
{
	unsigned int i, st;
	uint64_t n;

	for (i = 0; i < STAT_NR; i++)
		sb_printf(sb, "%s%s=%llu", i ? "\n" : "", stat_names[i],
			  (unsigned long long)stat_get(s, i));
	for (st = 0; st < STAT_HC_STATUSES; st++) {
		n = stat_status_get(s, st);
		if (n)
			sb_printf(sb, "\nstatus_0x%04x=%llu", st, (unsigned long long)n);
	}
	for (i = 0; i < STAT_HC_SLOTS; i++) {
		for (st = 0; st < STAT_HC_STATUSES; st++) {
			n = __atomic_load_n(&s->hc[i][st], __ATOMIC_RELAXED);
			if (!n)
				continue;
			if (i < STAT_HC_SLOTS - 1)
				sb_printf(sb, "\nhc_0x%04x_status_0x%04x=%llu", stat_hc_codes[i], st,
					  (unsigned long long)n);
			else
				sb_printf(sb, "\nhc_other_status_0x%04x=%llu", st,
					  (unsigned long long)n);
		}
	}
}
