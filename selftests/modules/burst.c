// SPDX-License-Identifier: GPL-2.0
/*
 * burst: count the messages hvhost's "post" control command queues for
 * SINT 5 all at once.  All but the first wait in the host's queue behind
 * MessagePending, so they only arrive if hv_common frees the slot and
 * writes EOM correctly; they must arrive in order and intact.
 *
 * Payload (hvhost ctl.c): 240 bytes, le32 sequence number 0..n-1, every
 * other byte equal to the sequence number's low byte.
 *
 * The counters are per CPU and written only by the SINT callback on that
 * CPU (hard interrupt context); a reset from debugfs runs when no burst is
 * in flight (the test script's contract).
 */
#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "test.h"

struct hct_burst {
	u64 received;
	u64 out_of_order;
	u64 bad_payload;
	u32 next_seq;
};

static DEFINE_PER_CPU(struct hct_burst, hct_burst);

/* Hard interrupt context, on the CPU the message arrived at. */
void hct_burst_on_message(const struct hv_message *msg)
{
	struct hct_burst *b = this_cpu_ptr(&hct_burst);
	unsigned int i;
	__le32 raw;
	u32 seq;

	if (msg->header.payload_size != HV_MESSAGE_PAYLOAD_MAX) {
		b->bad_payload++;
		return;
	}
	memcpy(&raw, msg->payload, sizeof(raw));
	seq = le32_to_cpu(raw);
	for (i = sizeof(raw); i < HV_MESSAGE_PAYLOAD_MAX; i++) {
		if (msg->payload[i] != (u8)seq) {
			b->bad_payload++;
			return;
		}
	}
	if (seq != b->next_seq)
		b->out_of_order++;
	b->next_seq = seq + 1;
	b->received++;
}

/* Must hold hct_lock; no burst in flight.  @unused is the 0 written. */
int hct_burst_reset(unsigned int unused)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&hct_burst, cpu), 0, sizeof(struct hct_burst));
	return 0;
}

/* Must hold hct_lock. */
void hct_burst_show(struct seq_file *m)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		const struct hct_burst *b = per_cpu_ptr(&hct_burst, cpu);

		seq_printf(m, "cpu=%u received=%llu out_of_order=%llu bad_payload=%llu\n",
			   cpu, READ_ONCE(b->received), READ_ONCE(b->out_of_order),
			   READ_ONCE(b->bad_payload));
	}
}
