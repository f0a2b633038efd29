// SPDX-License-Identifier: GPL-2.0
/*
 * The SynIC interrupt: event flags and message slots of this CPU.
 *
 * The platform calls hvc_isr() in hard interrupt context on the CPU whose
 * SINT fired.  Everything it touches is this CPU's: its SIMP and SIEFP
 * pages, its counters, and the EOM register of its VP.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/string.h>

#include "hv_common.h"

/*
 * The event flags area of a SINT is a little-endian bitmap; we read it in
 * native unsigned longs and hand it on as a kernel bitmap, which is the
 * same layout on little-endian machines only (all Hyper-V guests).
 */
#ifdef __BIG_ENDIAN
#error "the SynIC event flags bitmap is little-endian: big-endian guests are not supported"
#endif

#define HVC_FLAG_WORDS	BITS_TO_LONGS(HV_EVENT_FLAGS_COUNT)

static void hvc_eom(const struct hv_platform *p)
{
	int ret;

	this_cpu_inc(hvc_stats.eoms);
	ret = p->set_register(HV_REG_EOM, 0);
	if (ret)
		pr_err_ratelimited("EOM write failed: %d\n", ret);
}

/*
 * Hand a message slot back to the hypervisor.
 *
 * The host-guest contract for one slot:
 *  1. The hypervisor writes a message into the slot only while its type
 *     is HVMSG_NONE; the guest owns the slot from the moment it sees a
 *     non-NONE type until it writes NONE back.
 *  2. A message that arrives while the guest owns the slot is queued by
 *     the hypervisor, which then sets MessagePending in the slot's header.
 *  3. The hypervisor looks at its queue again when the guest writes EOM.
 *
 * So the guest frees first (cmpxchg: only the type we observed becomes
 * NONE), then a full barrier, so that the free is visible before the
 * flag is read (cmpxchg is fully ordered already; mb() states the
 * requirement where it matters), then reads MessagePending from the slot
 * itself, never from the private copy.  If it is set, EOM makes the
 * hypervisor deliver the queued message.  Reading the flag before the free
 * could miss a message queued in between, which would then wait for ever.
 */
static void hvc_slot_release(const struct hv_platform *p,
			     struct hv_message *slot, __le32 type)
{
	cmpxchg(&slot->header.message_type, type, cpu_to_le32(HVMSG_NONE));
	mb();	/* contract 1-3: the free is visible before the flag is read */
	if (READ_ONCE(slot->header.message_flags) & HV_MESSAGE_FLAG_PENDING)
		hvc_eom(p);
}

/* Drain one SINT's message slot, a bounded number of messages. */
static void hvc_isr_slot(const struct hv_platform *p, struct hvc_cpu *hc,
			 unsigned int sint, const struct hvcore_sint_client *client)
{
	struct hv_message *slot = &hc->simp->slot[sint];
	struct hv_message msg;
	unsigned int n;
	__le32 type;

	for (n = 0; n < HVC_SLOT_BUDGET; n++) {
		/* Acquire: the slot's contents are read after its type. */
		type = smp_load_acquire(&slot->header.message_type);
		if (type == cpu_to_le32(HVMSG_NONE))
			return;

		/*
		 * A private copy first: the host may change the shared slot at
		 * any time once it is free, and the payload is untrusted.
		 */
		memcpy(&msg, slot, sizeof(msg));
		msg.header.message_type = type;
		hvc_slot_release(p, slot, type);

		if (msg.header.payload_size > HV_MESSAGE_PAYLOAD_MAX) {
			this_cpu_inc(hvc_stats.malformed);
			pr_err_ratelimited("SINT %u: message type 0x%x with payload size %u > %u dropped\n",
					   sint, le32_to_cpu(type),
					   msg.header.payload_size,
					   HV_MESSAGE_PAYLOAD_MAX);
			continue;
		}
		if (!client) {
			this_cpu_inc(hvc_stats.unclaimed);
			continue;
		}
		this_cpu_inc(hvc_stats.messages);
		if (client->message)
			client->message(sint, &msg, client->ctx);
	}
}

/* Take and clear one SINT's event flags; hand a snapshot to the client. */
static void hvc_isr_events(struct hvc_cpu *hc, unsigned int sint,
			   const struct hvcore_sint_client *client)
{
	unsigned long *words = (unsigned long *)hc->siefp->sint[sint].flags;
	DECLARE_BITMAP(snap, HV_EVENT_FLAGS_COUNT);
	unsigned int i, bits = 0;
	unsigned long w;

	for (i = 0; i < HVC_FLAG_WORDS; i++) {
		w = READ_ONCE(words[i]);
		/*
		 * The host sets flags with atomic ORs at any time: an atomic
		 * exchange takes exactly the bits set so far, and a bit set
		 * after it raises the SINT again.
		 */
		if (w)
			w = xchg(&words[i], 0);
		snap[i] = w;
		bits += hweight_long(w);
	}
	if (!bits)
		return;
	if (!client) {
		this_cpu_inc(hvc_stats.unclaimed);
		return;
	}
	this_cpu_add(hvc_stats.event_bits, bits);
	if (client->events)
		client->events(sint, snap, client->ctx);
}

/*
 * Hard interrupt context, on the CPU that received the interrupt.
 * Per SINT: event flags first, then the message slot.  Claimed SINTs and
 * SINTs armed on this CPU since its SynIC came up have their flags
 * scanned; every message slot is looked at (cheap: one header read), so
 * that nothing sent to an unclaimed SINT can hold a slot.
 */
void hvc_isr(void)
{
	struct hvc_cpu *hc = this_cpu_ptr(&hvc_cpu);
	const struct hvcore_sint_client *client;
	const struct hv_platform *p;
	unsigned long armed;
	unsigned int sint;

	this_cpu_inc(hvc_stats.interrupts);
	/* A late or stray interrupt: this CPU's pages are not ours to scan. */
	if (!READ_ONCE(hc->synic_up))
		return;
	p = hvc.plat;
	armed = READ_ONCE(hc->armed);

	rcu_read_lock();
	for (sint = 0; sint < HV_SINT_COUNT; sint++) {
		client = rcu_dereference(hvc_clients[sint]);
		if (client || (armed & BIT(sint)))
			hvc_isr_events(hc, sint, client);
		hvc_isr_slot(p, hc, sint, client);
	}
	rcu_read_unlock();
}

/*
 * See hv_core.h.  Another CPU's slot is only freed (its EOM cannot be
 * written from here): that CPU must not be taking interrupts, or its ISR
 * and we could both take the same message.
 */
int hvcore_poll_message(unsigned int cpu, unsigned int sint, struct hv_message *msg)
{
	const struct hv_platform *p = READ_ONCE(hvc.plat);
	struct hv_message *slot;
	struct hvc_cpu *hc;
	__le32 type;

	if (!p || cpu >= nr_cpu_ids || sint >= HV_SINT_COUNT || !msg)
		return -EINVAL;
	hc = per_cpu_ptr(&hvc_cpu, cpu);
	if (!READ_ONCE(hc->synic_up) || !hc->simp)
		return -ENODEV;
	slot = &hc->simp->slot[sint];
	/* Acquire: the slot's contents are read after its type. */
	type = smp_load_acquire(&slot->header.message_type);
	if (type == cpu_to_le32(HVMSG_NONE))
		return 0;
	memcpy(msg, slot, sizeof(*msg));
	msg->header.message_type = type;
	if (cpu == smp_processor_id())
		hvc_slot_release(p, slot, type);
	else
		cmpxchg(&slot->header.message_type, type, cpu_to_le32(HVMSG_NONE));
	if (msg->header.payload_size > HV_MESSAGE_PAYLOAD_MAX) {
		pr_err_ratelimited("SINT %u: polled message type 0x%x with payload size %u > %u dropped\n",
				   sint, le32_to_cpu(type), msg->header.payload_size,
				   HV_MESSAGE_PAYLOAD_MAX);
		return -EBADMSG;
	}
	return 1;
}
EXPORT_SYMBOL_GPL(hvcore_poll_message);
